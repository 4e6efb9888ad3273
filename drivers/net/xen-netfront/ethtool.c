// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netfront: ethtool operations.  `ethtool -S` lists the counters of
 * every queue the device may ever have (max_queues at probe time), so the
 * number of entries stays the same across `ethtool -L`; queues that are
 * not connected read zero.  Values are read under RTNL, which also guards
 * every change of the queue set.
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>

#include "netfront.h"

struct xnf_stat_desc {
	const char *name;
	size_t offset;
};

#define XNF_TX_STAT(f) { #f, offsetof(struct xnf_tx_stats, f) }
#define XNF_RX_STAT(f) { #f, offsetof(struct xnf_rx_stats, f) }

static const struct xnf_stat_desc xnf_tx_descs[] = {
	XNF_TX_STAT(packets), XNF_TX_STAT(bytes), XNF_TX_STAT(gso_packets),
	XNF_TX_STAT(csum_partial), XNF_TX_STAT(drops), XNF_TX_STAT(errors),
	XNF_TX_STAT(stops), XNF_TX_STAT(wakes),
};

static const struct xnf_stat_desc xnf_rx_descs[] = {
	XNF_RX_STAT(packets), XNF_RX_STAT(bytes), XNF_RX_STAT(gso_packets),
	XNF_RX_STAT(csum_partial), XNF_RX_STAT(drops), XNF_RX_STAT(errors),
	XNF_RX_STAT(alloc_fail), XNF_RX_STAT(events), XNF_RX_STAT(spurious),
};

/* Every counter has a name: the tables and the structs stay in step. */
static_assert(ARRAY_SIZE(xnf_tx_descs) ==
	      sizeof(struct xnf_tx_stats) / sizeof(u64));
static_assert(ARRAY_SIZE(xnf_rx_descs) ==
	      sizeof(struct xnf_rx_stats) / sizeof(u64));

#define XNF_QUEUE_STATS	(ARRAY_SIZE(xnf_tx_descs) + ARRAY_SIZE(xnf_rx_descs))

static void xnf_get_drvinfo(struct net_device *dev,
			    struct ethtool_drvinfo *drvinfo)
{
	struct netfront_info *info = netdev_priv(dev);

	strscpy(drvinfo->driver, XNF_DRV_NAME, sizeof(drvinfo->driver));
	strscpy(drvinfo->version, "xen-netmq", sizeof(drvinfo->version));
	strscpy(drvinfo->bus_info, dev_name(&info->xbdev->dev),
		sizeof(drvinfo->bus_info));
}

static void xnf_get_channels(struct net_device *dev,
			     struct ethtool_channels *ch)
{
	struct netfront_info *info = netdev_priv(dev);

	ch->max_combined = info->qcfg.max;
	ch->combined_count = info->qcfg.cur ? info->qcfg.cur :
			     min(info->qcfg.wanted, info->qcfg.max);
}

static int xnf_set_channels(struct net_device *dev,
			    struct ethtool_channels *ch)
{
	struct netfront_info *info = netdev_priv(dev);

	/* Queues are tx/rx pairs: separate counts cannot be honoured. */
	if (ch->rx_count || ch->tx_count || ch->other_count) {
		netdev_err(dev, "only combined channels are supported\n");
		return -EINVAL;
	}
	if (!ch->combined_count || ch->combined_count > info->qcfg.max) {
		netdev_err(dev, "channel count must be 1 to %u\n",
			   info->qcfg.max);
		return -EINVAL;
	}
	return xnf_change_queues(info, ch->combined_count);
}

static int xnf_get_sset_count(struct net_device *dev, int sset)
{
	struct netfront_info *info = netdev_priv(dev);

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return info->qcfg.limit * XNF_QUEUE_STATS;
}

static void xnf_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	struct netfront_info *info = netdev_priv(dev);
	unsigned int q, i;

	if (sset != ETH_SS_STATS)
		return;
	for (q = 0; q < info->qcfg.limit; q++) {
		for (i = 0; i < ARRAY_SIZE(xnf_tx_descs); i++)
			ethtool_sprintf(&data, "tx%u_%s", q,
					xnf_tx_descs[i].name);
		for (i = 0; i < ARRAY_SIZE(xnf_rx_descs); i++)
			ethtool_sprintf(&data, "rx%u_%s", q,
					xnf_rx_descs[i].name);
	}
}

static void xnf_get_ethtool_stats(struct net_device *dev,
				  struct ethtool_stats *stats, u64 *data)
{
	struct netfront_info *info = netdev_priv(dev);
	unsigned int q, i;

	for (q = 0; q < info->qcfg.limit; q++) {
		struct xnf_tx_stats tx = {};
		struct xnf_rx_stats rx = {};

		if (info->queues && q < info->qcfg.cur) {
			xnf_queue_tx_stats(&info->queues[q], &tx);
			xnf_queue_rx_stats(&info->queues[q], &rx);
		}
		for (i = 0; i < ARRAY_SIZE(xnf_tx_descs); i++)
			*data++ = *(u64 *)((u8 *)&tx + xnf_tx_descs[i].offset);
		for (i = 0; i < ARRAY_SIZE(xnf_rx_descs); i++)
			*data++ = *(u64 *)((u8 *)&rx + xnf_rx_descs[i].offset);
	}
}

const struct ethtool_ops xnf_ethtool_ops = {
	.get_drvinfo = xnf_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_channels = xnf_get_channels,
	.set_channels = xnf_set_channels,
	.get_sset_count = xnf_get_sset_count,
	.get_strings = xnf_get_strings,
	.get_ethtool_stats = xnf_get_ethtool_stats,
};
