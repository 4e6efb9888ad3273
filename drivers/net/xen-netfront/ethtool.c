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
	XNF_TX_STAT(stops), XNF_TX_STAT(wakes), XNF_TX_STAT(xdp_xmit),
	XNF_TX_STAT(xdp_xmit_errors),
};

static const struct xnf_stat_desc xnf_rx_descs[] = {
	XNF_RX_STAT(packets), XNF_RX_STAT(bytes), XNF_RX_STAT(gso_packets),
	XNF_RX_STAT(csum_partial), XNF_RX_STAT(drops), XNF_RX_STAT(errors),
	XNF_RX_STAT(alloc_fail), XNF_RX_STAT(events), XNF_RX_STAT(spurious),
	XNF_RX_STAT(staged), XNF_RX_STAT(xdp_pass), XNF_RX_STAT(xdp_drop),
	XNF_RX_STAT(xdp_tx), XNF_RX_STAT(xdp_redirect), XNF_RX_STAT(xdp_aborted),
	XNF_RX_STAT(xdp_copied), XNF_RX_STAT(xdp_gso_cut),
};

/* Every counter has a name: the tables and the structs stay in step. */
static_assert(ARRAY_SIZE(xnf_tx_descs) ==
	      sizeof(struct xnf_tx_stats) / sizeof(u64));
static_assert(ARRAY_SIZE(xnf_rx_descs) ==
	      sizeof(struct xnf_rx_stats) / sizeof(u64));

/* Per queue: the tx and rx counters, then the staging grants mapped. */
#define XNF_QUEUE_STATS	(ARRAY_SIZE(xnf_tx_descs) + ARRAY_SIZE(xnf_rx_descs) + 1)

/* ethtool --set-priv-flags: bit 0 lets the backend map our tx pages. */
static const char xnf_priv_flags[][ETH_GSTRING_LEN] = {
	"staging",
};

#define XNF_PRIV_STAGING	BIT(0)

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

	if (sset == ETH_SS_PRIV_FLAGS)
		return ARRAY_SIZE(xnf_priv_flags);
	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return info->qcfg.limit * XNF_QUEUE_STATS;
}

static void xnf_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	struct netfront_info *info = netdev_priv(dev);
	unsigned int q, i;

	if (sset == ETH_SS_PRIV_FLAGS) {
		for (i = 0; i < ARRAY_SIZE(xnf_priv_flags); i++)
			ethtool_puts(&data, xnf_priv_flags[i]);
		return;
	}
	if (sset != ETH_SS_STATS)
		return;
	for (q = 0; q < info->qcfg.limit; q++) {
		for (i = 0; i < ARRAY_SIZE(xnf_tx_descs); i++)
			ethtool_sprintf(&data, "tx%u_%s", q,
					xnf_tx_descs[i].name);
		for (i = 0; i < ARRAY_SIZE(xnf_rx_descs); i++)
			ethtool_sprintf(&data, "rx%u_%s", q,
					xnf_rx_descs[i].name);
		ethtool_sprintf(&data, "tx%u_staging_grants", q);
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
		*data++ = xnf_staging_grants(info, q);
	}
}

#define XNF_RXH_L3	(RXH_IP_SRC | RXH_IP_DST)
#define XNF_RXH_L4	(RXH_L4_B_0_1 | RXH_L4_B_2_3)

/* The hash types that decide how @flow_type is hashed. */
static bool xnf_flow_types(u32 flow_type, u32 *l3, u32 *l4)
{
	switch (flow_type) {
	case TCP_V4_FLOW:
		*l4 = XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP;
		*l3 = XEN_NETIF_CTRL_HASH_TYPE_IPV4;
		return true;
	case UDP_V4_FLOW:
	case SCTP_V4_FLOW:
	case AH_ESP_V4_FLOW:
	case IPV4_FLOW:
		*l4 = 0;
		*l3 = XEN_NETIF_CTRL_HASH_TYPE_IPV4;
		return true;
	case TCP_V6_FLOW:
		*l4 = XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP;
		*l3 = XEN_NETIF_CTRL_HASH_TYPE_IPV6;
		return true;
	case UDP_V6_FLOW:
	case SCTP_V6_FLOW:
	case AH_ESP_V6_FLOW:
	case IPV6_FLOW:
		*l4 = 0;
		*l3 = XEN_NETIF_CTRL_HASH_TYPE_IPV6;
		return true;
	default:
		return false;
	}
}

/* ethtool -n rx-flow-hash: the widest type enabled decides (netif.h). */
static int xnf_get_rxfh_fields(struct netfront_info *info,
			       struct ethtool_rxnfc *nfc)
{
	u32 flags = xnf_rss_flags(info), l3, l4;

	if (!xnf_flow_types(nfc->flow_type, &l3, &l4))
		return -EINVAL;
	nfc->data = 0;
	if (flags & l4)
		nfc->data = XNF_RXH_L3 | XNF_RXH_L4;
	else if (flags & l3)
		nfc->data = XNF_RXH_L3;
	return 0;
}

/*
 * ethtool -N rx-flow-hash: addresses and ports (TCP only), addresses, or
 * nothing; the protocol has no other combination.
 */
static int xnf_set_rxfh_fields(struct netfront_info *info,
			       const struct ethtool_rxnfc *nfc)
{
	u32 flags = xnf_rss_flags(info), l3, l4;

	if (!xnf_flow_types(nfc->flow_type, &l3, &l4))
		return -EINVAL;
	if (nfc->data == (XNF_RXH_L3 | XNF_RXH_L4) && l4)
		flags |= l4;
	else if (nfc->data == XNF_RXH_L3)
		flags = (flags & ~l4) | l3;
	else if (!nfc->data)
		flags &= ~(l4 ? l4 : l3);
	else
		return -EINVAL;
	return xnf_rss_set_flags(info, flags);
}

static int xnf_get_rxnfc(struct net_device *dev, struct ethtool_rxnfc *nfc,
			 u32 *rule_locs)
{
	struct netfront_info *info = netdev_priv(dev);

	switch (nfc->cmd) {
	case ETHTOOL_GRXRINGS:
		nfc->data = max(info->qcfg.cur, 1U);
		return 0;
	case ETHTOOL_GRXFH:
		if (!xnf_rss_usable(info))
			return -EOPNOTSUPP;
		return xnf_get_rxfh_fields(info, nfc);
	default:
		return -EOPNOTSUPP;
	}
}

static int xnf_set_rxnfc(struct net_device *dev, struct ethtool_rxnfc *nfc)
{
	struct netfront_info *info = netdev_priv(dev);

	if (nfc->cmd != ETHTOOL_SRXFH || !xnf_rss_usable(info))
		return -EOPNOTSUPP;
	return xnf_set_rxfh_fields(info, nfc);
}

static u32 xnf_get_rxfh_key_size(struct net_device *dev)
{
	return XNF_RSS_KEY_SIZE;
}

static u32 xnf_get_rxfh_indir_size(struct net_device *dev)
{
	return XNF_RSS_INDIR_SIZE;
}

static int xnf_get_rxfh(struct net_device *dev, struct ethtool_rxfh_param *p)
{
	struct netfront_info *info = netdev_priv(dev);

	if (!xnf_rss_usable(info))
		return -EOPNOTSUPP;
	p->hfunc = ETH_RSS_HASH_TOP;
	xnf_rss_get(info, p->indir, p->key);
	return 0;
}

static int xnf_set_rxfh(struct net_device *dev, struct ethtool_rxfh_param *p,
			struct netlink_ext_ack *extack)
{
	struct netfront_info *info = netdev_priv(dev);

	if (!xnf_rss_usable(info))
		return -EOPNOTSUPP;
	if (p->hfunc != ETH_RSS_HASH_NO_CHANGE && p->hfunc != ETH_RSS_HASH_TOP)
		return -EOPNOTSUPP;
	if (!p->indir && !p->key)
		return 0;
	return xnf_rss_set(info, p->indir, p->key);
}

XNM_RXFH_WRAPPERS(xnf_get_rxfh, xnf_set_rxfh);

static u32 xnf_get_priv_flags(struct net_device *dev)
{
	struct netfront_info *info = netdev_priv(dev);

	return READ_ONCE(info->ctrl.staging_off) ? 0 : XNF_PRIV_STAGING;
}

static int xnf_set_priv_flags(struct net_device *dev, u32 flags)
{
	struct netfront_info *info = netdev_priv(dev);

	if (flags & ~XNF_PRIV_STAGING)
		return -EINVAL;
	return xnf_staging_set(info, flags & XNF_PRIV_STAGING);
}

const struct ethtool_ops xnf_ethtool_ops = {
	.get_drvinfo = xnf_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_ts_info = ethtool_op_get_ts_info,
	.get_channels = xnf_get_channels,
	.set_channels = xnf_set_channels,
	.get_sset_count = xnf_get_sset_count,
	.get_strings = xnf_get_strings,
	.get_ethtool_stats = xnf_get_ethtool_stats,
	.get_priv_flags = xnf_get_priv_flags,
	.set_priv_flags = xnf_set_priv_flags,
	.get_rxnfc = xnf_get_rxnfc,
	.set_rxnfc = xnf_set_rxnfc,
	.get_rxfh_key_size = xnf_get_rxfh_key_size,
	.get_rxfh_indir_size = xnf_get_rxfh_indir_size,
	XNM_RXFH_OPS(xnf_get_rxfh, xnf_set_rxfh),
};
