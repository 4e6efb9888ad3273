// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netfront: the control ring, and what the backend does for us with
 * it: receive-side scaling (it spreads the flows it sends us over our
 * queues by a Toeplitz hash under our key and table, and tells us each
 * packet's hash) and a multicast filter (it drops multicast frames for
 * groups we did not join).
 *
 * The ring is set up with each connection to a backend that offers
 * "feature-ctrl-ring".  Requests go one at a time under ctrl.lock and wait,
 * bounded, for their answer; each answer is copied out and checked
 * (validate.c) before anything in it is used.  A backend that answers
 * wrongly, or not at all, loses the control features until it connects
 * again; the interface itself carries on, its flows spread as the backend
 * likes.
 *
 * The settings belong to the device and outlive connections: after each
 * connect, ctrl.work applies them again.  The multicast filter is amended
 * over the tx ring (requests with an MCAST_ADD or MCAST_DEL extra) and
 * switched with "request-multicast-control"; it is used only with a
 * backend that lets us switch it at run time, so that all-multi,
 * promiscuous mode, a long group list or a refusal can go back to flooding.
 *
 * Lock order: RTNL, then ctrl.lock.  ctrl.work takes ctrl.lock and RTNL one
 * after the other, never nested, so it is never cancelled under RTNL.
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include "netfront.h"

/* How long a control request may wait for its answer. */
#define XNF_CTRL_TIMEOUT	(2 * HZ)

static irqreturn_t xnf_ctrl_interrupt(int irq, void *dev_id)
{
	struct xnf_ctrl *c = dev_id;
	bool work;

	/* Only the answer to an outstanding request is work (XSA-391). */
	work = READ_ONCE(c->waiting) &&
	       xnf_new_responses(&c->ring.sring->rsp_prod, &c->seen_prod);
	if (work)
		wake_up(&c->wq);
	xen_irq_lateeoi(irq, work ? 0 : XEN_EOI_FLAG_SPURIOUS);
	return IRQ_HANDLED;
}

static bool xnf_ctrl_answered(struct xnf_ctrl *c)
{
	return READ_ONCE(c->ring.sring->rsp_prod) != c->ring.rsp_cons;
}

/* The backend broke the control protocol: stop using the ring. */
static int xnf_ctrl_lose(struct netfront_info *info, const char *why,
			 int err)
{
	struct xnf_ctrl *c = &info->ctrl;

	c->lost = true;
	c->rss_on = false;
	netdev_warn(info->netdev,
		    "control ring: %s; RSS off until the backend reconnects\n",
		    why);
	return err;
}

/*
 * Send one request and wait for its answer.  Returns 0, the backend's
 * refusal as a negative errno, or -ENODEV / -ETIMEDOUT / -EPROTO when the
 * ring is not usable (the last two lose it).  ctrl.lock held.
 */
static int xnf_ctrl_call(struct netfront_info *info, u16 type, u32 d0,
			 u32 d1, u32 d2, u32 *data)
{
	struct xnf_ctrl *c = &info->ctrl;
	struct xen_netif_ctrl_response rsp;
	struct xen_netif_ctrl_request *req;
	RING_IDX prod;
	int notify, err;
	u16 id;

	lockdep_assert_held(&c->lock);
	if (!c->ready || !c->up || c->lost)
		return -ENODEV;
	id = c->next_id++;
	req = RING_GET_REQUEST(&c->ring, c->ring.req_prod_pvt);
	req->id = id;
	req->type = type;
	req->data[0] = d0;
	req->data[1] = d1;
	req->data[2] = d2;
	c->ring.req_prod_pvt++;
	WRITE_ONCE(c->waiting, true);
	/* Ask for an event when this request's answer is produced. */
	c->ring.sring->rsp_event = c->ring.rsp_cons + 1;
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&c->ring, notify);
	if (notify)
		notify_remote_via_irq(c->irq);
	wait_event_timeout(c->wq, xnf_ctrl_answered(c), XNF_CTRL_TIMEOUT);
	WRITE_ONCE(c->waiting, false);

	prod = READ_ONCE(c->ring.sring->rsp_prod);
	virt_rmb(); /* read the response only after the index that covers it */
	if (prod == c->ring.rsp_cons)
		return xnf_ctrl_lose(info, "no answer", -ETIMEDOUT);
	if (!xnf_rsp_prod_ok(prod, c->ring.rsp_cons, c->ring.req_prod_pvt))
		return xnf_ctrl_lose(info, "response producer index out of range",
				     -EPROTO);
	RING_COPY_RESPONSE(&c->ring, c->ring.rsp_cons, &rsp);
	c->ring.rsp_cons++;
	if (!xnf_check_ctrl_rsp(&rsp, id, type, &err))
		return xnf_ctrl_lose(info, "malformed response", -EPROTO);
	if (err)
		return err;
	if (!xnf_ctrl_value(type, rsp.data, data))
		return -EOPNOTSUPP;
	return 0;
}

/* The table in use: the user's, or an even spread over @n queues. */
static void xnf_rss_table(struct netfront_info *info, unsigned int n,
			  u32 *table)
{
	unsigned int i;

	for (i = 0; i < XNF_RSS_INDIR_SIZE; i++)
		table[i] = netif_is_rxfh_configured(info->netdev) ?
			   info->ctrl.indir[i] :
			   ethtool_rxfh_indir_default(i, n);
}

/*
 * Hand the whole RSS configuration to the backend.  ctrl.lock held.  A
 * new connection (@connect) spreads the table over its queues unless the
 * user set one; from ethtool, ctrl.indir is what the user just gave (the
 * ethtool core marks the table as the user's only after we return).
 */
static int xnf_rss_apply(struct netfront_info *info, bool connect)
{
	struct xnf_ctrl *c = &info->ctrl;
	u32 caps, size, unused;
	void *buf = page_address(c->buf);
	int err;

	c->rss_on = false;
	err = xnf_ctrl_call(info, XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM,
			    XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ, 0, 0, &unused);
	if (!err)
		err = xnf_ctrl_call(info, XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS,
				    0, 0, 0, &caps);
	if (!err)
		err = xnf_ctrl_call(info,
				    XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE,
				    0, 0, 0, &size);
	if (err)
		return err;
	c->hash_caps = caps;
	memcpy(buf, c->key, XNF_RSS_KEY_SIZE);
	err = xnf_ctrl_call(info, XEN_NETIF_CTRL_TYPE_SET_HASH_KEY, c->buf_ref,
			    XNF_RSS_KEY_SIZE, 0, &unused);
	if (!err)
		err = xnf_ctrl_call(info,
				    XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE,
				    size, 0, 0, &unused);
	if (err)
		return err;
	if (connect)
		xnf_rss_table(info, max(READ_ONCE(info->qcfg.cur), 1U),
			      c->indir);
	memcpy(buf, c->indir, sizeof(c->indir));
	err = xnf_ctrl_call(info, XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING,
			    c->buf_ref, XNF_RSS_INDIR_SIZE, 0, &unused);
	if (!err)
		err = xnf_ctrl_call(info, XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS,
				    c->hash_flags & caps, 0, 0, &unused);
	if (!err)
		c->rss_on = true;
	return err;
}

/*
 * Bring the backend's filter in step with the device's list: deletes
 * first, then additions, then the switch.  Filtering is on only when the
 * whole list fits and the backend refused nothing; otherwise flood.  RTNL
 * held (the queue set must stay), nothing here waits for the backend.
 */
static void xnf_mc_sync(struct netfront_info *info)
{
	struct net_device *dev = info->netdev;
	struct xnf_ctrl *c = &info->ctrl;
	u8 want[XNF_MC_MAX][ETH_ALEN];
	struct netdev_hw_addr *ha;
	unsigned int n = 0, i, j;
	bool filter;

	ASSERT_RTNL();
	if (!info->be.mc_dynamic || !info->queues || !c->up)
		return;
	netif_addr_lock_bh(dev);
	filter = !(dev->flags & (IFF_ALLMULTI | IFF_PROMISC)) &&
		 netdev_mc_count(dev) <= XNF_MC_MAX;
	if (filter)
		netdev_for_each_mc_addr(ha, dev)
			ether_addr_copy(want[n++], ha->addr);
	netif_addr_unlock_bh(dev);
	filter &= !READ_ONCE(c->mc_refused);

	for (i = 0; filter && i < c->nr_mc; ) {
		for (j = 0; j < n && !ether_addr_equal(c->mc[i], want[j]); j++)
			;
		if (j < n) {
			i++;
			continue;
		}
		if (xnf_tx_mc_request(&info->queues[0],
				      XEN_NETIF_EXTRA_TYPE_MCAST_DEL, c->mc[i]))
			filter = false;
		else
			ether_addr_copy(c->mc[i], c->mc[--c->nr_mc]);
	}
	for (j = 0; filter && j < n; j++) {
		for (i = 0; i < c->nr_mc && !ether_addr_equal(c->mc[i], want[j]);
		     i++)
			;
		if (i < c->nr_mc)
			continue;
		if (xnf_tx_mc_request(&info->queues[0],
				      XEN_NETIF_EXTRA_TYPE_MCAST_ADD, want[j]))
			filter = false;
		else
			ether_addr_copy(c->mc[c->nr_mc++], want[j]);
	}
	if (filter == c->mc_filter)
		return;
	if (xenbus_printf(XBT_NIL, info->xbdev->nodename,
			  "request-multicast-control", "%u", filter))
		return;
	c->mc_filter = filter;
	netdev_info(dev, "multicast: %s\n", filter ?
		    "the backend filters for our groups" :
		    "the backend floods every group");
}

/*
 * Staging grants (include/xen-netmq/staging.h).  Our tx pages are granted
 * for the life of the connection already, one per request id; a backend
 * that can keep them mapped is asked to, queue by queue, and then copies
 * our packets out of them with memcpy instead of a grant copy per slot.
 * If it can map as many again, each rx slot gets a staging page of its
 * own (rx.c), granted for the connection and mapped too, which the
 * backend fills with memcpy.  Everything runs under ctrl.lock: while it
 * is held with the ring up, this connection's queue set cannot go
 * (xnf_disconnect() releases the ring first, and waits for the lock), so
 * no RTNL is held across a wait for the backend.  A queue whose rx pages
 * cannot be had (memory, grant references) stages its tx pages only.
 */

/* One list into the list page: @refs, read-only or writable. */
static void xnf_staging_fill(struct xnf_ctrl *c, const grant_ref_t *refs,
			     unsigned int n, bool ro)
{
	struct xen_netif_gref *e = page_address(c->list);
	unsigned int i;

	for (i = 0; i < n; i++) {
		e[i].ref = refs[i];
		e[i].flags = ro ? XEN_NETIF_CTRLF_GREF_readonly : 0;
		e[i].status = 0;
	}
}

static int xnf_staging_call(struct netfront_info *info, u16 type,
			    unsigned int q, const grant_ref_t *refs,
			    unsigned int n, bool ro)
{
	struct xnf_ctrl *c = &info->ctrl;
	u32 unused;

	xnf_staging_fill(c, refs, n, ro);
	return xnf_ctrl_call(info, type, q, c->list_ref, n, &unused);
}

/* Map queue @q's pages at the backend: tx, then rx if room.  0 or errno. */
static int xnf_staging_add(struct netfront_info *info,
			   struct netfront_queue *q)
{
	struct xnf_ctrl *c = &info->ctrl;
	u32 size;
	int err;

	err = xnf_ctrl_call(info, XEN_NETIF_CTRL_TYPE_GET_GREF_MAPPING_SIZE,
			    q->id, 0, 0, &size);
	if (!err && size < XNF_TX_RING_SIZE)
		err = -ENOSPC;
	if (!err)
		err = xnf_staging_call(info,
				       XEN_NETIF_CTRL_TYPE_ADD_GREF_MAPPING,
				       q->id, q->tx_refs, XNF_TX_RING_SIZE,
				       true);
	if (err)
		return err;
	c->staged[q->id] = XNF_TX_RING_SIZE;
	if (size < XNF_STAGING_MAX || xnf_rx_stage_setup(q))
		return 0;
	if (!xnf_staging_call(info, XEN_NETIF_CTRL_TYPE_ADD_GREF_MAPPING,
			      q->id, q->rx_stage_refs, XNF_RX_RING_SIZE,
			      false)) {
		c->staged[q->id] = XNF_STAGING_MAX;
		/* The pages' grants before the flag that posts them. */
		smp_store_release(&q->rx_stage_on, true);
	}
	return 0;
}

/* Let the backend unmap queue @q's pages: rx first, then tx. */
static int xnf_staging_del(struct netfront_info *info,
			   struct netfront_queue *q)
{
	struct xnf_ctrl *c = &info->ctrl;
	int err;

	if (c->staged[q->id] > XNF_TX_RING_SIZE) {
		/* Slots still posted with them: a grant copy serves those. */
		WRITE_ONCE(q->rx_stage_on, false);
		err = xnf_staging_call(info,
				       XEN_NETIF_CTRL_TYPE_DEL_GREF_MAPPING,
				       q->id, q->rx_stage_refs,
				       XNF_RX_RING_SIZE, false);
		if (err)
			return err;
		c->staged[q->id] = XNF_TX_RING_SIZE;
	}
	err = xnf_staging_call(info, XEN_NETIF_CTRL_TYPE_DEL_GREF_MAPPING,
			       q->id, q->tx_refs, XNF_TX_RING_SIZE, true);
	if (!err)
		c->staged[q->id] = 0;
	return err;
}

/*
 * Have the backend map every queue's pages (@want) or none.  ctrl.lock
 * held, the ring up.  A backend without staging, or with too little for
 * one queue's tx pages, is asked once per connection; one that refuses a
 * list gets no more for this connection.
 */
static void xnf_staging_sync(struct netfront_info *info, bool want)
{
	struct xnf_ctrl *c = &info->ctrl;
	struct netfront_queue *queues = READ_ONCE(info->queues);
	unsigned int q, nq = queues ? READ_ONCE(info->qcfg.cur) : 0;
	unsigned int changed = 0, grants = 0;
	int err = 0;

	for (q = 0; q < nq && q < XNM_MAX_QUEUES &&
	     !(want && c->staging_refused); q++) {
		if (want == !!c->staged[q])
			continue;
		err = want ? xnf_staging_add(info, &queues[q]) :
			     xnf_staging_del(info, &queues[q]);
		if (err) {
			c->staging_refused = want;
			break;
		}
		grants += c->staged[q];
		changed++;
	}
	if (err && err != -EOPNOTSUPP && err != -ENODEV)
		netdev_warn(info->netdev,
			    "staging grants: the backend refused queue %u (%d); grant copies for %s\n",
			    q, err, want ? "the rest" : "now, until it reconnects");
	if (changed && want)
		netdev_info(info->netdev,
			    "staging grants mapped by the backend for %u queue%s: %u grants\n",
			    changed, changed == 1 ? "" : "s", grants);
	else if (changed)
		netdev_info(info->netdev,
			    "staging grants released for %u queue%s\n",
			    changed, changed == 1 ? "" : "s");
}

static void xnf_staging_work(struct netfront_info *info, bool want)
{
	struct xnf_ctrl *c = &info->ctrl;

	mutex_lock(&c->lock);
	if (c->ready && c->up && !c->lost)
		xnf_staging_sync(info, want);
	mutex_unlock(&c->lock);
}

/**
 * xnf_staging_drop() - have the backend unmap every staging grant now
 * @info: the device; RTNL not held
 *
 * For a backend closed by its toolstack first (xl network-detach): it
 * still serves the control ring, and would unmap only once we close in
 * turn, after our pages are gone; pages still mapped at release go to the
 * grant code's deferred list, which frees ten a second.  Bounded: a
 * backend that does not answer loses the ring after one timeout.
 */
void xnf_staging_drop(struct netfront_info *info)
{
	xnf_staging_work(info, false);
}

/**
 * xnf_staging_set() - the "staging" private flag
 * @info: the device, RTNL held
 * @on: map (true) or release our tx pages at the backend
 *
 * Applied by ctrl.work, which waits for the backend without RTNL.
 *
 * Return: 0.
 */
int xnf_staging_set(struct netfront_info *info, bool on)
{
	WRITE_ONCE(info->ctrl.staging_off, !on);
	schedule_work(&info->ctrl.work);
	return 0;
}

/**
 * xnf_staging_grants() - grants the backend keeps mapped for a queue
 * @info: the device
 * @q: queue index
 *
 * Return: how many (0 when none or @q is out of range).
 */
unsigned int xnf_staging_grants(struct netfront_info *info, unsigned int q)
{
	return q < XNM_MAX_QUEUES ? READ_ONCE(info->ctrl.staged[q]) : 0;
}

static void xnf_ctrl_work(struct work_struct *work)
{
	struct netfront_info *info = container_of(work, struct netfront_info,
						  ctrl.work);
	struct xnf_ctrl *c = &info->ctrl;
	int err;

	mutex_lock(&c->lock);
	if (c->ready && c->up && !c->lost && !c->rss_on) {
		err = xnf_rss_apply(info, true);
		if (err && err != -ENODEV)
			netdev_warn(info->netdev,
				    "the backend did not take our RSS settings (%d)\n",
				    err);
	}
	mutex_unlock(&c->lock);

	rtnl_lock();
	xnf_mc_sync(info);
	rtnl_unlock();

	xnf_staging_work(info, !READ_ONCE(info->ctrl.staging_off));
}

/**
 * xnf_ctrl_init() - default settings of a new device
 * @info: the device, at probe
 *
 * A random key and every hash type, as a NIC comes up.
 */
void xnf_ctrl_init(struct netfront_info *info)
{
	struct xnf_ctrl *c = &info->ctrl;

	mutex_init(&c->lock);
	init_waitqueue_head(&c->wq);
	INIT_WORK(&c->work, xnf_ctrl_work);
	netdev_rss_key_fill(c->key, sizeof(c->key));
	c->hash_flags = XNF_HASH_TYPES;
}

static void xnf_ctrl_buf_release(struct xnf_ctrl *c)
{
	gnttab_end_foreign_access(c->list_ref, c->list);
	c->list = NULL;
	gnttab_end_foreign_access(c->buf_ref, c->buf);
	c->buf = NULL;
}

/* A zeroed page granted to the backend, read-only or writable. */
static int xnf_ctrl_page(struct netfront_info *info, bool ro,
			 struct page **page, grant_ref_t *gref)
{
	int ref;

	*page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!*page)
		return -ENOMEM;
	ref = gnttab_grant_foreign_access(info->xbdev->otherend_id,
					  xen_page_to_gfn(*page), ro);
	if (ref < 0) {
		__free_page(*page);
		*page = NULL;
		return ref;
	}
	*gref = ref;
	return 0;
}

/*
 * The buffer is read-only: the backend copies keys and tables out of it.
 * The list page is writable: a DEL answers each entry's status in it.
 */
static int xnf_ctrl_buf_setup(struct netfront_info *info)
{
	struct xnf_ctrl *c = &info->ctrl;
	int err;

	err = xnf_ctrl_page(info, true, &c->buf, &c->buf_ref);
	if (err)
		return err;
	err = xnf_ctrl_page(info, false, &c->list, &c->list_ref);
	if (err) {
		gnttab_end_foreign_access(c->buf_ref, c->buf);
		c->buf = NULL;
	}
	return err;
}

/**
 * xnf_ctrl_setup() - the control ring of a new connection
 * @info: the device, RTNL held, the backend's offer read
 *
 * Nothing happens when the backend does not offer a control ring.  The
 * ring is optional: if it cannot be set up, the device connects without.
 *
 * Return: 0 (a failure is logged and leaves the ring out).
 */
int xnf_ctrl_setup(struct netfront_info *info)
{
	struct xenbus_device *xbdev = info->xbdev;
	struct xnf_ctrl *c = &info->ctrl;
	struct xen_netif_ctrl_sring *sring;
	int err;

	if (!info->be.ctrl_ring || c->ready)
		return 0;
	err = xenbus_setup_ring(xbdev, GFP_KERNEL, (void **)&sring, 1,
				&c->ring_ref);
	if (err)
		goto out;
	XEN_FRONT_RING_INIT(&c->ring, sring, XEN_PAGE_SIZE);
	err = xnf_ctrl_buf_setup(info);
	if (err)
		goto teardown_ring;
	err = xenbus_alloc_evtchn(xbdev, &c->evtchn);
	if (err)
		goto free_buf;
	err = bind_evtchn_to_irqhandler_lateeoi(c->evtchn, xnf_ctrl_interrupt,
						0, "xen-netfront-ctrl", c);
	if (err < 0) {
		xenbus_free_evtchn(xbdev, c->evtchn);
		goto free_buf;
	}
	c->irq = err;
	c->seen_prod = 0;
	mutex_lock(&c->lock);
	c->ready = true;
	mutex_unlock(&c->lock);
	return 0;

free_buf:
	xnf_ctrl_buf_release(c);
teardown_ring:
	xenbus_teardown_ring((void **)&c->ring.sring, 1, &c->ring_ref);
out:
	netdev_warn(info->netdev, "no control ring (%d): RSS not available\n",
		    err);
	return 0;
}

/**
 * xnf_ctrl_write_keys() - the control ring's keys, in the connect transaction
 * @info: the device
 * @xbt: the transaction
 * @what: set to the key being written, for the error message
 *
 * Keys of an earlier connection are removed, "request-multicast-control"
 * included: filtering starts off, and ctrl.work turns it on once the
 * backend holds our groups.
 *
 * Return: 0 or a negative errno.
 */
int xnf_ctrl_write_keys(struct netfront_info *info,
			struct xenbus_transaction xbt, const char **what)
{
	const char *node = info->xbdev->nodename;
	struct xnf_ctrl *c = &info->ctrl;
	int err;

	xenbus_rm(xbt, node, "request-multicast-control");
	if (!c->ready) {
		xenbus_rm(xbt, node, "ctrl-ring-ref");
		xenbus_rm(xbt, node, "event-channel-ctrl");
		return 0;
	}
	*what = "ctrl-ring-ref";
	err = xenbus_printf(xbt, node, "ctrl-ring-ref", "%u", c->ring_ref);
	if (err)
		return err;
	*what = "event-channel-ctrl";
	return xenbus_printf(xbt, node, "event-channel-ctrl", "%u", c->evtchn);
}

/**
 * xnf_ctrl_connected() - the backend is Connected: apply our settings
 * @info: the device, RTNL held
 */
void xnf_ctrl_connected(struct netfront_info *info)
{
	struct xnf_ctrl *c = &info->ctrl;

	mutex_lock(&c->lock);
	c->up = true;
	mutex_unlock(&c->lock);
	schedule_work(&c->work);
}

/**
 * xnf_ctrl_release() - the connection ends: forget its control state
 * @info: the device, RTNL held, the queues stopped
 *
 * Waits (bounded) for a request in flight.  The settings are kept.
 */
void xnf_ctrl_release(struct netfront_info *info)
{
	struct xnf_ctrl *c = &info->ctrl;

	ASSERT_RTNL();
	mutex_lock(&c->lock);
	c->up = false;
	c->lost = false;
	c->rss_on = false;
	c->nr_mc = 0;
	c->mc_filter = false;
	WRITE_ONCE(c->mc_refused, false);
	/* The backend unmaps them all when the connection ends. */
	memset(c->staged, 0, sizeof(c->staged));
	c->staging_refused = false;
	if (c->ready) {
		c->ready = false;
		unbind_from_irqhandler(c->irq, c);
		xnf_ctrl_buf_release(c);
		xenbus_teardown_ring((void **)&c->ring.sring, 1, &c->ring_ref);
	}
	mutex_unlock(&c->lock);
}

/**
 * xnf_ctrl_exit() - the device goes away
 * @info: the device, disconnected, RTNL not held
 */
void xnf_ctrl_exit(struct netfront_info *info)
{
	cancel_work_sync(&info->ctrl.work);
}

/**
 * xnf_ctrl_mc_refused() - the backend refused a multicast filter request
 * @info: the device (NAPI context)
 *
 * Filtering goes off (we flood) until the next connection.
 */
void xnf_ctrl_mc_refused(struct netfront_info *info)
{
	if (!READ_ONCE(info->ctrl.mc_refused)) {
		WRITE_ONCE(info->ctrl.mc_refused, true);
		net_warn_ratelimited("%s: the backend refused a multicast group: flooding\n",
				     info->netdev->name);
	}
	schedule_work(&info->ctrl.work);
}

/**
 * xnf_set_rx_mode() - ndo_set_rx_mode: the multicast list or flags changed
 * @dev: the device (atomic context)
 */
void xnf_set_rx_mode(struct net_device *dev)
{
	struct netfront_info *info = netdev_priv(dev);

	if (info->be.mc_dynamic)
		schedule_work(&info->ctrl.work);
}

/**
 * xnf_rss_usable() - does this connection offer RSS at all
 * @info: the device, RTNL held
 *
 * Return: true with a control ring that has not been lost.
 */
bool xnf_rss_usable(struct netfront_info *info)
{
	return info->be.ctrl_ring && !info->ctrl.lost;
}

/**
 * xnf_rss_get() - the key and the table in use
 * @info: the device, RTNL held
 * @indir: XNF_RSS_INDIR_SIZE entries, or NULL
 * @key: XNF_RSS_KEY_SIZE bytes, or NULL
 */
void xnf_rss_get(struct netfront_info *info, u32 *indir, u8 *key)
{
	struct xnf_ctrl *c = &info->ctrl;

	mutex_lock(&c->lock);
	if (indir)
		xnf_rss_table(info, max(info->qcfg.cur, 1U), indir);
	if (key)
		memcpy(key, c->key, XNF_RSS_KEY_SIZE);
	mutex_unlock(&c->lock);
}

/* What ethtool may change, saved to put it back if the backend refuses. */
struct xnf_rss_saved {
	u8 key[XNF_RSS_KEY_SIZE];
	u32 indir[XNF_RSS_INDIR_SIZE];
	u32 flags;
};

static void xnf_rss_save(const struct xnf_ctrl *c, struct xnf_rss_saved *s)
{
	memcpy(s->key, c->key, sizeof(s->key));
	memcpy(s->indir, c->indir, sizeof(s->indir));
	s->flags = c->hash_flags;
}

/* Apply now if connected; on refusal, put the saved settings back. */
static int xnf_rss_commit(struct netfront_info *info,
			  const struct xnf_rss_saved *old)
{
	struct xnf_ctrl *c = &info->ctrl;
	int err;

	if (!c->up)
		return 0;	/* applied at the next connection */
	err = xnf_rss_apply(info, false);
	if (!err)
		return 0;
	memcpy(c->key, old->key, sizeof(c->key));
	memcpy(c->indir, old->indir, sizeof(c->indir));
	c->hash_flags = old->flags;
	if (err == -ENODEV || c->lost)
		return -EOPNOTSUPP;
	xnf_rss_apply(info, false);
	return err;
}

/* Change what is given (NULL keeps it) and apply; restored on refusal. */
static int xnf_rss_change(struct netfront_info *info, const u32 *indir,
			  const u8 *key, const u32 *flags)
{
	struct xnf_ctrl *c = &info->ctrl;
	struct xnf_rss_saved *old;
	int err;

	old = kmalloc(sizeof(*old), GFP_KERNEL);
	if (!old)
		return -ENOMEM;
	mutex_lock(&c->lock);
	xnf_rss_save(c, old);
	if (key)
		memcpy(c->key, key, XNF_RSS_KEY_SIZE);
	if (indir)
		memcpy(c->indir, indir, sizeof(c->indir));
	if (flags)
		c->hash_flags = *flags;
	err = xnf_rss_commit(info, old);
	mutex_unlock(&c->lock);
	kfree(old);
	return err;
}

/**
 * xnf_rss_set() - ethtool -X: a new key and/or table
 * @info: the device, RTNL held
 * @indir: XNF_RSS_INDIR_SIZE entries (checked against the queue count by
 *	the ethtool core), or NULL to keep the table
 * @key: XNF_RSS_KEY_SIZE bytes, or NULL to keep the key
 *
 * Return: 0, or a negative errno with the previous settings still in use.
 */
int xnf_rss_set(struct netfront_info *info, const u32 *indir, const u8 *key)
{
	return xnf_rss_change(info, indir, key, NULL);
}

/**
 * xnf_rss_flags() - the hash types in use
 * @info: the device, RTNL held
 *
 * Return: XEN_NETIF_CTRL_HASH_TYPE_* bits; only what the backend can hash
 * once it has told us.
 */
u32 xnf_rss_flags(struct netfront_info *info)
{
	struct xnf_ctrl *c = &info->ctrl;
	u32 flags;

	mutex_lock(&c->lock);
	flags = c->hash_flags;
	if (c->rss_on)
		flags &= c->hash_caps;
	mutex_unlock(&c->lock);
	return flags;
}

/**
 * xnf_rss_set_flags() - ethtool -N rx-flow-hash: the hash types to use
 * @info: the device, RTNL held
 * @flags: XEN_NETIF_CTRL_HASH_TYPE_* bits
 *
 * Return: 0, or a negative errno with the previous types still in use.
 */
int xnf_rss_set_flags(struct netfront_info *info, u32 flags)
{
	return xnf_rss_change(info, NULL, NULL, &flags);
}
