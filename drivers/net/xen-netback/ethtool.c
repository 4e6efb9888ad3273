// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netback: ethtool channels and driver-specific counters, and the
 * per-queue standard counters of netdev_stat_ops.
 *
 * "rx" is what the stack receives (from the guest), "tx" what it sends.
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>

#include "common.h"

static const char * const xnb_stat_names[] = {
	"rx_copy_errors",
	"rx_gso",
	"rx_csum_blank",
	"rx_rate_waits",
	"tx_copy_errors",
	"tx_gso",
	"tx_expired",
	"tx_stalls",
	"tx_backlog_bytes",
	"rx_hash",
	"rx_hash_ignored",
	"rx_mcast_updates",
	"rx_mcast_refused",
	"tx_mcast_filtered",
	"rx_staged",
	"rx_grant_copy_calls",
	"tx_staged",
	"tx_grant_copy_calls",
	"staging_grants",
};

#define XNB_NR_STATS	ARRAY_SIZE(xnb_stat_names)

/* Entries xnb_queue_ethtool_stats() fills, one per name. */
#define XNB_NR_FILLED	19

static void xnb_queue_ethtool_stats(struct xnb_queue *q, u64 *data)
{
	const struct xnb_thread_stats *t = &q->thread_stats;
	const struct xnb_napi_stats *n = &q->napi_stats;
	const struct xnb_xmit_stats *x = &q->xmit_stats;
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&n->syncp);
		data[0] = u64_stats_read(&n->copy_errors);
		data[1] = u64_stats_read(&n->gso);
		data[2] = u64_stats_read(&n->csum_blank);
		data[3] = u64_stats_read(&n->rate_waits);
		data[9] = u64_stats_read(&n->hash);
		data[10] = u64_stats_read(&n->hash_ignored);
		data[11] = u64_stats_read(&n->mcast_updates);
		data[12] = u64_stats_read(&n->mcast_refused);
		data[14] = u64_stats_read(&n->staged);
		data[15] = u64_stats_read(&n->gnt_calls);
	} while (u64_stats_fetch_retry(&n->syncp, start));
	do {
		start = u64_stats_fetch_begin(&t->syncp);
		data[4] = u64_stats_read(&t->copy_errors);
		data[5] = u64_stats_read(&t->gso);
		data[6] = u64_stats_read(&t->expired);
		data[7] = u64_stats_read(&t->stalls);
		data[16] = u64_stats_read(&t->staged);
		data[17] = u64_stats_read(&t->gnt_calls);
	} while (u64_stats_fetch_retry(&t->syncp, start));
	data[8] = READ_ONCE(q->backlog_bytes);
	do {
		start = u64_stats_fetch_begin(&x->syncp);
		data[13] = u64_stats_read(&x->mcast_filtered);
	} while (u64_stats_fetch_retry(&x->syncp, start));
	data[18] = READ_ONCE(q->nr_staged);
}

static_assert(XNB_NR_STATS == XNB_NR_FILLED);

static int xnb_get_sset_count(struct net_device *dev, int sset)
{
	struct xnb_vif *vif = netdev_priv(dev);

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	/* Every offered queue, connected or not: the count never changes. */
	return vif->max_queues * XNB_NR_STATS;
}

static void xnb_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	struct xnb_vif *vif = netdev_priv(dev);
	unsigned int q, i;

	if (sset != ETH_SS_STATS)
		return;
	for (q = 0; q < vif->max_queues; q++)
		for (i = 0; i < XNB_NR_STATS; i++)
			ethtool_sprintf(&data, "q%u_%s", q, xnb_stat_names[i]);
}

static void xnb_get_ethtool_stats(struct net_device *dev,
				  struct ethtool_stats *stats, u64 *data)
{
	struct xnb_vif *vif = netdev_priv(dev);
	unsigned int q;

	for (q = 0; q < vif->max_queues; q++)
		xnb_queue_ethtool_stats(&vif->queues[q],
					data + q * XNB_NR_STATS);
}

static void xnb_get_channels(struct net_device *dev,
			     struct ethtool_channels *ch)
{
	struct xnb_vif *vif = netdev_priv(dev);

	/* The frontend chooses the count; the backend only offers a maximum. */
	ch->max_combined = vif->offered;
	ch->combined_count = READ_ONCE(vif->num_queues);
}

static void xnb_get_drvinfo(struct net_device *dev,
			    struct ethtool_drvinfo *info)
{
	strscpy(info->driver, XNB_NAME, sizeof(info->driver));
	strscpy(info->bus_info, dev_name(dev->dev.parent),
		sizeof(info->bus_info));
}

const struct ethtool_ops xnb_ethtool_ops = {
	.get_drvinfo		= xnb_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_channels		= xnb_get_channels,
	.get_sset_count		= xnb_get_sset_count,
	.get_strings		= xnb_get_strings,
	.get_ethtool_stats	= xnb_get_ethtool_stats,
};

#if XNM_HAVE_QUEUE_STATS
static void xnb_get_queue_stats_rx(struct net_device *dev, int idx,
				   struct netdev_queue_stats_rx *rx)
{
	struct xnb_vif *vif = netdev_priv(dev);
	struct rtnl_link_stats64 s = {};

	xnb_queue_totals(&vif->queues[idx], &s);
	rx->packets = s.rx_packets;
	rx->bytes = s.rx_bytes;
	rx->hw_drops = s.rx_dropped;
}

static void xnb_get_queue_stats_tx(struct net_device *dev, int idx,
				   struct netdev_queue_stats_tx *tx)
{
	struct xnb_vif *vif = netdev_priv(dev);
	struct rtnl_link_stats64 s = {};

	xnb_queue_totals(&vif->queues[idx], &s);
	tx->packets = s.tx_packets;
	tx->bytes = s.tx_bytes;
	tx->hw_drops = s.tx_dropped;
}

/* Queues beyond the current count, and counters folded from old ones. */
static void xnb_get_base_stats(struct net_device *dev,
			       struct netdev_queue_stats_rx *rx,
			       struct netdev_queue_stats_tx *tx)
{
	struct xnb_vif *vif = netdev_priv(dev);
	struct rtnl_link_stats64 s = {};

	xnb_vif_totals(vif, dev->real_num_rx_queues, &s);
	rx->packets = s.rx_packets;
	rx->bytes = s.rx_bytes;
	rx->hw_drops = s.rx_dropped;
	tx->packets = s.tx_packets;
	tx->bytes = s.tx_bytes;
	tx->hw_drops = s.tx_dropped;
}

const struct netdev_stat_ops xnb_stat_ops = {
	.get_queue_stats_rx	= xnb_get_queue_stats_rx,
	.get_queue_stats_tx	= xnb_get_queue_stats_tx,
	.get_base_stats		= xnb_get_base_stats,
};
#endif
