/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels xen-netmq builds against (Debian's 6.1,
 * 6.12 and the newest one Debian ships, 7.x).  Everything version-dependent
 * lives here, so that the drivers read as they would in the tree of the
 * newest kernel.  Merged upstream, this header goes away.
 */
#ifndef _XEN_NETMQ_COMPAT_H
#define _XEN_NETMQ_COMPAT_H

#include <linux/version.h>
#include <linux/ethtool.h>
#include <linux/skbuff.h>
#include <linux/timer.h>

/* netdev_stat_ops (per-queue statistics over netlink) arrived in 6.10. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#define XNM_HAVE_QUEUE_STATS 1
#include <net/netdev_queues.h>
#else
#define XNM_HAVE_QUEUE_STATS 0
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#define timer_delete_sync(t) del_timer_sync(t)
#define timer_delete(t) del_timer(t)
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
static inline void skb_frag_fill_page_desc(skb_frag_t *frag,
					   struct page *page,
					   int off, int size)
{
	__skb_frag_set_page(frag, page);
	skb_frag_off_set(frag, off);
	skb_frag_size_set(frag, size);
}
#endif

/* skb_gso_segment() and friends left netdevice.h for net/gso.h in 6.5. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#include <net/gso.h>
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 8, 0)
static inline void ethtool_puts(u8 **data, const char *str)
{
	strscpy(*data, str, ETH_GSTRING_LEN);
	*data += ETH_GSTRING_LEN;
}
#endif

/* from_timer() is timer_container_of() since 6.16. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 16, 0)
#define timer_container_of(var, callback_timer, timer_fieldname)	\
	from_timer(var, callback_timer, timer_fieldname)
#endif

/*
 * xenbus_read_driver_state() takes the device along with the path since
 * 6.19, to answer XenbusStateUnknown for a device whose other end has
 * vanished; before, the path alone.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 19, 0)
/* The prototype first: the macro below must not rewrite it. */
#include <xen/xenbus.h>
#define xenbus_read_driver_state(dev, path)	\
	((void)(dev), xenbus_read_driver_state(path))
#endif

/*
 * mac_pton() and the other hex helpers are declared in linux/hex.h, which
 * linux/kernel.h no longer includes in 7.x.  Up to 6.12 kernel.h gives
 * them (6.1 has no hex.h at all).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/hex.h>
#endif

/* get_unaligned_*() moved to linux/ in 6.12. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * ethtool's get_rxfh/set_rxfh take a struct ethtool_rxfh_param since 6.8;
 * before, separate arguments.  XNM_RXFH_OPS(get, set) names the driver's
 * functions written against the new form, wrapped for an older kernel.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#define XNM_RXFH_OPS(get, set)	.get_rxfh = get, .set_rxfh = set
/* Nothing to wrap: a declaration that only takes the semicolon. */
#define XNM_RXFH_WRAPPERS(get, set)	struct xnm_rxfh_##get##_##set
#else
struct ethtool_rxfh_param {
	u8 hfunc;
	u32 *indir;
	u8 *key;
};

#define XNM_RXFH_WRAPPERS(get, set)					\
static int get##_compat(struct net_device *dev, u32 *indir, u8 *key,	\
			u8 *hfunc)					\
{									\
	struct ethtool_rxfh_param p = { .indir = indir, .key = key };	\
	int err = get(dev, &p);						\
									\
	if (hfunc)							\
		*hfunc = p.hfunc;					\
	return err;							\
}									\
static int set##_compat(struct net_device *dev, const u32 *indir,	\
			const u8 *key, const u8 hfunc)			\
{									\
	struct ethtool_rxfh_param p = {					\
		.hfunc = hfunc, .indir = (u32 *)indir, .key = (u8 *)key	\
	};								\
									\
	return set(dev, &p, NULL);					\
}

#define XNM_RXFH_OPS(get, set)	\
	.get_rxfh = get##_compat, .set_rxfh = set##_compat
#endif

/* xenbus_driver.uevent takes a const device since 6.3. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define XNM_UEVENT_CONST const
#else
#define XNM_UEVENT_CONST
#endif

/* The page pool API moved to its own directory in 6.6. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#include <net/page_pool/helpers.h>
#else
#include <net/page_pool.h>
#endif

/* A driver states its XDP features since 6.3; before, nothing to state. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
#define NETDEV_XDP_ACT_BASIC		0
#define NETDEV_XDP_ACT_REDIRECT		0
#define NETDEV_XDP_ACT_NDO_XMIT		0
#define NETDEV_XDP_ACT_RX_SG		0
#define NETDEV_XDP_ACT_NDO_XMIT_SG	0
struct net_device;
static inline void xdp_set_features_flag(struct net_device *dev, u32 val)
{
}
#endif

#endif /* _XEN_NETMQ_COMPAT_H */
