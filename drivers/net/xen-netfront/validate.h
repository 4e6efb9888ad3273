/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xen-netfront: the checks applied to everything the backend writes into the
 * shared rings.  Pure logic, no Xen calls, so the KUnit suites run it under
 * UML and feed it every malformed response we know of.
 *
 * The rule is copy first, then check: callers copy each response out of the
 * shared page (the backend may rewrite it at any time) and hand the copies
 * to these functions; the data path only ever uses the checked copies.
 */
#ifndef _XEN_NETFRONT_VALIDATE_H
#define _XEN_NETFRONT_VALIDATE_H

#include <linux/bitops.h>
#include <linux/types.h>
#include <xen/interface/io/netif.h>

#include "xen-netmq/staging.h"

/* Rings are one Xen page each (4 KiB, whatever the guest's page size). */
#define XNF_XEN_PAGE_SIZE	4096U
#define XNF_TX_RING_SIZE	__CONST_RING_SIZE(xen_netif_tx, XNF_XEN_PAGE_SIZE)
#define XNF_RX_RING_SIZE	__CONST_RING_SIZE(xen_netif_rx, XNF_XEN_PAGE_SIZE)
/* Staging grants one queue could use: a page per tx id and per rx slot. */
#define XNF_STAGING_MAX		(XNF_TX_RING_SIZE + XNF_RX_RING_SIZE)

/* Most data slots one received packet may span (more_data chain bound). */
#define XNF_RX_MAX_DATA_SLOTS	XEN_NETIF_NR_SLOTS_MIN
/* Each extra type may appear once: at most this many extra slots. */
#define XNF_RX_MAX_EXTRAS	(XEN_NETIF_EXTRA_TYPE_MAX - 1)

/* One rx ring slot as the backend wrote it: a response or an extra. */
union xnf_rx_slot {
	struct xen_netif_rx_response rsp;
	struct xen_netif_extra_info extra;
};

/* Copies ring slot @idx into @out; the rx path reads the shared ring. */
typedef void (*xnf_rx_get_t)(void *ctx, RING_IDX idx, union xnf_rx_slot *out);

/**
 * struct xnf_rx_pkt - one received packet, copied out of the ring and checked
 * @data: the data responses, in order
 * @extras: the extra-info slots, indexed by their type
 * @extra_mask: bit N set when @extras[N] was received
 * @nr_data: number of entries in @data
 * @nr_slots: ring slots the packet occupies (data and extras)
 * @len: bytes of packet data over all data slots
 * @reason: for XNF_RX_FATAL, what the backend did wrong
 */
struct xnf_rx_pkt {
	struct xen_netif_rx_response data[XNF_RX_MAX_DATA_SLOTS];
	struct xen_netif_extra_info extras[XEN_NETIF_EXTRA_TYPE_MAX];
	unsigned long extra_mask;
	unsigned int nr_data;
	unsigned int nr_slots;
	unsigned int len;
	const char *reason;
};

/**
 * enum xnf_rx_verdict - what to do with the packet at the ring's consumer
 * @XNF_RX_OK: well formed: build an skb
 * @XNF_RX_DROP: well framed but unusable (backend error status, runt, bad
 *	GSO): consume its slots, count a drop
 * @XNF_RX_INCOMPLETE: its last slots are not produced yet: wait
 * @XNF_RX_FATAL: the backend broke the protocol: disable the device
 */
enum xnf_rx_verdict {
	XNF_RX_OK,
	XNF_RX_DROP,
	XNF_RX_INCOMPLETE,
	XNF_RX_FATAL,
};

/**
 * enum xnf_tx_verdict - what one tx response means
 * @XNF_TX_DONE: the request @id completed
 * @XNF_TX_DONE_ERR: the request @id completed, the backend dropped it
 * @XNF_TX_SKIP: the slot answered an extra-info request (status NULL)
 * @XNF_TX_BAD_ID: id outside the ring: disable the device
 * @XNF_TX_IDLE_ID: id not outstanding (duplicate or invented): disable
 * @XNF_TX_BAD_STATUS: status outside the protocol: disable
 */
enum xnf_tx_verdict {
	XNF_TX_DONE,
	XNF_TX_DONE_ERR,
	XNF_TX_SKIP,
	XNF_TX_BAD_ID,
	XNF_TX_IDLE_ID,
	XNF_TX_BAD_STATUS,
};

/* RSS through the control ring: key bytes, indirection table entries. */
#define XNF_RSS_KEY_SIZE	40U
#define XNF_RSS_INDIR_SIZE	128U
/* Multicast addresses we ask the backend's filter to hold, at most. */
#define XNF_MC_MAX		64U

/* Hash types the control ring knows (XEN_NETIF_CTRL_HASH_TYPE_*). */
#define XNF_HASH_TYPES	(XEN_NETIF_CTRL_HASH_TYPE_IPV4 | \
			 XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP | \
			 XEN_NETIF_CTRL_HASH_TYPE_IPV6 | \
			 XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP)

/**
 * enum xnf_hash_kind - what a backend's hash extra may tell the stack
 * @XNF_HASH_NONE: nothing usable: leave the skb's hash alone
 * @XNF_HASH_L3: a hash over the addresses
 * @XNF_HASH_L4: a hash over addresses and ports
 */
enum xnf_hash_kind {
	XNF_HASH_NONE,
	XNF_HASH_L3,
	XNF_HASH_L4,
};

bool xnf_rsp_prod_ok(RING_IDX prod, RING_IDX rsp_cons, RING_IDX req_prod);
enum xnf_tx_verdict xnf_check_tx_rsp(const struct xen_netif_tx_response *rsp,
				     const unsigned long *inflight);
enum xnf_rx_verdict xnf_rx_scan(struct xnf_rx_pkt *pkt, xnf_rx_get_t get,
				void *ctx, RING_IDX cons, RING_IDX prod);
bool xnf_rx_xdp_in_place(const struct xnf_rx_pkt *pkt, unsigned int headroom,
			 unsigned int tailroom);
unsigned int xnf_rx_xdp_gso_frames(const struct xnf_rx_pkt *pkt,
				   unsigned int max);
unsigned int xnf_pick_queue(u32 flow_hash, unsigned int nr_queues);
enum xnf_hash_kind xnf_rx_hash_kind(const struct xen_netif_extra_info *ex);
bool xnf_check_ctrl_rsp(const struct xen_netif_ctrl_response *rsp, u16 id,
			u16 type, int *err);
bool xnf_ctrl_value(u16 type, u32 data, u32 *out);

#endif /* _XEN_NETFRONT_VALIDATE_H */
