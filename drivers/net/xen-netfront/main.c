// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netfront (xen-netmq): device lifecycle, net_device operations and
 * statistics.
 *
 * The net_device lives from probe to remove; queue sets come and go with
 * each connection to a backend (xenbus.c).  Counters of a queue set that
 * goes away are folded into per-device bases so totals never go backwards.
 */
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/tcp.h>
#include <xen/platform_pci.h>
#include <xen/xen.h>

#include "xen-netmq/negotiate.h"
#include "xen-netmq/version.h"
#include "netfront.h"

static unsigned int xnf_max_queues;
module_param_named(max_queues, xnf_max_queues, uint, 0644);
MODULE_PARM_DESC(max_queues,
		 "Most queues per interface (default: online CPUs, at most 8)");

/* The tables below add and copy counter structs as arrays of u64. */
static_assert(sizeof(struct xnf_tx_stats) % sizeof(u64) == 0);
static_assert(sizeof(struct xnf_rx_stats) % sizeof(u64) == 0);
static_assert(XNF_XEN_PAGE_SIZE == XEN_PAGE_SIZE);

static void xnf_add_u64s(void *dst, const void *src, size_t size)
{
	const u64 *s = src;
	u64 *d = dst;
	size_t i;

	for (i = 0; i < size / sizeof(u64); i++)
		d[i] += s[i];
}

/**
 * xnf_queue_tx_stats() - consistent snapshot of a queue's tx counters
 * @q: the queue
 * @s: filled in
 */
void xnf_queue_tx_stats(struct netfront_queue *q, struct xnf_tx_stats *s)
{
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&q->tx_syncp);
		*s = q->tx_stats;
	} while (u64_stats_fetch_retry(&q->tx_syncp, start));
}

/**
 * xnf_queue_rx_stats() - consistent snapshot of a queue's rx counters
 * @q: the queue
 * @s: filled in
 */
void xnf_queue_rx_stats(struct netfront_queue *q, struct xnf_rx_stats *s)
{
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&q->rx_syncp);
		*s = q->rx_stats;
	} while (u64_stats_fetch_retry(&q->rx_syncp, start));
	s->events = atomic64_read(&q->events);
	s->spurious = atomic64_read(&q->spurious);
}

/**
 * xnf_attach_queues() - make a connected queue set visible
 * @info: the device, RTNL held
 * @queues: the set
 * @n: its size
 */
void xnf_attach_queues(struct netfront_info *info,
		       struct netfront_queue *queues, unsigned int n)
{
	spin_lock_bh(&info->stats_lock);
	info->queues = queues;
	info->qcfg.cur = n;
	spin_unlock_bh(&info->stats_lock);
}

/**
 * xnf_detach_queues() - fold the queues' counters into the bases, unlink
 * @info: the device, RTNL held, its queues stopped
 *
 * Return: the queue array, now the caller's to free.
 */
struct netfront_queue *xnf_detach_queues(struct netfront_info *info)
{
	struct netfront_queue *queues = info->queues;
	struct xnf_tx_stats tx;
	struct xnf_rx_stats rx;
	unsigned int i;

	spin_lock_bh(&info->stats_lock);
	for (i = 0; i < info->qcfg.cur; i++) {
		xnf_queue_tx_stats(&queues[i], &tx);
		xnf_queue_rx_stats(&queues[i], &rx);
		xnf_add_u64s(&info->tx_base, &tx, sizeof(tx));
		xnf_add_u64s(&info->rx_base, &rx, sizeof(rx));
	}
	info->queues = NULL;
	info->qcfg.cur = 0;
	spin_unlock_bh(&info->stats_lock);
	return queues;
}

/* Device totals: folded bases plus the live queues. */
static void xnf_totals(struct netfront_info *info, struct xnf_tx_stats *tx,
		       struct xnf_rx_stats *rx)
{
	struct xnf_tx_stats qtx;
	struct xnf_rx_stats qrx;
	unsigned int i;

	spin_lock_bh(&info->stats_lock);
	*tx = info->tx_base;
	*rx = info->rx_base;
	for (i = 0; i < info->qcfg.cur; i++) {
		xnf_queue_tx_stats(&info->queues[i], &qtx);
		xnf_queue_rx_stats(&info->queues[i], &qrx);
		xnf_add_u64s(tx, &qtx, sizeof(qtx));
		xnf_add_u64s(rx, &qrx, sizeof(qrx));
	}
	spin_unlock_bh(&info->stats_lock);
}

static void xnf_get_stats64(struct net_device *dev,
			    struct rtnl_link_stats64 *st)
{
	struct netfront_info *info = netdev_priv(dev);
	struct xnf_tx_stats tx;
	struct xnf_rx_stats rx;

	xnf_totals(info, &tx, &rx);
	st->tx_packets = tx.packets;
	st->tx_bytes = tx.bytes;
	st->tx_dropped = tx.drops;
	st->tx_errors = tx.errors;
	st->rx_packets = rx.packets;
	st->rx_bytes = rx.bytes;
	st->rx_dropped = rx.drops + rx.alloc_fail;
	st->rx_errors = rx.errors;
}

#if XNM_HAVE_QUEUE_STATS
static void xnf_fill_qstats(const struct xnf_tx_stats *tx,
			    const struct xnf_rx_stats *rx,
			    struct netdev_queue_stats_tx *qtx,
			    struct netdev_queue_stats_rx *qrx)
{
	if (qtx) {
		qtx->packets = tx->packets;
		qtx->bytes = tx->bytes;
		qtx->hw_drops = tx->drops + tx->errors;
		qtx->hw_gso_packets = tx->gso_packets;
		qtx->needs_csum = tx->csum_partial;
		qtx->stop = tx->stops;
		qtx->wake = tx->wakes;
	}
	if (qrx) {
		qrx->packets = rx->packets;
		qrx->bytes = rx->bytes;
		qrx->alloc_fail = rx->alloc_fail;
		qrx->hw_drops = rx->drops + rx->errors;
	}
}

static void xnf_get_queue_stats_rx(struct net_device *dev, int idx,
				   struct netdev_queue_stats_rx *st)
{
	struct netfront_info *info = netdev_priv(dev);
	struct xnf_rx_stats rx = {};

	if (info->queues && idx < info->qcfg.cur)
		xnf_queue_rx_stats(&info->queues[idx], &rx);
	xnf_fill_qstats(NULL, &rx, NULL, st);
}

static void xnf_get_queue_stats_tx(struct net_device *dev, int idx,
				   struct netdev_queue_stats_tx *st)
{
	struct netfront_info *info = netdev_priv(dev);
	struct xnf_tx_stats tx = {};

	if (info->queues && idx < info->qcfg.cur)
		xnf_queue_tx_stats(&info->queues[idx], &tx);
	xnf_fill_qstats(&tx, NULL, st, NULL);
}

static void xnf_get_base_stats(struct net_device *dev,
			       struct netdev_queue_stats_rx *rx,
			       struct netdev_queue_stats_tx *tx)
{
	struct netfront_info *info = netdev_priv(dev);
	struct xnf_tx_stats btx;
	struct xnf_rx_stats brx;

	spin_lock_bh(&info->stats_lock);
	btx = info->tx_base;
	brx = info->rx_base;
	spin_unlock_bh(&info->stats_lock);
	xnf_fill_qstats(&btx, &brx, tx, rx);
}

static const struct netdev_stat_ops xnf_stat_ops = {
	.get_queue_stats_rx = xnf_get_queue_stats_rx,
	.get_queue_stats_tx = xnf_get_queue_stats_tx,
	.get_base_stats = xnf_get_base_stats,
};
#endif

/**
 * xnf_queues_start() - enable NAPI and transmit on a connected, open device
 * @info: the device, RTNL held
 */
void xnf_queues_start(struct netfront_info *info)
{
	unsigned int i;

	ASSERT_RTNL();
	if (!info->queues || info->napi_on || !netif_running(info->netdev))
		return;
	for (i = 0; i < info->qcfg.cur; i++) {
		napi_enable(&info->queues[i].napi);
		napi_schedule(&info->queues[i].napi);
	}
	info->napi_on = true;
	netif_tx_wake_all_queues(info->netdev);
}

/**
 * xnf_queues_stop() - stop transmit and NAPI; no queue code runs after
 * @info: the device, RTNL held
 */
void xnf_queues_stop(struct netfront_info *info)
{
	unsigned int i;

	ASSERT_RTNL();
	netif_tx_disable(info->netdev);
	if (!info->napi_on)
		return;
	for (i = 0; i < info->qcfg.cur; i++)
		napi_disable(&info->queues[i].napi);
	WRITE_ONCE(info->napi_on, false);
	/* Frames redirected to us (xnf_xdp_xmit()) have left the queues. */
	synchronize_net();
}

/**
 * xnf_backend_broke() - a queue saw the backend break the protocol
 * @q: the queue (any context)
 * @reason: what the backend did, a static string
 *
 * The queue stops touching its rings at once; the device is disabled from
 * process context by disable_work.
 */
void xnf_backend_broke(struct netfront_queue *q, const char *reason)
{
	struct netfront_info *info = q->info;

	WRITE_ONCE(q->broken, true);
	if (cmpxchg(&info->broken_reason, NULL, reason))
		return;
	WRITE_ONCE(info->broken, true);
	schedule_work(&info->disable_work);
}

static void xnf_disable_work(struct work_struct *work)
{
	struct netfront_info *info = container_of(work, struct netfront_info,
						  disable_work);
	const char *reason;

	rtnl_lock();
	reason = READ_ONCE(info->broken_reason);
	if (!info->broken || !reason) {
		rtnl_unlock();
		return;
	}
	netdev_err(info->netdev,
		   "backend %s broke the protocol (%s): interface disabled\n",
		   info->xbdev->otherend, reason);
	netif_carrier_off(info->netdev);
	netif_tx_disable(info->netdev);
	rtnl_unlock();
	/* Closing makes the backend let go; our teardown then follows it. */
	xenbus_dev_fatal(info->xbdev, -EPROTO, "backend misbehaved: %s",
			 reason);
}

static int xnf_open(struct net_device *dev)
{
	struct netfront_info *info = netdev_priv(dev);

	xnf_queues_start(info);
	return 0;
}

static int xnf_stop(struct net_device *dev)
{
	xnf_queues_stop(netdev_priv(dev));
	return 0;
}

static u16 xnf_select_queue(struct net_device *dev, struct sk_buff *skb,
			    struct net_device *sb_dev)
{
	unsigned int n = dev->real_num_tx_queues;

	if (n <= 1)
		return 0;
	return xnf_pick_queue(skb_get_hash(skb), n);
}

static netdev_features_t xnf_fix_features(struct net_device *dev,
					  netdev_features_t features)
{
	struct netfront_info *info = netdev_priv(dev);

	/* Before the first offer is read, keep what the user chose. */
	if (!info->be.known)
		return features;
	if (!info->be.sg)
		features &= ~NETIF_F_SG;
	if (!info->be.sg || !info->be.gso_tcpv4)
		features &= ~NETIF_F_TSO;
	if (!info->be.sg || !info->be.gso_tcpv6)
		features &= ~NETIF_F_TSO6;
	if (!info->be.ipv6_csum)
		features &= ~NETIF_F_IPV6_CSUM;
	return features;
}

/* One page per frame without SG: keep frames that size, as in-tree. */
static unsigned int xnf_mtu_limit(const struct net_device *dev,
				  netdev_features_t features)
{
	return features & NETIF_F_SG ? dev->max_mtu : ETH_DATA_LEN;
}

static int xnf_set_features(struct net_device *dev,
			    netdev_features_t features)
{
	unsigned int max = xnf_mtu_limit(dev, features);

	if (dev->mtu > max) {
		netdev_info(dev, "MTU %u -> %u: no scatter-gather\n", dev->mtu,
			    max);
		WRITE_ONCE(dev->mtu, max);
	}
	return 0;
}

static int xnf_change_mtu(struct net_device *dev, int mtu)
{
	if (mtu > xnf_mtu_limit(dev, dev->features)) {
		netdev_err(dev, "MTU %d needs scatter-gather (off)\n", mtu);
		return -EINVAL;
	}
	if (!xnf_xdp_mtu_ok(netdev_priv(dev), mtu)) {
		netdev_err(dev, "MTU %d is too large for the XDP program: it has no frags support\n",
			   mtu);
		return -EINVAL;
	}
	WRITE_ONCE(dev->mtu, mtu);
	return 0;
}

static const struct net_device_ops xnf_netdev_ops = {
	.ndo_open = xnf_open,
	.ndo_stop = xnf_stop,
	.ndo_start_xmit = xnf_start_xmit,
	.ndo_select_queue = xnf_select_queue,
	.ndo_get_stats64 = xnf_get_stats64,
	.ndo_fix_features = xnf_fix_features,
	.ndo_set_features = xnf_set_features,
	.ndo_change_mtu = xnf_change_mtu,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
	.ndo_set_rx_mode = xnf_set_rx_mode,
	.ndo_bpf = xnf_bpf,
	.ndo_xdp_xmit = xnf_xdp_xmit,
};

static int xnf_read_mac(struct xenbus_device *xbdev, struct net_device *dev)
{
	u8 mac[ETH_ALEN];
	bool ok;
	char *s;

	/* Toolstack input: accept only a well-formed unicast address. */
	s = xenbus_read(XBT_NIL, xbdev->nodename, "mac", NULL);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ok = strlen(s) == 3 * ETH_ALEN - 1 && mac_pton(s, mac) &&
	     is_valid_ether_addr(mac);
	kfree(s);
	if (!ok)
		return -EINVAL;
	eth_hw_addr_set(dev, mac);
	return 0;
}

/* The toolstack's "mtu", if it names one we can carry; else the default. */
static void xnf_read_mtu(struct xenbus_device *xbdev, struct net_device *dev)
{
	unsigned int mtu = xenbus_read_unsigned(xbdev->nodename, "mtu", 0);

	if (mtu >= dev->min_mtu && mtu <= dev->max_mtu)
		dev->mtu = mtu;
}

static unsigned int xnf_queue_limit(void)
{
	unsigned int n = READ_ONCE(xnf_max_queues);

	if (!n)
		n = min(8U, num_online_cpus());
	return clamp(n, 1U, XNM_MAX_QUEUES);
}

static void xnf_setup_netdev(struct net_device *dev)
{
	dev->netdev_ops = &xnf_netdev_ops;
	dev->ethtool_ops = &xnf_ethtool_ops;
#if XNM_HAVE_QUEUE_STATS
	dev->stat_ops = &xnf_stat_ops;
#endif
	dev->hw_features = NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM |
			   NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_RXCSUM;
	dev->features = dev->hw_features;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = XEN_NETIF_MAX_TX_SIZE - ETH_HLEN;
	netif_set_tso_max_size(dev, XEN_NETIF_MAX_TX_SIZE - MAX_TCP_HEADER);
}

/**
 * xnf_probe() - a vif appeared: create its net device, wait for a backend
 * @xbdev: the xenbus device
 * @id: matched id
 *
 * Return: 0 or a negative errno.
 */
int xnf_probe(struct xenbus_device *xbdev, const struct xenbus_device_id *id)
{
	unsigned int limit = xnf_queue_limit();
	struct netfront_info *info;
	struct net_device *dev;
	int err;

	dev = alloc_etherdev_mqs(sizeof(*info), limit, limit);
	if (!dev)
		return -ENOMEM;
	info = netdev_priv(dev);
	info->netdev = dev;
	info->xbdev = xbdev;
	info->qcfg.limit = limit;
	info->qcfg.wanted = limit;
	info->qcfg.max = limit;
	spin_lock_init(&info->stats_lock);
	INIT_WORK(&info->disable_work, xnf_disable_work);
	xnf_change_init(info);
	xnf_ctrl_init(info);
	SET_NETDEV_DEV(dev, &xbdev->dev);
	xnf_setup_netdev(dev);
	xnf_xdp_init(info);

	err = xnf_read_mac(xbdev, dev);
	if (err) {
		xenbus_dev_fatal(xbdev, err, "reading a valid mac address");
		goto free_netdev;
	}
	xnf_read_mtu(xbdev, dev);
	netif_set_real_num_tx_queues(dev, 1);
	netif_set_real_num_rx_queues(dev, 1);
	netif_carrier_off(dev);
	dev_set_drvdata(&xbdev->dev, info);
	err = register_netdev(dev);
	if (err) {
		xenbus_dev_fatal(xbdev, err, "registering the net device");
		goto clear_drvdata;
	}
	xnf_debugfs_add(info);
	xnf_xenbus_start(xbdev);
	return 0;

clear_drvdata:
	dev_set_drvdata(&xbdev->dev, NULL);
free_netdev:
	free_netdev(dev);
	return err;
}

/**
 * xnf_remove() - the vif goes away (driver unbind or device removal)
 * @xbdev: the xenbus device
 *
 * The backend is asked to close first, so that it unmaps our pages before
 * they are freed; a backend that does not answer in time gets its grants
 * ended lazily (the pages are freed only once it lets go).
 */
void xnf_remove(struct xenbus_device *xbdev)
{
	struct netfront_info *info = dev_get_drvdata(&xbdev->dev);

	xnf_change_cancel(info);
	xnf_xenbus_close(xbdev);
	xnf_debugfs_remove(info);
	unregister_netdev(info->netdev);
	rtnl_lock();
	xnf_disconnect(info);
	rtnl_unlock();
	cancel_work_sync(&info->disable_work);
	cancel_work_sync(&info->xdp_work);
	xnf_ctrl_exit(info);
	dev_set_drvdata(&xbdev->dev, NULL);
	free_netdev(info->netdev);
}

static int __init xnf_init(void)
{
	int err;

	if (!xen_domain())
		return -ENODEV;
	if (!xen_has_pv_nic_devices())
		return -ENODEV;
	xnf_debugfs_init();
	err = xnf_xenbus_register();
	if (err)
		xnf_debugfs_exit();
	return err;
}
module_init(xnf_init);

static void __exit xnf_exit(void)
{
	xnf_xenbus_unregister();
	xnf_debugfs_exit();
}
module_exit(xnf_exit);

MODULE_DESCRIPTION("Xen multi-queue paravirtual network frontend (xen-netmq)");
MODULE_LICENSE("GPL");
MODULE_VERSION(XEN_NETMQ_VERSION);
MODULE_ALIAS("xen:vif");
MODULE_ALIAS("xennet");
