// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netback: packets from the guest (the frontend's tx ring), one NAPI
 * context per queue.
 *
 * A poll reads packets off the ring into private copies, validates them,
 * lays each out over a fresh skb and queues its grant copies; one batched
 * GNTTABOP_copy then fills a whole batch of packets, after which every
 * request is answered (dropped ones included) and the packets go up the
 * stack.
 *
 * A request carrying a multicast extra is no packet but an update of the
 * frontend's filter (netif.h): it is applied and answered at once.
 */
#include <linux/etherdevice.h>
#include <linux/highmem.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/flow_dissector.h>
#include <xen/events.h>
#include <xen/page.h>

#include "common.h"

/* Grant copies one packet may need: a linear segment may cross a page. */
#define XNB_TX_MAX_OPS	(2 * XNB_TX_MAX_SEGS)

/**
 * struct xnb_tx_batch - packets read but not yet copied
 * @nr_pkts: entries used in the queue's tx_pending
 * @nr_ops: entries used in the queue's tx_copy
 * @nr_staged: segments copied from staging grants instead
 */
struct xnb_tx_batch {
	unsigned int nr_pkts;
	unsigned int nr_ops;
	unsigned int nr_staged;
};

static void xnb_tx_respond_one(struct xnb_queue *q, u16 id, s16 status)
{
	struct xen_netif_tx_response *rsp;

	rsp = RING_GET_RESPONSE(&q->tx, q->tx.rsp_prod_pvt);
	rsp->id = id;
	rsp->status = status;
	q->tx.rsp_prod_pvt++;
}

/* Every slot a packet used gets an answer; extra-info slots get NULL. */
static void xnb_tx_respond(struct xnb_queue *q, const struct xnb_tx_pending *p,
			   s16 status)
{
	unsigned int i;

	xnb_tx_respond_one(q, p->ids[0], status);
	for (i = 0; i < p->nr_extras; i++)
		xnb_tx_respond_one(q, 0, XEN_NETIF_RSP_NULL);
	for (i = 1; i < p->nr_slots; i++)
		xnb_tx_respond_one(q, p->ids[i], status);
}

static void xnb_tx_push(struct xnb_queue *q)
{
	int notify;

	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&q->tx, notify);
	if (notify)
		notify_remote_via_irq(q->tx_irq);
}

static void xnb_tx_count_drop(struct xnb_queue *q, unsigned int copy_errors)
{
	struct xnb_napi_stats *st = &q->napi_stats;

	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->dropped);
	u64_stats_add(&st->copy_errors, copy_errors);
	u64_stats_update_end(&st->syncp);
}

/* Record what answering the packet in q->tx_pkt needs. */
static void xnb_tx_fill_pending(struct xnb_queue *q, struct xnb_tx_pending *p)
{
	const struct xnb_tx_pkt *pkt = &q->tx_pkt;
	const struct xen_netif_extra_info *hash;
	unsigned int i;

	hash = &pkt->extras[XEN_NETIF_EXTRA_TYPE_HASH - 1];

	p->nr_slots = pkt->nr_slots;
	p->nr_extras = pkt->nr_extras;
	p->flags = pkt->slots[0].flags;
	for (i = 0; i < pkt->nr_slots; i++)
		p->ids[i] = pkt->slots[i].id;
	p->has_gso = pkt->extra_mask & BIT(XEN_NETIF_EXTRA_TYPE_GSO - 1);
	if (p->has_gso) {
		p->gso_size = pkt->extras[XEN_NETIF_EXTRA_TYPE_GSO - 1].u.gso.size;
		p->gso_type = pkt->extras[XEN_NETIF_EXTRA_TYPE_GSO - 1].u.gso.type;
	}
	p->has_hash = pkt->extra_mask & BIT(XEN_NETIF_EXTRA_TYPE_HASH - 1);
	p->hash_use = XNB_HASH_IGNORE;
	if (p->has_hash)
		p->hash_use = xnb_check_hash_extra(hash, &p->hash);
	p->skb = NULL;
	p->nr_ops = 0;
}

/* Copy one request slot out of the shared ring (XSA-155: once, here). */
static void xnb_tx_fetch(void *ctx, RING_IDX idx,
			 struct xen_netif_tx_request *out)
{
	struct xnb_queue *q = ctx;

	RING_COPY_REQUEST(&q->tx, idx, out);
}

/*
 * Copy @len bytes at @src_off of grant @gref to @dst_off in @page: at once
 * from the mapping when the grant is staged, else by a grant copy queued
 * in the batch.  The range lies within the grant (xnb_check_tx_packet()).
 */
static void xnb_tx_add_op(struct xnb_queue *q, struct xnb_tx_batch *b,
			  grant_ref_t gref, unsigned int src_off,
			  struct page *page, unsigned int dst_off,
			  unsigned int len)
{
	struct gnttab_copy *op;
	void *src;

	rcu_read_lock();
	src = xnb_staged_addr(q, gref, false);
	if (src) {
		memcpy_to_page(page, dst_off, src + src_off, len);
		rcu_read_unlock();
		b->nr_staged++;
		return;
	}
	rcu_read_unlock();
	op = &q->tx_copy[b->nr_ops++];

	op->source.u.ref = gref;
	op->source.domid = q->vif->domid;
	op->source.offset = src_off;
	op->dest.u.gmfn = xen_page_to_gfn(page);
	op->dest.domid = DOMID_SELF;
	op->dest.offset = dst_off;
	op->len = len;
	op->flags = GNTCOPY_source_gref;
}

/* One planned segment; a linear one is cut where the head crosses a page. */
static void xnb_tx_seg_ops(struct xnb_queue *q, struct xnb_tx_batch *b,
			   struct sk_buff *skb, const struct xnb_tx_seg *seg)
{
	grant_ref_t gref = q->tx_pkt.slots[seg->slot].gref;
	unsigned int len = seg->len, src = seg->src_off, n, off;
	void *dst;

	if (seg->frag) {
		xnb_tx_add_op(q, b, gref, src,
			      skb_frag_page(&skb_shinfo(skb)->frags[seg->frag - 1]),
			      seg->dst_off, len);
		return;
	}
	dst = skb->data + seg->dst_off;
	while (len) {
		off = offset_in_page(dst);
		n = min_t(unsigned int, len, XEN_PAGE_SIZE - off);
		xnb_tx_add_op(q, b, gref, src, virt_to_page(dst), off, n);
		dst += n;
		src += n;
		len -= n;
	}
}

static struct sk_buff *xnb_tx_alloc_skb(struct xnb_queue *q,
					const struct xnb_tx_plan *plan)
{
	struct sk_buff *skb;
	struct page *page;
	unsigned int i;

	skb = napi_alloc_skb(&q->napi, plan->linear_len);
	if (!skb)
		return NULL;
	skb_put(skb, plan->linear_len);
	for (i = 0; i < plan->nr_frags; i++) {
		page = alloc_page(GFP_ATOMIC | __GFP_NOWARN);
		if (!page) {
			kfree_skb(skb);
			return NULL;
		}
		skb_add_rx_frag(skb, i, page, 0, plan->frag_len[i], PAGE_SIZE);
	}
	return skb;
}

/* Lay the packet in q->tx_pkt out on a new skb and queue its copies. */
static int xnb_tx_build(struct xnb_queue *q, struct xnb_tx_batch *b,
			struct xnb_tx_pending *p)
{
	struct xnb_tx_plan *plan = &q->tx_plan;
	struct sk_buff *skb;
	unsigned int i;

	xnb_tx_plan(&q->tx_pkt, plan);
	skb = xnb_tx_alloc_skb(q, plan);
	if (!skb)
		return -ENOMEM;
	p->skb = skb;
	p->first_op = b->nr_ops;
	for (i = 0; i < plan->nr_segs; i++)
		xnb_tx_seg_ops(q, b, skb, &plan->seg[i]);
	p->nr_ops = b->nr_ops - p->first_op;
	return 0;
}

static int xnb_tx_offloads(struct xnb_tx_pending *p)
{
	struct sk_buff *skb = p->skb;

	if (p->has_gso) {
		skb_shinfo(skb)->gso_size = p->gso_size;
		skb_shinfo(skb)->gso_type = SKB_GSO_DODGY |
			(p->gso_type == XEN_NETIF_GSO_TYPE_TCPV4 ?
			 SKB_GSO_TCPV4 : SKB_GSO_TCPV6);
		skb_shinfo(skb)->gso_segs = 0;
	}
	if (p->has_gso || (p->flags & XEN_NETTXF_csum_blank))
		return skb_checksum_setup(skb, p->has_gso);
	if (p->flags & XEN_NETTXF_data_validated)
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	return 0;
}

/*
 * Headers longer than the linear copy area (long IPv6 extension chains,
 * TCP options) are pulled in as well: the stack and NIC drivers after us
 * may assume them linear (XSA-423).
 */
static int xnb_tx_pull_headers(struct sk_buff *skb)
{
	struct flow_keys_basic keys;
	unsigned int hlen;

	if (!skb->data_len ||
	    !skb_flow_dissect_flow_keys_basic(NULL, skb, &keys, NULL, 0, 0, 0,
					      0))
		return 0;
	hlen = keys.control.thoff;
	if (keys.basic.ip_proto == IPPROTO_TCP) {
		if (!pskb_may_pull(skb, hlen + sizeof(struct tcphdr)))
			return -EINVAL;
		hlen += ((struct tcphdr *)(skb->data + hlen))->doff * 4;
	} else if (keys.basic.ip_proto == IPPROTO_UDP) {
		hlen += sizeof(struct udphdr);
	}
	return pskb_may_pull(skb, min(hlen, skb->len)) ? 0 : -EINVAL;
}

static void xnb_tx_deliver(struct xnb_queue *q, struct xnb_tx_pending *p)
{
	struct xnb_napi_stats *st = &q->napi_stats;
	struct sk_buff *skb = p->skb;
	unsigned int len = skb->len;

	skb->protocol = eth_type_trans(skb, q->vif->dev);
	skb_reset_network_header(skb);
	if (xnb_tx_pull_headers(skb) || xnb_tx_offloads(p)) {
		xnb_tx_count_drop(q, 0);
		kfree_skb(skb);
		return;
	}
	skb_record_rx_queue(skb, q->id);
	/* The guest's claim: it only steers where its packets are handled. */
	if (p->hash_use != XNB_HASH_IGNORE)
		skb_set_hash(skb, p->hash, p->hash_use == XNB_HASH_L4 ?
			     PKT_HASH_TYPE_L4 : PKT_HASH_TYPE_L3);
	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->packets);
	u64_stats_add(&st->bytes, len);
	if (p->has_gso)
		u64_stats_inc(&st->gso);
	if (p->flags & XEN_NETTXF_csum_blank)
		u64_stats_inc(&st->csum_blank);
	if (p->has_hash && p->hash_use != XNB_HASH_IGNORE)
		u64_stats_inc(&st->hash);
	else if (p->has_hash)
		u64_stats_inc(&st->hash_ignored);
	u64_stats_update_end(&st->syncp);
	napi_gro_receive(&q->napi, skb);
}

/* Issue the batch's copies, answer every request, deliver what arrived. */
static void xnb_tx_flush(struct xnb_queue *q, struct xnb_tx_batch *b)
{
	struct xnb_tx_pending *p;
	unsigned int i, j, bad;

	if (!b->nr_pkts)
		return;
	/* Only what staging did not serve costs a hypercall. */
	if (b->nr_ops)
		gnttab_batch_copy(q->tx_copy, b->nr_ops);
	u64_stats_update_begin(&q->napi_stats.syncp);
	u64_stats_add(&q->napi_stats.staged, b->nr_staged);
	u64_stats_add(&q->napi_stats.gnt_calls, !!b->nr_ops);
	u64_stats_update_end(&q->napi_stats.syncp);
	for (i = 0; i < b->nr_pkts; i++) {
		p = &q->tx_pending[i];
		bad = 0;
		/* A bad grant or a dying domain fails the copy (XSA-362). */
		for (j = 0; j < p->nr_ops; j++)
			bad += q->tx_copy[p->first_op + j].status != GNTST_okay;
		xnb_tx_respond(q, p, bad ? XEN_NETIF_RSP_ERROR :
			       XEN_NETIF_RSP_OKAY);
		if (bad) {
			xnb_tx_count_drop(q, bad);
			kfree_skb(p->skb);
			continue;
		}
		xnb_tx_deliver(q, p);
	}
	b->nr_pkts = 0;
	b->nr_ops = 0;
	b->nr_staged = 0;
	xnb_tx_push(q);
}

static void xnb_tx_throttle(struct xnb_queue *q)
{
	u64 wait = xnb_credit_wait_ns(&q->vif->credit);

	u64_stats_update_begin(&q->napi_stats.syncp);
	u64_stats_inc(&q->napi_stats.rate_waits);
	u64_stats_update_end(&q->napi_stats.syncp);
	mod_timer(&q->credit_timer,
		  jiffies + max_t(unsigned long, 1, nsecs_to_jiffies(wait)));
}

/**
 * xnb_credit_timer_fn() - resume a queue paused by the rate limit
 * @t: the queue's credit timer
 */
void xnb_credit_timer_fn(struct timer_list *t)
{
	struct xnb_queue *q = timer_container_of(q, t, credit_timer);

	napi_schedule(&q->napi);
}

/*
 * Apply a multicast filter update and answer it.  netif.h lets a frontend
 * amend the list whether or not it asked for filtering; the list is only
 * applied while it has.  Refusals (a full list, a bad request, one that
 * xnb_tx_read_pkt() already marked for dropping, such as an extra type
 * given twice) are answered ERROR and counted; none disables the
 * interface.
 */
static void xnb_tx_mcast(struct xnb_queue *q, const struct xnb_tx_pending *p,
			 enum xnb_verdict v)
{
	struct xnb_napi_stats *st = &q->napi_stats;
	struct net_device *dev = q->vif->dev;
	const u8 *addr;
	bool add;
	int err = 0;

	if (v != XNB_OK || xnb_check_mcast(&q->tx_pkt, &add, &addr) != XNB_OK) {
		err = -EINVAL;
		if (net_ratelimit())
			netdev_warn(dev, "refused a malformed multicast filter update\n");
	} else if (add) {
		err = xnb_mcast_add(&q->vif->mcast, addr);
		if (err && net_ratelimit())
			netdev_warn(dev, "refused multicast %pM: filter full (%u addresses)\n",
				    addr, XNB_MCAST_MAX);
	} else {
		xnb_mcast_del(&q->vif->mcast, addr);
	}
	xnb_tx_respond(q, p, err ? XEN_NETIF_RSP_ERROR : XEN_NETIF_RSP_OKAY);
	u64_stats_update_begin(&st->syncp);
	if (err)
		u64_stats_inc(&st->mcast_refused);
	else
		u64_stats_inc(&st->mcast_updates);
	u64_stats_update_end(&st->syncp);
}

/* Read, check and queue one packet; false when the queue must stop. */
static bool xnb_tx_one(struct xnb_queue *q, struct xnb_tx_batch *b,
		       RING_IDX prod)
{
	struct xnb_tx_pending *p = &q->tx_pending[b->nr_pkts];
	const char *why = NULL;
	enum xnb_verdict v;
	RING_IDX cons;

	cons = q->tx.req_cons;
	v = xnb_tx_read_pkt(&q->tx_pkt, xnb_tx_fetch, q, &cons, prod, &why);
	q->tx.req_cons = cons;
	if (v == XNB_FATAL) {
		xnb_vif_fatal(q->vif, why);
		return false;
	}
	xnb_tx_fill_pending(q, p);
	if (xnb_tx_is_mcast(&q->tx_pkt)) {
		/* No data, but the rate limit bounds these as it bounds runts. */
		xnb_credit_charge(&q->vif->credit, ETH_ZLEN);
		xnb_tx_mcast(q, p, v);
		return true;
	}
	xnb_credit_charge(&q->vif->credit, q->tx_pkt.slots[0].size);
	if (v == XNB_DROP || xnb_tx_build(q, b, p)) {
		xnb_tx_respond(q, p, v == XNB_DROP ? XEN_NETIF_RSP_ERROR :
			       XEN_NETIF_RSP_DROPPED);
		xnb_tx_count_drop(q, 0);
		return true;
	}
	b->nr_pkts++;
	if (b->nr_pkts == XNB_TX_BATCH_PKTS ||
	    b->nr_ops + XNB_TX_MAX_OPS > XNB_COPY_BATCH)
		xnb_tx_flush(q, b);
	return true;
}

/* Returns packets handled; *throttled when the rate limit stopped us. */
static int xnb_tx_action(struct xnb_queue *q, int budget, bool *throttled)
{
	struct xnb_tx_batch b = {};
	RING_IDX prod;
	int done = 0;

	while (done < budget) {
		prod = READ_ONCE(q->tx.sring->req_prod);
		virt_rmb(); /* read requests only after the producer index */
		if (xnb_check_ring_prod(prod, q->tx.req_cons,
					XNB_TX_RING_SIZE)) {
			xnb_vif_fatal(q->vif, "tx producer index out of range");
			break;
		}
		if (prod == q->tx.req_cons)
			break;
		if (!xnb_credit_may_send(&q->vif->credit, ktime_get_ns())) {
			*throttled = true;
			xnb_tx_throttle(q);
			break;
		}
		if (!xnb_tx_one(q, &b, prod))
			break;
		done++;
	}
	xnb_tx_flush(q, &b);
	xnb_tx_push(q);
	return done;
}

/**
 * xnb_tx_poll() - NAPI poll: packets from the guest
 * @napi: the queue's NAPI context
 * @budget: packets allowed
 *
 * Return: packets handled.
 */
int xnb_tx_poll(struct napi_struct *napi, int budget)
{
	struct xnb_queue *q = container_of(napi, struct xnb_queue, napi);
	bool throttled = false;
	int done = 0, more;

	BUILD_BUG_ON(XNB_PAGE_SIZE != XEN_PAGE_SIZE);
	BUILD_BUG_ON(XNB_TX_MAX_FRAGS > MAX_SKB_FRAGS);

	if (!atomic_read(&q->vif->disabled))
		done = xnb_tx_action(q, budget, &throttled);
	if (done >= budget || !napi_complete_done(napi, done))
		return done;
	/*
	 * Throttled: keep the EOI until the credit timer's poll has done the
	 * work.  The channel stays masked meanwhile, so a guest that keeps
	 * notifying while over its rate costs no interrupt per event
	 * (XSA-332); acknowledging here would let every one of its events
	 * count as real work.
	 */
	if (throttled)
		return done;
	xnb_queue_eoi(q, XNB_EOI_TX);
	if (atomic_read(&q->vif->disabled))
		return done;
	RING_FINAL_CHECK_FOR_REQUESTS(&q->tx, more);
	if (more)
		napi_schedule(napi);
	return done;
}
