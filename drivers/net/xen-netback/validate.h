/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checks applied to everything a frontend writes: transmit requests and their
 * extra-info slots (multicast filter updates and hashes included), ring
 * indices, the "rate" key, "request-multicast-control" and "xdp-headroom".
 * Pure functions over values already copied out of shared memory, so that
 * KUnit can feed them every malformed case under UML.
 */
#ifndef _XEN_NETBACK_VALIDATE_H
#define _XEN_NETBACK_VALIDATE_H

#include <linux/kernel.h>
#include <linux/types.h>
#include <xen/interface/io/netif.h>

#include "xen-netback/rss.h"
#include "xen-netmq/staging.h"

/* Grants are 4 KiB pages whatever the kernel's own page size. */
#define XNB_PAGE_SIZE		4096U

/*
 * Slots one transmitted packet may use, extra-info slots not counted.
 * Upstream frontends stay within XEN_NETIF_NR_SLOTS_MIN (18); anything above
 * this limit is a frontend that breaks the protocol.
 */
#define XNB_TX_MAX_SLOTS	20U
/*
 * Extra-info slots one request may chain: each type once, and as often
 * again for frontends that repeat one (a quirk, dropped); more is an
 * attempt to hold the ring, and fatal.
 */
#define XNB_TX_MAX_EXTRAS	(2 * (XEN_NETIF_EXTRA_TYPE_MAX - 1))

/* Bytes of every packet copied into the skb's linear area: the headers. */
#define XNB_TX_LINEAR		256U

/* Page fragments needed for the rest of the largest packet. */
#define XNB_TX_MAX_FRAGS	DIV_ROUND_UP(XEN_NETIF_MAX_TX_SIZE, XNB_PAGE_SIZE)

/*
 * Copy segments of one packet: each slot may be cut once where the linear
 * area ends and once per fragment page it straddles.
 */
#define XNB_TX_MAX_SEGS		(XNB_TX_MAX_SLOTS + 1 + XNB_TX_MAX_FRAGS)

/* Hash types the backend computes for control-ring frontends. */
#define XNB_HASH_TYPES	(XEN_NETIF_CTRL_HASH_TYPE_IPV4 | \
			 XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP | \
			 XEN_NETIF_CTRL_HASH_TYPE_IPV6 | \
			 XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP)

/* Longest "rate" value accepted: two 20-digit numbers and a comma. */
#define XNB_RATE_KEY_MAX	48U

/*
 * Largest rx headroom a frontend may ask for in "xdp-headroom": half a
 * page, so that the first slot of every packet keeps room for a whole
 * Ethernet frame (and XDP_PACKET_HEADROOM, 256, fits with room to spare).
 * The protocol's XEN_NETIF_MAX_XDP_HEADROOM (0x7FFF) exceeds the page.
 */
#define XNB_XDP_HEADROOM_MAX	2048U

/**
 * enum xnb_verdict - what to do with input from a frontend
 * @XNB_OK: use it
 * @XNB_DROP: drop this packet, answer its slots with an error, carry on
 * @XNB_FATAL: the frontend broke the protocol: disable the interface
 */
enum xnb_verdict {
	XNB_OK = 0,
	XNB_DROP,
	XNB_FATAL,
};

/**
 * struct xnb_tx_pkt - one transmitted packet, as copied from the ring
 * @slots: the data slots; slots[0].size is the size of the whole packet
 * @extras: extra-info slots, indexed by type - 1
 * @nr_slots: number of entries used in @slots
 * @extra_mask: bit (type - 1) set for each extra present
 * @nr_extras: number of extra-info slots consumed
 */
struct xnb_tx_pkt {
	struct xen_netif_tx_request slots[XNB_TX_MAX_SLOTS];
	struct xen_netif_extra_info extras[XEN_NETIF_EXTRA_TYPE_MAX - 1];
	unsigned int nr_slots;
	unsigned int extra_mask;
	unsigned int nr_extras;
};

/**
 * struct xnb_tx_seg - one grant copy of a transmitted packet
 * @slot: index of the source slot in &struct xnb_tx_pkt.slots
 * @src_off: offset in the granted page
 * @len: bytes to copy, never 0
 * @frag: 0 for the linear area, else 1 + index of the fragment page
 * @dst_off: offset in the linear area or in the fragment page
 */
struct xnb_tx_seg {
	u16 slot;
	u16 src_off;
	u16 len;
	u16 frag;
	u16 dst_off;
};

/**
 * struct xnb_tx_plan - where each byte of a packet goes
 * @seg: the copies, in packet order
 * @nr_segs: entries used in @seg
 * @linear_len: bytes in the linear area
 * @nr_frags: fragment pages
 * @frag_len: bytes in each fragment page, never 0
 */
struct xnb_tx_plan {
	struct xnb_tx_seg seg[XNB_TX_MAX_SEGS];
	unsigned int nr_segs;
	unsigned int linear_len;
	unsigned int nr_frags;
	unsigned int frag_len[XNB_TX_MAX_FRAGS];
};

/**
 * enum xnb_hash_use - what a frontend's hash extra is used for
 * @XNB_HASH_IGNORE: nothing: unknown type or algorithm
 * @XNB_HASH_L3: the packet's hash, over its addresses
 * @XNB_HASH_L4: the packet's hash, over its addresses and ports
 */
enum xnb_hash_use {
	XNB_HASH_IGNORE = 0,
	XNB_HASH_L3,
	XNB_HASH_L4,
};

enum xnb_verdict xnb_check_ring_prod(u32 req_prod, u32 req_cons,
				     u32 ring_size);
enum xnb_verdict xnb_check_tx_more(const struct xnb_tx_pkt *pkt);
enum xnb_verdict xnb_check_tx_extra(const struct xnb_tx_pkt *pkt,
				    const struct xen_netif_extra_info *extra);
enum xnb_verdict xnb_check_tx_packet(const struct xnb_tx_pkt *pkt);
enum xnb_verdict xnb_check_gso(const struct xen_netif_extra_info *gso);
bool xnb_tx_is_mcast(const struct xnb_tx_pkt *pkt);
enum xnb_verdict xnb_check_mcast(const struct xnb_tx_pkt *pkt, bool *add,
				 const u8 **addr);
enum xnb_hash_use xnb_check_hash_extra(const struct xen_netif_extra_info *x,
				       u32 *value);
enum xnb_verdict
xnb_tx_read_pkt(struct xnb_tx_pkt *pkt,
		void (*fetch)(void *ctx, RING_IDX idx,
			      struct xen_netif_tx_request *out),
		void *ctx, RING_IDX *cons, RING_IDX prod, const char **why);
unsigned int xnb_tx_slot_len(const struct xnb_tx_pkt *pkt, unsigned int i);
void xnb_tx_plan(const struct xnb_tx_pkt *pkt, struct xnb_tx_plan *plan);
int xnb_parse_rate(const char *s, u64 *bytes, u64 *usec);
int xnb_parse_mcast_request(const char *s, bool *on);
int xnb_parse_xdp_headroom(const char *s, u16 *headroom);
u32 xnb_ctrl_check_key(u32 len);
u32 xnb_ctrl_check_flags(u32 flags);
u32 xnb_ctrl_check_mapping_size(u32 size);
u32 xnb_ctrl_check_mapping(u32 size, u32 offset, u32 len);
u32 xnb_ctrl_check_entries(const u32 *entries, u32 len, u32 nr_queues);
u32 xnb_ctrl_check_gref_req(u32 queue, u32 nr_queues, u32 count, u32 mapped,
			    bool add);
u32 xnb_ctrl_check_gref_list(const struct xen_netif_gref *list, u32 count,
			     grant_ref_t *scratch);

#endif /* _XEN_NETBACK_VALIDATE_H */
