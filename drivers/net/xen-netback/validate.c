// SPDX-License-Identifier: GPL-2.0
/*
 * Validation of what a frontend writes, for xen-netback.
 *
 * Every function here sees a private copy of the frontend's data, never the
 * shared page, so a frontend rewriting a request while it is checked
 * (XSA-155) only changes what it gets.  The callers act on the verdict: drop
 * the packet, or disable the interface from process context.
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "xen-netback/validate.h"

/* Longest averaging period accepted in the "rate" key: ten seconds. */
#define XNB_RATE_MAX_USEC	10000000ULL
/* Largest byte count per period accepted: 1 TiB, far above any link. */
#define XNB_RATE_MAX_BYTES	BIT_ULL(40)

/**
 * xnb_check_ring_prod() - check a request producer index
 * @req_prod: producer index read from the shared ring
 * @req_cons: our consumer index
 * @ring_size: slots in the ring
 *
 * Defends against a producer index moving backwards or jumping more than a
 * ring ahead (XSA-39 style loops): the backend would consume slots the
 * frontend never filled, over and over.
 *
 * Return: XNB_OK, or XNB_FATAL.
 */
enum xnb_verdict xnb_check_ring_prod(u32 req_prod, u32 req_cons,
				     u32 ring_size)
{
	return req_prod - req_cons > ring_size ? XNB_FATAL : XNB_OK;
}

/**
 * xnb_check_tx_more() - may a packet take one more data slot
 * @pkt: the packet read so far
 *
 * Defends against a packet chained over more slots than any frontend uses
 * (upstream's fatal_skb_slots): it would let a frontend pin the backend on
 * one endless packet and overrun per-packet arrays (XSA-432).
 *
 * Return: XNB_OK, or XNB_FATAL.
 */
enum xnb_verdict xnb_check_tx_more(const struct xnb_tx_pkt *pkt)
{
	return pkt->nr_slots >= XNB_TX_MAX_SLOTS ? XNB_FATAL : XNB_OK;
}

/**
 * xnb_check_tx_extra() - check one extra-info slot of a transmitted packet
 * @pkt: the packet read so far
 * @extra: the extra-info slot, copied out of the ring
 *
 * Defends against an extra type of 0 or beyond XEN_NETIF_EXTRA_TYPE_MAX,
 * which would index past the extras array (fatal, as in-tree), and against
 * a chain of extras longer than XNB_TX_MAX_EXTRAS, which a frontend could
 * otherwise keep going for the whole ring (fatal).  A type given twice is
 * a quirk the in-tree driver lets through: the packet is dropped, the
 * interface kept.
 *
 * Return: XNB_OK, XNB_DROP or XNB_FATAL.
 */
enum xnb_verdict xnb_check_tx_extra(const struct xnb_tx_pkt *pkt,
				    const struct xen_netif_extra_info *extra)
{
	unsigned int type = extra->type;

	if (type == XEN_NETIF_EXTRA_TYPE_NONE ||
	    type >= XEN_NETIF_EXTRA_TYPE_MAX)
		return XNB_FATAL;
	if (pkt->nr_extras >= XNB_TX_MAX_EXTRAS)
		return XNB_FATAL;
	if (pkt->extra_mask & BIT(type - 1))
		return XNB_DROP;
	return XNB_OK;
}

/**
 * xnb_check_gso() - check a GSO extra
 * @gso: the extra-info slot of type XEN_NETIF_EXTRA_TYPE_GSO
 *
 * Defends against a segment size of 0 (division by zero and endless
 * segmentation further down the stack) and against GSO types the backend
 * never offered.
 *
 * Return: XNB_OK, or XNB_FATAL.
 */
enum xnb_verdict xnb_check_gso(const struct xen_netif_extra_info *gso)
{
	if (!gso->u.gso.size)
		return XNB_FATAL;
	if (gso->u.gso.type != XEN_NETIF_GSO_TYPE_TCPV4 &&
	    gso->u.gso.type != XEN_NETIF_GSO_TYPE_TCPV6)
		return XNB_FATAL;
	return XNB_OK;
}

/**
 * xnb_tx_is_mcast() - is a request a multicast filter update
 * @pkt: the request, with its extras read
 *
 * Return: true if it carries an MCAST_ADD or MCAST_DEL extra.
 */
bool xnb_tx_is_mcast(const struct xnb_tx_pkt *pkt)
{
	return pkt->extra_mask & (BIT(XEN_NETIF_EXTRA_TYPE_MCAST_ADD - 1) |
				  BIT(XEN_NETIF_EXTRA_TYPE_MCAST_DEL - 1));
}

/**
 * xnb_check_mcast() - check a multicast filter update
 * @pkt: a request for which xnb_tx_is_mcast() holds
 * @add: set to true for MCAST_ADD, false for MCAST_DEL
 * @addr: set to the address, within @pkt
 *
 * Such a request is a single slot whose only content is its extra; it is
 * answered with OKAY or ERROR under its id.  Defends against:
 * - an ADD and a DEL in one request: the extras array keeps no order, so
 *   which one came last is unknown;
 * - a request chained over more slots (more-data): it carries no data;
 * - a unicast address: the filter only ever decides about multicast
 *   frames, and a unicast entry would only take room in the list.
 * None of these breaks the ring: the request is refused, not fatal.
 *
 * What a valid request then does is idempotent, and answered OKAY: an ADD
 * of an address already listed (it passes, as asked) and a DEL of one not
 * listed (it does not pass, as asked).  ERROR for the latter would report
 * a failure the frontend can do nothing about, and would hit every honest
 * frontend whose ADD was refused on a full list and that deletes the
 * address later.  Only an ADD beyond XNB_MCAST_MAX addresses is refused.
 *
 * Return: XNB_OK, or XNB_DROP to answer ERROR.
 */
enum xnb_verdict xnb_check_mcast(const struct xnb_tx_pkt *pkt, bool *add,
				 const u8 **addr)
{
	unsigned int type = XEN_NETIF_EXTRA_TYPE_MCAST_ADD;

	if (!(pkt->extra_mask & BIT(type - 1)))
		type = XEN_NETIF_EXTRA_TYPE_MCAST_DEL;
	else if (pkt->extra_mask & BIT(XEN_NETIF_EXTRA_TYPE_MCAST_DEL - 1))
		return XNB_DROP;
	if (pkt->nr_slots != 1)
		return XNB_DROP;
	if (!is_multicast_ether_addr(pkt->extras[type - 1].u.mcast.addr))
		return XNB_DROP;
	*add = type == XEN_NETIF_EXTRA_TYPE_MCAST_ADD;
	*addr = pkt->extras[type - 1].u.mcast.addr;
	return XNB_OK;
}

/**
 * xnb_check_hash_extra() - what a frontend's hash of a packet may be used for
 * @x: the extra-info slot of type XEN_NETIF_EXTRA_TYPE_HASH
 * @value: set to the hash, when the result is not XNB_HASH_IGNORE
 *
 * The hash is the frontend's claim about its own packet: it picks where
 * the packet is processed (RPS, GRO bucket, the transmit queue when it is
 * forwarded), never whether it is accepted, and a wrong one costs the
 * guest its own spreading.  Defends against a hash type outside the four
 * netif.h defines (a bit number, _XEN_NETIF_CTRL_HASH_TYPE_*) and an
 * algorithm other than Toeplitz, whose values would not be comparable with
 * the ones we compute: such a hash is ignored, the packet is kept.
 *
 * Return: XNB_HASH_L4 for the _TCP types, XNB_HASH_L3 for IPv4 and IPv6,
 * XNB_HASH_IGNORE otherwise.
 */
enum xnb_hash_use xnb_check_hash_extra(const struct xen_netif_extra_info *x,
				       u32 *value)
{
	const u8 *v = x->u.hash.value;
	enum xnb_hash_use use;

	if (x->u.hash.algorithm != XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ)
		return XNB_HASH_IGNORE;
	switch (x->u.hash.type) {
	case _XEN_NETIF_CTRL_HASH_TYPE_IPV4:
	case _XEN_NETIF_CTRL_HASH_TYPE_IPV6:
		use = XNB_HASH_L3;
		break;
	case _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP:
	case _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP:
		use = XNB_HASH_L4;
		break;
	default:
		return XNB_HASH_IGNORE;
	}
	/* Least significant byte first (netif.h). */
	*value = v[0] | v[1] << 8 | v[2] << 16 | (u32)v[3] << 24;
	return use;
}

static unsigned int xnb_tx_frags_len(const struct xnb_tx_pkt *pkt)
{
	unsigned int i, sum = 0;

	for (i = 1; i < pkt->nr_slots; i++)
		sum += pkt->slots[i].size;
	return sum;
}

/**
 * xnb_tx_slot_len() - bytes carried by one data slot
 * @pkt: a packet accepted by xnb_check_tx_packet()
 * @i: slot index
 *
 * The first slot's size field is the size of the whole packet; its own data
 * is what the other slots leave over.
 *
 * Return: the number of bytes in slot @i.
 */
unsigned int xnb_tx_slot_len(const struct xnb_tx_pkt *pkt, unsigned int i)
{
	if (i)
		return pkt->slots[i].size;
	return pkt->slots[0].size - xnb_tx_frags_len(pkt);
}

/**
 * xnb_check_tx_packet() - check a complete transmitted packet
 * @pkt: every slot of the packet, copied out of the ring
 *
 * Defends against:
 * - a first slot announcing fewer bytes than the other slots carry (the
 *   first slot's length would underflow, XSA-39): dropped, not fatal,
 *   since buggy frontends are known to send such packets and the
 *   in-tree driver drops them;
 * - a slot whose offset + size runs past its granted page;
 * - a packet too short for an Ethernet header (dropped, not fatal);
 * - a GSO extra with a zero segment size or an unknown type.
 * Zero-length follow-on slots are accepted: xnb_tx_plan() never turns
 * them into fragments (XSA-448).
 *
 * Return: XNB_OK, XNB_DROP or XNB_FATAL.
 */
enum xnb_verdict xnb_check_tx_packet(const struct xnb_tx_pkt *pkt)
{
	unsigned int i;

	if (!pkt->nr_slots || pkt->nr_slots > XNB_TX_MAX_SLOTS)
		return XNB_FATAL;
	for (i = 1; i < pkt->nr_slots; i++) {
		if (pkt->slots[i].offset + pkt->slots[i].size > XNB_PAGE_SIZE)
			return XNB_FATAL;
	}
	if (xnb_tx_frags_len(pkt) > pkt->slots[0].size)
		return XNB_DROP;
	if (pkt->slots[0].offset + xnb_tx_slot_len(pkt, 0) > XNB_PAGE_SIZE)
		return XNB_FATAL;
	if ((pkt->extra_mask & BIT(XEN_NETIF_EXTRA_TYPE_GSO - 1)) &&
	    xnb_check_gso(&pkt->extras[XEN_NETIF_EXTRA_TYPE_GSO - 1]))
		return XNB_FATAL;
	if (pkt->slots[0].size < ETH_HLEN)
		return XNB_DROP;
	return XNB_OK;
}

static enum xnb_verdict
xnb_tx_read_extras(struct xnb_tx_pkt *pkt,
		   void (*fetch)(void *ctx, RING_IDX idx,
				 struct xen_netif_tx_request *out),
		   void *ctx, RING_IDX *cons, RING_IDX prod, const char **why)
{
	enum xnb_verdict worst = XNB_OK, v;
	struct xen_netif_extra_info extra;
	struct xen_netif_tx_request slot;

	BUILD_BUG_ON(sizeof(extra) > sizeof(slot));
	do {
		/* A flag promising an extra the frontend never produced. */
		if (*cons == prod) {
			*why = "extra-info flag without an extra slot";
			return XNB_FATAL;
		}
		fetch(ctx, (*cons)++, &slot);
		memcpy(&extra, &slot, sizeof(extra));
		v = xnb_check_tx_extra(pkt, &extra);
		if (v == XNB_FATAL) {
			*why = "bad extra-info type, or too many extras";
			return XNB_FATAL;
		}
		worst = max(worst, v);
		pkt->extras[extra.type - 1] = extra;
		pkt->extra_mask |= BIT(extra.type - 1);
		pkt->nr_extras++;
	} while (extra.flags & XEN_NETIF_EXTRA_FLAG_MORE);
	return worst;
}

/**
 * xnb_tx_read_pkt() - read and check one transmitted packet
 * @pkt: filled with the packet's slots and extras
 * @fetch: copies ring slot @idx out of shared memory into @out
 * @ctx: passed to @fetch
 * @cons: first slot of the packet, which the caller saw produced;
 *        advanced past the packet's last slot
 * @prod: the frontend's producer index, checked by xnb_check_ring_prod()
 * @why: set to what was wrong when the verdict is XNB_FATAL
 *
 * The one place a transmitted packet is checked.  Every slot is fetched
 * exactly once, so a frontend rewriting the ring under us (XSA-155) only
 * changes what it gets.  Defends against flags announcing slots the
 * frontend never produced (a missing extra, more-data on the last
 * request), packets chained over more than XNB_TX_MAX_SLOTS slots, bad
 * extras, and everything xnb_check_tx_packet() rejects.  A request that
 * carries a multicast extra is no packet: netif.h leaves its size, offset
 * and grant unused, so they are not checked, and its caller hands it to
 * xnb_check_mcast() instead.
 *
 * Return: XNB_OK, XNB_DROP or XNB_FATAL.
 */
enum xnb_verdict
xnb_tx_read_pkt(struct xnb_tx_pkt *pkt,
		void (*fetch)(void *ctx, RING_IDX idx,
			      struct xen_netif_tx_request *out),
		void *ctx, RING_IDX *cons, RING_IDX prod, const char **why)
{
	enum xnb_verdict v, extras = XNB_OK;

	pkt->nr_extras = 0;
	pkt->extra_mask = 0;
	fetch(ctx, (*cons)++, &pkt->slots[0]);
	pkt->nr_slots = 1;
	if (pkt->slots[0].flags & XEN_NETTXF_extra_info) {
		extras = xnb_tx_read_extras(pkt, fetch, ctx, cons, prod, why);
		if (extras == XNB_FATAL)
			return extras;
	}
	while (pkt->slots[pkt->nr_slots - 1].flags & XEN_NETTXF_more_data) {
		if (*cons == prod) {
			*why = "more-data flag on the last request produced";
			return XNB_FATAL;
		}
		if (xnb_check_tx_more(pkt)) {
			*why = "packet over too many slots";
			return XNB_FATAL;
		}
		fetch(ctx, (*cons)++, &pkt->slots[pkt->nr_slots++]);
	}
	/* No data: xnb_check_mcast() checks what such a request carries. */
	if (xnb_tx_is_mcast(pkt))
		return extras;
	v = xnb_check_tx_packet(pkt);
	if (v == XNB_FATAL)
		*why = "slot sizes, offsets or GSO outside what is allowed";
	return max(v, extras);
}

static void xnb_tx_plan_slot(struct xnb_tx_plan *plan, unsigned int slot,
			     unsigned int src_off, unsigned int len,
			     unsigned int *pos)
{
	while (len) {
		struct xnb_tx_seg *seg = &plan->seg[plan->nr_segs];
		unsigned int room, fpos, chunk;

		if (*pos < plan->linear_len) {
			seg->frag = 0;
			seg->dst_off = *pos;
			room = plan->linear_len - *pos;
		} else {
			fpos = *pos - plan->linear_len;
			seg->frag = 1 + fpos / XNB_PAGE_SIZE;
			seg->dst_off = fpos % XNB_PAGE_SIZE;
			room = XNB_PAGE_SIZE - seg->dst_off;
		}
		chunk = min(len, room);
		seg->slot = slot;
		seg->src_off = src_off;
		seg->len = chunk;
		if (seg->frag) {
			plan->frag_len[seg->frag - 1] = seg->dst_off + chunk;
			plan->nr_frags = seg->frag;
		}
		plan->nr_segs++;
		src_off += chunk;
		*pos += chunk;
		len -= chunk;
	}
}

/**
 * xnb_tx_plan() - lay a checked packet out over the linear area and pages
 * @pkt: a packet accepted by xnb_check_tx_packet()
 * @plan: filled with the copies to make
 *
 * The first XNB_TX_LINEAR bytes, whichever slots carry them, go to the
 * linear area, so the protocol headers reach the stack in one piece even
 * when a frontend spreads them over many small slots (XSA-423, XSA-432).
 * The rest is packed densely into whole pages: the number of fragments
 * depends on the packet size only, never on the slot count, and no
 * fragment is ever empty (XSA-448).  Each segment starts either a slot or
 * a destination area, which bounds them by XNB_TX_MAX_SEGS.
 */
void xnb_tx_plan(const struct xnb_tx_pkt *pkt, struct xnb_tx_plan *plan)
{
	unsigned int i, pos = 0;

	plan->nr_segs = 0;
	plan->nr_frags = 0;
	plan->linear_len = min(pkt->slots[0].size, XNB_TX_LINEAR);
	for (i = 0; i < pkt->nr_slots; i++)
		xnb_tx_plan_slot(plan, i, pkt->slots[i].offset,
				 xnb_tx_slot_len(pkt, i), &pos);
}

/**
 * xnb_parse_rate() - parse the "rate" key written by the toolstack
 * @s: the key's value, "bytes,usec"
 * @bytes: set to the bytes allowed per period
 * @usec: set to the period in microseconds
 *
 * Defends against a value too long to be a pair of numbers, missing or
 * empty fields, trailing junk, a zero byte count or period, a period
 * longer than ten seconds and a byte count that would overflow the bucket.
 *
 * Return: 0, or -EINVAL with @bytes and @usec untouched.
 */
int xnb_parse_rate(const char *s, u64 *bytes, u64 *usec)
{
	char buf[XNB_RATE_KEY_MAX + 1];
	u64 b, u;
	char *comma;

	if (strscpy(buf, s, sizeof(buf)) < 0)
		return -EINVAL;
	comma = strchr(buf, ',');
	if (!comma)
		return -EINVAL;
	*comma = '\0';
	if (kstrtou64(buf, 10, &b) || kstrtou64(comma + 1, 10, &u))
		return -EINVAL;
	if (!b || !u || u > XNB_RATE_MAX_USEC || b > XNB_RATE_MAX_BYTES)
		return -EINVAL;
	*bytes = b;
	*usec = u;
	return 0;
}

/**
 * xnb_parse_mcast_request() - parse the frontend's "request-multicast-control"
 * @s: the key's value
 * @on: set to whether the frontend asks for multicast filtering
 *
 * Defends against values other than "0" and "1" (a trailing newline
 * allowed), whose meaning would be a guess.  The caller treats a rejected
 * value as 0: flooding gives the guest more multicast, never less.
 *
 * Return: 0, or -EINVAL with @on untouched.
 */
int xnb_parse_mcast_request(const char *s, bool *on)
{
	unsigned int v;

	if (kstrtouint(s, 10, &v) || v > 1)
		return -EINVAL;
	*on = v;
	return 0;
}

/**
 * xnb_parse_xdp_headroom() - parse the frontend's "xdp-headroom"
 * @s: the key's value, or NULL when the key is absent
 * @headroom: set to the bytes to leave free before each packet's data in
 *	its first rx slot; 0 whenever the value is not used
 *
 * Defends against a headroom that leaves little or no room for the packet
 * in its first slot: from a page or more, the rx path would aim its first
 * copy past the end of the frontend's page (with a staging grant, a
 * memcpy past the page mapped in dom0), and close to a page, a packet
 * would take more slots than the frontend accepts.  The protocol allows
 * up to XEN_NETIF_MAX_XDP_HEADROOM (0x7FFF), more than a page, and
 * in-tree netback clamps to that; a value above XNB_XDP_HEADROOM_MAX is
 * refused here instead, as is a number too large for an unsigned int.  A
 * missing key asks for no headroom; a value that is no decimal number (a
 * minus sign, hex, junk) is taken as 0 too: the frontend gets the layout
 * it would get from a backend without the feature.
 *
 * Return: 0; -EINVAL for a value that is not a number, -ERANGE for one
 * above XNB_XDP_HEADROOM_MAX (the caller warns).  @headroom is 0 on error.
 */
int xnb_parse_xdp_headroom(const char *s, u16 *headroom)
{
	unsigned int v;
	int err;

	*headroom = 0;
	if (!s)
		return 0;
	err = kstrtouint(s, 10, &v);
	if (err)
		return err == -ERANGE ? -ERANGE : -EINVAL;
	if (v > XNB_XDP_HEADROOM_MAX)
		return -ERANGE;
	*headroom = v;
	return 0;
}

/**
 * xnb_ctrl_check_key() - check the length of a SET_HASH_KEY request
 * @len: key length the frontend announced
 *
 * Defends against copying more than the key buffer holds.  A length of 0
 * is valid: it clears the key.
 *
 * Return: XEN_NETIF_CTRL_STATUS_SUCCESS or _BUFFER_OVERFLOW.
 */
u32 xnb_ctrl_check_key(u32 len)
{
	return len > XNB_HASH_KEY_MAX ? XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW :
					XEN_NETIF_CTRL_STATUS_SUCCESS;
}

/**
 * xnb_ctrl_check_flags() - check a SET_HASH_FLAGS request
 * @flags: XEN_NETIF_CTRL_HASH_TYPE_* bits asked for
 *
 * Return: XEN_NETIF_CTRL_STATUS_SUCCESS, or _INVALID_PARAMETER for a bit
 * the backend does not compute.
 */
u32 xnb_ctrl_check_flags(u32 flags)
{
	return flags & ~XNB_HASH_TYPES ?
	       XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER :
	       XEN_NETIF_CTRL_STATUS_SUCCESS;
}

/**
 * xnb_ctrl_check_mapping_size() - check a SET_HASH_MAPPING_SIZE request
 * @size: entries asked for; 0 means queue = hash modulo the queue count
 *
 * Return: XEN_NETIF_CTRL_STATUS_SUCCESS or _INVALID_PARAMETER.
 */
u32 xnb_ctrl_check_mapping_size(u32 size)
{
	return size > XNB_HASH_MAPPING_MAX ?
	       XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER :
	       XEN_NETIF_CTRL_STATUS_SUCCESS;
}

/**
 * xnb_ctrl_check_mapping() - check the range of a SET_HASH_MAPPING request
 * @size: current size of the mapping table
 * @offset: first entry to set
 * @len: entries to set
 *
 * Defends against XSA-270: offset + len overflowing 32 bits and wrapping
 * back into range, and len * 4 truncated when sized for the copy.  Every
 * comparison is made without adding the two peer values.
 *
 * Return: XEN_NETIF_CTRL_STATUS_SUCCESS, _BUFFER_OVERFLOW when @len is
 * beyond any table, or _INVALID_PARAMETER when the range leaves the table.
 */
u32 xnb_ctrl_check_mapping(u32 size, u32 offset, u32 len)
{
	if (len > XNB_HASH_MAPPING_MAX)
		return XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW;
	if (offset > size || len > size - offset)
		return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
	return XEN_NETIF_CTRL_STATUS_SUCCESS;
}

/**
 * xnb_ctrl_check_entries() - check the entries of a mapping table
 * @entries: the entries, copied out of the frontend's grant
 * @len: number of entries
 * @nr_queues: queues connected
 *
 * Defends against steering packets to a queue that does not exist.
 *
 * Return: XEN_NETIF_CTRL_STATUS_SUCCESS or _INVALID_PARAMETER.
 */
u32 xnb_ctrl_check_entries(const u32 *entries, u32 len, u32 nr_queues)
{
	u32 i;

	for (i = 0; i < len; i++) {
		if (entries[i] >= nr_queues)
			return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
	}
	return XEN_NETIF_CTRL_STATUS_SUCCESS;
}

/**
 * xnb_ctrl_check_gref_req() - check an ADD or DEL_GREF_MAPPING request
 * @queue: data[0], the queue the list is for
 * @nr_queues: queues connected
 * @count: data[2], entries in the list
 * @mapped: grants the queue keeps mapped now
 * @add: ADD (else DEL)
 *
 * Defends against a list longer than the one page it must fit in, a queue
 * that does not exist, and a frontend growing the mapped set without bound
 * (each mapping holds a page of dom0's and an entry of Xen's maptrack).
 *
 * Return: XEN_NETIF_CTRL_STATUS_SUCCESS, _INVALID_PARAMETER, or
 * _BUFFER_OVERFLOW when an ADD would go over XNM_STAGING_PER_QUEUE.
 */
u32 xnb_ctrl_check_gref_req(u32 queue, u32 nr_queues, u32 count, u32 mapped,
			    bool add)
{
	if (queue >= nr_queues || !count || count > XNM_GREF_LIST_MAX)
		return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
	mapped = min(mapped, XNM_STAGING_PER_QUEUE);
	if (add && count > XNM_STAGING_PER_QUEUE - mapped)
		return XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW;
	return XEN_NETIF_CTRL_STATUS_SUCCESS;
}

static int xnb_cmp_ref(const void *a, const void *b)
{
	grant_ref_t x = *(const grant_ref_t *)a, y = *(const grant_ref_t *)b;

	return x < y ? -1 : x > y;
}

/**
 * xnb_ctrl_check_gref_list() - check the entries of an ADD list
 * @list: the entries, copied out of the frontend's grant
 * @count: number of entries, at most XNM_GREF_LIST_MAX
 * @scratch: room for @count grant references
 *
 * Defends against flags this backend does not know (a mapping it would
 * make with the wrong access) and a grant named twice, which would map
 * one page twice and leave one mapping that nothing unmaps.
 *
 * Return: XEN_NETIF_CTRL_STATUS_SUCCESS or _INVALID_PARAMETER.
 */
u32 xnb_ctrl_check_gref_list(const struct xen_netif_gref *list, u32 count,
			     grant_ref_t *scratch)
{
	u32 i;

	for (i = 0; i < count; i++) {
		if (list[i].flags & ~XEN_NETIF_CTRLF_GREF_readonly)
			return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
		scratch[i] = list[i].ref;
	}
	sort(scratch, count, sizeof(*scratch), xnb_cmp_ref, NULL);
	for (i = 1; i < count; i++) {
		if (scratch[i] == scratch[i - 1])
			return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
	}
	return XEN_NETIF_CTRL_STATUS_SUCCESS;
}
