/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interface-wide transmit rate limit ("rate" key), shared by every queue
 * of an interface without a lock.  Pure arithmetic on caller-supplied times,
 * so that KUnit can drive the clock.
 */
#ifndef _XEN_NETBACK_CREDIT_H
#define _XEN_NETBACK_CREDIT_H

#include <linux/atomic.h>
#include <linux/types.h>

/**
 * struct xnb_credit - token bucket in bytes, refilled with time
 * @tokens: bytes that may still be sent; negative while in debt
 * @last_ns: time the bucket was last refilled
 * @bytes: bytes allowed per period, 0 for no limit
 * @period_ns: length of the period
 *
 * Queues test the bucket before taking a packet and charge its real size
 * after reading it, so a packet may drive @tokens below zero; the debt is
 * paid from the next refills and the long-run rate holds exactly.  With n
 * queues the overshoot is at most n packets.  Only the refill winner of a
 * cmpxchg on @last_ns adds tokens.
 */
struct xnb_credit {
	atomic64_t tokens;
	atomic64_t last_ns;
	u64 bytes;
	u64 period_ns;
};

void xnb_credit_init(struct xnb_credit *c, u64 now_ns);
void xnb_credit_set(struct xnb_credit *c, u64 bytes, u64 usec, u64 now_ns);
bool xnb_credit_limited(const struct xnb_credit *c);
bool xnb_credit_may_send(struct xnb_credit *c, u64 now_ns);
void xnb_credit_charge(struct xnb_credit *c, unsigned int len);
u64 xnb_credit_wait_ns(const struct xnb_credit *c);

#endif /* _XEN_NETBACK_CREDIT_H */
