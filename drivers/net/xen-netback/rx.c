// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netback: packets to the guest (the frontend's rx ring), one kthread
 * per queue.
 *
 * ndo_start_xmit puts packets on the queue's bounded backlog; the kthread
 * takes them in order, consumes the frontend's rx buffers, fills them with
 * batched grant copies and answers.  A guest that posts no buffers costs at
 * most XNB_RX_BACKLOG_BYTES per queue: packets expire after XNB_RX_DRAIN_MS
 * and a queue without progress for XNB_RX_STALL_MS drops everything until
 * the guest posts buffers again (XSA-392).
 */
#include <linux/highmem.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/sched.h>
#include <linux/skbuff.h>
#include <xen/events.h>
#include <xen/page.h>

#include "common.h"

/* Data slots the Linux frontend accepts for one packet. */
#define XNB_RX_MAX_SLOTS	XEN_NETIF_NR_SLOTS_MIN
/* Packets taken per kthread round, to bound the latency of the others. */
#define XNB_RX_BATCH_PKTS	64

/**
 * struct xnb_rx_cb - per-packet state, in skb->cb
 * @expires: when the packet is dropped if still waiting for buffers
 * @meta: index of its first slot in the batch
 * @slots: number of slots it used
 * @hash: the frontend's hash of the packet, if @has_hash
 * @hash_type: _XEN_NETIF_CTRL_HASH_TYPE_* of @hash
 * @has_hash: the frontend asked for hashes and one applies
 */
struct xnb_rx_cb {
	unsigned long expires;
	u16 meta;
	u16 slots;
	u32 hash;
	u8 hash_type;
	bool has_hash;
};

#define XNB_RX_CB(skb)	((struct xnb_rx_cb *)(skb)->cb)

/**
 * struct xnb_rx_batch - slots and copies of the packets being delivered
 * @nr_slots: rx ring slots consumed, entries used in the queue's rx_meta
 * @nr_ops: entries used in the queue's rx_copy
 * @nr_staged: copies made into staging grants instead
 * @nr_calls: grant copy hypercalls issued
 * @done: packets whose copies are issued or queued
 */
struct xnb_rx_batch {
	unsigned int nr_slots;
	unsigned int nr_ops;
	unsigned int nr_staged;
	unsigned int nr_calls;
	struct sk_buff_head done;
};

/**
 * struct xnb_rx_cursor - where the next byte of a packet goes
 * @meta: the slot being filled
 * @dst_off: offset in its page
 * @gref: its grant
 */
struct xnb_rx_cursor {
	unsigned int meta;
	unsigned int dst_off;
	grant_ref_t gref;
};

static struct netdev_queue *xnb_txq(struct xnb_queue *q)
{
	return netdev_get_tx_queue(q->vif->dev, q->id);
}

/* With q->backlog_lock held: may the stack send to this queue again. */
static bool xnb_rx_should_wake(struct xnb_queue *q)
{
	return netif_tx_queue_stopped(xnb_txq(q)) &&
	       q->backlog_bytes < XNB_RX_BACKLOG_BYTES / 2;
}

/**
 * xnb_rx_enqueue() - hand a packet to a queue's kthread
 * @q: the queue chosen by ndo_select_queue
 * @skb: the packet; always consumed
 *
 * The queue is stopped when its backlog is full, and packets are dropped
 * outright while it is stalled.
 */
void xnb_rx_enqueue(struct xnb_queue *q, struct sk_buff *skb)
{
	struct xnb_rx_cb *cb = XNB_RX_CB(skb);
	unsigned long flags;
	bool drop = false;

	cb->has_hash = xnb_hash_skb(q->vif, skb, &cb->hash, &cb->hash_type);
	spin_lock_irqsave(&q->backlog_lock, flags);
	if (q->stalled || q->backlog_bytes >= XNB_RX_BACKLOG_BYTES) {
		drop = true;
	} else {
		XNB_RX_CB(skb)->expires = jiffies +
					  msecs_to_jiffies(XNB_RX_DRAIN_MS);
		__skb_queue_tail(&q->backlog, skb);
		q->backlog_bytes += skb->len;
		if (q->backlog_bytes >= XNB_RX_BACKLOG_BYTES)
			netif_tx_stop_queue(xnb_txq(q));
	}
	spin_unlock_irqrestore(&q->backlog_lock, flags);
	if (drop) {
		u64_stats_update_begin(&q->xmit_stats.syncp);
		u64_stats_inc(&q->xmit_stats.dropped);
		u64_stats_update_end(&q->xmit_stats.syncp);
		dev_kfree_skb_any(skb);
		return;
	}
	wake_up(&q->wq);
}

static struct sk_buff *xnb_rx_peek(struct xnb_queue *q)
{
	struct sk_buff *skb;
	unsigned long flags;

	/* Only the kthread removes packets: the head stays valid. */
	spin_lock_irqsave(&q->backlog_lock, flags);
	skb = skb_peek(&q->backlog);
	spin_unlock_irqrestore(&q->backlog_lock, flags);
	return skb;
}

static void xnb_rx_unlink(struct xnb_queue *q, struct sk_buff *skb)
{
	unsigned long flags;
	bool wake;

	spin_lock_irqsave(&q->backlog_lock, flags);
	__skb_unlink(skb, &q->backlog);
	q->backlog_bytes -= skb->len;
	wake = xnb_rx_should_wake(q);
	spin_unlock_irqrestore(&q->backlog_lock, flags);
	if (wake)
		netif_tx_wake_queue(xnb_txq(q));
}

static unsigned int xnb_rx_gso_type(const struct xnb_vif *vif,
				    const struct sk_buff *skb)
{
	if (!skb_is_gso(skb))
		return XEN_NETIF_GSO_TYPE_NONE;
	if ((skb_shinfo(skb)->gso_type & SKB_GSO_TCPV4) && vif->gso_v4)
		return XEN_NETIF_GSO_TYPE_TCPV4;
	if ((skb_shinfo(skb)->gso_type & SKB_GSO_TCPV6) && vif->gso_v6)
		return XEN_NETIF_GSO_TYPE_TCPV6;
	return XEN_NETIF_GSO_TYPE_NONE;
}

/*
 * Data slots a packet fills: the first from offset @headroom (at most
 * XNB_XDP_HEADROOM_MAX, so never a full page), the others densely from
 * offset 0.  An empty packet would still take the slot that carries its
 * response; the stack should never hand us one (packet sockets refuse
 * frames shorter than the link header), but the slot count must not
 * depend on that.
 */
static unsigned int xnb_rx_data_slots(const struct sk_buff *skb,
				      unsigned int headroom)
{
	unsigned int first = XNB_PAGE_SIZE - headroom;

	if (skb->len <= first)
		return 1;
	return 1 + DIV_ROUND_UP(skb->len - first, XNB_PAGE_SIZE);
}

/* A packet the frontend could not take: too big, or GSO it did not ask. */
static bool xnb_rx_unfit(const struct xnb_vif *vif, const struct sk_buff *skb,
			 unsigned int headroom)
{
	if (xnb_rx_data_slots(skb, headroom) > XNB_RX_MAX_SLOTS)
		return true;
	return skb_is_gso(skb) &&
	       xnb_rx_gso_type(vif, skb) == XEN_NETIF_GSO_TYPE_NONE;
}

/*
 * Are @need rx buffers posted?  If not, ask for an event when they are.
 * The producer index is checked here, once per read (XSA-39 style jumps).
 */
static bool xnb_rx_avail(struct xnb_queue *q, unsigned int need)
{
	RING_IDX cons = q->rx.req_cons, prod;

	prod = READ_ONCE(q->rx.sring->req_prod);
	virt_rmb(); /* read requests only after the producer index */
	if (xnb_check_ring_prod(prod, cons, XNB_RX_RING_SIZE)) {
		xnb_vif_fatal(q->vif, "rx producer index out of range");
		return false;
	}
	if (prod - cons >= need)
		return true;
	q->rx.sring->req_event = cons + need;
	mb(); /* publish req_event before reading req_prod again */
	prod = READ_ONCE(q->rx.sring->req_prod);
	virt_rmb(); /* read requests only after the producer index */
	return prod - cons >= need && prod - cons <= XNB_RX_RING_SIZE;
}

static unsigned int xnb_rx_take_slot(struct xnb_queue *q,
				     struct xnb_rx_batch *b,
				     grant_ref_t *gref)
{
	struct xnb_rx_meta *m = &q->rx_meta[b->nr_slots];
	struct xen_netif_rx_request req;

	RING_COPY_REQUEST(&q->rx, q->rx.req_cons, &req);
	q->rx.req_cons++;
	m->id = req.id;
	m->offset = 0;
	m->len = 0;
	m->flags = 0;
	m->failed = false;
	m->is_extra = false;
	*gref = req.gref;
	return b->nr_slots++;
}

static void xnb_rx_flush_ops(struct xnb_queue *q, struct xnb_rx_batch *b)
{
	unsigned int i;

	if (!b->nr_ops)
		return;
	gnttab_batch_copy(q->rx_copy, b->nr_ops);
	b->nr_calls++;
	/* A frontend that revoked or never granted a buffer (XSA-362). */
	for (i = 0; i < b->nr_ops; i++) {
		if (q->rx_copy[i].status != GNTST_okay)
			q->rx_meta[q->rx_copy_slot[i]].failed = true;
	}
	b->nr_ops = 0;
}

static void xnb_rx_add_op(struct xnb_queue *q, struct xnb_rx_batch *b,
			  const struct xnb_rx_cursor *c, struct page *page,
			  unsigned int off, unsigned int len)
{
	struct gnttab_copy *op;
	void *dst;

	/* A staging grant: copy now, into the mapping (staging.c). */
	rcu_read_lock();
	dst = xnb_staged_addr(q, c->gref, true);
	if (dst) {
		memcpy_from_page(dst + c->dst_off, page, off, len);
		rcu_read_unlock();
		b->nr_staged++;
		return;
	}
	rcu_read_unlock();
	if (b->nr_ops == XNB_COPY_BATCH)
		xnb_rx_flush_ops(q, b);
	op = &q->rx_copy[b->nr_ops];
	q->rx_copy_slot[b->nr_ops++] = c->meta;
	op->source.u.gmfn = xen_page_to_gfn(page);
	op->source.domid = DOMID_SELF;
	op->source.offset = off;
	op->dest.u.ref = c->gref;
	op->dest.domid = q->vif->domid;
	op->dest.offset = c->dst_off;
	op->len = len;
	op->flags = GNTCOPY_dest_gref;
}

/* Copy @len bytes at @off in @page (compound or not) to the guest. */
static void xnb_rx_copy(struct xnb_queue *q, struct xnb_rx_batch *b,
			struct xnb_rx_cursor *c, struct page *page,
			unsigned int off, unsigned int len)
{
	unsigned int n, poff;
	struct page *pg;

	while (len) {
		if (c->dst_off == XNB_PAGE_SIZE) {
			q->rx_meta[c->meta].flags |= XEN_NETRXF_more_data;
			c->meta = xnb_rx_take_slot(q, b, &c->gref);
			c->dst_off = 0;
		}
		pg = page + off / PAGE_SIZE;
		poff = off % PAGE_SIZE;
		n = min3(len, (unsigned int)PAGE_SIZE - poff,
			 XNB_PAGE_SIZE - c->dst_off);
		xnb_rx_add_op(q, b, c, pg, poff, n);
		q->rx_meta[c->meta].len += n;
		c->dst_off += n;
		off += n;
		len -= n;
	}
}

static u16 xnb_rx_csum_flags(const struct sk_buff *skb)
{
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		return XEN_NETRXF_csum_blank | XEN_NETRXF_data_validated;
	if (skb->ip_summed == CHECKSUM_UNNECESSARY)
		return XEN_NETRXF_data_validated;
	return 0;
}

/* Take a slot for an extra-info of @type; the caller fills the union. */
static struct xen_netif_extra_info *
xnb_rx_extra(struct xnb_queue *q, struct xnb_rx_batch *b, u8 type, bool more)
{
	struct xen_netif_extra_info *x;
	struct xnb_rx_meta *m;
	grant_ref_t unused;

	m = &q->rx_meta[xnb_rx_take_slot(q, b, &unused)];
	m->is_extra = true;
	x = &m->extra;
	memset(x, 0, sizeof(*x));
	x->type = type;
	x->flags = more ? XEN_NETIF_EXTRA_FLAG_MORE : 0;
	return x;
}

/*
 * GSO first, then the hash, then the XDP headroom: the order the frontends
 * expect (in-tree netback's, by type).  Each but the last has MORE set.
 */
static void xnb_rx_extras(struct xnb_queue *q, struct xnb_rx_batch *b,
			  const struct sk_buff *skb, unsigned int gso,
			  unsigned int headroom)
{
	const struct xnb_rx_cb *cb = XNB_RX_CB(skb);
	struct xen_netif_extra_info *x;

	if (gso) {
		x = xnb_rx_extra(q, b, XEN_NETIF_EXTRA_TYPE_GSO,
				 cb->has_hash || headroom);
		x->u.gso.size = skb_shinfo(skb)->gso_size;
		x->u.gso.type = gso;
	}
	if (cb->has_hash) {
		x = xnb_rx_extra(q, b, XEN_NETIF_EXTRA_TYPE_HASH, headroom);
		x->u.hash.type = cb->hash_type;
		x->u.hash.algorithm = XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ;
		memcpy(x->u.hash.value, &cb->hash, sizeof(x->u.hash.value));
	}
	if (headroom) {
		x = xnb_rx_extra(q, b, XEN_NETIF_EXTRA_TYPE_XDP, false);
		x->u.xdp.headroom = headroom;
	}
}

/**
 * xnb_rx_nr_extras() - extra-info slots of a packet to the guest
 * @vif: the interface
 * @skb: the packet
 * @headroom: the batch's XDP headroom, 0 for none
 *
 * Counts what xnb_rx_extras() writes: GSO, hash, XDP, each at most once.
 * The slots needed before a packet is started are this plus its data
 * slots, so the two must agree.
 *
 * Return: 0 to 3.
 */
static unsigned int xnb_rx_nr_extras(const struct xnb_vif *vif,
				     const struct sk_buff *skb,
				     unsigned int headroom)
{
	return !!xnb_rx_gso_type(vif, skb) + XNB_RX_CB(skb)->has_hash +
	       !!headroom;
}

/*
 * Consume the slots of one packet and queue its copies.  Its data starts
 * at @headroom in the first slot's page, and at 0 in the others.
 */
static void xnb_rx_skb(struct xnb_queue *q, struct xnb_rx_batch *b,
		       struct sk_buff *skb, unsigned int headroom)
{
	unsigned int gso = xnb_rx_gso_type(q->vif, skb), i;
	struct xnb_rx_cursor c = {};
	const skb_frag_t *f;

	XNB_RX_CB(skb)->meta = b->nr_slots;
	c.meta = xnb_rx_take_slot(q, b, &c.gref);
	c.dst_off = headroom;
	q->rx_meta[c.meta].offset = headroom;
	q->rx_meta[c.meta].flags = xnb_rx_csum_flags(skb);
	if (xnb_rx_nr_extras(q->vif, skb, headroom)) {
		q->rx_meta[c.meta].flags |= XEN_NETRXF_extra_info;
		xnb_rx_extras(q, b, skb, gso, headroom);
	}
	xnb_rx_copy(q, b, &c, virt_to_page(skb->data),
		    offset_in_page(skb->data), skb_headlen(skb));
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		f = &skb_shinfo(skb)->frags[i];
		xnb_rx_copy(q, b, &c, skb_frag_page(f), skb_frag_off(f),
			    skb_frag_size(f));
	}
	XNB_RX_CB(skb)->slots = b->nr_slots - XNB_RX_CB(skb)->meta;
}

static void xnb_rx_respond(struct xnb_queue *q, struct xnb_rx_batch *b)
{
	struct xen_netif_rx_response *rsp;
	const struct xnb_rx_meta *m;
	unsigned int i;
	int notify;

	for (i = 0; i < b->nr_slots; i++) {
		m = &q->rx_meta[i];
		rsp = RING_GET_RESPONSE(&q->rx, q->rx.rsp_prod_pvt + i);
		if (m->is_extra) {
			memcpy(rsp, &m->extra, sizeof(m->extra));
			continue;
		}
		rsp->id = m->id;
		rsp->offset = m->offset;
		rsp->flags = m->flags;
		rsp->status = m->failed ? XEN_NETIF_RSP_ERROR : m->len;
	}
	q->rx.rsp_prod_pvt += b->nr_slots;
	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&q->rx, notify);
	if (notify)
		notify_remote_via_irq(q->rx_irq);
}

static bool xnb_rx_failed(const struct xnb_queue *q, const struct sk_buff *skb)
{
	unsigned int i, first = XNB_RX_CB(skb)->meta;

	for (i = first; i < first + XNB_RX_CB(skb)->slots; i++) {
		if (q->rx_meta[i].failed)
			return true;
	}
	return false;
}

/* Finish the batch: copies, answers, counters, and free the packets. */
static void xnb_rx_complete(struct xnb_queue *q, struct xnb_rx_batch *b)
{
	struct xnb_thread_stats *st = &q->thread_stats;
	struct sk_buff *skb;

	if (!b->nr_slots)
		return;
	xnb_rx_flush_ops(q, b);
	xnb_rx_respond(q, b);
	u64_stats_update_begin(&st->syncp);
	u64_stats_add(&st->staged, b->nr_staged);
	u64_stats_add(&st->gnt_calls, b->nr_calls);
	u64_stats_update_end(&st->syncp);
	b->nr_staged = 0;
	b->nr_calls = 0;
	while ((skb = __skb_dequeue(&b->done))) {
		bool failed = xnb_rx_failed(q, skb);

		u64_stats_update_begin(&st->syncp);
		if (failed) {
			u64_stats_inc(&st->dropped);
			u64_stats_inc(&st->copy_errors);
		} else {
			u64_stats_inc(&st->packets);
			u64_stats_add(&st->bytes, skb->len);
			if (skb_is_gso(skb))
				u64_stats_inc(&st->gso);
		}
		u64_stats_update_end(&st->syncp);
		if (failed)
			kfree_skb(skb);
		else
			consume_skb(skb);
	}
	b->nr_slots = 0;
}

static void xnb_rx_drop_head(struct xnb_queue *q, struct sk_buff *skb)
{
	xnb_rx_unlink(q, skb);
	u64_stats_update_begin(&q->thread_stats.syncp);
	u64_stats_inc(&q->thread_stats.dropped);
	u64_stats_update_end(&q->thread_stats.syncp);
	kfree_skb(skb);
}

static void xnb_rx_action(struct xnb_queue *q)
{
	unsigned int need, wait_for = 1, pkts = 0, headroom;
	struct xnb_rx_batch b = {};
	struct sk_buff *skb;

	/*
	 * One value for the whole batch: the slots counted for a packet are
	 * the slots it fills.  Checked when read from XenStore (validate.c).
	 */
	headroom = READ_ONCE(q->vif->xdp_headroom);
	__skb_queue_head_init(&b.done);
	while (pkts < XNB_RX_BATCH_PKTS && (skb = xnb_rx_peek(q))) {
		if (xnb_rx_unfit(q->vif, skb, headroom)) {
			xnb_rx_drop_head(q, skb);
			continue;
		}
		need = xnb_rx_data_slots(skb, headroom) +
		       xnb_rx_nr_extras(q->vif, skb, headroom);
		if (b.nr_slots + need > XNB_RX_RING_SIZE)
			break;
		if (!xnb_rx_avail(q, need)) {
			wait_for = need;
			break;
		}
		xnb_rx_unlink(q, skb);
		xnb_rx_skb(q, &b, skb, headroom);
		__skb_queue_tail(&b.done, skb);
		pkts++;
	}
	/*
	 * Stopped at a batch limit with packets left: go on as soon as one
	 * buffer is posted, and make sure the frontend tells us when it posts
	 * one; a stale, larger rx_need would let the thread sleep until its
	 * timeout with a full ring in front of it.
	 */
	q->rx_need = wait_for;
	if (skb && wait_for == 1)
		xnb_rx_avail(q, 1);
	xnb_rx_complete(q, &b);
	if (pkts)
		q->rx_progress = jiffies;
}

/* With q->backlog_lock held: declare a stall, or end one. */
static bool xnb_rx_check_stall(struct xnb_queue *q)
{
	RING_IDX posted;

	if (q->stalled) {
		/*
		 * Any buffer ends the stall.  Waiting for a packet's worth
		 * would leave a frontend that refills a few at a time (ours,
		 * when its page pool runs dry) stalled for good: no packet
		 * is queued while stalled, so no event is ever armed for more.
		 */
		posted = READ_ONCE(q->rx.sring->req_prod) - q->rx.req_cons;
		if (posted && posted <= XNB_RX_RING_SIZE) {
			q->stalled = false;
			q->rx_progress = jiffies;
		}
		return false;
	}
	/*
	 * A frontend that never notifies cannot end a stall (nothing would
	 * wake us to see its buffers): its packets only expire.
	 */
	if (skb_queue_empty(&q->backlog) || q->vif->rx_poll) {
		q->rx_progress = jiffies;
		return false;
	}
	if (time_before(jiffies, q->rx_progress +
			msecs_to_jiffies(XNB_RX_STALL_MS)))
		return false;
	q->stalled = true;
	return true;
}

/* Drop packets that waited too long, or all of them on a stalled queue. */
static void xnb_rx_expire(struct xnb_queue *q)
{
	struct xnb_thread_stats *st = &q->thread_stats;
	struct sk_buff_head drop;
	struct sk_buff *skb;
	unsigned long flags;
	bool wake, stall, resumed;
	u32 n;

	__skb_queue_head_init(&drop);
	spin_lock_irqsave(&q->backlog_lock, flags);
	resumed = q->stalled;
	stall = xnb_rx_check_stall(q);
	resumed &= !q->stalled;
	while ((skb = skb_peek(&q->backlog)) &&
	       (q->stalled ||
		time_after_eq(jiffies, XNB_RX_CB(skb)->expires))) {
		__skb_unlink(skb, &q->backlog);
		q->backlog_bytes -= skb->len;
		__skb_queue_tail(&drop, skb);
	}
	wake = xnb_rx_should_wake(q);
	spin_unlock_irqrestore(&q->backlog_lock, flags);
	if (wake)
		netif_tx_wake_queue(xnb_txq(q));
	if (stall) {
		netdev_warn(q->vif->dev, "queue %u stalled: no rx buffers\n",
			    q->id);
		xnb_vif_queue_stalled(q->vif, true);
	}
	if (resumed) {
		netdev_info(q->vif->dev, "queue %u resumed: rx buffers posted\n",
			    q->id);
		xnb_vif_queue_stalled(q->vif, false);
	}
	n = skb_queue_len(&drop);
	if (!n && !stall)
		return;
	u64_stats_update_begin(&st->syncp);
	u64_stats_add(&st->expired, n);
	u64_stats_add(&st->dropped, n);
	u64_stats_add(&st->stalls, stall);
	u64_stats_update_end(&st->syncp);
	__skb_queue_purge(&drop);
}

/*
 * May the kthread work?  Packets wait and the buffers they need are
 * posted, or an event came.  Packets that wait for buffers must have an
 * event armed for when the frontend posts them: the last batch may have
 * emptied the backlog with buffers to spare, leaving req_event behind, and
 * a frontend that refills past a stale req_event sends no event at all.
 */
static bool xnb_rx_ready(struct xnb_queue *q)
{
	if (atomic_read(&q->rx_event))
		return true;
	if (atomic_read(&q->vif->disabled))
		return false;
	/* Stalled, the backlog stays empty: wait for the first buffer. */
	if (READ_ONCE(q->stalled))
		return xnb_rx_avail(q, 1);
	if (!skb_queue_len_lockless(&q->backlog))
		return false;
	return xnb_rx_avail(q, q->rx_need);
}

/**
 * xnb_rx_thread() - a queue's kthread: packets to the guest
 * @data: the queue
 *
 * Runs until kthread_stop(); wakes on transmits, on rx events from the
 * frontend, and periodically while packets wait, to expire them.
 *
 * Return: 0.
 */
int xnb_rx_thread(void *data)
{
	struct xnb_queue *q = data;
	long timeout;
	bool idle;
	int ev;

	while (!kthread_should_stop()) {
		/*
		 * Asleep with nothing queued, the first packet queued wakes
		 * the thread for good: it must start the expiry clock and arm
		 * the frontend's event even when no buffer is posted yet.
		 */
		idle = !skb_queue_len_lockless(&q->backlog);
		if (idle)
			timeout = MAX_SCHEDULE_TIMEOUT;
		else if (q->vif->rx_poll)
			timeout = msecs_to_jiffies(XNB_RX_POLL_MS);
		else
			timeout = msecs_to_jiffies(XNB_RX_DRAIN_MS / 4);
		wait_event_interruptible_timeout(q->wq, xnb_rx_ready(q) ||
						 (idle &&
						  skb_queue_len_lockless(&q->backlog)) ||
						 kthread_should_stop(),
						 timeout);
		if (kthread_should_stop())
			break;
		ev = atomic_xchg(&q->rx_event, 0);
		if (!atomic_read(&q->vif->disabled))
			xnb_rx_action(q);
		xnb_rx_expire(q);
		if (ev)
			xnb_queue_eoi(q, XNB_EOI_RX);
		cond_resched();
	}
	return 0;
}

/**
 * xnb_rx_purge() - free every packet of a stopped queue
 * @q: the queue, its kthread stopped
 */
void xnb_rx_purge(struct xnb_queue *q)
{
	struct sk_buff_head drop;
	unsigned long flags;

	__skb_queue_head_init(&drop);
	spin_lock_irqsave(&q->backlog_lock, flags);
	skb_queue_splice_init(&q->backlog, &drop);
	q->backlog_bytes = 0;
	q->stalled = false;
	spin_unlock_irqrestore(&q->backlog_lock, flags);
	__skb_queue_purge(&drop);
	__skb_queue_purge(&q->rx_done);
}
