/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xen-netfront (xen-netmq): the paravirtual network frontend.
 *
 * One struct netfront_info per vif; it owns an array of struct
 * netfront_queue, each of which owns one tx and one rx shared ring, their
 * grant references, one or two event channels, one NAPI context, an rx
 * page pool and its counters.  The array is built and torn down as a whole
 * on every connection to a backend (the queue count is renegotiated each
 * time); the net_device stays registered throughout.
 *
 * Locking: the queue array, the queue count and the connection state
 * change only under RTNL.  Readers that cannot take RTNL (get_stats64)
 * take stats_lock, which also covers the folded counters.  A live queue
 * change (ethtool -L) runs in change_work and takes RTNL only around each
 * step that touches the queue set, never across a wait for the backend;
 * while it runs (@changing, set and cleared under RTNL) it alone moves the
 * connection, and the xenbus handler leaves the backend's state to it.
 */
#ifndef _XEN_NETFRONT_H
#define _XEN_NETFRONT_H

#include <linux/bpf.h>
#include <linux/netdevice.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/interface/io/netif.h>
#include <xen/page.h>
#include <xen/xenbus.h>
#include <net/xdp.h>

#include "xen-netmq/compat.h"
#include "xen-netmq/negotiate.h"
#include "validate.h"

#define XNF_DRV_NAME		"xen-netfront"

/* Worst-case ring slots of one transmitted packet: data pages plus a GSO extra. */
#define XNF_TX_MAX_SLOTS	(DIV_ROUND_UP(XEN_NETIF_MAX_TX_SIZE, XEN_PAGE_SIZE) + 1)
/* Grant references one queue holds: a page per tx id and rx slot, 2 rings. */
#define XNF_GRANTS_PER_QUEUE	((unsigned int)(XNF_TX_RING_SIZE + XNF_RX_RING_SIZE + 2))
/* Bytes of each received packet copied into the skb head for the stack. */
#define XNF_RX_PULL		256

/* Bits of netfront_queue.eoi_pending: an event channel awaiting its EOI. */
enum {
	XNF_EOI_TX,
	XNF_EOI_RX,
};

/**
 * struct xnf_tx_stats - transmit counters of one queue
 * @packets: packets handed to the backend
 * @bytes: bytes handed to the backend
 * @gso_packets: of those, GSO packets
 * @csum_partial: of those, with the checksum left to the backend
 * @drops: packets dropped before reaching the ring (too big, no backend)
 * @errors: packets the backend answered with an error or drop status
 * @stops: times the queue was stopped for want of ring slots
 * @wakes: times it was woken again
 * @xdp_xmit: XDP frames sent (XDP_TX, or redirected to us); also counted
 *	in @packets and @bytes
 * @xdp_xmit_errors: XDP frames that found no room or were too big
 */
struct xnf_tx_stats {
	u64 packets;
	u64 bytes;
	u64 gso_packets;
	u64 csum_partial;
	u64 drops;
	u64 errors;
	u64 stops;
	u64 wakes;
	u64 xdp_xmit;
	u64 xdp_xmit_errors;
};

/**
 * struct xnf_rx_stats - receive counters of one queue
 * @packets: packets passed to the stack
 * @bytes: bytes passed to the stack
 * @gso_packets: of those, GSO packets
 * @csum_partial: of those, with the checksum still to be filled in
 * @drops: packets dropped here (no memory, unusable layout)
 * @errors: packets the backend flagged as failed or malformed
 * @alloc_fail: rx buffers that could not be allocated on refill
 * @events: event channel interrupts
 * @spurious: interrupts that found no work (late EOI delays those)
 * @staged: slots copied out of a staging page (the backend wrote them
 *	without a grant copy, if it maps our staging grants)
 * @xdp_pass: packets the XDP program passed to the stack (also in @packets)
 * @xdp_drop: packets it dropped
 * @xdp_tx: packets it sent back out (XDP_TX)
 * @xdp_redirect: packets it redirected
 * @xdp_aborted: packets lost to XDP_ABORTED, an unknown action, an action
 *	that failed, or a frame too big for a program without frags support
 * @xdp_copied: packets copied into a buffer laid out for XDP (staged, or
 *	without the headroom we asked the backend for)
 * @xdp_gso_cut: GSO packets cut into wire-size frames for a program without
 *	frags support (each frame then counts under one action above)
 */
struct xnf_rx_stats {
	u64 packets;
	u64 bytes;
	u64 gso_packets;
	u64 csum_partial;
	u64 drops;
	u64 errors;
	u64 alloc_fail;
	u64 events;
	u64 spurious;
	u64 staged;
	u64 xdp_pass;
	u64 xdp_drop;
	u64 xdp_tx;
	u64 xdp_redirect;
	u64 xdp_aborted;
	u64 xdp_copied;
	u64 xdp_gso_cut;
};

struct netfront_info;

/**
 * struct netfront_queue - one tx/rx ring pair and everything it owns
 * @tx_lock: serialises transmit against completion
 * @tx: tx front ring
 * @tx_free: stack of free tx request ids
 * @tx_nr_free: entries in @tx_free
 * @tx_inflight: ids the backend still owes a response for
 * @tx_ctl: of those, ids of multicast filter requests (no packet)
 * @tx_stats: transmit counters, written under @tx_lock
 * @tx_syncp: guards @tx_stats for readers
 * @napi: NAPI context (tx completion and rx)
 * @rx: rx front ring
 * @pool: page pool feeding rx buffers
 * @rx_pages: page posted in each rx slot, NULL if none
 * @rx_refs: grant reference of each rx slot
 * @rx_stats: receive counters, written from NAPI
 * @rx_syncp: guards @rx_stats for readers
 * @events: event channel interrupts (counted in hard irq context)
 * @spurious: of those, interrupts that found no work
 * @refill_timer: retries an rx refill that ran out of memory
 * @rx_wait_prod: response producer seen when a packet was incomplete
 * @rx_incomplete: the packet at rx.rsp_cons is not fully produced yet
 * @tx_seen_prod: tx response producer at the last event (hard irq only)
 * @rx_seen_prod: rx response producer at the last event (hard irq only)
 * @rx_slot_staged: slots posted with their staging grant, not a pool page
 * @rx_stage_on: refills post staging grants (ctrl.c sets it, NAPI reads)
 * @xdp_rxq: XDP's view of this rx queue (its page pool as memory model)
 * @info: the device
 * @id: queue index
 * @broken: the backend broke the protocol on this queue; stop touching it
 * @irqs_bound: @tx_irq (and @rx_irq) are bound to event channels
 * @eoi_pending: XNF_EOI_* bits of channels whose late EOI is due
 * @tx_irq: irq of the tx (or the only) event channel
 * @rx_irq: irq of the rx event channel; equal to @tx_irq when not split
 * @tx_evtchn: tx (or the only) event channel port
 * @rx_evtchn: rx event channel port
 * @tx_ring_ref: grant of the tx ring page
 * @rx_ring_ref: grant of the rx ring page
 * @tx_pages: per tx id, the dedicated page its data is copied into
 * @tx_refs: per tx id, the read-only grant of that page
 * @rx_stage: per rx slot, its staging page (NULL until rx staging is set up)
 * @rx_stage_refs: per rx slot, the writable grant of that page
 * @tx_irq_name: name of @tx_irq
 * @rx_irq_name: name of @rx_irq
 */
struct netfront_queue {
	/* written on transmit and on completion */
	spinlock_t tx_lock;
	struct xen_netif_tx_front_ring tx;
	u16 tx_free[XNF_TX_RING_SIZE];
	unsigned int tx_nr_free;
	DECLARE_BITMAP(tx_inflight, XNF_TX_RING_SIZE);
	DECLARE_BITMAP(tx_ctl, XNF_TX_RING_SIZE);
	struct xnf_tx_stats tx_stats;
	struct u64_stats_sync tx_syncp;

	/* written on receive (NAPI) */
	struct napi_struct napi;
	struct xen_netif_rx_front_ring rx;
	struct page_pool *pool;
	struct page *rx_pages[XNF_RX_RING_SIZE];
	grant_ref_t rx_refs[XNF_RX_RING_SIZE];
	struct xnf_rx_stats rx_stats;
	struct u64_stats_sync rx_syncp;
	atomic64_t events;
	atomic64_t spurious;
	struct timer_list refill_timer;
	RING_IDX rx_wait_prod;
	bool rx_incomplete;
	RING_IDX tx_seen_prod;
	RING_IDX rx_seen_prod;
	DECLARE_BITMAP(rx_slot_staged, XNF_RX_RING_SIZE);
	bool rx_stage_on;
	struct xdp_rxq_info xdp_rxq;

	/* read-mostly */
	struct netfront_info *info;
	unsigned int id;
	bool broken;
	bool irqs_bound;
	unsigned long eoi_pending;
	int tx_irq;
	int rx_irq;

	/* slow path: set up and torn down with the connection */
	evtchn_port_t tx_evtchn;
	evtchn_port_t rx_evtchn;
	grant_ref_t tx_ring_ref;
	grant_ref_t rx_ring_ref;
	struct page *tx_pages[XNF_TX_RING_SIZE];
	grant_ref_t tx_refs[XNF_TX_RING_SIZE];
	struct page *rx_stage[XNF_RX_RING_SIZE];
	grant_ref_t rx_stage_refs[XNF_RX_RING_SIZE];
	char tx_irq_name[IFNAMSIZ + 16];
	char rx_irq_name[IFNAMSIZ + 16];
};

/**
 * struct xnf_backend_features - what the backend offered in XenStore
 * @max_queues: multi-queue-max-queues, 0 when absent
 * @sg: feature-sg: accepts multi-slot packets
 * @gso_tcpv4: feature-gso-tcpv4
 * @gso_tcpv6: feature-gso-tcpv6
 * @ipv6_csum: feature-ipv6-csum-offload
 * @split_evtchn: feature-split-event-channels
 * @ctrl_ring: feature-ctrl-ring
 * @mc_dynamic: feature-dynamic-multicast-control (and the static one)
 * @xdp_headroom: feature-xdp-headroom: leaves the room we ask before data
 * @known: the fields above were read from a backend at least once
 */
struct xnf_backend_features {
	unsigned int max_queues;
	bool sg;
	bool gso_tcpv4;
	bool gso_tcpv6;
	bool ipv6_csum;
	bool split_evtchn;
	bool ctrl_ring;
	bool mc_dynamic;
	bool xdp_headroom;
	bool known;
};

/**
 * struct xnf_ctrl - the control ring and the settings it carries
 * @lock: one control request at a time; guards everything below but @work
 * @ring: the front ring, valid while @ready
 * @ring_ref: grant of the ring page
 * @evtchn: its event channel
 * @irq: irq bound to @evtchn
 * @buf: page that carries a key or a table to the backend
 * @buf_ref: its read-only grant
 * @list: page that carries a staging grant list (the backend writes the
 *	entries' statuses back into it)
 * @list_ref: its writable grant
 * @wq: where a request waits for its response
 * @seen_prod: response producer at the last event (hard irq only)
 * @waiting: a request is outstanding: only then is an event work
 * @next_id: id of the next request
 * @ready: ring, channel and buffer exist (this connection offered them)
 * @up: the backend is Connected, so it serves the ring
 * @lost: the backend answered wrongly or not at all: no control requests
 *	until the next connection
 * @rss_on: the backend took our hash settings on this connection
 * @key: Toeplitz key (random at probe, or ethtool -X hkey)
 * @indir: queue per hash % XNF_RSS_INDIR_SIZE: the user's table, or the
 *	even spread of the last connection
 * @hash_flags: XEN_NETIF_CTRL_HASH_TYPE_* we want hashed
 * @hash_caps: XEN_NETIF_CTRL_HASH_TYPE_* the backend can hash
 * @mc: addresses the backend's multicast filter holds for us
 * @nr_mc: entries in @mc
 * @mc_filter: request-multicast-control is 1 on this connection
 * @mc_refused: the backend refused a filter request: flood instead
 * @staging_off: the user turned staging off (ethtool private flag)
 * @staging_refused: the backend has no staging for us on this connection
 * @staged: per queue, the grants the backend maps for it: 0, its tx pages,
 *	or those and its rx staging pages
 * @work: applies the settings after a connect or an rx mode change
 */
struct xnf_ctrl {
	struct mutex lock; /* one request at a time, and the settings */
	struct xen_netif_ctrl_front_ring ring;
	grant_ref_t ring_ref;
	evtchn_port_t evtchn;
	int irq;
	struct page *buf;
	grant_ref_t buf_ref;
	struct page *list;
	grant_ref_t list_ref;
	wait_queue_head_t wq;
	RING_IDX seen_prod;
	bool waiting;
	u16 next_id;
	bool ready;
	bool up;
	bool lost;
	bool rss_on;
	u8 key[XNF_RSS_KEY_SIZE];
	u32 indir[XNF_RSS_INDIR_SIZE];
	u32 hash_flags;
	u32 hash_caps;
	u8 mc[XNF_MC_MAX][ETH_ALEN];
	unsigned int nr_mc;
	bool mc_filter;
	bool mc_refused;
	bool staging_off;
	bool staging_refused;
	u16 staged[XNM_MAX_QUEUES];
	struct work_struct work;
};

/**
 * struct xnf_queue_config - queue counts
 * @limit: our own ceiling: max_queues at probe time, fixed for the device
 * @wanted: what we ask for at the next connection (limit, or ethtool -L)
 * @max: the most we can have now: min(limit, backend offer)
 * @cur: queues connected now, 0 when disconnected
 */
struct xnf_queue_config {
	unsigned int limit;
	unsigned int wanted;
	unsigned int max;
	unsigned int cur;
};

/**
 * struct netfront_info - one vif
 * @netdev: the net device
 * @xbdev: its xenbus device
 * @queues: @qcfg.cur queues, NULL when disconnected
 * @qcfg: queue counts
 * @be: the backend's offer at the last connection
 * @stats_lock: guards @queues and @qcfg.cur for stats readers, and the bases
 * @tx_base: counters of queues that no longer exist
 * @rx_base: counters of queues that no longer exist
 * @napi_on: the queues' NAPI contexts are enabled (device open)
 * @broken: the backend misbehaved; the device stays down until it reconnects
 * @broken_reason: what it did, for the log
 * @disable_work: disables the device from process context
 * @published: queue count last written to XenStore (to remove stale keys)
 * @debug_dir: debugfs directory of this device
 * @ctrl: the control ring and RSS / multicast settings
 * @change_work: carries out a live queue change
 * @change_fresh: the queue set prepared for it
 * @change_from: queue count when it was asked for
 * @change_to: queue count asked for
 * @changing: a change is queued or running (RTNL)
 * @removing: the device is going away: no new change (RTNL)
 * @silent: the backend let a wait of this change time out; the change
 *	waits for it no more (change_work only)
 * @xdp_prog: the attached XDP program, or NULL (set under RTNL, read by
 *	NAPI under RCU)
 * @xdp_headroom: the xdp-headroom we last wrote for the backend
 * @xdp_work: tells a connected backend about a new headroom
 */
struct netfront_info {
	struct net_device *netdev;
	struct xenbus_device *xbdev;
	struct netfront_queue *queues;
	struct xnf_queue_config qcfg;
	struct xnf_backend_features be;

	spinlock_t stats_lock; /* queues, qcfg.cur and the bases, for readers */
	struct xnf_tx_stats tx_base;
	struct xnf_rx_stats rx_base;

	bool napi_on;
	bool broken;
	const char *broken_reason;
	struct work_struct disable_work;
	unsigned int published;
	struct dentry *debug_dir;
	struct xnf_ctrl ctrl;

	struct work_struct change_work;
	struct netfront_queue *change_fresh;
	unsigned int change_from;
	unsigned int change_to;
	bool changing;
	bool removing;
	bool silent;

	struct bpf_prog __rcu *xdp_prog;
	unsigned int xdp_headroom;
	struct work_struct xdp_work;
};

/**
 * struct xnf_seg - a piece of a packet: where its bytes are, how many
 * @addr: first byte
 * @len: bytes
 */
struct xnf_seg {
	const void *addr;
	unsigned int len;
};

/*
 * Copy the next @n bytes of the pieces @seg, starting at piece *@s, byte
 * *@off, to @dst, and move *@s and *@off on.  The caller knows the pieces
 * hold at least that many.
 */
static inline void xnf_seg_copy(void *dst, unsigned int n,
				const struct xnf_seg *seg, unsigned int *s,
				unsigned int *off)
{
	while (n) {
		unsigned int c = min(n, seg[*s].len - *off);

		memcpy(dst, seg[*s].addr + *off, c);
		dst += c;
		n -= c;
		*off += c;
		if (*off == seg[*s].len) {
			(*s)++;
			*off = 0;
		}
	}
}

/*
 * Work is responses the backend produced since a channel's last event,
 * not responses left unconsumed: a backend that publishes the first slot
 * of a packet and then floods events leaves that slot unconsumed for as
 * long as it likes, and every one of its events would count as work and
 * escape the late-EOI throttle (XSA-391).  A hint only, read once: the
 * consumer checks the index itself.
 */
static inline bool xnf_new_responses(const RING_IDX *shared_prod,
				     RING_IDX *seen)
{
	RING_IDX prod = READ_ONCE(*shared_prod);

	if (prod == *seen)
		return false;
	*seen = prod;
	return true;
}

/* main.c */
int xnf_probe(struct xenbus_device *xbdev, const struct xenbus_device_id *id);
void xnf_remove(struct xenbus_device *xbdev);
void xnf_queues_start(struct netfront_info *info);
void xnf_queues_stop(struct netfront_info *info);
void xnf_backend_broke(struct netfront_queue *q, const char *reason);
void xnf_attach_queues(struct netfront_info *info,
		       struct netfront_queue *queues, unsigned int n);
struct netfront_queue *xnf_detach_queues(struct netfront_info *info);
void xnf_queue_tx_stats(struct netfront_queue *q, struct xnf_tx_stats *s);
void xnf_queue_rx_stats(struct netfront_queue *q, struct xnf_rx_stats *s);

/* tx.c */
netdev_tx_t xnf_start_xmit(struct sk_buff *skb, struct net_device *dev);
void xnf_tx_complete(struct netfront_queue *q);
void xnf_tx_wake_all(struct netfront_info *info);
void xnf_tx_push(struct netfront_queue *q);
bool xnf_tx_xdp(struct netfront_queue *q, const struct xnf_seg *seg,
		unsigned int nr_seg, unsigned int len);
int xnf_tx_setup(struct netfront_queue *q);
void xnf_tx_release(struct netfront_queue *q);
unsigned int xnf_tx_grants_in_use(struct netfront_queue *q);

/* rx.c */
int xnf_poll(struct napi_struct *napi, int budget);
void xnf_rx_refill(struct netfront_queue *q, gfp_t gfp);
int xnf_rx_setup(struct netfront_queue *q);
void xnf_rx_release(struct netfront_queue *q);
unsigned int xnf_rx_posted(struct netfront_queue *q);
int xnf_rx_stage_setup(struct netfront_queue *q);
unsigned int xnf_rx_grants_in_use(struct netfront_queue *q);
void xnf_refill_timer(struct timer_list *t);
irqreturn_t xnf_interrupt(int irq, void *dev_id);
irqreturn_t xnf_tx_interrupt(int irq, void *dev_id);
irqreturn_t xnf_rx_interrupt(int irq, void *dev_id);

void xnf_rx_count(struct netfront_queue *q, u64 *counter);
bool xnf_rx_prepare(struct netfront_queue *q, struct sk_buff *skb,
		    const struct xnf_rx_pkt *pkt, bool offloads);
void xnf_rx_finish(struct netfront_queue *q, struct sk_buff *skb,
		   const struct xnf_rx_pkt *pkt, bool offloads);

/* xdp.c; bits of the work a poll leaves for xnf_xdp_flush() */
#define XNF_XDP_TX		BIT(0)
#define XNF_XDP_REDIRECT	BIT(1)
void xnf_xdp_init(struct netfront_info *info);
int xnf_bpf(struct net_device *dev, struct netdev_bpf *bpf);
int xnf_xdp_xmit(struct net_device *dev, int n, struct xdp_frame **frames,
		 u32 flags);
bool xnf_xdp_mtu_ok(struct netfront_info *info, unsigned int mtu);
unsigned int xnf_xdp_headroom_wanted(struct netfront_info *info);
int xnf_xdp_rxq_reg(struct netfront_queue *q);
void xnf_xdp_rxq_unreg(struct netfront_queue *q);
void xnf_xdp_rx(struct netfront_queue *q, struct bpf_prog *prog,
		const struct xnf_rx_pkt *pkt, RING_IDX cons,
		struct page **pages, unsigned int *flush);
void xnf_xdp_flush(struct netfront_queue *q, unsigned int flush);

/* xenbus.c */
int xnf_xenbus_register(void);
void xnf_xenbus_unregister(void);
void xnf_disconnect(struct netfront_info *info);
void xnf_xenbus_start(struct xenbus_device *xbdev);
void xnf_xenbus_close(struct xenbus_device *xbdev);
void xnf_change_init(struct netfront_info *info);
int xnf_change_queues(struct netfront_info *info, unsigned int n);
void xnf_change_cancel(struct netfront_info *info);

/* ctrl.c */
void xnf_ctrl_init(struct netfront_info *info);
int xnf_ctrl_setup(struct netfront_info *info);
int xnf_ctrl_write_keys(struct netfront_info *info,
			struct xenbus_transaction xbt, const char **what);
void xnf_ctrl_connected(struct netfront_info *info);
void xnf_ctrl_release(struct netfront_info *info);
void xnf_ctrl_exit(struct netfront_info *info);
void xnf_ctrl_mc_refused(struct netfront_info *info);
bool xnf_rss_usable(struct netfront_info *info);
void xnf_rss_get(struct netfront_info *info, u32 *indir, u8 *key);
int xnf_rss_set(struct netfront_info *info, const u32 *indir, const u8 *key);
u32 xnf_rss_flags(struct netfront_info *info);
int xnf_rss_set_flags(struct netfront_info *info, u32 flags);
void xnf_set_rx_mode(struct net_device *dev);
int xnf_staging_set(struct netfront_info *info, bool on);
void xnf_staging_drop(struct netfront_info *info);
unsigned int xnf_staging_grants(struct netfront_info *info, unsigned int q);

/* tx.c, for ctrl.c */
int xnf_tx_mc_request(struct netfront_queue *q, u8 type, const u8 *addr);

/* ethtool.c */
extern const struct ethtool_ops xnf_ethtool_ops;

/* debugfs.c */
void xnf_debugfs_init(void);
void xnf_debugfs_exit(void);
void xnf_debugfs_add(struct netfront_info *info);
void xnf_debugfs_remove(struct netfront_info *info);

#endif /* _XEN_NETFRONT_H */
