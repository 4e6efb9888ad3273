// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netfront: the transmit path.
 *
 * Bounce mode, always: every tx request id owns a dedicated zeroed page,
 * granted read-only to the backend for the lifetime of the connection.
 * A packet is copied into the pages of the ids it takes, so the backend
 * never sees a page that holds anything but packet data (XSA-403: granting
 * the skb's own pages would expose whatever else shares those pages), and
 * no grant is issued or revoked per packet.  The skb is freed as soon as
 * it is copied: a backend that answers late, twice or never cannot make us
 * touch a freed skb (XSA-405), and nothing but the ids waits for it.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>

#include "netfront.h"

static unsigned int xnf_tx_ring_room(const struct netfront_queue *q)
{
	return XNF_TX_RING_SIZE - (q->tx.req_prod_pvt - q->tx.rsp_cons);
}

/* Room for a worst-case packet: ring slots and free ids. */
static bool xnf_tx_has_room(const struct netfront_queue *q,
			    unsigned int nr_data, unsigned int nr_slots)
{
	return xnf_tx_ring_room(q) >= nr_slots && q->tx_nr_free >= nr_data;
}

static u16 xnf_tx_csum_flags(const struct sk_buff *skb)
{
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		return XEN_NETTXF_csum_blank | XEN_NETTXF_data_validated;
	if (skb->ip_summed == CHECKSUM_UNNECESSARY)
		return XEN_NETTXF_data_validated;
	return 0;
}

/* The GSO extra that follows the first request of a GSO packet. */
static void xnf_tx_put_gso(struct netfront_queue *q, RING_IDX idx,
			   const struct sk_buff *skb)
{
	struct xen_netif_extra_info *ex;
	struct xen_netif_extra_info gso = {
		.type = XEN_NETIF_EXTRA_TYPE_GSO,
		.u.gso.size = skb_shinfo(skb)->gso_size,
		.u.gso.type = (skb_shinfo(skb)->gso_type & SKB_GSO_TCPV6) ?
			      XEN_NETIF_GSO_TYPE_TCPV6 :
			      XEN_NETIF_GSO_TYPE_TCPV4,
	};

	ex = (struct xen_netif_extra_info *)RING_GET_REQUEST(&q->tx, idx);
	*ex = gso;
}

/* Copy @skb into the pages of free ids and queue the requests. */
static void xnf_tx_fill(struct netfront_queue *q, struct sk_buff *skb,
			unsigned int nr_data)
{
	RING_IDX prod = q->tx.req_prod_pvt;
	unsigned int i, off = 0;

	for (i = 0; i < nr_data; i++) {
		unsigned int len = min_t(unsigned int, skb->len - off,
					 XEN_PAGE_SIZE);
		u16 id = q->tx_free[--q->tx_nr_free];
		struct xen_netif_tx_request req = {
			.gref = q->tx_refs[id],
			.id = id,
			.size = len,
		};

		/* Cannot fail: off + len lies within skb->len. */
		skb_copy_bits(skb, off, page_address(q->tx_pages[id]), len);
		__set_bit(id, q->tx_inflight);
		if (i + 1 < nr_data)
			req.flags |= XEN_NETTXF_more_data;
		if (i == 0) {
			req.size = skb->len;
			req.flags |= xnf_tx_csum_flags(skb);
			if (skb_is_gso(skb))
				req.flags |= XEN_NETTXF_extra_info;
		}
		*RING_GET_REQUEST(&q->tx, prod++) = req;
		if (i == 0 && skb_is_gso(skb))
			xnf_tx_put_gso(q, prod++, skb);
		off += len;
	}
	q->tx.req_prod_pvt = prod;
}

static void xnf_tx_count(struct netfront_queue *q, const struct sk_buff *skb)
{
	u64_stats_update_begin(&q->tx_syncp);
	q->tx_stats.packets++;
	q->tx_stats.bytes += skb->len;
	if (skb_is_gso(skb))
		q->tx_stats.gso_packets++;
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		q->tx_stats.csum_partial++;
	u64_stats_update_end(&q->tx_syncp);
}

static void xnf_tx_count_drop(struct netfront_queue *q)
{
	u64_stats_update_begin(&q->tx_syncp);
	q->tx_stats.drops++;
	u64_stats_update_end(&q->tx_syncp);
}

/**
 * xnf_tx_push() - publish queued requests, notify the backend if it sleeps
 * @q: the queue, its tx_lock held
 */
void xnf_tx_push(struct netfront_queue *q)
{
	int notify;

	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->tx, notify);
	if (notify)
		notify_remote_via_irq(q->tx_irq);
}

/* Check that the skb can go out at all; returns its data slot count or 0. */
static unsigned int xnf_tx_data_slots(const struct netfront_info *info,
				      const struct sk_buff *skb)
{
	unsigned int nr = DIV_ROUND_UP(skb->len, XEN_PAGE_SIZE);

	if (skb->len < ETH_HLEN || skb->len > XEN_NETIF_MAX_TX_SIZE)
		return 0;
	if (nr > 1 && !info->be.sg)
		return 0;
	if (skb_is_gso(skb) &&
	    !(skb_shinfo(skb)->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6)))
		return 0;
	return nr;
}

/**
 * xnf_start_xmit() - ndo_start_xmit: copy a packet into a queue's tx ring
 * @skb: the packet
 * @dev: our net device
 *
 * Return: NETDEV_TX_OK (the skb is always consumed), or NETDEV_TX_BUSY if
 * the ring filled up without the queue having been stopped.
 */
netdev_tx_t xnf_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct netfront_info *info = netdev_priv(dev);
	unsigned int qid = skb_get_queue_mapping(skb);
	unsigned int nr_data, nr_slots;
	struct netdev_queue *txq;
	struct netfront_queue *q;

	if (unlikely(!info->queues || qid >= info->qcfg.cur ||
		     READ_ONCE(info->broken))) {
		dev_core_stats_tx_dropped_inc(dev);
		goto free;
	}
	q = &info->queues[qid];
	nr_data = xnf_tx_data_slots(info, skb);
	if (unlikely(!nr_data)) {
		xnf_tx_count_drop(q);
		net_warn_ratelimited("%s: tx packet of %u bytes dropped: the backend cannot take it (sg %s, gso %#x)\n",
				     dev->name, skb->len,
				     info->be.sg ? "on" : "off",
				     skb_shinfo(skb)->gso_type);
		goto free;
	}
	nr_slots = nr_data + !!skb_is_gso(skb);
	txq = netdev_get_tx_queue(dev, qid);

	spin_lock(&q->tx_lock);
	if (unlikely(!xnf_tx_has_room(q, nr_data, nr_slots))) {
		netif_tx_stop_queue(txq);
		xnf_tx_push(q);
		spin_unlock(&q->tx_lock);
		return NETDEV_TX_BUSY;
	}
	skb_tx_timestamp(skb);
	xnf_tx_fill(q, skb, nr_data);
	xnf_tx_count(q, skb);
	if (!xnf_tx_has_room(q, XNF_TX_MAX_SLOTS, XNF_TX_MAX_SLOTS)) {
		netif_tx_stop_queue(txq);
		u64_stats_update_begin(&q->tx_syncp);
		q->tx_stats.stops++;
		u64_stats_update_end(&q->tx_syncp);
	}
	if (!netdev_xmit_more() || netif_xmit_stopped(txq))
		xnf_tx_push(q);
	spin_unlock(&q->tx_lock);
free:
	dev_consume_skb_any(skb);
	return NETDEV_TX_OK;
}

/**
 * xnf_tx_xdp() - queue one XDP frame, copied into the pages of free ids
 * @q: the queue, its tx_lock held
 * @seg: the frame's pieces in order: its head, then any fragments
 * @nr_seg: entries in @seg
 * @len: bytes in all of them
 *
 * The frame goes out as the stack's packets do, copied, so the caller
 * gives its buffers back at once.  Nothing is pushed to the backend here:
 * the caller does that once per batch with xnf_tx_push().
 *
 * Return: true if queued; false (counted) if the backend cannot take a
 * frame of that size or the ring has no room now.
 */
bool xnf_tx_xdp(struct netfront_queue *q, const struct xnf_seg *seg,
		unsigned int nr_seg, unsigned int len)
{
	unsigned int nr_data = DIV_ROUND_UP(len, XEN_PAGE_SIZE);
	RING_IDX prod = q->tx.req_prod_pvt;
	unsigned int i, s = 0, off = 0;

	if (len < ETH_HLEN || len > XEN_NETIF_MAX_TX_SIZE || !nr_seg ||
	    (nr_data > 1 && !q->info->be.sg) || READ_ONCE(q->broken) ||
	    !xnf_tx_has_room(q, nr_data, nr_data)) {
		u64_stats_update_begin(&q->tx_syncp);
		q->tx_stats.xdp_xmit_errors++;
		u64_stats_update_end(&q->tx_syncp);
		return false;
	}
	for (i = 0; i < nr_data; i++) {
		unsigned int n = min_t(unsigned int, len - i * XEN_PAGE_SIZE,
				       XEN_PAGE_SIZE);
		u16 id = q->tx_free[--q->tx_nr_free];
		struct xen_netif_tx_request req = {
			.gref = q->tx_refs[id],
			.id = id,
			.size = i ? n : len,
			.flags = i + 1 < nr_data ? XEN_NETTXF_more_data : 0,
		};

		xnf_seg_copy(page_address(q->tx_pages[id]), n, seg, &s, &off);
		__set_bit(id, q->tx_inflight);
		*RING_GET_REQUEST(&q->tx, prod++) = req;
	}
	q->tx.req_prod_pvt = prod;
	u64_stats_update_begin(&q->tx_syncp);
	q->tx_stats.packets++;
	q->tx_stats.bytes += len;
	q->tx_stats.xdp_xmit++;
	u64_stats_update_end(&q->tx_syncp);
	return true;
}

/**
 * xnf_tx_mc_request() - ask the backend to add or drop a multicast group
 * @q: the queue whose ring carries it (RTNL held, the queue set stays)
 * @type: XEN_NETIF_EXTRA_TYPE_MCAST_ADD or XEN_NETIF_EXTRA_TYPE_MCAST_DEL
 * @addr: the group's Ethernet address
 *
 * A request without data whose extra carries the address; the backend
 * answers it like a packet, and a refusal turns filtering off
 * (xnf_ctrl_mc_refused()).
 *
 * Return: 0, or -EBUSY when the ring has no room now.
 */
int xnf_tx_mc_request(struct netfront_queue *q, u8 type, const u8 *addr)
{
	struct xen_netif_extra_info *ex;
	struct xen_netif_tx_request *req;
	RING_IDX prod;
	u16 id;

	spin_lock_bh(&q->tx_lock);
	if (READ_ONCE(q->broken) || !xnf_tx_has_room(q, 1, 2)) {
		spin_unlock_bh(&q->tx_lock);
		return -EBUSY;
	}
	id = q->tx_free[--q->tx_nr_free];
	__set_bit(id, q->tx_inflight);
	__set_bit(id, q->tx_ctl);
	prod = q->tx.req_prod_pvt;
	req = RING_GET_REQUEST(&q->tx, prod);
	req->gref = q->tx_refs[id];
	req->offset = 0;
	req->flags = XEN_NETTXF_extra_info;
	req->id = id;
	req->size = 0;
	ex = (struct xen_netif_extra_info *)RING_GET_REQUEST(&q->tx, prod + 1);
	memset(ex, 0, sizeof(*ex));
	ex->type = type;
	ether_addr_copy(ex->u.mcast.addr, addr);
	q->tx.req_prod_pvt = prod + 2;
	xnf_tx_push(q);
	spin_unlock_bh(&q->tx_lock);
	return 0;
}

/* A multicast filter request came back: no packet, no packet counters. */
static void xnf_tx_retire_ctl(struct netfront_queue *q, u16 id, bool refused)
{
	__clear_bit(id, q->tx_ctl);
	if (refused)
		xnf_ctrl_mc_refused(q->info);
}

/* Give back the id of one checked response; false if the backend broke. */
static bool xnf_tx_retire(struct netfront_queue *q,
			  const struct xen_netif_tx_response *rsp)
{
	enum xnf_tx_verdict v = xnf_check_tx_rsp(rsp, q->tx_inflight);

	if ((v == XNF_TX_DONE || v == XNF_TX_DONE_ERR) &&
	    test_bit(rsp->id, q->tx_ctl)) {
		xnf_tx_retire_ctl(q, rsp->id, v == XNF_TX_DONE_ERR);
		v = XNF_TX_DONE;
	}
	switch (v) {
	case XNF_TX_SKIP:
		return true;
	case XNF_TX_DONE_ERR:
		u64_stats_update_begin(&q->tx_syncp);
		q->tx_stats.errors++;
		u64_stats_update_end(&q->tx_syncp);
		fallthrough;
	case XNF_TX_DONE:
		__clear_bit(rsp->id, q->tx_inflight);
		q->tx_free[q->tx_nr_free++] = rsp->id;
		return true;
	case XNF_TX_BAD_ID:
		xnf_backend_broke(q, "tx response id outside the ring");
		return false;
	case XNF_TX_IDLE_ID:
		xnf_backend_broke(q, "tx response for a request not outstanding");
		return false;
	case XNF_TX_BAD_STATUS:
	default:
		xnf_backend_broke(q, "tx response with an unknown status");
		return false;
	}
}

static void xnf_tx_maybe_wake(struct netfront_queue *q)
{
	struct netdev_queue *txq = netdev_get_tx_queue(q->info->netdev, q->id);

	if (netif_tx_queue_stopped(txq) && netif_carrier_ok(q->info->netdev) &&
	    xnf_tx_has_room(q, XNF_TX_MAX_SLOTS, XNF_TX_MAX_SLOTS)) {
		netif_tx_wake_queue(txq);
		u64_stats_update_begin(&q->tx_syncp);
		q->tx_stats.wakes++;
		u64_stats_update_end(&q->tx_syncp);
	}
}

/**
 * xnf_tx_wake_all() - restart the queues stopped while the carrier was off
 * @info: the device, RTNL held, carrier just turned on
 *
 * A queue that filled its ring before the backend said Connected had its
 * answers reclaimed while the carrier was still off, so no later answer
 * would wake it: without this it stays stopped until the next reconnect.
 */
void xnf_tx_wake_all(struct netfront_info *info)
{
	struct netfront_queue *q;
	unsigned int i;

	ASSERT_RTNL();
	for (i = 0; info->queues && i < info->qcfg.cur; i++) {
		q = &info->queues[i];
		spin_lock_bh(&q->tx_lock);
		xnf_tx_maybe_wake(q);
		spin_unlock_bh(&q->tx_lock);
	}
}

/**
 * xnf_tx_complete() - reclaim the ids the backend has answered
 * @q: the queue, from its NAPI poll
 */
void xnf_tx_complete(struct netfront_queue *q)
{
	struct xen_netif_tx_response rsp;
	RING_IDX prod, cons;

	spin_lock(&q->tx_lock);
	prod = READ_ONCE(q->tx.sring->rsp_prod);
	virt_rmb(); /* read responses only after the index that covers them */
	if (unlikely(!xnf_rsp_prod_ok(prod, q->tx.rsp_cons,
				      q->tx.req_prod_pvt))) {
		xnf_backend_broke(q, "tx response producer index out of range");
		goto unlock;
	}
	for (cons = q->tx.rsp_cons; cons != prod; cons++) {
		RING_COPY_RESPONSE(&q->tx, cons, &rsp);
		if (!xnf_tx_retire(q, &rsp))
			goto unlock;
	}
	q->tx.rsp_cons = prod;
	xnf_tx_maybe_wake(q);
unlock:
	spin_unlock(&q->tx_lock);
}

/**
 * xnf_tx_setup() - give each tx id its page and grant it to the backend
 * @q: the queue, not yet connected
 *
 * Return: 0, or -ENOMEM / -ENOSPC (grant references exhausted).
 */
int xnf_tx_setup(struct netfront_queue *q)
{
	domid_t domid = q->info->xbdev->otherend_id;
	unsigned int i;
	int ref;

	bitmap_zero(q->tx_inflight, XNF_TX_RING_SIZE);
	bitmap_zero(q->tx_ctl, XNF_TX_RING_SIZE);
	q->tx_nr_free = 0;
	for (i = 0; i < XNF_TX_RING_SIZE; i++) {
		q->tx_pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!q->tx_pages[i])
			goto free_pages;
		ref = gnttab_grant_foreign_access(domid,
						  xen_page_to_gfn(q->tx_pages[i]),
						  1);
		if (ref < 0) {
			__free_page(q->tx_pages[i]);
			q->tx_pages[i] = NULL;
			goto free_pages;
		}
		q->tx_refs[i] = ref;
		q->tx_free[q->tx_nr_free++] = XNF_TX_RING_SIZE - 1 - i;
	}
	return 0;

free_pages:
	xnf_tx_release(q);
	return -ENOMEM;
}

/**
 * xnf_tx_release() - revoke the tx page grants and free the pages
 * @q: the queue, with its event channels already closed
 *
 * A page the backend still maps is handed to the grant table code, which
 * frees it only once the backend lets go (XSA-396): never reused early.
 */
void xnf_tx_release(struct netfront_queue *q)
{
	unsigned int i, kept = 0;

	for (i = 0; i < XNF_TX_RING_SIZE; i++) {
		struct page *page = q->tx_pages[i];

		if (!page)
			continue;
		q->tx_pages[i] = NULL;
		if (gnttab_try_end_foreign_access(q->tx_refs[i])) {
			__free_page(page);
			continue;
		}
		gnttab_end_foreign_access(q->tx_refs[i], page);
		kept++;
	}
	q->tx_nr_free = 0;
	if (kept)
		netdev_warn(q->info->netdev,
			    "queue %u: backend still maps %u tx pages; they are freed once it lets go\n",
			    q->id, kept);
}

/**
 * xnf_tx_grants_in_use() - tx data grants held by this queue
 * @q: the queue
 *
 * Return: the number of tx pages currently granted.
 */
unsigned int xnf_tx_grants_in_use(struct netfront_queue *q)
{
	unsigned int i, n = 0;

	for (i = 0; i < XNF_TX_RING_SIZE; i++)
		n += !!q->tx_pages[i];
	return n;
}
