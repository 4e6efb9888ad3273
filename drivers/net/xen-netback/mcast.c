// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netback: the frontend's multicast filter.
 *
 * Addresses reach these functions only after xnb_check_mcast() accepted
 * them (validate.c): every one is a multicast address.
 */
#include <linux/etherdevice.h>
#include <linux/errno.h>
#include <linux/string.h>

#include "xen-netback/mcast.h"

/* With f->lock held: index of @addr in the list, or -1. */
static int xnb_mcast_find(const struct xnb_mcast *f, const u8 *addr)
{
	unsigned int i;

	for (i = 0; i < f->count; i++) {
		if (ether_addr_equal_unaligned(f->addr[i], addr))
			return i;
	}
	return -1;
}

/**
 * xnb_mcast_init() - an empty filter, not applied
 * @f: the filter
 */
void xnb_mcast_init(struct xnb_mcast *f)
{
	spin_lock_init(&f->lock);
	f->on = false;
	f->count = 0;
}

/**
 * xnb_mcast_add() - add an address to the filter
 * @f: the filter
 * @addr: a multicast address
 *
 * An address already present is not stored twice and the call succeeds:
 * what the frontend asked for, the address passing the filter, holds.
 *
 * Return: 0, or -ENOSPC when XNB_MCAST_MAX addresses are stored already.
 */
int xnb_mcast_add(struct xnb_mcast *f, const u8 *addr)
{
	unsigned long flags;
	int err = 0;

	spin_lock_irqsave(&f->lock, flags);
	if (xnb_mcast_find(f, addr) >= 0)
		goto out;
	if (f->count == XNB_MCAST_MAX) {
		err = -ENOSPC;
		goto out;
	}
	ether_addr_copy(f->addr[f->count++], addr);
out:
	spin_unlock_irqrestore(&f->lock, flags);
	return err;
}

/**
 * xnb_mcast_del() - remove an address from the filter
 * @f: the filter
 * @addr: the address; nothing happens if it is not present
 *
 * The last address takes the place of the removed one: the order of the
 * list does not matter.
 */
void xnb_mcast_del(struct xnb_mcast *f, const u8 *addr)
{
	unsigned long flags;
	int i;

	spin_lock_irqsave(&f->lock, flags);
	i = xnb_mcast_find(f, addr);
	if (i >= 0) {
		f->count--;
		ether_addr_copy(f->addr[i], f->addr[f->count]);
	}
	spin_unlock_irqrestore(&f->lock, flags);
}

/**
 * xnb_mcast_clear() - empty the filter and stop applying it
 * @f: the filter
 *
 * For a connection that ends: the next one starts from an empty list and
 * floods multicast until its frontend asks for filtering.
 */
void xnb_mcast_clear(struct xnb_mcast *f)
{
	unsigned long flags;

	spin_lock_irqsave(&f->lock, flags);
	WRITE_ONCE(f->on, false);
	f->count = 0;
	spin_unlock_irqrestore(&f->lock, flags);
}

/**
 * xnb_mcast_set_on() - apply the filter, or flood multicast again
 * @f: the filter
 * @on: the frontend's "request-multicast-control"
 *
 * The list is kept either way: netif.h lets a frontend amend it while
 * filtering is off and expects it applied once filtering is on.
 */
void xnb_mcast_set_on(struct xnb_mcast *f, bool on)
{
	unsigned long flags;

	spin_lock_irqsave(&f->lock, flags);
	WRITE_ONCE(f->on, on);
	spin_unlock_irqrestore(&f->lock, flags);
}

/**
 * xnb_mcast_pass() - may a frame go to the guest
 * @f: the filter
 * @dest: the frame's destination address
 *
 * Unicast and broadcast frames always pass, and every frame passes while
 * the filter is off.
 *
 * Return: false for a multicast frame the filter does not list.
 */
bool xnb_mcast_pass(struct xnb_mcast *f, const u8 *dest)
{
	unsigned long flags;
	bool found;

	if (!READ_ONCE(f->on) || !is_multicast_ether_addr(dest) ||
	    is_broadcast_ether_addr(dest))
		return true;
	spin_lock_irqsave(&f->lock, flags);
	found = xnb_mcast_find(f, dest) >= 0;
	spin_unlock_irqrestore(&f->lock, flags);
	return found;
}

/**
 * xnb_mcast_count() - addresses in the filter
 * @f: the filter
 *
 * Return: the number of addresses stored.
 */
unsigned int xnb_mcast_count(struct xnb_mcast *f)
{
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&f->lock, flags);
	n = f->count;
	spin_unlock_irqrestore(&f->lock, flags);
	return n;
}
