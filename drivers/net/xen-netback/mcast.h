/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The multicast filter a frontend keeps in the backend (netif.h,
 * "feature-multicast-control"): a bounded list of addresses, changed by
 * MCAST_ADD / MCAST_DEL requests on the tx ring and read for every
 * multicast frame sent to the guest.  No Xen calls, so that KUnit can
 * drive it under UML.
 */
#ifndef _XEN_NETBACK_MCAST_H
#define _XEN_NETBACK_MCAST_H

#include <linux/if_ether.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/*
 * Addresses one interface's filter holds.  The list is a fixed array, so a
 * frontend cannot grow it: an ADD beyond this is refused.
 */
#define XNB_MCAST_MAX	64

/**
 * struct xnb_mcast - one interface's multicast filter
 * @lock: guards @count and @addr; taken with interrupts off, since
 *	ndo_start_xmit (which reads the list) may run with them off
 * @on: the frontend asked for filtering ("request-multicast-control");
 *	written under @lock, read without it
 * @count: addresses in @addr
 * @addr: the addresses, every one multicast, none twice
 *
 * A small array under a spinlock: the lookup is at most XNB_MCAST_MAX
 * compares of six bytes, made only for multicast frames while @on, and
 * writers (the tx NAPI poll, XenStore watches, teardown) are rare.
 */
struct xnb_mcast {
	/* Writers and the lookup of ndo_start_xmit, with irqs off. */
	spinlock_t lock;
	bool on;
	unsigned int count;
	u8 addr[XNB_MCAST_MAX][ETH_ALEN];
};

void xnb_mcast_init(struct xnb_mcast *f);
int xnb_mcast_add(struct xnb_mcast *f, const u8 *addr);
void xnb_mcast_del(struct xnb_mcast *f, const u8 *addr);
void xnb_mcast_clear(struct xnb_mcast *f);
void xnb_mcast_set_on(struct xnb_mcast *f, bool on);
bool xnb_mcast_pass(struct xnb_mcast *f, const u8 *dest);
unsigned int xnb_mcast_count(struct xnb_mcast *f);

#endif /* _XEN_NETBACK_MCAST_H */
