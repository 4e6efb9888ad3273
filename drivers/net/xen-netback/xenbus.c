// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netback: XenStore negotiation and the backend state machine.
 *
 * Keys read from the frontend's directory are untrusted: each is read once,
 * here, and a missing or malformed one refuses the connection with
 * xnb_vif_refuse() naming it (xenbus_dev_fatal() with its log line bounded
 * per interface, for a frontend that retries in a loop).  The backend
 * watches its own directory ("hotplug-status", "rate"), which the guest
 * cannot write, and, while connected, one key of the frontend's,
 * "request-multicast-control".  A guest flooding that key (XSA-349) costs
 * one queued event and one read per event handled: see
 * xnb_mcast_will_handle().
 *
 * "xdp-headroom" is the exception to "read once, fatal if bad": it is read
 * at each connect and around each Reconfiguring, and a bad value only
 * means no headroom (xnb_read_xdp_headroom()).
 */
#include <linux/cpumask.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#include "common.h"
#include "xen-netmq/negotiate.h"
#include "xen-netmq/version.h"

unsigned int xnb_max_queues;
module_param_named(max_queues, xnb_max_queues, uint, 0644);
MODULE_PARM_DESC(max_queues,
		 "Queues offered to each frontend (default: online CPUs, at most 8); a lower value reaches existing vifs when their frontend reconnects");

/* Read an unsigned key: 0, -ENOENT when absent, -EINVAL when malformed. */
static int xnb_read_uint(const char *dir, const char *key, unsigned int *val)
{
	unsigned int len;
	char *s;
	int err;

	s = xenbus_read(XBT_NIL, dir, key, &len);
	if (IS_ERR(s))
		return PTR_ERR(s);
	err = kstrtouint(s, 10, val) ? -EINVAL : 0;
	kfree(s);
	return err;
}

/* A key the connection cannot do without; its absence is fatal. */
static int xnb_need_uint(struct xnb_vif *vif, const char *dir,
			 const char *key, unsigned int *val)
{
	int err = xnb_read_uint(dir, key, val);

	if (err)
		xnb_vif_refuse(vif, err, "%s %s/%s",
			       err == -ENOENT ? "missing" : "malformed",
			       dir, key);
	return err;
}

/* Bytes of a refused "xdp-headroom" value quoted in the warning. */
#define XNB_XDP_KEY_SHOWN	24

/**
 * xnb_read_xdp_headroom() - take the rx headroom the frontend asks for
 * @vif: the interface, with @vif->lock held
 *
 * The frontend's "xdp-headroom" is checked by xnb_parse_xdp_headroom(): a
 * missing, malformed or refused value means no headroom, and the last two
 * are logged under the interface's budget.  Read at every connect, so that
 * a frontend that asked for headroom keeps it across a reconnect, and
 * around each Reconfiguring.  The rx kthreads pick the new value up at
 * their next batch; each packet carries the headroom it was built with.
 */
static void xnb_read_xdp_headroom(struct xnb_vif *vif)
{
	const char *fe = vif->xbdev->otherend;
	u16 old = vif->xdp_headroom, h;
	char *s;
	int err;

	s = xenbus_read(XBT_NIL, fe, "xdp-headroom", NULL);
	err = xnb_parse_xdp_headroom(IS_ERR(s) ? NULL : s, &h);
	if (!IS_ERR(s)) {
		if (err && xnb_vif_may_log(vif))
			netdev_warn(vif->dev, "%s %s/xdp-headroom \"%*pE\" (at most %u): no headroom\n",
				    err == -ERANGE ? "refusing" : "malformed",
				    fe, (int)strnlen(s, XNB_XDP_KEY_SHOWN), s,
				    XNB_XDP_HEADROOM_MAX);
		kfree(s);
	}
	WRITE_ONCE(vif->xdp_headroom, h);
	if (h != old)
		netdev_dbg(vif->dev, "rx headroom %u bytes (was %u)\n", h, old);
}

static int xnb_read_frontend_features(struct xnb_vif *vif)
{
	const char *fe = vif->xbdev->otherend;
	unsigned int val;
	int err;

	err = xnb_need_uint(vif, fe, "request-rx-copy", &val);
	if (err)
		return err;
	if (val != 1) {
		xnb_vif_refuse(vif, -EOPNOTSUPP,
			       "%s/request-rx-copy must be 1", fe);
		return -EOPNOTSUPP;
	}
	/*
	 * Frontends old enough to lack it post rx buffers without an event;
	 * the in-tree driver polls for them, and so do we.
	 */
	vif->rx_poll = !xenbus_read_unsigned(fe, "feature-rx-notify", 0);
	if (vif->rx_poll && xnb_vif_may_log(vif))
		netdev_info(vif->dev, "frontend without feature-rx-notify: its rx ring is polled every %u ms\n",
			    XNB_RX_POLL_MS);
	vif->can_sg = !!xenbus_read_unsigned(fe, "feature-sg", 0);
	vif->gso_v4 = !!xenbus_read_unsigned(fe, "feature-gso-tcpv4", 0);
	vif->gso_v6 = !!xenbus_read_unsigned(fe, "feature-gso-tcpv6", 0);
	vif->csum_v4 = !xenbus_read_unsigned(fe, "feature-no-csum-offload", 0);
	vif->csum_v6 = !!xenbus_read_unsigned(fe, "feature-ipv6-csum-offload",
					      0);
	xnb_read_xdp_headroom(vif);
	return 0;
}

/*
 * Number of queues and key layout.  Defends against 0 queues, more than
 * offered (arrays sized from guest input), a malformed count, and a
 * frontend writing both the flat and the queue-N layout, which would leave
 * it ambiguous which rings are live.
 */
static int xnb_read_queue_layout(struct xnb_vif *vif)
{
	const char *fe = vif->xbdev->otherend;
	unsigned int req = 0;
	bool flat, nested;
	int err, n;

	err = xnb_read_uint(fe, "multi-queue-num-queues", &req);
	if (err && err != -ENOENT) {
		xnb_vif_refuse(vif, err,
			       "malformed %s/multi-queue-num-queues", fe);
		return err;
	}
	n = xnm_backend_check_queues(req, !err, vif->offered);
	if (n < 1) {
		n = -EINVAL;
		xnb_vif_refuse(vif, n,
			       "%s/multi-queue-num-queues is %u, offered 1..%u",
			       fe, req, vif->offered);
		return n;
	}
	flat = xenbus_exists(XBT_NIL, fe, "tx-ring-ref");
	nested = xenbus_exists(XBT_NIL, fe, "queue-0");
	if (flat && nested) {
		xnb_vif_refuse(vif, -EINVAL,
			       "%s/tx-ring-ref and %s/queue-0 both present",
			       fe, fe);
		return -EINVAL;
	}
	return n;
}

static int xnb_read_evtchns(struct xnb_vif *vif, const char *dir,
			    unsigned int *tx, unsigned int *rx)
{
	int err;

	err = xnb_read_uint(dir, "event-channel-tx", tx);
	if (err == -ENOENT) {
		err = xnb_need_uint(vif, dir, "event-channel", tx);
		*rx = *tx;
		return err;
	}
	if (err) {
		xnb_vif_refuse(vif, err,
			       "malformed %s/event-channel-tx", dir);
		return err;
	}
	return xnb_need_uint(vif, dir, "event-channel-rx", rx);
}

/**
 * struct xnb_queue_keys - one queue's keys, read before anything is mapped
 * @tx_ref: grant of the tx ring
 * @rx_ref: grant of the rx ring
 * @tx_evt: event channel for tx, or for both directions
 * @rx_evt: event channel for rx, equal to @tx_evt when shared
 */
struct xnb_queue_keys {
	unsigned int tx_ref;
	unsigned int rx_ref;
	unsigned int tx_evt;
	unsigned int rx_evt;
};

/* The frontend directory of queue @i: flat for one queue, else queue-N. */
static char *xnb_queue_path(struct xnb_vif *vif, unsigned int i,
			    unsigned int n)
{
	char sub[XNM_QUEUE_DIR_LEN];

	if (xnm_queue_dir(sub, sizeof(sub), i, n))
		return NULL;
	if (n == 1)
		return kstrdup(vif->xbdev->otherend, GFP_KERNEL);
	return kasprintf(GFP_KERNEL, "%s/%s", vif->xbdev->otherend, sub);
}

static int xnb_read_queue_keys(struct xnb_vif *vif, unsigned int i,
			       unsigned int n, struct xnb_queue_keys *k)
{
	char *dir = xnb_queue_path(vif, i, n);
	int err;

	if (!dir)
		return -ENOMEM;
	err = xnb_need_uint(vif, dir, "tx-ring-ref", &k->tx_ref);
	if (!err)
		err = xnb_need_uint(vif, dir, "rx-ring-ref", &k->rx_ref);
	if (!err)
		err = xnb_read_evtchns(vif, dir, &k->tx_evt, &k->rx_evt);
	kfree(dir);
	return err;
}

static int xnb_connect_queue(struct xnb_vif *vif, unsigned int i,
			     unsigned int n, const struct xnb_queue_keys *k)
{
	char *dir;
	int err;

	err = xnb_queue_connect(&vif->queues[i], k->tx_ref, k->rx_ref,
				k->tx_evt, k->rx_evt);
	if (!err)
		return 0;
	dir = xnb_queue_path(vif, i, n);
	xnb_vif_refuse(vif, err,
		       "mapping rings or binding events of %s",
		       dir ? dir : "a queue");
	kfree(dir);
	return err;
}

/*
 * Every queue's keys are read before any ring is mapped, so a missing or
 * malformed key is refused by name whatever the state of the others.
 */
static int xnb_connect_queues(struct xnb_vif *vif, unsigned int n)
{
	struct xnb_queue_keys *keys;
	unsigned int i;
	int err = 0;

	keys = kcalloc(n, sizeof(*keys), GFP_KERNEL);
	if (!keys)
		return -ENOMEM;
	for (i = 0; i < n && !err; i++)
		err = xnb_read_queue_keys(vif, i, n, &keys[i]);
	for (i = 0; i < n && !err; i++)
		err = xnb_connect_queue(vif, i, n, &keys[i]);
	kfree(keys);
	return err;
}

/* The control ring is optional: only a frontend that wrote its key. */
static int xnb_connect_ctrl(struct xnb_vif *vif, unsigned int n)
{
	const char *fe = vif->xbdev->otherend;
	unsigned int ref, port;
	int err;

	err = xnb_read_uint(fe, "ctrl-ring-ref", &ref);
	if (err == -ENOENT)
		return 0;
	if (err) {
		xnb_vif_refuse(vif, err, "malformed %s/ctrl-ring-ref", fe);
		return err;
	}
	err = xnb_need_uint(vif, fe, "event-channel-ctrl", &port);
	if (err)
		return err;
	err = xnb_ctrl_connect(vif, ref, port, n);
	if (err)
		xnb_vif_refuse(vif, err, "connecting %s/ctrl-ring-ref", fe);
	return err;
}

/* Sample "request-multicast-control"; absent or malformed means off. */
static bool xnb_read_mcast_request(struct xnb_vif *vif)
{
	const char *fe = vif->xbdev->otherend;
	bool on = false;
	char *s;

	s = xenbus_read(XBT_NIL, fe, "request-multicast-control", NULL);
	if (IS_ERR(s))
		return false;
	if (xnb_parse_mcast_request(s, &on) && net_ratelimit())
		netdev_warn(vif->dev,
			    "malformed %s/request-multicast-control: taken as 0\n",
			    fe);
	kfree(s);
	return on;
}

/*
 * XSA-349: the frontend may write the key as fast as it likes.  While one
 * event of this watch waits in xenbus, later ones are discarded before
 * they are queued.  Nothing is lost: xenbus counts an event as pending
 * only until it dequeues it, and the callback then reads the key's
 * current value, which includes every write made before.
 */
static bool xnb_mcast_will_handle(struct xenbus_watch *w, const char *path,
				  const char *token)
{
	return !READ_ONCE(w->nr_pending);
}

/*
 * "feature-dynamic-multicast-control": apply each new value at once.  No
 * vif->lock here, so that the watch can be unregistered by paths that
 * hold it (see xnb_mcast_unwatch()).  A value set after a disconnect has
 * no effect: nothing is sent while disconnected, and the next connection
 * samples the key again.
 */
static void xnb_mcast_changed(struct xenbus_watch *w, const char *path,
			      const char *token)
{
	struct xnb_vif *vif = container_of(w, struct xnb_vif, mcast_watch);
	bool on = xnb_read_mcast_request(vif);

	if (on != READ_ONCE(vif->mcast.on))
		netdev_dbg(vif->dev, "multicast filtering %s\n",
			   on ? "on" : "off");
	xnb_mcast_set_on(&vif->mcast, on);
}

/*
 * With vif->lock held, at connect: sample the key, then watch it for the
 * life of the connection.  A failed watch has already been reported with
 * xenbus_dev_fatal() by xenbus_watch_pathfmt().
 */
static int xnb_mcast_start(struct xnb_vif *vif)
{
	int err;

	xnb_mcast_set_on(&vif->mcast, xnb_read_mcast_request(vif));
	if (vif->mcast_watching)
		return 0;
	err = xenbus_watch_pathfmt(vif->xbdev, &vif->mcast_watch,
				   xnb_mcast_will_handle, xnb_mcast_changed,
				   "%s/request-multicast-control",
				   vif->xbdev->otherend);
	if (!err)
		vif->mcast_watching = true;
	return err;
}

/*
 * Without vif->lock: unregistering waits for the watch callbacks running
 * in the xenwatch thread, and those of "hotplug-status" and "rate" take
 * vif->lock.  So the watch ends in xnb_down() and xnb_remove(), never in
 * xnb_vif_disconnect(); after a disable it lives until the frontend
 * starts over, harmlessly (see xnb_mcast_changed()).
 */
static void xnb_mcast_unwatch(struct xnb_vif *vif)
{
	if (!vif->mcast_watching)
		return;
	unregister_xenbus_watch(&vif->mcast_watch);
	kfree(vif->mcast_watch.node);
	vif->mcast_watch.node = NULL;
	vif->mcast_watching = false;
}

/* With vif->lock held: connect every queue the frontend asked for. */
static int xnb_connect(struct xnb_vif *vif)
{
	int err, n;

	err = xnb_read_frontend_features(vif);
	if (err)
		return err;
	n = xnb_read_queue_layout(vif);
	if (n < 0)
		return n;
	atomic_set(&vif->disabled, 0);
	err = xnb_connect_queues(vif, n);
	if (!err)
		err = xnb_connect_ctrl(vif, n);
	if (!err)
		err = xnb_mcast_start(vif);
	if (err) {
		xnb_vif_disconnect(vif);
		return err;
	}
	xnb_vif_go_live(vif, n);
	if (xnb_vif_may_log(vif))
		netdev_info(vif->dev, "connected with %u queue%s\n", n,
			    n > 1 ? "s" : "");
	return 0;
}

/* With vif->lock held: go Connected once both sides are ready. */
static void xnb_maybe_connected(struct xnb_vif *vif)
{
	if (vif->frontend_ready && vif->hotplug_ok &&
	    vif->xbdev->state == XenbusStateInitWait)
		xenbus_switch_state(vif->xbdev, XenbusStateConnected);
}

static void xnb_up(struct xnb_vif *vif)
{
	mutex_lock(&vif->lock);
	if (!vif->frontend_ready && !xnb_connect(vif))
		vif->frontend_ready = true;
	xnb_maybe_connected(vif);
	mutex_unlock(&vif->lock);
}

static void xnb_down(struct xnb_vif *vif)
{
	xnb_mcast_unwatch(vif);
	mutex_lock(&vif->lock);
	xnb_vif_disconnect(vif);
	vif->frontend_ready = false;
	mutex_unlock(&vif->lock);
}

/**
 * xnb_reconfigure() - answer a frontend that went Reconfiguring
 * @dev: the backend xenbus device
 * @vif: its interface
 *
 * In-tree netfront reconfigures to attach or detach an XDP program: read
 * "xdp-headroom" and answer Reconfigured, connected or not.  Nothing is
 * brought up or down here; the state left is restored by
 * xnb_end_reconfigure().
 */
static void xnb_reconfigure(struct xenbus_device *dev, struct xnb_vif *vif)
{
	mutex_lock(&vif->lock);
	if (dev->state != XenbusStateReconfigured)
		vif->reconf_from = dev->state;
	xnb_read_xdp_headroom(vif);
	xenbus_switch_state(dev, XenbusStateReconfigured);
	mutex_unlock(&vif->lock);
}

/**
 * xnb_end_reconfigure() - follow a frontend back from Reconfiguring
 * @dev: the backend xenbus device
 * @vif: its interface
 *
 * When the backend is Reconfigured, return to the state it left:
 * Connected in the usual case, InitWait if the connection was not up yet
 * (xnb_up() then carries on from there).  The key is read again: in-tree
 * netfront writes it after it announces Reconfiguring, so the read there
 * may have seen the old value, while it writes it before coming back.
 * Otherwise nothing is done.
 */
static void xnb_end_reconfigure(struct xenbus_device *dev,
				struct xnb_vif *vif)
{
	mutex_lock(&vif->lock);
	if (dev->state == XenbusStateReconfigured) {
		xnb_read_xdp_headroom(vif);
		xenbus_switch_state(dev, vif->reconf_from);
	}
	mutex_unlock(&vif->lock);
}

static void xnb_hotplug_changed(struct xenbus_watch *w, const char *path,
				const char *token)
{
	struct xnb_vif *vif = container_of(w, struct xnb_vif, hotplug_watch);
	char *s;

	s = xenbus_read(XBT_NIL, vif->xbdev->nodename, "hotplug-status", NULL);
	mutex_lock(&vif->lock);
	vif->hotplug_ok = !IS_ERR(s) && !strcmp(s, "connected");
	xnb_maybe_connected(vif);
	mutex_unlock(&vif->lock);
	if (!IS_ERR(s))
		kfree(s);
}

/* Apply the "rate" key at once, to every queue; absent means no limit. */
static void xnb_rate_changed(struct xenbus_watch *w, const char *path,
			     const char *token)
{
	struct xnb_vif *vif = container_of(w, struct xnb_vif, rate_watch);
	u64 bytes = 0, usec = 0;
	unsigned int i;
	char *s;

	s = xenbus_read(XBT_NIL, vif->xbdev->nodename, "rate", NULL);
	if (!IS_ERR(s)) {
		if (xnb_parse_rate(s, &bytes, &usec))
			netdev_warn(vif->dev, "ignoring malformed rate \"%.*s\"\n",
				    XNB_RATE_KEY_MAX, s);
		kfree(s);
	}
	mutex_lock(&vif->lock);
	xnb_credit_set(&vif->credit, bytes, usec, ktime_get_ns());
	local_bh_disable();
	for (i = 0; i < vif->num_queues; i++)
		if (vif->queues[i].up)
			napi_schedule(&vif->queues[i].napi);
	local_bh_enable();
	mutex_unlock(&vif->lock);
	if (bytes)
		netdev_info(vif->dev, "rate limit %llu bytes per %llu us\n",
			    bytes, usec);
}

static void xnb_unwatch(struct xnb_vif *vif)
{
	if (!vif->watches)
		return;
	unregister_xenbus_watch(&vif->hotplug_watch);
	unregister_xenbus_watch(&vif->rate_watch);
	kfree(vif->hotplug_watch.node);
	kfree(vif->rate_watch.node);
	vif->watches = false;
}

static int xnb_watch(struct xenbus_device *dev, struct xnb_vif *vif)
{
	int err;

	err = xenbus_watch_pathfmt(dev, &vif->hotplug_watch, NULL,
				   xnb_hotplug_changed, "%s/hotplug-status",
				   dev->nodename);
	if (err)
		return err;
	err = xenbus_watch_pathfmt(dev, &vif->rate_watch, NULL,
				   xnb_rate_changed, "%s/rate", dev->nodename);
	if (err) {
		unregister_xenbus_watch(&vif->hotplug_watch);
		kfree(vif->hotplug_watch.node);
		return err;
	}
	vif->watches = true;
	return 0;
}

static int xnb_write_features(struct xenbus_device *dev,
			      unsigned int max_queues)
{
	static const char * const on[] = {
		"feature-sg", "feature-gso-tcpv4", "feature-gso-tcpv6",
		"feature-ipv6-csum-offload", "feature-rx-copy",
		"feature-split-event-channels", "feature-ctrl-ring",
		"feature-multicast-control",
		"feature-dynamic-multicast-control", "feature-xdp-headroom",
	};
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(on); i++) {
		err = xenbus_printf(XBT_NIL, dev->nodename, on[i], "%d", 1);
		if (err)
			goto fail;
	}
	err = xenbus_printf(XBT_NIL, dev->nodename, "feature-rx-flip", "%d", 0);
	if (err)
		goto fail;
	err = xenbus_printf(XBT_NIL, dev->nodename, "multi-queue-max-queues",
			    "%u", max_queues);
	if (!err)
		return 0;
fail:
	xenbus_dev_fatal(dev, err, "writing features to %s", dev->nodename);
	return err;
}

static int xnb_probe(struct xenbus_device *dev,
		     const struct xenbus_device_id *id)
{
	unsigned int handle, max;
	struct xnb_vif *vif;
	int err;

	err = xnb_read_uint(dev->nodename, "handle", &handle);
	if (err) {
		xenbus_dev_fatal(dev, err, "reading %s/handle", dev->nodename);
		return err;
	}
	max = clamp(READ_ONCE(xnb_max_queues), 1U, XNM_MAX_QUEUES);
	vif = xnb_vif_create(dev, dev->otherend_id, handle, max);
	if (IS_ERR(vif)) {
		xenbus_dev_fatal(dev, PTR_ERR(vif), "creating interface");
		return PTR_ERR(vif);
	}
	/* The toolstack's, for udev rules that run it (run_hotplug_scripts=0). */
	vif->script = xenbus_read(XBT_NIL, dev->nodename, "script", NULL);
	if (IS_ERR(vif->script))
		vif->script = NULL;
	dev_set_drvdata(&dev->dev, vif);
	err = xnb_write_features(dev, max);
	if (err)
		goto destroy;
	err = xnb_watch(dev, vif);
	if (err)
		goto destroy;
	err = xenbus_switch_state(dev, XenbusStateInitWait);
	if (err)
		goto unwatch;
	/* Toolstacks that leave the vif script to udev start it on this. */
	kobject_uevent(&dev->dev.kobj, KOBJ_ONLINE);
	return 0;

unwatch:
	xnb_unwatch(vif);
destroy:
	dev_set_drvdata(&dev->dev, NULL);
	kfree(vif->script);
	xnb_vif_destroy(vif);
	return err;
}

/* What udev's vif rules need: the script to run and the interface. */
static int xnb_uevent(XNM_UEVENT_CONST struct xenbus_device *dev,
		      struct kobj_uevent_env *env)
{
	struct xnb_vif *vif = dev_get_drvdata(&dev->dev);

	if (!vif)
		return 0;
	if (vif->script && add_uevent_var(env, "script=%s", vif->script))
		return -ENOMEM;
	return add_uevent_var(env, "vif=%s", vif->dev->name);
}

static void xnb_remove(struct xenbus_device *dev)
{
	struct xnb_vif *vif = dev_get_drvdata(&dev->dev);

	if (!vif)
		return;
	kobject_uevent(&dev->dev.kobj, KOBJ_OFFLINE);
	xnb_unwatch(vif);
	/*
	 * The next driver bound here must wait for the script to run again,
	 * not go Connected on what it said for us.
	 */
	xenbus_rm(XBT_NIL, dev->nodename, "hotplug-status");
	xnb_down(vif);
	cancel_work_sync(&vif->disable_work);
	dev_set_drvdata(&dev->dev, NULL);
	kfree(vif->script);
	xnb_vif_destroy(vif);
}

/*
 * A frontend starting over reads the offer again: a max_queues lowered by
 * the administrator since the vif was created applies from now on (up to
 * the count the interface was created for).
 */
static void xnb_offer_again(struct xenbus_device *dev, struct xnb_vif *vif)
{
	unsigned int n = clamp(READ_ONCE(xnb_max_queues), 1U, vif->max_queues);
	int err;

	if (n == vif->offered)
		return;
	err = xenbus_printf(XBT_NIL, dev->nodename, "multi-queue-max-queues",
			    "%u", n);
	if (err) {
		netdev_warn(vif->dev, "cannot offer %u queues (%d), still %u\n",
			    n, err, vif->offered);
		return;
	}
	netdev_info(vif->dev, "now offering %u queue%s (was %u)\n", n,
		    n == 1 ? "" : "s", vif->offered);
	vif->offered = n;
}

static void xnb_frontend_changed(struct xenbus_device *dev,
				 enum xenbus_state state)
{
	struct xnb_vif *vif = dev_get_drvdata(&dev->dev);

	switch (state) {
	case XenbusStateInitialising:
		/*
		 * Back from Closed, or a frontend restarting without closing
		 * first (resume, a new queue count): start afresh.
		 */
		xnb_down(vif);
		xnb_offer_again(dev, vif);
		if (dev->state != XenbusStateInitWait)
			xenbus_switch_state(dev, XenbusStateInitWait);
		break;
	case XenbusStateInitialised:
	case XenbusStateConnected:
		/* Back from Reconfiguring: Connected again, or InitWait. */
		xnb_end_reconfigure(dev, vif);
		if (dev->state == XenbusStateInitWait)
			xnb_up(vif);
		break;
	case XenbusStateReconfiguring:
		xnb_reconfigure(dev, vif);
		break;
	case XenbusStateClosing:
		xnb_down(vif);
		xenbus_switch_state(dev, XenbusStateClosing);
		break;
	case XenbusStateClosed:
		xnb_down(vif);
		xenbus_switch_state(dev, XenbusStateClosed);
		if (xenbus_dev_is_online(dev))
			break;
		fallthrough;
	case XenbusStateUnknown:
		xnb_down(vif);
		xenbus_switch_state(dev, XenbusStateClosed);
		device_unregister(&dev->dev);
		break;
	default:
		break;
	}
}

static const struct xenbus_device_id xnb_ids[] = {
	{ "vif" },
	{ "" }
};

static struct xenbus_driver xnb_driver = {
	.ids = xnb_ids,
	.probe = xnb_probe,
	.remove = xnb_remove,
	.otherend_changed = xnb_frontend_changed,
	.uevent = xnb_uevent,
	.allow_rebind = true,
};

static int __init xnb_init(void)
{
	int err;

	if (!xen_domain())
		return -ENODEV;
	if (!xnb_max_queues)
		xnb_max_queues = min(8U, num_online_cpus());
	xnb_debugfs_init();
	err = xenbus_register_backend(&xnb_driver);
	if (err)
		xnb_debugfs_exit();
	return err;
}
module_init(xnb_init);

static void __exit xnb_exit(void)
{
	xenbus_unregister_driver(&xnb_driver);
	xnb_debugfs_exit();
}
module_exit(xnb_exit);

MODULE_DESCRIPTION("Xen multi-queue network backend");
MODULE_LICENSE("GPL");
MODULE_VERSION(XEN_NETMQ_VERSION);
MODULE_ALIAS("xen-backend:vif");
