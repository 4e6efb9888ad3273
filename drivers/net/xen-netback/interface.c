// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netback: the net_device of each interface, its queues' life cycle and
 * event channels.
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/interrupt.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <xen/events.h>
#include <xen/xen.h>

#include "common.h"

#define XNB_NAPI_WEIGHT	64

/* Work the tx side has, read from the shared ring as a hint only. */
static bool xnb_tx_has_work(struct xnb_queue *q)
{
	return RING_HAS_UNCONSUMED_REQUESTS(&q->tx);
}

/* New rx buffers since the last event: without them an event is spurious. */
static bool xnb_rx_has_work(struct xnb_queue *q)
{
	RING_IDX prod = READ_ONCE(q->rx.sring->req_prod);

	if (prod == q->rx_seen_prod)
		return false;
	q->rx_seen_prod = prod;
	return true;
}

static void xnb_kick(struct xnb_queue *q, unsigned int which)
{
	atomic_or(which, &q->eoi_pending);
	/* Whoever sees the work must see the pending EOI it owes. */
	smp_mb__after_atomic();
	if (which & XNB_EOI_TX)
		napi_schedule(&q->napi);
	if (which & XNB_EOI_RX) {
		atomic_set(&q->rx_event, 1);
		wake_up(&q->wq);
	}
}

/*
 * Event handlers use late EOI: the event channel stays masked until the
 * NAPI poll or the kthread has done the work, and an event that brought
 * none is reported spurious, so that a frontend flooding events (XSA-332)
 * is throttled by Xen's event code instead of owning a CPU.
 */
static irqreturn_t xnb_tx_interrupt(int irq, void *dev_id)
{
	struct xnb_queue *q = dev_id;

	if (xnb_tx_has_work(q))
		xnb_kick(q, XNB_EOI_TX);
	else
		xen_irq_lateeoi(irq, XEN_EOI_FLAG_SPURIOUS);
	return IRQ_HANDLED;
}

static irqreturn_t xnb_rx_interrupt(int irq, void *dev_id)
{
	struct xnb_queue *q = dev_id;

	if (xnb_rx_has_work(q))
		xnb_kick(q, XNB_EOI_RX);
	else
		xen_irq_lateeoi(irq, XEN_EOI_FLAG_SPURIOUS);
	return IRQ_HANDLED;
}

static irqreturn_t xnb_interrupt(int irq, void *dev_id)
{
	struct xnb_queue *q = dev_id;
	unsigned int which = 0;

	if (xnb_tx_has_work(q))
		which |= XNB_EOI_TX;
	if (xnb_rx_has_work(q))
		which |= XNB_EOI_RX;
	if (which)
		xnb_kick(q, which);
	else
		xen_irq_lateeoi(irq, XEN_EOI_FLAG_SPURIOUS);
	return IRQ_HANDLED;
}

/**
 * xnb_queue_eoi() - signal that the work an event announced is done
 * @q: the queue
 * @which: XNB_EOI_TX or XNB_EOI_RX
 *
 * With one event channel for both directions, the EOI goes out once both
 * sides that the event woke have finished.  Calls for a side that no event
 * woke (a timer, a transmit) do nothing.
 */
void xnb_queue_eoi(struct xnb_queue *q, unsigned int which)
{
	unsigned int old = atomic_fetch_andnot(which, &q->eoi_pending);

	if (!(old & which))
		return;
	if (q->split_evtchn)
		xen_irq_lateeoi(which == XNB_EOI_RX ? q->rx_irq : q->tx_irq, 0);
	else if (old == which)
		xen_irq_lateeoi(q->tx_irq, 0);
}

/*
 * Bind one event channel with its irq left disabled, note the irq, and
 * only then let events in: a frontend that is already transmitting sends
 * an event as soon as we bind, and its handler and the NAPI poll it
 * schedules need the irq number for the late EOI.  Losing that EOI would
 * leave the channel masked and the queue silent for good.
 */
static int xnb_bind_one(struct xnb_queue *q, evtchn_port_t port,
			irq_handler_t handler, unsigned int slot,
			unsigned int *irq)
{
	int ret;

	ret = bind_interdomain_evtchn_to_irqhandler_lateeoi(q->vif->xbdev,
							    port, handler,
							    IRQF_NO_AUTOEN,
							    q->irq_name[slot],
							    q);
	if (ret < 0)
		return ret;
	*irq = ret;
	return 0;
}

static int xnb_queue_bind(struct xnb_queue *q, evtchn_port_t tx_evtchn,
			  evtchn_port_t rx_evtchn)
{
	int err;

	q->split_evtchn = tx_evtchn != rx_evtchn;
	if (!q->split_evtchn) {
		snprintf(q->irq_name[0], sizeof(q->irq_name[0]), "%s", q->name);
		err = xnb_bind_one(q, tx_evtchn, xnb_interrupt, 0, &q->tx_irq);
		if (err)
			return err;
		q->rx_irq = q->tx_irq;
		enable_irq(q->tx_irq);
		return 0;
	}
	snprintf(q->irq_name[0], sizeof(q->irq_name[0]), "%s-tx", q->name);
	snprintf(q->irq_name[1], sizeof(q->irq_name[1]), "%s-rx", q->name);
	err = xnb_bind_one(q, tx_evtchn, xnb_tx_interrupt, 0, &q->tx_irq);
	if (err)
		return err;
	err = xnb_bind_one(q, rx_evtchn, xnb_rx_interrupt, 1, &q->rx_irq);
	if (err) {
		unbind_from_irqhandler(q->tx_irq, q);
		return err;
	}
	enable_irq(q->tx_irq);
	enable_irq(q->rx_irq);
	return 0;
}

static void xnb_queue_unbind(struct xnb_queue *q)
{
	unbind_from_irqhandler(q->tx_irq, q);
	if (q->split_evtchn)
		unbind_from_irqhandler(q->rx_irq, q);
}

static void xnb_queue_free_arrays(struct xnb_queue *q)
{
	kvfree(q->tx_copy);
	kvfree(q->tx_pending);
	kvfree(q->rx_copy);
	kvfree(q->rx_copy_slot);
	kvfree(q->rx_meta);
	q->tx_copy = NULL;
	q->tx_pending = NULL;
	q->rx_copy = NULL;
	q->rx_copy_slot = NULL;
	q->rx_meta = NULL;
}

static int xnb_queue_alloc_arrays(struct xnb_queue *q)
{
	q->tx_copy = kvcalloc(XNB_COPY_BATCH, sizeof(*q->tx_copy), GFP_KERNEL);
	q->tx_pending = kvcalloc(XNB_TX_BATCH_PKTS, sizeof(*q->tx_pending),
				 GFP_KERNEL);
	q->rx_copy = kvcalloc(XNB_COPY_BATCH, sizeof(*q->rx_copy), GFP_KERNEL);
	q->rx_copy_slot = kvcalloc(XNB_COPY_BATCH, sizeof(*q->rx_copy_slot),
				   GFP_KERNEL);
	q->rx_meta = kvcalloc(XNB_RX_RING_SIZE, sizeof(*q->rx_meta),
			      GFP_KERNEL);
	if (q->tx_copy && q->tx_pending && q->rx_copy && q->rx_copy_slot &&
	    q->rx_meta)
		return 0;
	xnb_queue_free_arrays(q);
	return -ENOMEM;
}

static int xnb_queue_map(struct xnb_queue *q, grant_ref_t tx_ref,
			 grant_ref_t rx_ref)
{
	struct xenbus_device *xbdev = q->vif->xbdev;
	void *tx_addr, *rx_addr;
	int err;

	err = xenbus_map_ring_valloc(xbdev, &tx_ref, 1, &tx_addr);
	if (err)
		return err;
	err = xenbus_map_ring_valloc(xbdev, &rx_ref, 1, &rx_addr);
	if (err) {
		xenbus_unmap_ring_vfree(xbdev, tx_addr);
		return err;
	}
	BACK_RING_INIT(&q->tx, (struct xen_netif_tx_sring *)tx_addr,
		       XEN_PAGE_SIZE);
	BACK_RING_INIT(&q->rx, (struct xen_netif_rx_sring *)rx_addr,
		       XEN_PAGE_SIZE);
	q->rx_seen_prod = 0;
	return 0;
}

static void xnb_queue_unmap(struct xnb_queue *q)
{
	xenbus_unmap_ring_vfree(q->vif->xbdev, q->tx.sring);
	xenbus_unmap_ring_vfree(q->vif->xbdev, q->rx.sring);
	q->tx.sring = NULL;
	q->rx.sring = NULL;
}

/**
 * xnb_queue_connect() - map a queue's rings and start serving them
 * @q: the queue, not connected
 * @tx_ref: grant of the tx shared ring
 * @rx_ref: grant of the rx shared ring
 * @tx_evtchn: frontend event channel for tx (or both directions)
 * @rx_evtchn: frontend event channel for rx, equal to @tx_evtchn if shared
 *
 * Each step undoes its own work on failure; a frontend handing bad grants
 * or ports gets an error, the host keeps nothing.
 *
 * Return: 0 or a negative errno.
 */
int xnb_queue_connect(struct xnb_queue *q, grant_ref_t tx_ref,
		      grant_ref_t rx_ref, evtchn_port_t tx_evtchn,
		      evtchn_port_t rx_evtchn)
{
	struct task_struct *task;
	int err;

	err = xnb_queue_alloc_arrays(q);
	if (err)
		return err;
	err = xnb_queue_map(q, tx_ref, rx_ref);
	if (err)
		goto free_arrays;
	netif_napi_add_weight(q->vif->dev, &q->napi, xnb_tx_poll,
			      XNB_NAPI_WEIGHT);
	atomic_set(&q->eoi_pending, 0);
	atomic_set(&q->rx_event, 0);
	q->rx_need = 1;
	q->rx_progress = jiffies;
	q->stalled = false;
	task = kthread_run(xnb_rx_thread, q, "%s", q->name);
	if (IS_ERR(task)) {
		err = PTR_ERR(task);
		goto del_napi;
	}
	q->task = task;
	/*
	 * NAPI and the kthread run before the first event can arrive: an
	 * event that finds NAPI disabled is dropped by napi_schedule(), and
	 * its EOI with it.
	 */
	napi_enable(&q->napi);
	err = xnb_queue_bind(q, tx_evtchn, rx_evtchn);
	if (err)
		goto stop;
	q->up = true;
	return 0;

stop:
	napi_disable(&q->napi);
	kthread_stop(q->task);
	q->task = NULL;
del_napi:
	netif_napi_del(&q->napi);
	xnb_queue_unmap(q);
free_arrays:
	xnb_queue_free_arrays(q);
	return err;
}

/**
 * xnb_queue_disconnect() - stop serving a queue and release its rings
 * @q: the queue; nothing happens if it is not connected
 *
 * The NAPI context and the credit timer that could reschedule it, then
 * the kthread: after that nobody sends an EOI or touches the rings, and
 * an event still arriving finds NAPI disabled.  Then the event channels
 * go, packets still queued are freed and the grants unmapped.
 */
void xnb_queue_disconnect(struct xnb_queue *q)
{
	if (!q->up)
		return;
	q->up = false;
	xnb_debugfs_del_queue(q);
	napi_disable(&q->napi);
	timer_delete_sync(&q->credit_timer);
	kthread_stop(q->task);
	q->task = NULL;
	xnb_queue_unbind(q);
	netif_napi_del(&q->napi);
	xnb_rx_purge(q);
	xnb_queue_unmap(q);
	xnb_queue_free_arrays(q);
}

/* The largest frame the frontend takes: one page of it without SG. */
static unsigned int xnb_mtu_limit(const struct xnb_vif *vif)
{
	return vif->can_sg ? ETH_MAX_MTU - VLAN_ETH_HLEN : ETH_DATA_LEN;
}

/**
 * xnb_vif_go_live() - expose the connected queues to the stack
 * @vif: the interface, its first @num_queues queues connected
 * @num_queues: number of queues
 */
void xnb_vif_go_live(struct xnb_vif *vif, unsigned int num_queues)
{
	struct net_device *dev = vif->dev;
	unsigned int i;

	rtnl_lock();
	netif_set_real_num_tx_queues(dev, num_queues);
	netif_set_real_num_rx_queues(dev, num_queues);
	WRITE_ONCE(vif->num_queues, num_queues);
	netdev_update_features(dev);
	if (dev->mtu > xnb_mtu_limit(vif))
		dev_set_mtu(dev, xnb_mtu_limit(vif));
	rtnl_unlock();
	for (i = 0; i < num_queues; i++)
		xnb_debugfs_add_queue(&vif->queues[i]);
	atomic_set(&vif->stalled_queues, 0);
	WRITE_ONCE(vif->connected, true);
	netif_carrier_on(dev);
	netif_tx_wake_all_queues(dev);
}

/**
 * xnb_vif_queue_stalled() - a queue's rx stall began or ended
 * @vif: the interface
 * @stalled: true when it began
 *
 * The carrier is off while any queue is stalled, as in-tree: the stack
 * then stops queueing for a guest that takes nothing, and an admin sees
 * why in "ip link".
 */
void xnb_vif_queue_stalled(struct xnb_vif *vif, bool stalled)
{
	if (stalled) {
		if (atomic_inc_return(&vif->stalled_queues) == 1)
			netif_carrier_off(vif->dev);
	} else if (atomic_dec_and_test(&vif->stalled_queues) &&
		   READ_ONCE(vif->connected) && !atomic_read(&vif->disabled)) {
		netif_carrier_on(vif->dev);
	}
}

/**
 * xnb_vif_disconnect() - disconnect every queue of an interface
 * @vif: the interface, with @vif->lock held
 *
 * Transmits are fenced off before any queue goes away, and each queue's
 * counters are folded into the interface's, so totals survive a change of
 * queue count.  The control ring stops first, so that no staging request
 * runs while the queues' staging grants are unmapped.  The multicast
 * filter is emptied: the next connection floods until its frontend asks
 * for filtering.
 */
void xnb_vif_disconnect(struct xnb_vif *vif)
{
	unsigned int i;

	WRITE_ONCE(vif->connected, false);
	netif_carrier_off(vif->dev);
	netif_tx_disable(vif->dev);
	xnb_ctrl_disconnect(vif);
	for (i = 0; i < vif->max_queues; i++) {
		if (vif->queues[i].up) {
			xnb_queue_disconnect(&vif->queues[i]);
			xnb_fold_queue_stats(vif, &vif->queues[i]);
		}
		xnb_staging_clear(&vif->queues[i]);
	}
	WRITE_ONCE(vif->num_queues, 0);
	xnb_mcast_clear(&vif->mcast);
}

/**
 * xnb_vif_fatal() - disable an interface whose frontend broke the protocol
 * @vif: the interface
 * @reason: what the frontend did, for the log and XenStore
 *
 * Safe from any context (NAPI, kthread): the teardown itself runs from a
 * work item in process context (XSA-90).  Only this interface is affected.
 */
void xnb_vif_fatal(struct xnb_vif *vif, const char *reason)
{
	if (atomic_cmpxchg(&vif->disabled, 0, 1))
		return;
	vif->disable_reason = reason;
	netif_carrier_off(vif->dev);
	schedule_work(&vif->disable_work);
}

static void xnb_disable_work(struct work_struct *work)
{
	struct xnb_vif *vif = container_of(work, struct xnb_vif, disable_work);

	mutex_lock(&vif->lock);
	if (vif->frontend_ready) {
		xnb_vif_disconnect(vif);
		vif->frontend_ready = false;
		xnb_vif_refuse(vif, -EPROTO,
			       "frontend broke the protocol: %s; disabled",
			       vif->disable_reason);
	}
	mutex_unlock(&vif->lock);
}

/**
 * xnb_vif_may_log() - may the interface log one more line about its frontend
 * @vif: the interface
 *
 * A frontend that fails, reconnects and fails again in a loop would draw
 * a few lines from every connection and flood dom0's log; the budget is
 * the interface's, so it outlives each connection.  Suppressed lines are
 * counted in one line naming the interface when the next interval opens.
 *
 * Return: true if the line may be printed.
 */
bool xnb_vif_may_log(struct xnb_vif *vif)
{
	return ___ratelimit(&vif->msg_rs, netdev_name(vif->dev));
}

/**
 * xnb_vif_refuse() - refuse the frontend's connection, saying why
 * @vif: the interface
 * @err: negative errno
 * @fmt: the reason, printf-style
 *
 * What xenbus_dev_fatal() does, the error node for the toolstack and the
 * backend Closing, except that its log line, unconditional there, is
 * bounded here by xnb_vif_may_log(): the node is written every time.
 */
void xnb_vif_refuse(struct xnb_vif *vif, int err, const char *fmt, ...)
{
	struct xenbus_device *dev = vif->xbdev;
	char *msg, *path;
	va_list ap;

	va_start(ap, fmt);
	msg = kvasprintf(GFP_KERNEL, fmt, ap);
	va_end(ap);
	if (msg && xnb_vif_may_log(vif))
		netdev_err(vif->dev, "%s (%d)\n", msg, err);
	path = kasprintf(GFP_KERNEL, "error/%s", dev->nodename);
	if (msg && path)
		xenbus_printf(XBT_NIL, path, "error", "%i %s", -err, msg);
	kfree(path);
	kfree(msg);
	xenbus_switch_state(dev, XenbusStateClosing);
}

/*
 * A multicast frame the guest did not list, while it asked for filtering:
 * dropped before it takes backlog room, counted apart from real drops.
 */
static bool xnb_mcast_filtered(struct xnb_vif *vif, struct xnb_queue *q,
			       const struct sk_buff *skb)
{
	struct xnb_xmit_stats *st = &q->xmit_stats;

	if (skb_headlen(skb) < ETH_ALEN ||
	    xnb_mcast_pass(&vif->mcast, skb->data))
		return false;
	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->mcast_filtered);
	u64_stats_update_end(&st->syncp);
	return true;
}

static netdev_tx_t xnb_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct xnb_vif *vif = netdev_priv(dev);
	u16 idx = skb_get_queue_mapping(skb);

	/* The device may be up before any queue exists, or between two. */
	if (unlikely(!READ_ONCE(vif->connected) ||
		     idx >= READ_ONCE(vif->num_queues))) {
		dev_core_stats_tx_dropped_inc(dev);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	if (xnb_mcast_filtered(vif, &vif->queues[idx], skb)) {
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	xnb_rx_enqueue(&vif->queues[idx], skb);
	return NETDEV_TX_OK;
}

/*
 * Spread flows over the queues by their L4 hash; any queue is valid.  A
 * frontend that set up receive-side scaling gets the queue its table says.
 */
static u16 xnb_select_queue(struct net_device *dev, struct sk_buff *skb,
			    struct net_device *sb_dev)
{
	struct xnb_vif *vif = netdev_priv(dev);
	unsigned int n = dev->real_num_tx_queues;
	u32 hash;
	u8 type;

	if (n <= 1)
		return 0;
	if (xnb_hash_skb(vif, skb, &hash, &type))
		return xnb_hash_queue(vif, hash, n);
	/* The stack's choice: XPS if configured, else the flow hash. */
	return netdev_pick_tx(dev, skb, sb_dev);
}

static int xnb_open(struct net_device *dev)
{
	netif_tx_start_all_queues(dev);
	return 0;
}

static int xnb_stop(struct net_device *dev)
{
	netif_tx_disable(dev);
	return 0;
}

static int xnb_change_mtu(struct net_device *dev, int mtu)
{
	unsigned int limit = xnb_mtu_limit(netdev_priv(dev));

	if (mtu <= limit) {
		WRITE_ONCE(dev->mtu, mtu);
		return 0;
	}
	netdev_err(dev, "MTU %d is more than the frontend takes (%u)\n", mtu,
		   limit);
	return -EINVAL;
}

/* Offer the stack only the offloads the frontend said it can receive. */
static netdev_features_t xnb_fix_features(struct net_device *dev,
					  netdev_features_t features)
{
	struct xnb_vif *vif = netdev_priv(dev);

	if (!vif->can_sg)
		features &= ~NETIF_F_SG;
	if (!vif->gso_v4)
		features &= ~NETIF_F_TSO;
	if (!vif->gso_v6)
		features &= ~NETIF_F_TSO6;
	if (!vif->csum_v4)
		features &= ~NETIF_F_IP_CSUM;
	if (!vif->csum_v6)
		features &= ~NETIF_F_IPV6_CSUM;
	return features;
}

static void xnb_get_stats64(struct net_device *dev,
			    struct rtnl_link_stats64 *s)
{
	xnb_vif_totals(netdev_priv(dev), 0, s);
}

/**
 * xnb_vif_totals() - folded counters plus those of queues @from and up
 * @vif: the interface
 * @from: first queue to add
 * @s: set to the totals (only the fields the queues count)
 */
void xnb_vif_totals(struct xnb_vif *vif, unsigned int from,
		    struct rtnl_link_stats64 *s)
{
	const struct xnb_base_stats *b = &vif->base;
	unsigned int i, seq;

	do {
		seq = read_seqbegin(&b->lock);
		s->rx_packets = b->rx_packets;
		s->rx_bytes = b->rx_bytes;
		s->rx_dropped = b->rx_dropped;
		s->tx_packets = b->tx_packets;
		s->tx_bytes = b->tx_bytes;
		s->tx_dropped = b->tx_dropped;
		for (i = from; i < vif->max_queues; i++)
			xnb_queue_totals(&vif->queues[i], s);
	} while (read_seqretry(&b->lock, seq));
}

static const struct net_device_ops xnb_netdev_ops = {
	.ndo_open		= xnb_open,
	.ndo_stop		= xnb_stop,
	.ndo_start_xmit		= xnb_start_xmit,
	.ndo_select_queue	= xnb_select_queue,
	.ndo_get_stats64	= xnb_get_stats64,
	.ndo_change_mtu		= xnb_change_mtu,
	.ndo_fix_features	= xnb_fix_features,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
};

/**
 * xnb_queue_totals() - add a queue's standard counters to device totals
 * @q: the queue
 * @s: totals; the counters are added, not assigned
 */
void xnb_queue_totals(struct xnb_queue *q, struct rtnl_link_stats64 *s)
{
	const struct xnb_thread_stats *t = &q->thread_stats;
	const struct xnb_napi_stats *n = &q->napi_stats;
	const struct xnb_xmit_stats *x = &q->xmit_stats;
	u64 pk, by, dr;
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&n->syncp);
		pk = u64_stats_read(&n->packets);
		by = u64_stats_read(&n->bytes);
		dr = u64_stats_read(&n->dropped);
	} while (u64_stats_fetch_retry(&n->syncp, start));
	s->rx_packets += pk;
	s->rx_bytes += by;
	s->rx_dropped += dr;
	do {
		start = u64_stats_fetch_begin(&t->syncp);
		pk = u64_stats_read(&t->packets);
		by = u64_stats_read(&t->bytes);
		dr = u64_stats_read(&t->dropped);
	} while (u64_stats_fetch_retry(&t->syncp, start));
	s->tx_packets += pk;
	s->tx_bytes += by;
	s->tx_dropped += dr;
	do {
		start = u64_stats_fetch_begin(&x->syncp);
		dr = u64_stats_read(&x->dropped);
	} while (u64_stats_fetch_retry(&x->syncp, start));
	s->tx_dropped += dr;
}

/**
 * xnb_fold_queue_stats() - move a stopped queue's counters to the device
 * @vif: the interface
 * @q: one of its queues, disconnected
 *
 * The queue starts from zero when it comes back, so per-queue statistics
 * describe the current connection while the totals keep counting.
 */
void xnb_fold_queue_stats(struct xnb_vif *vif, struct xnb_queue *q)
{
	struct rtnl_link_stats64 s = {};
	struct xnb_base_stats *b = &vif->base;

	write_seqlock_bh(&b->lock);
	xnb_queue_totals(q, &s);
	b->rx_packets += s.rx_packets;
	b->rx_bytes += s.rx_bytes;
	b->rx_dropped += s.rx_dropped;
	b->tx_packets += s.tx_packets;
	b->tx_bytes += s.tx_bytes;
	b->tx_dropped += s.tx_dropped;
	/* The queue is stopped: no writer left, readers retry. */
	memset(&q->napi_stats, 0, sizeof(q->napi_stats));
	memset(&q->thread_stats, 0, sizeof(q->thread_stats));
	memset(&q->xmit_stats, 0, sizeof(q->xmit_stats));
	u64_stats_init(&q->napi_stats.syncp);
	u64_stats_init(&q->thread_stats.syncp);
	u64_stats_init(&q->xmit_stats.syncp);
	write_sequnlock_bh(&b->lock);
}

static void xnb_queue_init(struct xnb_vif *vif, struct xnb_queue *q,
			   unsigned int id)
{
	q->vif = vif;
	q->id = id;
	snprintf(q->name, sizeof(q->name), "%s-q%u", vif->dev->name, id);
	spin_lock_init(&q->backlog_lock);
	__skb_queue_head_init(&q->backlog);
	__skb_queue_head_init(&q->rx_done);
	init_waitqueue_head(&q->wq);
	timer_setup(&q->credit_timer, xnb_credit_timer_fn, 0);
	xa_init(&q->staged);
	u64_stats_init(&q->napi_stats.syncp);
	u64_stats_init(&q->thread_stats.syncp);
	u64_stats_init(&q->xmit_stats.syncp);
}

static void xnb_netdev_setup(struct net_device *dev)
{
	static const u8 addr[ETH_ALEN] = { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff };

	dev->netdev_ops = &xnb_netdev_ops;
	dev->ethtool_ops = &xnb_ethtool_ops;
#if XNM_HAVE_QUEUE_STATS
	dev->stat_ops = &xnb_stat_ops;
#endif
	dev->hw_features = NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM |
			   NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_HIGHDMA;
	dev->features = dev->hw_features | NETIF_F_RXCSUM;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_MAX_MTU - VLAN_ETH_HLEN;
	netif_set_tso_max_size(dev, XEN_NETIF_MAX_TX_SIZE - VLAN_ETH_HLEN);
	/* The guest's MAC is its own; ours never appears on the wire. */
	eth_hw_addr_set(dev, addr);
	netif_carrier_off(dev);
}

/**
 * xnb_vif_create() - allocate and register the net_device of an interface
 * @xbdev: the backend xenbus device
 * @domid: the frontend's domain
 * @handle: the device handle within that domain
 * @max_queues: queues offered to the frontend
 *
 * Return: the interface, or an ERR_PTR.
 */
struct xnb_vif *xnb_vif_create(struct xenbus_device *xbdev, domid_t domid,
			       unsigned int handle, unsigned int max_queues)
{
	char name[IFNAMSIZ];
	struct net_device *dev;
	struct xnb_vif *vif;
	unsigned int i;
	int err;

	snprintf(name, sizeof(name), "vif%u.%u", domid, handle);
	dev = alloc_netdev_mqs(sizeof(*vif), name, NET_NAME_UNKNOWN,
			       ether_setup, max_queues, max_queues);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	SET_NETDEV_DEV(dev, &xbdev->dev);
	vif = netdev_priv(dev);
	vif->dev = dev;
	vif->xbdev = xbdev;
	vif->domid = domid;
	vif->handle = handle;
	vif->max_queues = max_queues;
	vif->offered = max_queues;
	mutex_init(&vif->lock);
	INIT_WORK(&vif->disable_work, xnb_disable_work);
	ratelimit_state_init(&vif->msg_rs, XNB_MSG_INTERVAL, XNB_MSG_BURST);
	xnb_ctrl_init(vif);
	xnb_mcast_init(&vif->mcast);
	seqlock_init(&vif->base.lock);
	xnb_credit_init(&vif->credit, ktime_get_ns());
	vif->queues = kcalloc(max_queues, sizeof(*vif->queues), GFP_KERNEL);
	if (!vif->queues) {
		err = -ENOMEM;
		goto free_netdev;
	}
	xnb_netdev_setup(dev);
	netif_set_real_num_tx_queues(dev, 1);
	netif_set_real_num_rx_queues(dev, 1);
	for (i = 0; i < max_queues; i++)
		xnb_queue_init(vif, &vif->queues[i], i);
	err = register_netdev(dev);
	if (err)
		goto free_queues;
	return vif;

free_queues:
	kfree(vif->queues);
free_netdev:
	free_netdev(dev);
	return ERR_PTR(err);
}

/**
 * xnb_vif_destroy() - unregister and free an interface
 * @vif: the interface, all queues disconnected
 */
void xnb_vif_destroy(struct xnb_vif *vif)
{
	struct net_device *dev = vif->dev;

	xnb_debugfs_del_vif(vif);
	unregister_netdev(dev);
	kfree(vif->queues);
	free_netdev(dev);
}
