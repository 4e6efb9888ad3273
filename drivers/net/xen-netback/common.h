/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xen-netback: the backend half of the Xen paravirtual network device, with
 * one pair of shared rings per queue.
 *
 * Every interface (struct xnb_vif) owns a fixed array of queues (struct
 * xnb_queue), sized by what it offered the frontend.  The queues connected
 * for the current frontend are the first num_queues; each owns its rings,
 * event channels, NAPI context (traffic from the guest), kthread and
 * backlog (traffic to the guest) and counters.
 */
#ifndef _XEN_NETBACK_COMMON_H
#define _XEN_NETBACK_COMMON_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/ratelimit.h>
#include <linux/seqlock.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/u64_stats_sync.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <xen/grant_table.h>
#include <xen/interface/io/netif.h>
#include <xen/page.h>
#include <xen/xenbus.h>

#include "xen-netmq/compat.h"
#include "xen-netback/credit.h"
#include "xen-netback/mcast.h"
#include "xen-netback/rss.h"
#include "xen-netback/validate.h"

#define XNB_NAME		"xen-netback"
#define XNB_TX_RING_SIZE	__CONST_RING_SIZE(xen_netif_tx, XEN_PAGE_SIZE)
#define XNB_RX_RING_SIZE	__CONST_RING_SIZE(xen_netif_rx, XEN_PAGE_SIZE)

/* Packets from the guest read before their grant copies are issued. */
#define XNB_TX_BATCH_PKTS	64
/* Grant copies issued at once, on either path. */
#define XNB_COPY_BATCH		512
/* Bytes a queue holds for a guest that is slow to post rx buffers. */
#define XNB_RX_BACKLOG_BYTES	BIT(20)
/* A packet that has waited this long for rx buffers is dropped. */
#define XNB_RX_DRAIN_MS		2000
/* How often the rx kthread looks for buffers of a frontend that never notifies. */
#define XNB_RX_POLL_MS		10
/* A queue without rx progress for this long is stalled: drop at once. */
#define XNB_RX_STALL_MS		10000
/*
 * Log lines about one interface's frontend: at most XNB_MSG_BURST per
 * XNB_MSG_INTERVAL, however often it reconnects and fails again.
 */
#define XNB_MSG_INTERVAL	(30 * HZ)
#define XNB_MSG_BURST		5

extern unsigned int xnb_max_queues;

/**
 * struct xnb_napi_stats - written by the NAPI poll (packets from the guest)
 * @syncp: guards the counters on 32-bit hosts
 * @packets: packets handed to the stack
 * @bytes: their bytes
 * @dropped: packets dropped: malformed, no memory, failed copy
 * @copy_errors: grant copies that failed (bad reference, dying domain)
 * @gso: packets carrying a GSO extra
 * @csum_blank: packets that asked for checksum offload
 * @rate_waits: times the queue paused for the interface rate limit
 * @hash: packets whose hash extra set the skb's hash
 * @hash_ignored: hash extras of an unknown type or algorithm, ignored
 * @mcast_updates: multicast filter updates answered OKAY
 * @mcast_refused: multicast filter updates answered ERROR
 * @staged: slots copied from a staging grant (no grant copy)
 * @gnt_calls: grant copy hypercalls issued
 */
struct xnb_napi_stats {
	struct u64_stats_sync syncp;
	u64_stats_t packets;
	u64_stats_t bytes;
	u64_stats_t dropped;
	u64_stats_t copy_errors;
	u64_stats_t gso;
	u64_stats_t csum_blank;
	u64_stats_t rate_waits;
	u64_stats_t hash;
	u64_stats_t hash_ignored;
	u64_stats_t mcast_updates;
	u64_stats_t mcast_refused;
	u64_stats_t staged;
	u64_stats_t gnt_calls;
};

/**
 * struct xnb_thread_stats - written by the queue's kthread (to the guest)
 * @syncp: guards the counters on 32-bit hosts
 * @packets: packets delivered to the guest
 * @bytes: their bytes
 * @dropped: packets dropped: expired, stalled queue, failed copy
 * @copy_errors: grant copies that failed
 * @expired: packets dropped after waiting XNB_RX_DRAIN_MS for buffers
 * @stalls: times the queue was declared stalled
 * @gso: packets delivered with a GSO extra
 * @staged: slot copies into a staging grant (no grant copy)
 * @gnt_calls: grant copy hypercalls issued
 */
struct xnb_thread_stats {
	struct u64_stats_sync syncp;
	u64_stats_t packets;
	u64_stats_t bytes;
	u64_stats_t dropped;
	u64_stats_t copy_errors;
	u64_stats_t expired;
	u64_stats_t stalls;
	u64_stats_t gso;
	u64_stats_t staged;
	u64_stats_t gnt_calls;
};

/**
 * struct xnb_xmit_stats - written by ndo_start_xmit (under the txq lock)
 * @syncp: guards the counters on 32-bit hosts
 * @dropped: packets refused: queue down, stalled or backlog full
 * @mcast_filtered: multicast frames the guest's filter does not list
 */
struct xnb_xmit_stats {
	struct u64_stats_sync syncp;
	u64_stats_t dropped;
	u64_stats_t mcast_filtered;
};

/**
 * struct xnb_tx_pending - a packet from the guest waiting for its copies
 * @skb: the packet being built
 * @first_op: index of its first grant copy in the batch
 * @nr_ops: number of grant copies
 * @nr_slots: data slots, whose ids are in @ids
 * @nr_extras: extra-info slots, answered with XEN_NETIF_RSP_NULL
 * @flags: XEN_NETTXF_* of the first slot
 * @gso_size: segment size from the GSO extra, if @has_gso
 * @gso_type: XEN_NETIF_GSO_TYPE_* from the GSO extra, if @has_gso
 * @has_gso: the frontend sent a GSO extra
 * @hash_use: what the frontend's hash extra is used for, if @has_hash
 * @has_hash: the frontend sent a hash extra
 * @hash: the hash it sent, if @hash_use is not XNB_HASH_IGNORE
 * @ids: request ids to answer
 */
struct xnb_tx_pending {
	struct sk_buff *skb;
	u16 first_op;
	u16 nr_ops;
	u8 nr_slots;
	u8 nr_extras;
	u16 flags;
	u16 gso_size;
	u8 gso_type;
	bool has_gso;
	u8 hash_use;
	bool has_hash;
	u32 hash;
	u16 ids[XNB_TX_MAX_SLOTS];
};

/**
 * struct xnb_rx_meta - one rx ring slot used by a packet to the guest
 * @id: the request id, echoed in the response
 * @offset: where the data starts in the slot's page: the XDP headroom for
 *	a packet's first slot, else 0
 * @len: bytes copied into the slot's page
 * @flags: XEN_NETRXF_* of the response
 * @failed: a grant copy into the slot failed: answer XEN_NETIF_RSP_ERROR
 * @is_extra: the slot carries @extra instead of a response
 * @extra: the extra-info written in place of a response
 */
struct xnb_rx_meta {
	u16 id;
	u16 offset;
	u16 len;
	u16 flags;
	bool failed;
	bool is_extra;
	struct xen_netif_extra_info extra;
};

/**
 * struct xnb_staged - a frontend grant mapped for the life of a connection
 * @page: the dom0 page it is mapped at
 * @handle: Xen's handle of the mapping, for the unmap
 * @readonly: mapped read-only: a source of tx slots, never an rx target
 */
struct xnb_staged {
	struct page *page;
	grant_handle_t handle;
	bool readonly;
};

struct xnb_vif;

/**
 * struct xnb_queue - one pair of shared rings and everything serving them
 * @napi: NAPI context polling the tx ring (packets from the guest)
 * @tx: back end of the frontend's tx ring
 * @tx_irq: irq of the tx event channel (or the shared one)
 * @tx_pkt: the packet being read, copied out of the ring
 * @tx_plan: where the bytes of @tx_pkt go
 * @tx_copy: grant copies of the current tx batch
 * @tx_pending: packets of the current tx batch
 * @napi_stats: counters written by the NAPI poll
 * @credit_timer: reschedules NAPI once the rate limit allows
 * @backlog_lock: protects @backlog, @backlog_bytes and @stalled
 * @backlog: packets waiting for the kthread
 * @backlog_bytes: their bytes, bounded by XNB_RX_BACKLOG_BYTES
 * @xmit_stats: counters written by ndo_start_xmit
 * @wq: where the kthread sleeps
 * @rx: back end of the frontend's rx ring
 * @rx_irq: irq of the rx event channel (equal to @tx_irq if shared)
 * @rx_copy: grant copies of the current rx batch
 * @rx_copy_slot: for each of @rx_copy, its index in @rx_meta
 * @rx_meta: the rx slots of the current batch
 * @rx_done: packets of the current batch (empty between batches)
 * @rx_need: rx slots the head of @backlog needs
 * @rx_progress: last time the queue delivered or had nothing to deliver
 * @stalled: no progress for XNB_RX_STALL_MS: drop instead of queueing
 * @thread_stats: counters written by the kthread
 * @eoi_pending: XNB_EOI_* sides woken by an event not yet acknowledged
 * @rx_event: the frontend posted rx buffers since the kthread last looked
 * @rx_seen_prod: rx request producer at the last rx event
 * @staged: staging grants by reference (struct xnb_staged), see staging.c
 * @nr_staged: entries in @staged
 * @task: the kthread delivering to the guest
 * @vif: the interface
 * @id: index of this queue
 * @split_evtchn: separate tx and rx event channels
 * @up: rings mapped, events bound, NAPI and kthread running
 * @name: "<vif>-q<id>", for the kthread and the irqs
 * @irq_name: names of the tx (or shared) and rx irqs
 * @debugfs: the queue's debugfs file
 *
 * Fields are grouped by the context that writes them, hottest first.
 */
struct xnb_queue {
	/* Packets from the guest: NAPI poll. */
	struct napi_struct napi;
	struct xen_netif_tx_back_ring tx;
	unsigned int tx_irq;
	struct xnb_tx_pkt tx_pkt;
	struct xnb_tx_plan tx_plan;
	struct gnttab_copy *tx_copy;
	struct xnb_tx_pending *tx_pending;
	struct xnb_napi_stats napi_stats;
	struct timer_list credit_timer;

	/* Packets to the guest: ndo_start_xmit, then the kthread. */
	spinlock_t backlog_lock;
	struct sk_buff_head backlog;
	unsigned int backlog_bytes;
	struct xnb_xmit_stats xmit_stats;
	wait_queue_head_t wq;
	struct xen_netif_rx_back_ring rx;
	unsigned int rx_irq;
	struct gnttab_copy *rx_copy;
	u16 *rx_copy_slot;
	struct xnb_rx_meta *rx_meta;
	struct sk_buff_head rx_done;
	unsigned int rx_need;
	unsigned long rx_progress;
	bool stalled;
	struct xnb_thread_stats thread_stats;

	/* Events: irq handlers and both contexts above. */
	atomic_t eoi_pending;
	atomic_t rx_event;
	RING_IDX rx_seen_prod;

	/* Staging grants: the control work writes, both paths read (RCU). */
	struct xarray staged;
	unsigned int nr_staged;

	/* Slow path. */
	struct task_struct *task;
	struct xnb_vif *vif;
	unsigned int id;
	bool split_evtchn;
	bool up;
	char name[IFNAMSIZ + 16];
	char irq_name[2][IFNAMSIZ + 24];
	struct dentry *debugfs;
};

/**
 * struct xnb_base_stats - counters of queues that went away
 * @lock: a fold (the counters move from a queue to here) is one write;
 *	readers of base plus queues retry across it, so totals never step
 *	back while a disconnect folds them
 * @rx_packets: packets from the guest
 * @rx_bytes: their bytes
 * @rx_dropped: packets from the guest dropped
 * @tx_packets: packets to the guest
 * @tx_bytes: their bytes
 * @tx_dropped: packets to the guest dropped
 */
struct xnb_base_stats {
	seqlock_t lock;
	u64 rx_packets;
	u64 rx_bytes;
	u64 rx_dropped;
	u64 tx_packets;
	u64 tx_bytes;
	u64 tx_dropped;
};

/**
 * struct xnb_hash - receive-side scaling set by the frontend
 * @alg: XEN_NETIF_CTRL_HASH_ALGORITHM_*; NONE leaves steering to us
 * @flags: XEN_NETIF_CTRL_HASH_TYPE_* to compute
 * @key: the Toeplitz key, zero-padded
 * @size: entries used in @mapping; 0 for hash modulo the queue count
 * @mapping: queue of each hash value modulo @size
 *
 * Written by the control ring, read locklessly on transmit: a packet that
 * races with a change may land on another valid queue, nothing worse.
 */
struct xnb_hash {
	u32 alg;
	u32 flags;
	u8 key[XNB_HASH_KEY_MAX];
	u32 size;
	u32 mapping[XNB_HASH_MAPPING_MAX];
};

/**
 * struct xnb_ctrl - the control ring of an interface
 * @ring: back end of the frontend's control ring
 * @irq: its event channel, handled in a thread
 * @buf: one page for grant copies of keys, tables and grant lists
 * @scratch: room for the references of one grant list, for its checks
 * @nr_queues: queues the frontend asked for, bound for mapping entries
 * @up: ring mapped and irq bound
 * @work: serves the ring in process context
 */
struct xnb_ctrl {
	struct xen_netif_ctrl_back_ring ring;
	unsigned int irq;
	struct work_struct work;
	void *buf;
	grant_ref_t *scratch;
	unsigned int nr_queues;
	bool up;
};

/**
 * struct xnb_vif - one virtual interface
 * @dev: its net_device
 * @num_queues: queues connected, the first of @queues
 * @connected: queues are live: transmits may use them
 * @disabled: the frontend broke the protocol; teardown is scheduled
 * @stalled_queues: queues stalled now (the carrier is off while any is)
 * @credit: the interface-wide rate limit
 * @queues: every queue offered, @max_queues of them
 * @can_sg: the frontend takes packets over several rx slots
 * @gso_v4: the frontend takes TCPv4 GSO packets
 * @gso_v6: the frontend takes TCPv6 GSO packets
 * @csum_v4: the frontend takes IPv4 packets with a blank checksum
 * @csum_v6: the frontend takes IPv6 packets with a blank checksum
 * @rx_poll: the frontend sends no event when it posts rx buffers (no
 *	"feature-rx-notify"): the rx kthread looks for them on a timer
 * @xdp_headroom: bytes left free before each packet's data in its first rx
 *	slot, from the frontend's "xdp-headroom" (xnb_parse_xdp_headroom());
 *	written by XenStore handlers, read by the rx kthreads (READ_ONCE)
 * @mcast: the frontend's multicast filter, read by ndo_start_xmit
 * @lock: serialises connect, disconnect and teardown (process context)
 * @xbdev: the backend xenbus device
 * @domid: the frontend's domain
 * @handle: the device handle in that domain
 * @max_queues: queues the interface was created for (array sizes)
 * @offered: queues offered in "multi-queue-max-queues" now, at most
 *	@max_queues: the module parameter when the frontend last started over
 * @hotplug_ok: "hotplug-status" says "connected"
 * @script: the toolstack's "script" key, for udev (NULL if none)
 * @frontend_ready: the frontend's queues are connected
 * @reconf_from: the backend's state when the frontend went Reconfiguring,
 *	restored when it comes back (valid while the backend is Reconfigured)
 * @hotplug_watch: watch on "hotplug-status"
 * @rate_watch: watch on "rate"
 * @watches: both watches are registered
 * @mcast_watch: watch on the frontend's "request-multicast-control"
 * @mcast_watching: @mcast_watch is registered (while connected)
 * @disable_work: disconnects a misbehaving frontend in process context
 * @disable_reason: what the frontend did, for xnb_vif_refuse()
 * @msg_rs: bounds the log lines a frontend can draw from this interface,
 *	across its reconnects (xnb_vif_may_log())
 * @base: counters folded from queues that went away
 * @debugfs: the interface's debugfs directory
 * @hash: receive-side scaling state from the control ring
 * @ctrl: the control ring
 *
 * Fast-path fields first; fields from @lock on change only with @lock held.
 */
struct xnb_vif {
	/* Read on every packet. */
	struct net_device *dev;
	unsigned int num_queues;
	bool connected;
	atomic_t disabled;
	atomic_t stalled_queues;
	struct xnb_credit credit;
	struct xnb_queue *queues;

	/* Negotiated with the frontend. */
	bool can_sg;
	bool gso_v4;
	bool gso_v6;
	bool csum_v4;
	bool csum_v6;
	bool rx_poll;
	u16 xdp_headroom;

	/* Written by the tx NAPI poll and XenStore, read on transmit. */
	struct xnb_mcast mcast;

	/* Slow path. */
	struct mutex lock;
	struct xenbus_device *xbdev;
	domid_t domid;
	unsigned int handle;
	unsigned int max_queues;
	unsigned int offered;
	bool hotplug_ok;
	char *script;
	bool frontend_ready;
	enum xenbus_state reconf_from;
	struct xenbus_watch hotplug_watch;
	struct xenbus_watch rate_watch;
	bool watches;
	struct xenbus_watch mcast_watch;
	bool mcast_watching;
	struct work_struct disable_work;
	const char *disable_reason;
	struct ratelimit_state msg_rs;
	struct xnb_base_stats base;
	struct dentry *debugfs;
	struct xnb_hash hash;
	struct xnb_ctrl ctrl;
};

/* interface.c */
struct xnb_vif *xnb_vif_create(struct xenbus_device *xbdev, domid_t domid,
			       unsigned int handle, unsigned int max_queues);
void xnb_vif_destroy(struct xnb_vif *vif);
int xnb_queue_connect(struct xnb_queue *q, grant_ref_t tx_ref,
		      grant_ref_t rx_ref, evtchn_port_t tx_evtchn,
		      evtchn_port_t rx_evtchn);
void xnb_queue_disconnect(struct xnb_queue *q);
void xnb_vif_go_live(struct xnb_vif *vif, unsigned int num_queues);
void xnb_vif_disconnect(struct xnb_vif *vif);
void xnb_vif_fatal(struct xnb_vif *vif, const char *reason);
bool xnb_vif_may_log(struct xnb_vif *vif);
__printf(3, 4)
void xnb_vif_refuse(struct xnb_vif *vif, int err, const char *fmt, ...);
void xnb_queue_eoi(struct xnb_queue *q, unsigned int which);
void xnb_vif_queue_stalled(struct xnb_vif *vif, bool stalled);
void xnb_vif_totals(struct xnb_vif *vif, unsigned int from,
		    struct rtnl_link_stats64 *s);
void xnb_fold_queue_stats(struct xnb_vif *vif, struct xnb_queue *q);
void xnb_queue_totals(struct xnb_queue *q, struct rtnl_link_stats64 *s);

#define XNB_EOI_TX	BIT(0)
#define XNB_EOI_RX	BIT(1)

/* hash.c: control ring and receive-side scaling */
void xnb_ctrl_init(struct xnb_vif *vif);
int xnb_ctrl_connect(struct xnb_vif *vif, grant_ref_t ref,
		     evtchn_port_t port, unsigned int nr_queues);
void xnb_ctrl_disconnect(struct xnb_vif *vif);
bool xnb_hash_skb(struct xnb_vif *vif, struct sk_buff *skb, u32 *hash,
		  u8 *type);
u16 xnb_hash_queue(struct xnb_vif *vif, u32 hash, unsigned int n);
int xnb_ctrl_copy_in(struct xnb_vif *vif, grant_ref_t gref,
		     unsigned int len);
int xnb_ctrl_copy_out(struct xnb_vif *vif, grant_ref_t gref,
		      unsigned int len);

/* staging.c: grants the frontend keeps mapped */
u32 xnb_ctrl_gref(struct xnb_vif *vif, const struct xen_netif_ctrl_request *req,
		  u32 *data);
void xnb_staging_clear(struct xnb_queue *q);

/**
 * xnb_staged_addr() - where a staging grant of a queue is mapped
 * @q: the queue
 * @gref: a grant reference from a request
 * @write: the copy writes to it (rx): a read-only mapping will not do
 *
 * Call under rcu_read_lock() and finish the copy before unlocking: a
 * removal waits for that before it unmaps.
 *
 * Return: the mapping's address, or NULL: use a grant copy.
 */
static inline void *xnb_staged_addr(struct xnb_queue *q, grant_ref_t gref,
				    bool write)
{
	struct xnb_staged *s;

	if (!READ_ONCE(q->nr_staged))
		return NULL;
	s = xa_load(&q->staged, gref);
	if (!s || (write && s->readonly))
		return NULL;
	return page_address(s->page);
}

/* tx.c: packets from the guest */
int xnb_tx_poll(struct napi_struct *napi, int budget);
void xnb_credit_timer_fn(struct timer_list *t);

/* rx.c: packets to the guest */
int xnb_rx_thread(void *data);
void xnb_rx_enqueue(struct xnb_queue *q, struct sk_buff *skb);
void xnb_rx_purge(struct xnb_queue *q);

/* ethtool.c */
extern const struct ethtool_ops xnb_ethtool_ops;
#if XNM_HAVE_QUEUE_STATS
extern const struct netdev_stat_ops xnb_stat_ops;
#endif

/* debugfs.c */
void xnb_debugfs_init(void);
void xnb_debugfs_exit(void);
void xnb_debugfs_add_queue(struct xnb_queue *q);
void xnb_debugfs_del_queue(struct xnb_queue *q);
void xnb_debugfs_del_vif(struct xnb_vif *vif);

#endif /* _XEN_NETBACK_COMMON_H */
