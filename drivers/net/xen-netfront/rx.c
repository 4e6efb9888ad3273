// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netfront: the receive path, NAPI and event handling.
 *
 * Each rx slot k of a queue has its own grant reference for the life of the
 * connection; a refill takes a page from the queue's page pool, grants it
 * writable to the backend in slot k and posts request id k.  A response in
 * slot k must carry id k.  Once a packet's responses are copied out and
 * checked (validate.c), each slot's grant is ended - which fails if the
 * backend still maps the page, in which case the page is never used again
 * while mapped - and only then do the pages go up the stack as skb
 * fragments.  Freed
 * skbs return their pages to the pool, so a steady stream refills without
 * allocating.
 *
 * Staging (ctrl.c): a backend that maps our staging grants writes into
 * them without a grant copy.  Then slot k is posted with its own staging
 * page, granted for the whole connection, instead of a pool page.  That
 * page stays writable by the backend, so it never goes up the stack:
 * each response's bytes are copied once into a pool page, and only the
 * copy is used.  Nothing but what the backend wrote is ever in it.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "netfront.h"

#define XNF_RX_MASK	(XNF_RX_RING_SIZE - 1)

static void xnf_rx_get(void *ctx, RING_IDX idx, union xnf_rx_slot *out)
{
	struct netfront_queue *q = ctx;

	RING_COPY_RESPONSE(&q->rx, idx, &out->rsp);
}

/**
 * xnf_rx_count() - add one to an rx counter of a queue
 * @q: the queue, from its NAPI context
 * @counter: a field of @q->rx_stats
 */
void xnf_rx_count(struct netfront_queue *q, u64 *counter)
{
	u64_stats_update_begin(&q->rx_syncp);
	(*counter)++;
	u64_stats_update_end(&q->rx_syncp);
}

/*
 * Hand slot @k's grant, which the backend still maps, to the grant code
 * and let go of its page.  The grant code keeps a reference of its own
 * until the backend unmaps, so the pool sees an elevated count and
 * releases the page instead of recycling it (XSA-396): the page is never
 * reused while mapped, and the pool's in-flight count still drops, so
 * page_pool_destroy() does not wait on it forever.
 */
static void xnf_rx_abandon(struct netfront_queue *q, unsigned int k,
			   struct page *page)
{
	gnttab_end_foreign_access(q->rx_refs[k], NULL);
	q->rx_refs[k] = INVALID_GRANT_REF;
	page_pool_put_full_page(q->pool, page, false);
}

/* The data response of ring slot @i of @pkt; NULL for an extra's slot. */
static const struct xen_netif_rx_response *
xnf_rx_slot_rsp(const struct xnf_rx_pkt *pkt, unsigned int i)
{
	unsigned int nr_extras = hweight_long(pkt->extra_mask);

	if (!i)
		return &pkt->data[0];
	if (i <= nr_extras || i - nr_extras >= pkt->nr_data)
		return NULL;
	return &pkt->data[i - nr_extras];
}

/*
 * Copy what the backend wrote into slot @k's staging page, as @rsp
 * describes it (checked against the page by xnf_rx_scan()), into a pool
 * page at the same offset.  Returns false when no page is to be had.
 */
static bool xnf_rx_copy_out(struct netfront_queue *q, unsigned int k,
			    const struct xen_netif_rx_response *rsp,
			    struct page **page)
{
	*page = NULL;
	if (!rsp || rsp->status <= 0)
		return true;
	*page = page_pool_alloc_pages(q->pool, GFP_ATOMIC | __GFP_NOWARN);
	if (!*page) {
		xnf_rx_count(q, &q->rx_stats.alloc_fail);
		return false;
	}
	memcpy(page_address(*page) + rsp->offset,
	       page_address(q->rx_stage[k]) + rsp->offset, rsp->status);
	xnf_rx_count(q, &q->rx_stats.staged);
	return true;
}

/*
 * Take back the pages of @pkt's slots from @cons, ending their grants;
 * a slot posted with its staging page gives a copy instead (when @copy:
 * a packet to deliver), and *@nomem is set if a copy found no page.
 * Returns false if the backend still maps a pool page: that page is
 * abandoned (see xnf_rx_abandon()) and its slot stays unused.
 */
static bool xnf_rx_take(struct netfront_queue *q, RING_IDX cons,
			const struct xnf_rx_pkt *pkt, bool copy,
			struct page **pages, bool *nomem)
{
	bool ok = true;
	unsigned int i;

	for (i = 0; i < pkt->nr_slots; i++) {
		unsigned int k = (cons + i) & XNF_RX_MASK;

		if (__test_and_clear_bit(k, q->rx_slot_staged)) {
			pages[i] = NULL;
			if (copy && !xnf_rx_copy_out(q, k,
						     xnf_rx_slot_rsp(pkt, i),
						     &pages[i]))
				*nomem = true;
			continue;
		}
		pages[i] = q->rx_pages[k];
		q->rx_pages[k] = NULL;
		if (gnttab_end_foreign_access_ref(q->rx_refs[k]))
			continue;
		xnf_rx_abandon(q, k, pages[i]);
		pages[i] = NULL;
		ok = false;
	}
	return ok;
}

static void xnf_rx_recycle(struct netfront_queue *q, struct page **pages,
			   unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (pages[i])
			page_pool_put_full_page(q->pool, pages[i], true);
}

/* Attach the data slots' pages to @skb; the extras sit after data[0]. */
static bool xnf_rx_add_frags(struct netfront_queue *q, struct sk_buff *skb,
			     const struct xnf_rx_pkt *pkt, struct page **pages)
{
	unsigned int nr_extras = hweight_long(pkt->extra_mask);
	unsigned int j, slot;

	for (j = 0; j < pkt->nr_data; j++) {
		const struct xen_netif_rx_response *rsp = &pkt->data[j];

		slot = j ? j + nr_extras : 0;
		if (rsp->status == 0)
			continue;
		if (skb_shinfo(skb)->nr_frags == MAX_SKB_FRAGS)
			return false;
		skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags, pages[slot],
				rsp->offset, rsp->status, PAGE_SIZE);
		pages[slot] = NULL;
	}
	return true;
}

/* GSO and checksum state as the backend described them. */
static bool xnf_rx_offloads(struct netfront_queue *q, struct sk_buff *skb,
			    const struct xnf_rx_pkt *pkt)
{
	const struct xen_netif_extra_info *gso =
		&pkt->extras[XEN_NETIF_EXTRA_TYPE_GSO];
	bool blank = pkt->data[0].flags & XEN_NETRXF_csum_blank;
	bool is_gso = test_bit(XEN_NETIF_EXTRA_TYPE_GSO, &pkt->extra_mask);

	if (is_gso) {
		skb_shinfo(skb)->gso_size = gso->u.gso.size;
		skb_shinfo(skb)->gso_type = SKB_GSO_DODGY |
			(gso->u.gso.type == XEN_NETIF_GSO_TYPE_TCPV6 ?
			 SKB_GSO_TCPV6 : SKB_GSO_TCPV4);
		skb_shinfo(skb)->gso_segs = 0;
		xnf_rx_count(q, &q->rx_stats.gso_packets);
	}
	if (blank || is_gso) {
		if (skb_checksum_setup(skb, !blank))
			return false;
		xnf_rx_count(q, &q->rx_stats.csum_partial);
	} else if (pkt->data[0].flags & XEN_NETRXF_data_validated) {
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	}
	return true;
}

/* The backend's hash of the packet (RSS over the control ring). */
static void xnf_rx_set_hash(struct sk_buff *skb, const struct xnf_rx_pkt *pkt)
{
	const struct xen_netif_extra_info *ex =
		&pkt->extras[XEN_NETIF_EXTRA_TYPE_HASH];

	if (!test_bit(XEN_NETIF_EXTRA_TYPE_HASH, &pkt->extra_mask))
		return;
	switch (xnf_rx_hash_kind(ex)) {
	case XNF_HASH_L3:
		skb_set_hash(skb, get_unaligned_le32(ex->u.hash.value),
			     PKT_HASH_TYPE_L3);
		break;
	case XNF_HASH_L4:
		skb_set_hash(skb, get_unaligned_le32(ex->u.hash.value),
			     PKT_HASH_TYPE_L4);
		break;
	default:
		break;
	}
}

/**
 * xnf_rx_prepare() - headers of an skb whose data is in place, as the
 *	stack wants them
 * @q: the queue, in NAPI
 * @skb: the packet: a small head, its data in page fragments
 * @pkt: its checked responses
 * @offloads: apply the GSO and checksum state @pkt describes; false for a
 *	frame xdp.c cut out of a GSO packet, whose checksums are complete
 *
 * The head gets the first bytes, the link-layer header is taken off
 * (eth_type_trans()) and the network header set.
 *
 * Return: false when the headers do not allow that (the caller drops the
 * skb, which is marked for page-pool recycling).
 */
bool xnf_rx_prepare(struct netfront_queue *q, struct sk_buff *skb,
		    const struct xnf_rx_pkt *pkt, bool offloads)
{
	skb_mark_for_recycle(skb);
	if (!__pskb_pull_tail(skb, min_t(unsigned int, skb->len, XNF_RX_PULL)))
		return false;
	skb->protocol = eth_type_trans(skb, q->info->netdev);
	skb_reset_network_header(skb);
	return !offloads || xnf_rx_offloads(q, skb, pkt);
}

/**
 * xnf_rx_finish() - pass up an skb whose data is in place
 * @q: the queue, in NAPI
 * @skb: the packet: a small head, its data in page fragments
 * @pkt: its checked responses, for the offloads and the hash
 * @offloads: as for xnf_rx_prepare()
 *
 * The skb is consumed: passed to GRO, or dropped and counted.
 */
void xnf_rx_finish(struct netfront_queue *q, struct sk_buff *skb,
		   const struct xnf_rx_pkt *pkt, bool offloads)
{
	if (!xnf_rx_prepare(q, skb, pkt, offloads))
		goto drop;
	xnf_rx_set_hash(skb, pkt);
	skb_record_rx_queue(skb, q->id);

	u64_stats_update_begin(&q->rx_syncp);
	q->rx_stats.packets++;
	q->rx_stats.bytes += skb->len;
	u64_stats_update_end(&q->rx_syncp);
	napi_gro_receive(&q->napi, skb);
	return;

drop:
	kfree_skb(skb);
	xnf_rx_count(q, &q->rx_stats.drops);
	net_warn_ratelimited("%s: queue %u: rx packet dropped (no memory or bad headers)\n",
			     q->info->netdev->name, q->id);
}

/* Build the skb of a checked packet and pass it up. */
static void xnf_rx_deliver(struct netfront_queue *q,
			   const struct xnf_rx_pkt *pkt, struct page **pages)
{
	struct sk_buff *skb;

	skb = napi_alloc_skb(&q->napi, XNF_RX_PULL);
	if (unlikely(!skb)) {
		xnf_rx_count(q, &q->rx_stats.drops);
		return;
	}
	if (!xnf_rx_add_frags(q, skb, pkt, pages)) {
		skb_mark_for_recycle(skb);
		kfree_skb(skb);
		xnf_rx_count(q, &q->rx_stats.drops);
		return;
	}
	xnf_rx_finish(q, skb, pkt, true);
}

/*
 * One packet at rx.rsp_cons; returns false when the loop must stop.  With
 * an XDP program attached, a well-formed packet goes to it (xdp.c) with
 * its staged slots not yet copied: the program's own buffer is the copy.
 */
static bool xnf_rx_one(struct netfront_queue *q, RING_IDX prod,
		       struct bpf_prog *prog, unsigned int *flush)
{
	struct page *pages[XNF_RX_MAX_DATA_SLOTS + XNF_RX_MAX_EXTRAS];
	RING_IDX cons = q->rx.rsp_cons;
	enum xnf_rx_verdict v;
	struct xnf_rx_pkt pkt;
	bool nomem = false;

	v = xnf_rx_scan(&pkt, xnf_rx_get, q, cons, prod);
	if (v == XNF_RX_INCOMPLETE) {
		/* Wait for the rest, without polling until it comes. */
		q->rx_wait_prod = prod;
		q->rx_incomplete = true;
		return false;
	}
	if (v == XNF_RX_FATAL) {
		xnf_backend_broke(q, pkt.reason);
		return false;
	}
	if (!xnf_rx_take(q, cons, &pkt, v == XNF_RX_OK && !prog, pages,
			 &nomem)) {
		xnf_rx_recycle(q, pages, pkt.nr_slots);
		xnf_backend_broke(q, "backend kept an rx page it had answered for");
		return false;
	}
	q->rx.rsp_cons += pkt.nr_slots;
	if (v == XNF_RX_DROP) {
		xnf_rx_count(q, &q->rx_stats.errors);
		net_warn_ratelimited("%s: queue %u: rx packet dropped: error status or unusable layout from the backend\n",
				     q->info->netdev->name, q->id);
	} else if (prog) {
		xnf_xdp_rx(q, prog, &pkt, cons, pages, flush);
	} else if (nomem) {
		xnf_rx_count(q, &q->rx_stats.drops);
		net_warn_ratelimited("%s: queue %u: rx packet dropped (no memory)\n",
				     q->info->netdev->name, q->id);
	} else {
		xnf_rx_deliver(q, &pkt, pages);
	}
	xnf_rx_recycle(q, pages, pkt.nr_slots);
	return true;
}

static int xnf_rx_poll(struct netfront_queue *q, int budget)
{
	unsigned int flush = 0;
	struct bpf_prog *prog;
	RING_IDX prod;
	int done = 0;

	prod = READ_ONCE(q->rx.sring->rsp_prod);
	virt_rmb(); /* read responses only after the index that covers them */
	if (unlikely(!xnf_rsp_prod_ok(prod, q->rx.rsp_cons,
				      q->rx.req_prod_pvt))) {
		xnf_backend_broke(q, "rx response producer index out of range");
		return 0;
	}
	q->rx_incomplete = false;
	prog = rcu_dereference_bh(q->info->xdp_prog);
	while (done < budget && q->rx.rsp_cons != prod) {
		if (!xnf_rx_one(q, prod, prog, &flush))
			break;
		done++;
	}
	if (flush)
		xnf_xdp_flush(q, flush);
	return done;
}

/**
 * xnf_rx_refill() - post a buffer in every free rx slot
 * @q: the queue
 * @gfp: allocation context
 *
 * Pages come from the queue's pool, zeroed before they are granted; when
 * the pool runs dry the refill timer retries later.
 */
void xnf_rx_refill(struct netfront_queue *q, gfp_t gfp)
{
	domid_t domid = q->info->xbdev->otherend_id;
	RING_IDX prod = q->rx.req_prod_pvt;
	int notify;

	while (prod - q->rx.rsp_cons < XNF_RX_RING_SIZE) {
		unsigned int k = prod & XNF_RX_MASK;
		struct xen_netif_rx_request *req;
		struct page *page;

		if (q->rx_refs[k] == INVALID_GRANT_REF)
			break;
		req = RING_GET_REQUEST(&q->rx, prod);
		req->id = k;
		/* Its staging page: granted, and mapped by the backend. */
		if (smp_load_acquire(&q->rx_stage_on)) {
			__set_bit(k, q->rx_slot_staged);
			req->gref = q->rx_stage_refs[k];
			prod++;
			continue;
		}
		page = page_pool_alloc_pages(q->pool, gfp);
		if (!page) {
			xnf_rx_count(q, &q->rx_stats.alloc_fail);
			mod_timer(&q->refill_timer, jiffies + HZ / 10);
			break;
		}
		/*
		 * The backend may read what it is granted, not only write it
		 * (XSA-403): a fresh page holds whatever the guest freed, and
		 * a recycled one the packet it carried, possibly rewritten in
		 * place by the stack (decrypted, for one).  Zero every page.
		 */
		clear_page(page_address(page));
		gnttab_page_grant_foreign_access_ref_one(q->rx_refs[k], domid,
							 page, 0);
		q->rx_pages[k] = page;
		req->gref = q->rx_refs[k];
		prod++;
	}
	if (prod == q->rx.req_prod_pvt)
		return;
	q->rx.req_prod_pvt = prod;
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->rx, notify);
	if (notify)
		notify_remote_via_irq(q->rx_irq);
}

/**
 * xnf_refill_timer() - retry an rx refill that found no memory
 * @t: the queue's refill timer
 */
void xnf_refill_timer(struct timer_list *t)
{
	struct netfront_queue *q = timer_container_of(q, t, refill_timer);

	napi_schedule(&q->napi);
}

/* NAPI is done: ask for the next events and EOI the channels that fired. */
static void xnf_poll_rearm(struct netfront_queue *q)
{
	int more_tx, more_rx;

	RING_FINAL_CHECK_FOR_RESPONSES(&q->tx, more_tx);
	if (q->rx_incomplete) {
		/* A packet's slots are partly produced: wake on the next one. */
		q->rx.sring->rsp_event = q->rx_wait_prod + 1;
		virt_mb(); /* publish rsp_event before re-reading rsp_prod */
		more_rx = READ_ONCE(q->rx.sring->rsp_prod) != q->rx_wait_prod;
	} else {
		RING_FINAL_CHECK_FOR_RESPONSES(&q->rx, more_rx);
	}
	if (more_tx || more_rx)
		napi_schedule(&q->napi);
	if (test_and_clear_bit(XNF_EOI_TX, &q->eoi_pending))
		xen_irq_lateeoi(q->tx_irq, 0);
	if (test_and_clear_bit(XNF_EOI_RX, &q->eoi_pending))
		xen_irq_lateeoi(q->rx_irq, 0);
}

/**
 * xnf_poll() - NAPI poll: reclaim tx ids, receive, refill
 * @napi: the queue's NAPI context
 * @budget: most packets to receive
 *
 * A queue whose backend broke the protocol is left alone, its channels
 * without EOI, until the device is torn down.
 *
 * Return: packets received.
 */
int xnf_poll(struct napi_struct *napi, int budget)
{
	struct netfront_queue *q = container_of(napi, struct netfront_queue,
						napi);
	int done = 0;

	if (likely(!READ_ONCE(q->broken))) {
		xnf_tx_complete(q);
		done = xnf_rx_poll(q, budget);
	}
	if (unlikely(READ_ONCE(q->broken))) {
		napi_complete(napi);
		return 0;
	}
	xnf_rx_refill(q, GFP_ATOMIC | __GFP_NOWARN);
	if (done < budget && napi_complete_done(napi, done))
		xnf_poll_rearm(q);
	return done;
}

static irqreturn_t xnf_event(struct netfront_queue *q, int irq,
			     unsigned int eoi_bit, bool work)
{
	atomic64_inc(&q->events);
	if (!work) {
		/* Nothing to do: delay the EOI, which tames event storms. */
		atomic64_inc(&q->spurious);
		xen_irq_lateeoi(irq, XEN_EOI_FLAG_SPURIOUS);
		return IRQ_HANDLED;
	}
	set_bit(eoi_bit, &q->eoi_pending);
	napi_schedule(&q->napi);
	return IRQ_HANDLED;
}

/**
 * xnf_tx_interrupt() - tx event channel (split mode)
 * @irq: the irq
 * @dev_id: the queue
 *
 * Return: IRQ_HANDLED.
 */
irqreturn_t xnf_tx_interrupt(int irq, void *dev_id)
{
	struct netfront_queue *q = dev_id;

	return xnf_event(q, irq, XNF_EOI_TX,
			 xnf_new_responses(&q->tx.sring->rsp_prod,
					   &q->tx_seen_prod));
}

/**
 * xnf_rx_interrupt() - rx event channel (split mode)
 * @irq: the irq
 * @dev_id: the queue
 *
 * Return: IRQ_HANDLED.
 */
irqreturn_t xnf_rx_interrupt(int irq, void *dev_id)
{
	struct netfront_queue *q = dev_id;

	return xnf_event(q, irq, XNF_EOI_RX,
			 xnf_new_responses(&q->rx.sring->rsp_prod,
					   &q->rx_seen_prod));
}

/**
 * xnf_interrupt() - the single event channel of a queue
 * @irq: the irq
 * @dev_id: the queue
 *
 * Return: IRQ_HANDLED.
 */
irqreturn_t xnf_interrupt(int irq, void *dev_id)
{
	struct netfront_queue *q = dev_id;
	bool tx, rx;

	tx = xnf_new_responses(&q->tx.sring->rsp_prod, &q->tx_seen_prod);
	rx = xnf_new_responses(&q->rx.sring->rsp_prod, &q->rx_seen_prod);
	return xnf_event(q, irq, XNF_EOI_TX, tx || rx);
}

/**
 * xnf_rx_setup() - rx page pool and per-slot grant references
 * @q: the queue, not yet connected
 *
 * Return: 0, -ENOMEM, or -ENOSPC when grant references run out.
 */
int xnf_rx_setup(struct netfront_queue *q)
{
	struct page_pool_params pp = {
		.order = 0,
		.pool_size = XNF_RX_RING_SIZE,
		.nid = NUMA_NO_NODE,
	};
	grant_ref_t head;
	unsigned int i;
	int err;

	q->pool = page_pool_create(&pp);
	if (IS_ERR(q->pool)) {
		err = PTR_ERR(q->pool);
		q->pool = NULL;
		return err;
	}
	err = gnttab_alloc_grant_references(XNF_RX_RING_SIZE, &head);
	if (err) {
		page_pool_destroy(q->pool);
		q->pool = NULL;
		return err;
	}
	for (i = 0; i < XNF_RX_RING_SIZE; i++) {
		q->rx_refs[i] = gnttab_claim_grant_reference(&head);
		q->rx_pages[i] = NULL;
	}
	err = xnf_xdp_rxq_reg(q);
	if (err) {
		for (i = 0; i < XNF_RX_RING_SIZE; i++)
			gnttab_free_grant_reference(q->rx_refs[i]);
		page_pool_destroy(q->pool);
		q->pool = NULL;
	}
	return err;
}

/* Grant references staging leaves free for queue changes, other devices. */
#define XNF_STAGE_SPARE		XNF_RX_RING_SIZE

/**
 * xnf_rx_stage_setup() - the staging pages of a queue's rx slots
 * @q: the queue, connected; ctrl.lock held (the queue set stays)
 *
 * One zeroed page per slot, granted writable for the rest of the
 * connection, for the backend to map.  Nothing is posted with them until
 * ctrl.c sets rx_stage_on.  Done once per connection; xnf_rx_release()
 * ends the grants.  Staging takes grant references only with as many
 * again to spare: it never takes the last ones a queue change or another
 * device would need.
 *
 * Return: 0, or -ENOMEM / -ENOSPC (grant references short): no rx
 * staging for this queue, everything else as before.
 */
int xnf_rx_stage_setup(struct netfront_queue *q)
{
	domid_t domid = q->info->xbdev->otherend_id;
	grant_ref_t head;
	unsigned int i;

	if (q->rx_stage[XNF_RX_RING_SIZE - 1])
		return 0;
	if (gnttab_alloc_grant_references(XNF_RX_RING_SIZE + XNF_STAGE_SPARE,
					  &head))
		return -ENOSPC;
	gnttab_free_grant_references(head);
	if (gnttab_alloc_grant_references(XNF_RX_RING_SIZE, &head))
		return -ENOSPC;
	for (i = 0; i < XNF_RX_RING_SIZE; i++) {
		q->rx_stage[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!q->rx_stage[i])
			goto fail;
		q->rx_stage_refs[i] = gnttab_claim_grant_reference(&head);
		gnttab_grant_foreign_access_ref(q->rx_stage_refs[i], domid,
						xen_page_to_gfn(q->rx_stage[i]),
						0);
	}
	return 0;

fail:
	gnttab_free_grant_references(head);
	while (i--) {
		gnttab_end_foreign_access(q->rx_stage_refs[i], q->rx_stage[i]);
		q->rx_stage[i] = NULL;
	}
	return -ENOMEM;
}

/*
 * End the staging grants.  A page the backend still maps goes to the grant
 * code, which frees it once the backend lets go (XSA-396): never reused.
 */
static void xnf_rx_stage_release(struct netfront_queue *q)
{
	unsigned int i, kept = 0;

	q->rx_stage_on = false;
	bitmap_zero(q->rx_slot_staged, XNF_RX_RING_SIZE);
	for (i = 0; i < XNF_RX_RING_SIZE && q->rx_stage[i]; i++) {
		if (gnttab_try_end_foreign_access(q->rx_stage_refs[i])) {
			__free_page(q->rx_stage[i]);
		} else {
			kept++;
			gnttab_end_foreign_access(q->rx_stage_refs[i],
						  q->rx_stage[i]);
		}
		q->rx_stage[i] = NULL;
	}
	if (kept)
		netdev_warn(q->info->netdev,
			    "queue %u: backend still maps %u rx staging pages; freed when it lets go\n",
			    q->id, kept);
}

/**
 * xnf_rx_release() - take back every posted rx buffer, free the pool
 * @q: the queue, with NAPI stopped and event channels closed
 */
void xnf_rx_release(struct netfront_queue *q)
{
	unsigned int i, kept = 0;

	if (!q->pool)
		return;
	for (i = 0; i < XNF_RX_RING_SIZE; i++) {
		struct page *page = q->rx_pages[i];

		q->rx_pages[i] = NULL;
		if (q->rx_refs[i] == INVALID_GRANT_REF)
			continue;
		if (page && !gnttab_end_foreign_access_ref(q->rx_refs[i])) {
			xnf_rx_abandon(q, i, page);
			kept++;
			continue;
		}
		if (page)
			page_pool_put_full_page(q->pool, page, false);
		gnttab_free_grant_reference(q->rx_refs[i]);
	}
	if (kept)
		netdev_warn(q->info->netdev,
			    "queue %u: backend still maps %u rx pages; they are abandoned\n",
			    q->id, kept);
	xnf_rx_stage_release(q);
	xnf_xdp_rxq_unreg(q);
	page_pool_destroy(q->pool);
	q->pool = NULL;
}

/**
 * xnf_rx_posted() - rx buffers (and so rx grants) the backend holds
 * @q: the queue
 *
 * Return: the number of posted rx buffers.
 */
unsigned int xnf_rx_posted(struct netfront_queue *q)
{
	return q->rx.req_prod_pvt - q->rx.rsp_cons;
}

/**
 * xnf_rx_grants_in_use() - grant references the queue's rx side holds
 * @q: the queue
 *
 * Return: one per slot (claimed at set-up, whether a page is posted in it
 * or not; a slot whose page was abandoned has handed its reference on),
 * and the staging pages' once they are set up.
 */
unsigned int xnf_rx_grants_in_use(struct netfront_queue *q)
{
	unsigned int k, n = 0;

	for (k = 0; k < XNF_RX_RING_SIZE; k++)
		n += q->rx_refs[k] != INVALID_GRANT_REF;
	return n + (q->rx_stage[XNF_RX_RING_SIZE - 1] ? XNF_RX_RING_SIZE : 0);
}
