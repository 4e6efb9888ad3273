// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netfront: negotiation with the backend over XenStore, and the queue
 * set's life cycle.
 *
 * A queue set is built in three steps, each undoing its own work when it
 * fails: init (memory, locks, NAPI), set-up (data pages and grants, rings,
 * event channels) and publish (the XenStore keys, in one transaction).
 * Connect runs them for the count negotiated now; disconnect undoes them.
 * Both run under RTNL, so the net_device and its queue set always agree.
 */
#include <linux/bits.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "xen-netmq/negotiate.h"
#include "netfront.h"

/* Step 1, init: a zeroed array of queues with their locks and NAPI. */
static struct netfront_queue *xnf_queues_alloc(struct netfront_info *info,
					       unsigned int n)
{
	struct netfront_queue *queues;
	unsigned int i;

	queues = kvcalloc(n, sizeof(*queues), GFP_KERNEL);
	if (!queues)
		return NULL;
	for (i = 0; i < n; i++) {
		struct netfront_queue *q = &queues[i];

		q->info = info;
		q->id = i;
		spin_lock_init(&q->tx_lock);
		u64_stats_init(&q->tx_syncp);
		u64_stats_init(&q->rx_syncp);
		timer_setup(&q->refill_timer, xnf_refill_timer, 0);
		netif_napi_add(info->netdev, &q->napi, xnf_poll);
	}
	return queues;
}

static void xnf_queues_free(struct netfront_queue *queues, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		netif_napi_del(&queues[i].napi);
	kvfree(queues);
}

/* Step 2a: the two shared rings. */
static int xnf_rings_setup(struct netfront_queue *q)
{
	struct xenbus_device *xbdev = q->info->xbdev;
	struct xen_netif_tx_sring *txs;
	struct xen_netif_rx_sring *rxs;
	int err;

	err = xenbus_setup_ring(xbdev, GFP_NOIO | __GFP_HIGH, (void **)&txs,
				1, &q->tx_ring_ref);
	if (err)
		return err;
	XEN_FRONT_RING_INIT(&q->tx, txs, XEN_PAGE_SIZE);

	err = xenbus_setup_ring(xbdev, GFP_NOIO | __GFP_HIGH, (void **)&rxs,
				1, &q->rx_ring_ref);
	if (err) {
		xenbus_teardown_ring((void **)&q->tx.sring, 1, &q->tx_ring_ref);
		return err;
	}
	XEN_FRONT_RING_INIT(&q->rx, rxs, XEN_PAGE_SIZE);
	q->tx_seen_prod = 0;
	q->rx_seen_prod = 0;
	return 0;
}

static void xnf_rings_release(struct netfront_queue *q)
{
	xenbus_teardown_ring((void **)&q->rx.sring, 1, &q->rx_ring_ref);
	xenbus_teardown_ring((void **)&q->tx.sring, 1, &q->tx_ring_ref);
}

static int xnf_bind(struct netfront_queue *q, evtchn_port_t *port, int *irq,
		    irq_handler_t handler, char *name, size_t len,
		    const char *suffix)
{
	struct xenbus_device *xbdev = q->info->xbdev;
	int err;

	err = xenbus_alloc_evtchn(xbdev, port);
	if (err)
		return err;
	snprintf(name, len, "%s-q%u%s", q->info->netdev->name, q->id, suffix);
	err = bind_evtchn_to_irqhandler_lateeoi(*port, handler, 0, name, q);
	if (err < 0) {
		xenbus_free_evtchn(xbdev, *port);
		return err;
	}
	*irq = err;
	return 0;
}

/* Step 2b: one event channel per direction if offered, else one. */
static int xnf_evtchn_setup(struct netfront_queue *q)
{
	int err;

	if (q->info->be.split_evtchn) {
		err = xnf_bind(q, &q->tx_evtchn, &q->tx_irq, xnf_tx_interrupt,
			       q->tx_irq_name, sizeof(q->tx_irq_name), "-tx");
		if (!err) {
			err = xnf_bind(q, &q->rx_evtchn, &q->rx_irq,
				       xnf_rx_interrupt, q->rx_irq_name,
				       sizeof(q->rx_irq_name), "-rx");
			if (!err)
				goto bound;
			unbind_from_irqhandler(q->tx_irq, q);
		}
		/* Fall back to a single channel. */
	}
	err = xnf_bind(q, &q->tx_evtchn, &q->tx_irq, xnf_interrupt,
		       q->tx_irq_name, sizeof(q->tx_irq_name), "");
	if (err)
		return err;
	q->rx_evtchn = q->tx_evtchn;
	q->rx_irq = q->tx_irq;
bound:
	q->irqs_bound = true;
	return 0;
}

static void xnf_evtchn_release(struct netfront_queue *q)
{
	if (!q->irqs_bound)
		return;
	if (q->rx_irq != q->tx_irq)
		unbind_from_irqhandler(q->rx_irq, q);
	unbind_from_irqhandler(q->tx_irq, q);
	q->irqs_bound = false;
}

static bool xnf_queue_split(const struct netfront_queue *q)
{
	return q->tx_evtchn != q->rx_evtchn;
}

/* Step 2: everything the backend will map, for one queue. */
static int xnf_queue_setup(struct netfront_queue *q)
{
	int err;

	err = xnf_tx_setup(q);
	if (err)
		return err;
	err = xnf_rx_setup(q);
	if (err)
		goto release_tx;
	err = xnf_rings_setup(q);
	if (err)
		goto release_rx;
	err = xnf_evtchn_setup(q);
	if (err)
		goto release_rings;
	return 0;

release_rings:
	xnf_rings_release(q);
release_rx:
	xnf_rx_release(q);
release_tx:
	xnf_tx_release(q);
	return err;
}

/* Undo step 2; the backend has let go or its grants are ended lazily. */
static void xnf_queue_release(struct netfront_queue *q)
{
	xnf_evtchn_release(q);
	timer_delete_sync(&q->refill_timer);
	xnf_rx_release(q);
	xnf_tx_release(q);
	xnf_rings_release(q);
}

static int xnf_write_queue_keys(struct netfront_queue *q,
				struct xenbus_transaction xbt,
				const char *dir, const char **what)
{
	int err;

	*what = "ring references";
	err = xenbus_printf(xbt, dir, "tx-ring-ref", "%u", q->tx_ring_ref);
	if (!err)
		err = xenbus_printf(xbt, dir, "rx-ring-ref", "%u",
				    q->rx_ring_ref);
	if (err)
		return err;
	*what = "event channels";
	if (!xnf_queue_split(q)) {
		xenbus_rm(xbt, dir, "event-channel-tx");
		xenbus_rm(xbt, dir, "event-channel-rx");
		return xenbus_printf(xbt, dir, "event-channel", "%u",
				     q->tx_evtchn);
	}
	xenbus_rm(xbt, dir, "event-channel");
	err = xenbus_printf(xbt, dir, "event-channel-tx", "%u", q->tx_evtchn);
	if (!err)
		err = xenbus_printf(xbt, dir, "event-channel-rx", "%u",
				    q->rx_evtchn);
	return err;
}

/* Keys of an earlier connection that would contradict this one. */
static void xnf_remove_stale_keys(struct netfront_info *info,
				  struct xenbus_transaction xbt,
				  unsigned int n)
{
	const char *node = info->xbdev->nodename;
	char qdir[XNM_QUEUE_DIR_LEN];
	unsigned int i, old;

	old = max3(info->published, info->qcfg.limit, info->be.max_queues);
	old = min(old, XNM_MAX_QUEUES);
	for (i = n > 1 ? n : 0; i < old; i++) {
		if (!xnm_queue_dir(qdir, sizeof(qdir), i, 2))
			xenbus_rm(xbt, node, qdir);
	}
	if (n == 1) {
		xenbus_rm(xbt, node, "multi-queue-num-queues");
		return;
	}
	xenbus_rm(xbt, node, "tx-ring-ref");
	xenbus_rm(xbt, node, "rx-ring-ref");
	xenbus_rm(xbt, node, "event-channel");
	xenbus_rm(xbt, node, "event-channel-tx");
	xenbus_rm(xbt, node, "event-channel-rx");
}

static int xnf_write_queues(struct netfront_info *info,
			    struct netfront_queue *queues, unsigned int n,
			    struct xenbus_transaction xbt, const char **what)
{
	const char *node = info->xbdev->nodename;
	char qdir[XNM_QUEUE_DIR_LEN];
	unsigned int i;
	char *dir;
	int err;

	if (n == 1)
		return xnf_write_queue_keys(&queues[0], xbt, node, what);
	*what = "multi-queue-num-queues";
	err = xenbus_printf(xbt, node, "multi-queue-num-queues", "%u", n);
	for (i = 0; !err && i < n; i++) {
		err = xnm_queue_dir(qdir, sizeof(qdir), i, n);
		if (err)
			break;
		dir = kasprintf(GFP_KERNEL, "%s/%s", node, qdir);
		if (!dir)
			return -ENOMEM;
		err = xnf_write_queue_keys(&queues[i], xbt, dir, what);
		kfree(dir);
	}
	return err;
}

/* What we accept from the backend: every receive offload we implement. */
static int xnf_write_features(struct netfront_info *info,
			      struct xenbus_transaction xbt, const char **what)
{
	static const char * const keys[] = {
		"request-rx-copy", "feature-rx-notify", "feature-sg",
		"feature-gso-tcpv4", "feature-gso-tcpv6",
		"feature-ipv6-csum-offload",
	};
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		*what = keys[i];
		err = xenbus_printf(xbt, info->xbdev->nodename, keys[i], "%u", 1);
		if (err)
			return err;
	}
	/* Room before each packet for an attached XDP program (xdp.c). */
	info->xdp_headroom = xnf_xdp_headroom_wanted(info);
	if (!info->be.xdp_headroom)
		return 0;
	*what = "xdp-headroom";
	return xenbus_printf(xbt, info->xbdev->nodename, "xdp-headroom", "%u",
			     info->xdp_headroom);
}

/* Step 3: publish the queue set in one transaction, retried on -EAGAIN. */
static int xnf_publish(struct netfront_info *info,
		       struct netfront_queue *queues, unsigned int n)
{
	struct xenbus_transaction xbt;
	const char *what = "transaction";
	int err;

again:
	err = xenbus_transaction_start(&xbt);
	if (err)
		goto fatal;
	xnf_remove_stale_keys(info, xbt, n);
	err = xnf_write_queues(info, queues, n, xbt, &what);
	if (!err)
		err = xnf_write_features(info, xbt, &what);
	if (!err)
		err = xnf_ctrl_write_keys(info, xbt, &what);
	if (err) {
		xenbus_transaction_end(xbt, 1);
		goto fatal;
	}
	err = xenbus_transaction_end(xbt, 0);
	if (err == -EAGAIN)
		goto again;
	if (err)
		goto fatal;
	info->published = n;
	return 0;

fatal:
	xenbus_dev_fatal(info->xbdev, err, "writing %s", what);
	return err;
}

/*
 * The backend's offer.  Values are untrusted: booleans are "non-zero",
 * the queue offer is clamped by xnm_frontend_queues().
 */
static int xnf_read_backend(struct netfront_info *info)
{
	const char *be = info->xbdev->otherend;
	struct xnf_backend_features *f = &info->be;

	if (!xenbus_read_unsigned(be, "feature-rx-copy", 0)) {
		xenbus_dev_fatal(info->xbdev, -EOPNOTSUPP,
				 "backend does not offer feature-rx-copy");
		return -EOPNOTSUPP;
	}
	f->max_queues = min(xenbus_read_unsigned(be, "multi-queue-max-queues",
						 0), XNM_MAX_QUEUES);
	f->sg = !!xenbus_read_unsigned(be, "feature-sg", 0);
	f->gso_tcpv4 = !!xenbus_read_unsigned(be, "feature-gso-tcpv4", 0);
	f->gso_tcpv6 = !!xenbus_read_unsigned(be, "feature-gso-tcpv6", 0);
	f->ipv6_csum = !!xenbus_read_unsigned(be, "feature-ipv6-csum-offload",
					      0);
	f->split_evtchn = !!xenbus_read_unsigned(be,
						 "feature-split-event-channels",
						 0);
	f->ctrl_ring = !!xenbus_read_unsigned(be, "feature-ctrl-ring", 0);
	f->xdp_headroom = !!xenbus_read_unsigned(be, "feature-xdp-headroom", 0);
	/* A filter we could not switch off would lose all-multi: both keys. */
	f->mc_dynamic = xenbus_read_unsigned(be, "feature-multicast-control",
					     0) &&
			xenbus_read_unsigned(be,
					     "feature-dynamic-multicast-control",
					     0);
	f->known = true;
	return 0;
}

/* Undo steps 2 and 1: @set_up of the @n queues were set up. */
static void xnf_queues_destroy(struct netfront_queue *queues,
			       unsigned int set_up, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < set_up; i++)
		xnf_queue_release(&queues[i]);
	xnf_queues_free(queues, n);
}

/* Steps 1 and 2 for a set of @n queues; nothing is published yet. */
static struct netfront_queue *xnf_queues_prepare(struct netfront_info *info,
						 unsigned int n)
{
	struct netfront_queue *queues;
	unsigned int i;
	int err;

	queues = xnf_queues_alloc(info, n);
	if (!queues)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < n; i++) {
		err = xnf_queue_setup(&queues[i]);
		if (err) {
			xnf_queues_destroy(queues, i, n);
			return ERR_PTR(err);
		}
	}
	return queues;
}

/*
 * The largest set of at most @n queues that can be built now: grant
 * references or memory may not suffice for all (a small grant table, many
 * vifs), and fewer queues beat no link.  *@n is set to the count built.
 */
static struct netfront_queue *xnf_queues_fit(struct netfront_info *info,
					     unsigned int *n)
{
	struct netfront_queue *queues;
	unsigned int want = *n;

	for (;;) {
		queues = xnf_queues_prepare(info, *n);
		if (!IS_ERR(queues) || *n == 1 ||
		    (PTR_ERR(queues) != -ENOSPC && PTR_ERR(queues) != -ENOMEM))
			break;
		(*n)--;
	}
	if (IS_ERR(queues))
		netdev_err(info->netdev, "cannot set up even one queue (%ld): each needs %u grant references\n",
			   PTR_ERR(queues), XNF_GRANTS_PER_QUEUE);
	else if (*n < want)
		netdev_warn(info->netdev, "only %u of %u queues fit (grant references or memory short; each needs %u grants): ethtool -L can try again\n",
			    *n, want, XNF_GRANTS_PER_QUEUE);
	return queues;
}

/* Step 3 and start: publish a prepared set and run it; frees it on error. */
static int xnf_go_live(struct netfront_info *info,
		       struct netfront_queue *queues, unsigned int n)
{
	struct net_device *dev = info->netdev;
	unsigned int i;
	int err;

	xnf_ctrl_setup(info);
	err = xnf_publish(info, queues, n);
	if (err) {
		xnf_ctrl_release(info);
		xnf_queues_destroy(queues, n, n);
		return err;
	}
	netif_set_real_num_tx_queues(dev, n);
	netif_set_real_num_rx_queues(dev, n);
	for (i = 0; i < n; i++)
		xnf_rx_refill(&queues[i], GFP_KERNEL);
	info->broken = false;
	WRITE_ONCE(info->broken_reason, NULL);
	xnf_attach_queues(info, queues, n);
	netdev_update_features(dev);
	xnf_queues_start(info);
	netdev_info(dev, "connected to %s with %u queue%s%s\n",
		    info->xbdev->otherend, n, n == 1 ? "" : "s",
		    info->be.split_evtchn ? ", split event channels" : "");
	return 0;
}

/*
 * Connect with @wanted queues (fewer if the backend offers fewer).
 * RTNL held; any previous queue set is gone.
 */
static int xnf_connect(struct netfront_info *info, unsigned int wanted)
{
	struct netfront_queue *queues;
	unsigned int n;
	int err;

	err = xnf_read_backend(info);
	if (err)
		return err;
	info->qcfg.max = xnm_frontend_queues(info->qcfg.limit,
					     info->be.max_queues);
	n = xnm_frontend_queues(wanted, info->be.max_queues);
	queues = xnf_queues_fit(info, &n);
	if (IS_ERR(queues))
		return PTR_ERR(queues);
	return xnf_go_live(info, queues, n);
}

/**
 * xnf_disconnect() - tear the queue set down; the device stays registered
 * @info: the device, RTNL held
 */
void xnf_disconnect(struct netfront_info *info)
{
	struct netfront_queue *queues;
	unsigned int i, n;

	ASSERT_RTNL();
	netif_carrier_off(info->netdev);
	xnf_ctrl_release(info);
	if (!info->queues)
		return;
	xnf_queues_stop(info);
	n = info->qcfg.cur;
	for (i = 0; i < n; i++)
		xnf_queue_release(&info->queues[i]);
	queues = xnf_detach_queues(info);
	xnf_queues_free(queues, n);
}

/* How long we wait for the backend to take one step. */
#define XNF_BACKEND_WAIT	(10 * HZ)

/*
 * Poll, for at most XNF_BACKEND_WAIT, until the backend's state is in @want
 * (a mask of BIT(XenbusState...)) or it vanishes; returns the last state
 * read.
 */
static enum xenbus_state xnf_wait_for(struct xenbus_device *xbdev,
				      unsigned long want)
{
	unsigned long end = jiffies + XNF_BACKEND_WAIT;
	enum xenbus_state s;

	do {
		s = xenbus_read_driver_state(xbdev, xbdev->otherend);
		if (s == XenbusStateUnknown || (want & BIT(s)))
			break;
		usleep_range(5000, 10000);
	} while (time_before(jiffies, end));
	return s;
}

/* Poll until the backend reaches @a or @b (or vanishes); bounded. */
static bool xnf_wait_state(struct xenbus_device *xbdev, enum xenbus_state a,
			   enum xenbus_state b)
{
	enum xenbus_state s = xnf_wait_for(xbdev, BIT(a) | BIT(b));

	return s == a || s == b;
}

/**
 * xnf_xenbus_start() - announce a newly bound frontend
 * @xbdev: the xenbus device, at the end of probe
 *
 * A device bound again after an unbind keeps the Closed state of its
 * previous binding; the backend comes back to InitWait when it sees
 * Initialising.
 */
void xnf_xenbus_start(struct xenbus_device *xbdev)
{
	if (xbdev->state != XenbusStateInitialising)
		xenbus_switch_state(xbdev, XenbusStateInitialising);
}

/**
 * xnf_xenbus_close() - take the backend through Closing to Closed
 * @xbdev: the xenbus device, being removed
 *
 * Run before our pages are freed, so the backend unmaps them first; a
 * backend that does not answer within the bounded wait gets its grants
 * ended lazily instead.
 */
void xnf_xenbus_close(struct xenbus_device *xbdev)
{
	if (xenbus_read_driver_state(xbdev, xbdev->otherend) ==
	    XenbusStateClosed)
		return;
	xenbus_switch_state(xbdev, XenbusStateClosing);
	xnf_wait_state(xbdev, XenbusStateClosing, XenbusStateClosed);
	xenbus_switch_state(xbdev, XenbusStateClosed);
	xnf_wait_state(xbdev, XenbusStateClosed, XenbusStateClosed);
}

/* tx requests the backend has not answered yet, over all queues. */
static unsigned int xnf_tx_outstanding(struct netfront_info *info)
{
	unsigned int i, n = 0;

	for (i = 0; i < info->qcfg.cur; i++)
		n += XNF_TX_RING_SIZE - READ_ONCE(info->queues[i].tx_nr_free);
	return n;
}

/*
 * A live queue change runs in change_work, neither under RTNL nor in the
 * xenwatch thread: each of its waits for the backend lasts up to
 * XNF_BACKEND_WAIT, and holding either through them would stall every
 * netlink request of the guest, or every other Xen device's XenStore
 * events, for as long.  RTNL is taken around each step that touches the
 * queue set; in between, @changing keeps the xenbus handler and other
 * changes off the connection, and remove and resume wait for the change.
 */

/*
 * Wait for the backend to reach a state in @want during a change.  After
 * one wait has timed out the backend counts as silent: later waits of the
 * same change only look, so a backend that never answers costs one
 * timeout, not one per step.
 */
static enum xenbus_state xnf_change_wait(struct netfront_info *info,
					 unsigned long want)
{
	struct xenbus_device *xbdev = info->xbdev;
	enum xenbus_state s;

	if (info->silent)
		return xenbus_read_driver_state(xbdev, xbdev->otherend);
	s = xnf_wait_for(xbdev, want);
	if (s != XenbusStateUnknown && !(want & BIT(s)))
		info->silent = true;
	return s;
}

/*
 * Stop transmitting and give the backend a moment to answer what it has:
 * it then disconnects with none of our packets still in its hands, which
 * is the path every backend has been tested on.  Bounded: a backend that
 * sits on requests gets disconnected anyway.
 */
static void xnf_tx_drain(struct netfront_info *info)
{
	unsigned long end = jiffies + HZ;
	bool running;

	rtnl_lock();
	netif_carrier_off(info->netdev);
	netif_tx_disable(info->netdev);
	running = info->napi_on;
	rtnl_unlock();
	if (!running)	/* device down: nothing reclaims, nothing sent */
		return;
	while (xnf_tx_outstanding(info) && time_before(jiffies, end))
		usleep_range(2000, 4000);
}

/* Close our side and wait until the backend has unmapped everything. */
static void xnf_close_for_change(struct netfront_info *info)
{
	struct xenbus_device *xbdev = info->xbdev;
	enum xenbus_state s;

	xnf_tx_drain(info);

	xenbus_switch_state(xbdev, XenbusStateClosing);
	s = xnf_change_wait(info, BIT(XenbusStateClosing) |
			    BIT(XenbusStateClosed));
	if (s != XenbusStateClosing && s != XenbusStateClosed)
		netdev_warn(info->netdev, "backend did not close in time\n");
	rtnl_lock();
	xnf_disconnect(info);
	rtnl_unlock();
	xenbus_switch_state(xbdev, XenbusStateClosed);
	xnf_change_wait(info, BIT(XenbusStateClosed));
	xenbus_switch_state(xbdev, XenbusStateInitialising);
	if (xnf_change_wait(info, BIT(XenbusStateInitWait)) !=
	    XenbusStateInitWait)
		netdev_warn(info->netdev, "backend did not come back in time\n");
}

/* The backend is Connected: carrier on, once, for a working queue set. */
static void xnf_backend_connected(struct netfront_info *info)
{
	if (!info->queues || info->broken ||
	    netif_carrier_ok(info->netdev))
		return;
	netif_carrier_on(info->netdev);
	xnf_tx_wake_all(info);
	__netdev_notify_peers(info->netdev);
	xnf_ctrl_connected(info);
}

/*
 * One try at connecting during a change: with the backend in InitWait and
 * no queue set of ours, publish @fresh (a prepared set of @n queues), or
 * build and publish @n queues when @fresh is NULL, and go Connected.
 * Returns 0 once the backend is Connected too; otherwise our set is gone
 * again and the backend back in InitWait (unless silent), ready for the
 * next try.  @fresh is consumed either way.
 */
static int xnf_try_connect(struct netfront_info *info,
			   struct netfront_queue *fresh, unsigned int n)
{
	struct xenbus_device *xbdev = info->xbdev;
	enum xenbus_state s;
	int err;

	if (info->silent) {
		if (fresh)
			xnf_queues_destroy(fresh, n, n);
		return -ETIMEDOUT;
	}
	rtnl_lock();
	err = fresh ? xnf_go_live(info, fresh, n) : xnf_connect(info, n);
	rtnl_unlock();
	if (err)
		return err;
	xenbus_switch_state(xbdev, XenbusStateConnected);
	/*
	 * A backend that refuses the rings or the queue count goes Closing
	 * instead; one that says nothing within the wait counts as refusing.
	 */
	s = xnf_change_wait(info, BIT(XenbusStateConnected) |
			    BIT(XenbusStateClosing) | BIT(XenbusStateClosed));
	if (s == XenbusStateConnected) {
		rtnl_lock();
		xnf_backend_connected(info);
		rtnl_unlock();
		return 0;
	}
	netdev_err(info->netdev, "backend did not connect %u queue%s (it is %s)\n",
		   info->qcfg.cur, info->qcfg.cur == 1 ? "" : "s",
		   xenbus_strstate(s));
	xnf_close_for_change(info);
	return -EIO;
}

/* After a failed change: the old count, else one queue, else give up. */
static int xnf_fall_back(struct netfront_info *info, unsigned int old)
{
	int err = xnf_try_connect(info, NULL, old);

	if (err && old != 1)
		err = xnf_try_connect(info, NULL, 1);
	if (info->silent)
		netdev_err(info->netdev,
			   "backend did not answer within %u s: no link until it starts over\n",
			   XNF_BACKEND_WAIT / HZ);
	else if (err)
		netdev_err(info->netdev,
			   "reconnecting failed (%d): no link until the backend starts over\n",
			   err);
	else
		netdev_warn(info->netdev, "kept %u queue%s\n", info->qcfg.cur,
			    info->qcfg.cur == 1 ? "" : "s");
	return err;
}

static void xnf_backend_state(struct netfront_info *info);

/*
 * The change itself.  The new queue set was built by xnf_change_queues()
 * while the old one still carried traffic.  The netif protocol cannot swap
 * the rings of a connected vif, so the backend is taken through Closing,
 * Closed and InitWait and the new set is published: the outage is that
 * round trip through XenStore (logged).  A backend that does not connect
 * the new set (it refuses the count, say) gets the old count, and failing
 * that one queue; a backend that stops answering gets nothing more until
 * it starts over on its own.
 */
static void xnf_change_work(struct work_struct *work)
{
	struct netfront_info *info = container_of(work, struct netfront_info,
						  change_work);
	struct netfront_queue *fresh = info->change_fresh;
	unsigned int n = info->change_to, old = info->change_from, offer;
	ktime_t start = ktime_get();
	int err;

	info->silent = false;
	xnf_close_for_change(info);
	/*
	 * The backend may offer fewer queues by now (max_queues lowered):
	 * connect what it offers, and say the change failed.
	 */
	offer = n;
	rtnl_lock();
	if (!info->silent && !xnf_read_backend(info))
		offer = xnm_frontend_queues(n, info->be.max_queues);
	rtnl_unlock();
	if (offer < n) {
		netdev_warn(info->netdev, "the backend now offers %u queue%s, not %u\n",
			    offer, offer == 1 ? "" : "s", n);
		xnf_queues_destroy(fresh, n, n);
		fresh = NULL;
	}
	err = xnf_try_connect(info, fresh, offer);
	if (err) {
		netdev_err(info->netdev, "changing to %u queues failed (%d)\n",
			   n, err);
		xnf_fall_back(info, old);
	} else if (offer < n) {
		netdev_warn(info->netdev, "kept %u queue%s\n", offer,
			    offer == 1 ? "" : "s");
	}

	rtnl_lock();
	if (!err && offer == n)
		info->qcfg.wanted = n;
	info->change_fresh = NULL;
	info->changing = false;
	netdev_info(info->netdev, "queues %u -> %u: outage %lld ms\n", old,
		    info->qcfg.cur, ktime_ms_delta(ktime_get(), start));
	/* What the backend did while the change had the connection. */
	xnf_backend_state(info);
	rtnl_unlock();
}

/**
 * xnf_change_init() - set up a device's live queue change
 * @info: the device, being probed
 */
void xnf_change_init(struct netfront_info *info)
{
	INIT_WORK(&info->change_work, xnf_change_work);
}

/**
 * xnf_change_queues() - ethtool -L: reconnect with @n queues
 * @info: the device, RTNL held
 * @n: new queue count, already checked against the maximum
 *
 * The new queue set (pages, grants, rings, event channels) is built here,
 * while the old one still carries traffic; if that fails nothing changes
 * and the error is returned.  The reconnection itself is left to
 * change_work and this returns at once: the carrier goes off, and comes
 * back once the backend has connected the new set, ethtool -l then showing
 * the new count.  A disconnected device only records the count for its
 * next connection.
 *
 * Return: 0, -EBUSY while a change runs, or the error of building the set.
 */
int xnf_change_queues(struct netfront_info *info, unsigned int n)
{
	struct netfront_queue *fresh;

	ASSERT_RTNL();
	if (info->changing)
		return -EBUSY;
	if (info->removing)
		return -ENODEV;
	if (!info->queues || info->xbdev->state != XenbusStateConnected) {
		info->qcfg.wanted = n;	/* applies at the next connection */
		return 0;
	}
	if (n == info->qcfg.cur)
		return 0;
	fresh = xnf_queues_prepare(info, n);
	if (IS_ERR(fresh)) {
		netdev_err(info->netdev, "cannot build %u queues (%ld), keeping %u\n",
			   n, PTR_ERR(fresh), info->qcfg.cur);
		return PTR_ERR(fresh);
	}
	info->change_fresh = fresh;
	info->change_from = info->qcfg.cur;
	info->change_to = n;
	info->changing = true;
	queue_work(system_unbound_wq, &info->change_work);
	return 0;
}

/**
 * xnf_change_cancel() - no change runs, and none can start, from now on
 * @info: the device, being removed; RTNL not held
 *
 * A change that has not started yet is dropped with its prepared set; one
 * that runs is waited for (its waits are bounded).
 */
void xnf_change_cancel(struct netfront_info *info)
{
	rtnl_lock();
	info->removing = true;
	rtnl_unlock();
	if (cancel_work_sync(&info->change_work)) {
		rtnl_lock();
		xnf_queues_destroy(info->change_fresh, info->change_to,
				   info->change_to);
		info->change_fresh = NULL;
		info->changing = false;
		rtnl_unlock();
	}
}

static void xnf_backend_gone(struct netfront_info *info)
{
	xnf_disconnect(info);
	xenbus_frontend_closed(info->xbdev);
}

static void xnf_backend_waiting(struct netfront_info *info)
{
	struct xenbus_device *xbdev = info->xbdev;

	/* A backend coming back after we closed: start over. */
	if (xbdev->state == XenbusStateClosed)
		xenbus_switch_state(xbdev, XenbusStateInitialising);
	if (xbdev->state != XenbusStateInitialising)
		return;
	xnf_disconnect(info);
	if (!xnf_connect(info, info->qcfg.wanted))
		xenbus_switch_state(xbdev, XenbusStateConnected);
}

/* Follow the backend's state as it is now; RTNL held, no change running. */
static void xnf_backend_state(struct netfront_info *info)
{
	struct xenbus_device *xbdev = info->xbdev;

	switch (xenbus_read_driver_state(xbdev, xbdev->otherend)) {
	case XenbusStateInitWait:
		xnf_backend_waiting(info);
		break;
	case XenbusStateConnected:
		xnf_backend_connected(info);
		break;
	case XenbusStateClosed:
	case XenbusStateUnknown:
		/* Nothing to close: we are closed or still waiting for it. */
		if (xbdev->state == XenbusStateClosed ||
		    (xbdev->state == XenbusStateInitialising && !info->queues))
			break;
		fallthrough;
	case XenbusStateClosing:
		xnf_backend_gone(info);
		break;
	default:
		break;
	}
}

static void xnf_backend_changed(struct xenbus_device *xbdev,
				enum xenbus_state state)
{
	struct netfront_info *info = dev_get_drvdata(&xbdev->dev);

	if (!info)
		return;
	/* Closed by its toolstack: unmapped before our pages go, not after. */
	if (state == XenbusStateClosing || state == XenbusStateClosed)
		xnf_staging_drop(info);
	rtnl_lock();
	/*
	 * A change in progress follows the backend itself and looks at its
	 * state again when it ends.  Otherwise act on the state as it is
	 * now, not as the event says: a change may have moved both ends on.
	 */
	if (!info->changing)
		xnf_backend_state(info);
	rtnl_unlock();
}

/* After xl restore or migration: a new backend; renegotiate from scratch. */
static int xnf_resume(struct xenbus_device *xbdev)
{
	struct netfront_info *info = dev_get_drvdata(&xbdev->dev);

	/* A change cut off by the suspend ends first (its waits time out). */
	flush_work(&info->change_work);
	rtnl_lock();
	xnf_disconnect(info);
	rtnl_unlock();
	return 0;
}

static const struct xenbus_device_id xnf_ids[] = {
	{ "vif" },
	{ "" }
};

static struct xenbus_driver xnf_driver = {
	.ids = xnf_ids,
	.probe = xnf_probe,
	.remove = xnf_remove,
	.resume = xnf_resume,
	.otherend_changed = xnf_backend_changed,
};

/**
 * xnf_xenbus_register() - register the frontend driver with xenbus
 *
 * Return: 0 or a negative errno.
 */
int xnf_xenbus_register(void)
{
	return xenbus_register_frontend(&xnf_driver);
}

/**
 * xnf_xenbus_unregister() - unregister the frontend driver
 */
void xnf_xenbus_unregister(void)
{
	xenbus_unregister_driver(&xnf_driver);
}
