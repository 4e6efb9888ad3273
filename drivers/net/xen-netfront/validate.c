// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netfront: checks of what the backend wrote into the shared rings.
 *
 * Everything here works on copies.  A check either accepts the input, asks
 * for the packet to be dropped (the backend told us it failed, or sent a
 * packet we cannot use), or declares the backend broken.  The last one is
 * reserved for input that no correct backend produces, so that a single
 * bad packet never takes a working interface down.
 */
#include <linux/errno.h>
#include <linux/if_ether.h>
#include <linux/kernel.h>

#include "validate.h"

/**
 * xnf_rsp_prod_ok() - check a response producer index read from a ring
 * @prod: the backend's rsp_prod
 * @rsp_cons: our consumer index
 * @req_prod: our request producer (what the backend may answer)
 *
 * Defends against a producer index that moves backwards or runs ahead of
 * the requests we posted (XSA-391): either would make us read responses
 * to requests that do not exist and reuse buffers twice.  Indices wrap, so
 * the comparison is of distances from the consumer.
 *
 * Return: true if @prod is between @rsp_cons and @req_prod.
 */
bool xnf_rsp_prod_ok(RING_IDX prod, RING_IDX rsp_cons, RING_IDX req_prod)
{
	return prod - rsp_cons <= req_prod - rsp_cons;
}

/**
 * xnf_check_tx_rsp() - check one tx response copied from the ring
 * @rsp: the copied response
 * @inflight: bitmap of outstanding request ids, XNF_TX_RING_SIZE bits
 *
 * Defends against ids outside the ring, ids answered twice or never asked
 * (the cleanup races of XSA-396 and XSA-405), and unknown status codes.
 *
 * Return: the verdict; the caller disables the device on the BAD ones.
 */
enum xnf_tx_verdict xnf_check_tx_rsp(const struct xen_netif_tx_response *rsp,
				     const unsigned long *inflight)
{
	if (rsp->status == XEN_NETIF_RSP_NULL)
		return XNF_TX_SKIP;
	if (rsp->status != XEN_NETIF_RSP_OKAY &&
	    rsp->status != XEN_NETIF_RSP_ERROR &&
	    rsp->status != XEN_NETIF_RSP_DROPPED)
		return XNF_TX_BAD_STATUS;
	if (rsp->id >= XNF_TX_RING_SIZE)
		return XNF_TX_BAD_ID;
	if (!test_bit(rsp->id, inflight))
		return XNF_TX_IDLE_ID;
	return rsp->status == XEN_NETIF_RSP_OKAY ? XNF_TX_DONE : XNF_TX_DONE_ERR;
}

/* A data slot: its id must name its own slot, its bytes must fit the page. */
static enum xnf_rx_verdict xnf_rx_check_data(struct xnf_rx_pkt *pkt,
					     const struct xen_netif_rx_response *rsp,
					     RING_IDX idx)
{
	if (rsp->id != (idx & (XNF_RX_RING_SIZE - 1))) {
		pkt->reason = "rx response id does not match its request";
		return XNF_RX_FATAL;
	}
	if (pkt->nr_data == XNF_RX_MAX_DATA_SLOTS) {
		pkt->reason = "rx packet spans too many slots";
		return XNF_RX_FATAL;
	}
	if (pkt->nr_data && (rsp->flags & XEN_NETRXF_extra_info)) {
		pkt->reason = "rx extra info flagged after the first slot";
		return XNF_RX_FATAL;
	}
	if (rsp->status >= 0 &&
	    (rsp->offset >= XNF_XEN_PAGE_SIZE ||
	     rsp->offset + rsp->status > XNF_XEN_PAGE_SIZE)) {
		pkt->reason = "rx fragment reaches beyond its page";
		return XNF_RX_FATAL;
	}
	return XNF_RX_OK;
}

/* An extra slot: known type, each type once, GSO parameters usable. */
static enum xnf_rx_verdict xnf_rx_check_extra(struct xnf_rx_pkt *pkt,
					      const struct xen_netif_extra_info *ex)
{
	if (ex->type == XEN_NETIF_EXTRA_TYPE_NONE ||
	    ex->type >= XEN_NETIF_EXTRA_TYPE_MAX) {
		pkt->reason = "rx extra info of unknown type";
		return XNF_RX_FATAL;
	}
	if (test_bit(ex->type, &pkt->extra_mask)) {
		pkt->reason = "rx extra info type repeated";
		return XNF_RX_FATAL;
	}
	if (ex->type == XEN_NETIF_EXTRA_TYPE_GSO &&
	    (ex->u.gso.size == 0 ||
	     (ex->u.gso.type != XEN_NETIF_GSO_TYPE_TCPV4 &&
	      ex->u.gso.type != XEN_NETIF_GSO_TYPE_TCPV6)))
		return XNF_RX_DROP;
	return XNF_RX_OK;
}

/* The extras that follow a first slot flagged extra_info. */
static enum xnf_rx_verdict xnf_rx_scan_extras(struct xnf_rx_pkt *pkt,
					      xnf_rx_get_t get, void *ctx,
					      RING_IDX *idx, RING_IDX prod)
{
	enum xnf_rx_verdict worst = XNF_RX_OK, v;
	union xnf_rx_slot slot;

	do {
		if (*idx == prod)
			return XNF_RX_INCOMPLETE;
		get(ctx, *idx, &slot);
		(*idx)++;
		v = xnf_rx_check_extra(pkt, &slot.extra);
		if (v == XNF_RX_FATAL)
			return v;
		if (v == XNF_RX_DROP)
			worst = v;
		pkt->extras[slot.extra.type] = slot.extra;
		__set_bit(slot.extra.type, &pkt->extra_mask);
	} while (slot.extra.flags & XEN_NETIF_EXTRA_FLAG_MORE);
	return worst;
}

/*
 * Where the data of a packet with an XDP extra (headroom h) lies.  Two
 * layouts are in use, and both are taken:
 *  - ours (netback rx.c): the first slot at offset h, its status the
 *    packet bytes in it;
 *  - the in-tree netback's (Linux 5.9 on, Debian's): every data slot
 *    written from h on, but answered with offset 0 and a status that
 *    counts the headroom too (h + bytes).  The in-tree netfront reads the
 *    offset from the extra instead; here each slot's checked copy is
 *    rewritten to offset h and its own bytes, so that nothing after this
 *    point knows there were two layouts.
 * Any other combination lies about the layout it claims: a program would
 * find packet data in its headroom, or headroom bytes taken as packet
 * data.  Returns false for those (the packet is dropped).  Error statuses
 * are not rewritten: such a packet is dropped anyway.
 */
static bool xnf_rx_xdp_layout(struct xnf_rx_pkt *pkt)
{
	int h = pkt->extras[XEN_NETIF_EXTRA_TYPE_XDP].u.xdp.headroom;
	unsigned int j;

	if (pkt->data[0].offset == h)
		return true;
	for (j = 0; j < pkt->nr_data; j++)
		if (pkt->data[j].offset != 0 || pkt->data[j].status < h)
			return false;
	for (j = 0; j < pkt->nr_data; j++) {
		pkt->data[j].offset = h;
		pkt->data[j].status -= h;
	}
	pkt->len -= pkt->nr_data * h;
	return true;
}

/**
 * xnf_rx_scan() - copy and check the packet starting at a ring index
 * @pkt: filled with the checked copies
 * @get: copies one slot out of the ring
 * @ctx: passed to @get
 * @cons: ring index of the packet's first slot
 * @prod: the (already checked) response producer index
 *
 * Defends against a backend that sends response ids not matching our
 * requests, fragments beyond their page, unbounded more_data chains,
 * unknown or repeated extras, or a GSO extra we cannot honour.  Each slot
 * is read exactly once, so a backend rewriting the ring cannot change
 * what was checked.  A packet whose XDP extra names a headroom its layout
 * does not keep is dropped (xnf_rx_xdp_layout()).
 *
 * Return: the verdict for the packet; @pkt->nr_slots is valid for
 * XNF_RX_OK and XNF_RX_DROP, @pkt->reason for XNF_RX_FATAL.
 */
enum xnf_rx_verdict xnf_rx_scan(struct xnf_rx_pkt *pkt, xnf_rx_get_t get,
				void *ctx, RING_IDX cons, RING_IDX prod)
{
	enum xnf_rx_verdict worst = XNF_RX_OK, v;
	union xnf_rx_slot slot;
	RING_IDX idx = cons;

	pkt->extra_mask = 0;
	pkt->nr_data = 0;
	pkt->len = 0;
	pkt->reason = NULL;
	do {
		if (idx == prod)
			return XNF_RX_INCOMPLETE;
		get(ctx, idx, &slot);
		v = xnf_rx_check_data(pkt, &slot.rsp, idx);
		if (v != XNF_RX_OK)
			return v;
		idx++;
		pkt->data[pkt->nr_data++] = slot.rsp;
		if (slot.rsp.status < 0)
			worst = XNF_RX_DROP;
		else
			pkt->len += slot.rsp.status;
		if (pkt->nr_data == 1 && (slot.rsp.flags & XEN_NETRXF_extra_info)) {
			v = xnf_rx_scan_extras(pkt, get, ctx, &idx, prod);
			if (v == XNF_RX_FATAL || v == XNF_RX_INCOMPLETE)
				return v;
			if (v == XNF_RX_DROP)
				worst = v;
		}
	} while (slot.rsp.flags & XEN_NETRXF_more_data);

	pkt->nr_slots = idx - cons;
	if (test_bit(XEN_NETIF_EXTRA_TYPE_XDP, &pkt->extra_mask) &&
	    !xnf_rx_xdp_layout(pkt))
		worst = XNF_RX_DROP;
	if (pkt->data[0].status < ETH_HLEN)
		worst = XNF_RX_DROP;
	return worst;
}

/**
 * xnf_rx_xdp_in_place() - may an XDP program run on a packet where it lies
 * @pkt: the packet, checked by xnf_rx_scan() as XNF_RX_OK
 * @headroom: room the program's buffer needs before the data
 * @tailroom: room it needs after the data, in the same page
 *
 * Defends against a backend that ignores the headroom we asked for, or
 * leaves too little after the data: a program may move the start of the
 * packet into the headroom (bpf_xdp_adjust_head()), and the kernel writes
 * its frame record there and a shared-info block in the tailroom, so
 * packet data in either place would be overwritten or read as something
 * else.  Only a one-slot packet with both rooms free is used in place;
 * every other packet is copied into a buffer that has them.
 *
 * Return: true if the packet's own page can be the program's buffer.
 */
bool xnf_rx_xdp_in_place(const struct xnf_rx_pkt *pkt, unsigned int headroom,
			 unsigned int tailroom)
{
	const struct xen_netif_rx_response *rsp = &pkt->data[0];

	return pkt->nr_data == 1 && rsp->status >= 0 &&
	       rsp->offset >= headroom &&
	       rsp->offset + rsp->status + tailroom <= XNF_XEN_PAGE_SIZE;
}

/**
 * xnf_rx_xdp_gso_frames() - the frames a GSO packet is cut into for XDP
 * @pkt: the packet, checked by xnf_rx_scan() as XNF_RX_OK
 * @max: the most frames the caller cuts one packet into
 *
 * For an XDP program without frags support, a GSO packet larger than one
 * buffer is cut into wire-size frames (xdp.c), one skb and one program run
 * each.  Their size is the backend's gso_size, which xnf_rx_scan() only
 * checked to be non-zero: this bounds what one packet may cost, against a
 * backend that names a size of a few bytes.
 *
 * Return: how many frames at most (the packet's length over its gso_size,
 * rounded up), or 0 if @pkt is no GSO packet or would need more than @max.
 */
unsigned int xnf_rx_xdp_gso_frames(const struct xnf_rx_pkt *pkt,
				   unsigned int max)
{
	unsigned int mss, n;

	if (!test_bit(XEN_NETIF_EXTRA_TYPE_GSO, &pkt->extra_mask))
		return 0;
	mss = pkt->extras[XEN_NETIF_EXTRA_TYPE_GSO].u.gso.size;
	if (!mss)
		return 0;
	n = DIV_ROUND_UP(pkt->len, mss);
	return n <= max ? n : 0;
}

/**
 * xnf_pick_queue() - the transmit queue of a flow
 * @flow_hash: the skb's L4 flow hash
 * @nr_queues: queues in use (at least 1)
 *
 * Return: a queue index below @nr_queues, the same for every packet of a flow.
 */
unsigned int xnf_pick_queue(u32 flow_hash, unsigned int nr_queues)
{
	return reciprocal_scale(flow_hash, nr_queues);
}

/**
 * xnf_rx_hash_kind() - what a checked rx hash extra may be used for
 * @ex: the HASH extra, copied from the ring
 *
 * The value only feeds the stack's flow steering (RPS, RFS), so a backend
 * that lies costs nothing but its own guest's spread; an algorithm or a
 * hash type we do not know is ignored rather than used or punished.
 *
 * Return: the kind of hash, XNF_HASH_NONE when it is not usable.
 */
enum xnf_hash_kind xnf_rx_hash_kind(const struct xen_netif_extra_info *ex)
{
	if (ex->u.hash.algorithm != XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ)
		return XNF_HASH_NONE;
	switch (ex->u.hash.type) {
	case _XEN_NETIF_CTRL_HASH_TYPE_IPV4:
	case _XEN_NETIF_CTRL_HASH_TYPE_IPV6:
		return XNF_HASH_L3;
	case _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP:
	case _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP:
		return XNF_HASH_L4;
	default:
		return XNF_HASH_NONE;
	}
}

/**
 * xnf_check_ctrl_rsp() - check a control response copied from the ring
 * @rsp: the copy
 * @id: id of the one request outstanding
 * @type: that request's type
 * @err: set to its outcome: 0 or a negative errno
 *
 * Requests go one at a time, so the response must answer that one.
 * Defends against a backend that answers a request we never sent, mixes
 * up types, or invents status codes.
 *
 * Return: false if the response breaks the protocol (@err untouched).
 */
bool xnf_check_ctrl_rsp(const struct xen_netif_ctrl_response *rsp, u16 id,
			u16 type, int *err)
{
	if (rsp->id != id || rsp->type != type)
		return false;
	switch (rsp->status) {
	case XEN_NETIF_CTRL_STATUS_SUCCESS:
		*err = 0;
		return true;
	case XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED:
		*err = -EOPNOTSUPP;
		return true;
	case XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER:
		*err = -EINVAL;
		return true;
	case XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW:
		*err = -ENOBUFS;
		return true;
	default:
		return false;
	}
}

/**
 * xnf_ctrl_value() - the usable part of a successful response's data
 * @type: the request's type
 * @data: the response's data
 * @out: set to what we may use
 *
 * Defends against hash type bits we never asked about (they are dropped),
 * a mapping table too small for ours (RSS is then not used: the backend
 * could only index part of our table), and a staging size of 0 (the
 * backend maps nothing) or beyond what a queue could use.
 *
 * Return: false if the value leaves the feature unusable.
 */
bool xnf_ctrl_value(u16 type, u32 data, u32 *out)
{
	switch (type) {
	case XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS:
		*out = data & XNF_HASH_TYPES;
		return *out != 0;
	case XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE:
		*out = XNF_RSS_INDIR_SIZE;
		return data >= XNF_RSS_INDIR_SIZE;
	case XEN_NETIF_CTRL_TYPE_GET_GREF_MAPPING_SIZE:
		/* More than one queue could ever use is no use to us. */
		*out = min_t(u32, data, XNF_STAGING_MAX);
		return *out != 0;
	case XEN_NETIF_CTRL_TYPE_DEL_GREF_MAPPING:
		/* Grants unmapped; only ever reported, never relied on. */
		*out = data;
		return true;
	default:
		*out = 0;
		return true;
	}
}
