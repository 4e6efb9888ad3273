/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels xen-netmq builds against (Debian's 6.1 and
 * 6.12).  Everything version-dependent lives here, so that the drivers read
 * as they would in the tree of the newest kernel.  Merged upstream, this
 * header goes away.
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

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 8, 0)
static inline void ethtool_puts(u8 **data, const char *str)
{
	strscpy(*data, str, ETH_GSTRING_LEN);
	*data += ETH_GSTRING_LEN;
}
#endif

/* The page pool API moved to its own directory in 6.6. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#include <net/page_pool/helpers.h>
#else
#include <net/page_pool.h>
#endif

#endif /* _XEN_NETMQ_COMPAT_H */
