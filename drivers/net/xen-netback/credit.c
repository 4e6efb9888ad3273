// SPDX-License-Identifier: GPL-2.0
/*
 * Interface-wide rate limit for xen-netback: one token bucket per interface
 * that all queues draw from with atomic operations only.
 */
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/time64.h>

#include "xen-netback/credit.h"

/*
 * Refill no more often than this fraction of a period: each refill rounds
 * down, and rare refills keep the rounding loss negligible.
 */
#define XNB_CREDIT_REFILL_DIV	32
/*
 * Time credited by one refill, in periods: enough to pay off any debt a
 * burst of queues can run up, small enough that the product with a byte
 * count of at most 2^40 stays far from overflowing.
 */
#define XNB_CREDIT_MAX_PERIODS	4096

/**
 * xnb_credit_init() - start with no limit
 * @c: the bucket
 * @now_ns: current time
 */
void xnb_credit_init(struct xnb_credit *c, u64 now_ns)
{
	atomic64_set(&c->tokens, 0);
	atomic64_set(&c->last_ns, now_ns);
	WRITE_ONCE(c->bytes, 0);
	WRITE_ONCE(c->period_ns, 0);
}

/**
 * xnb_credit_set() - apply a new limit, at once
 * @c: the bucket
 * @bytes: bytes per period, 0 to remove the limit
 * @usec: period in microseconds, ignored when @bytes is 0
 * @now_ns: current time
 *
 * The bucket starts full, as a newly connected interface would.  Queues
 * racing with a change see either limit for one packet at most.
 */
void xnb_credit_set(struct xnb_credit *c, u64 bytes, u64 usec, u64 now_ns)
{
	WRITE_ONCE(c->bytes, 0);
	atomic64_set(&c->last_ns, now_ns);
	atomic64_set(&c->tokens, bytes);
	WRITE_ONCE(c->period_ns, usec * NSEC_PER_USEC);
	WRITE_ONCE(c->bytes, bytes);
}

/**
 * xnb_credit_limited() - is a limit set
 * @c: the bucket
 *
 * Return: true if packets must be charged.
 */
bool xnb_credit_limited(const struct xnb_credit *c)
{
	return READ_ONCE(c->bytes) != 0;
}

static void xnb_credit_refill(struct xnb_credit *c, u64 bytes, u64 period,
			      u64 now_ns)
{
	s64 last = atomic64_read(&c->last_ns);
	s64 cur, next, add;
	u64 elapsed;

	if ((s64)now_ns - last < 0)
		return;
	elapsed = now_ns - last;
	if (elapsed < period / XNB_CREDIT_REFILL_DIV)
		return;
	if (atomic64_cmpxchg(&c->last_ns, last, now_ns) != last)
		return;
	/* The bucket holds one period's worth; the rest pays off debt. */
	elapsed = min(elapsed, period * XNB_CREDIT_MAX_PERIODS);
	add = mul_u64_u64_div_u64(elapsed, bytes, period);
	cur = atomic64_read(&c->tokens);
	do {
		next = min_t(s64, cur + add, bytes);
		if (next <= cur)
			return;
	} while (!atomic64_try_cmpxchg(&c->tokens, &cur, next));
}

/**
 * xnb_credit_may_send() - may a queue take one more packet
 * @c: the bucket
 * @now_ns: current time
 *
 * Return: true if no limit is set or the bucket is not in debt.
 */
bool xnb_credit_may_send(struct xnb_credit *c, u64 now_ns)
{
	u64 bytes = READ_ONCE(c->bytes);
	u64 period = READ_ONCE(c->period_ns);

	if (!bytes || !period)
		return true;
	xnb_credit_refill(c, bytes, period, now_ns);
	return atomic64_read(&c->tokens) > 0;
}

/**
 * xnb_credit_charge() - account a packet taken
 * @c: the bucket
 * @len: its size in bytes
 */
void xnb_credit_charge(struct xnb_credit *c, unsigned int len)
{
	if (xnb_credit_limited(c))
		atomic64_sub(len, &c->tokens);
}

/**
 * xnb_credit_wait_ns() - how long until the bucket is out of debt
 * @c: the bucket
 *
 * Return: nanoseconds to wait before trying again, at least one refill
 * interval, or 0 if sending is allowed now.
 */
u64 xnb_credit_wait_ns(const struct xnb_credit *c)
{
	u64 bytes = READ_ONCE(c->bytes);
	u64 period = READ_ONCE(c->period_ns);
	s64 tokens = atomic64_read(&c->tokens);
	u64 wait;

	if (!bytes || !period || tokens > 0)
		return 0;
	wait = mul_u64_u64_div_u64(1 - tokens, period, bytes);
	return max(wait, period / XNB_CREDIT_REFILL_DIV);
}
