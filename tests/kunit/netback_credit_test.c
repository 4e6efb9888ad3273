// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for xen-netback's interface-wide rate limit
 * (drivers/net/xen-netback/credit.c), with a simulated clock: the limit
 * must hold for the interface as a whole, whatever the number of queues
 * drawing from it.
 */
#include <kunit/test.h>
#include <linux/time64.h>

#include "xen-netback/credit.h"

#define T0	1000000000ULL	/* any start time */

static void unlimited_always_sends(struct kunit *test)
{
	struct xnb_credit c;
	unsigned int i;

	xnb_credit_init(&c, T0);
	KUNIT_EXPECT_FALSE(test, xnb_credit_limited(&c));
	for (i = 0; i < 1000; i++) {
		KUNIT_EXPECT_TRUE(test, xnb_credit_may_send(&c, T0));
		xnb_credit_charge(&c, 65535);
	}
	KUNIT_EXPECT_EQ(test, xnb_credit_wait_ns(&c), 0ULL);
}

static void debt_blocks_until_refilled(struct kunit *test)
{
	struct xnb_credit c;

	xnb_credit_init(&c, T0);
	/* 1000 bytes per millisecond. */
	xnb_credit_set(&c, 1000, 1000, T0);
	KUNIT_EXPECT_TRUE(test, xnb_credit_limited(&c));
	KUNIT_EXPECT_TRUE(test, xnb_credit_may_send(&c, T0));
	xnb_credit_charge(&c, 1500);
	KUNIT_EXPECT_FALSE(test, xnb_credit_may_send(&c, T0));
	/* 501 bytes of debt at 1 byte per microsecond. */
	KUNIT_EXPECT_EQ(test, xnb_credit_wait_ns(&c), 501000ULL);
	KUNIT_EXPECT_FALSE(test, xnb_credit_may_send(&c, T0 + 400000));
	KUNIT_EXPECT_TRUE(test, xnb_credit_may_send(&c, T0 + 501000));
	KUNIT_EXPECT_EQ(test, xnb_credit_wait_ns(&c), 0ULL);
}

static void idle_credit_is_capped(struct kunit *test)
{
	struct xnb_credit c;

	xnb_credit_init(&c, T0);
	xnb_credit_set(&c, 1000, 1000, T0);
	/* A long idle period earns one period's worth, not more. */
	KUNIT_EXPECT_TRUE(test, xnb_credit_may_send(&c, T0 + 10 * NSEC_PER_SEC));
	xnb_credit_charge(&c, 1000);
	KUNIT_EXPECT_FALSE(test,
			   xnb_credit_may_send(&c, T0 + 10 * NSEC_PER_SEC));
}

static void clock_going_back_is_harmless(struct kunit *test)
{
	struct xnb_credit c;

	xnb_credit_init(&c, T0);
	xnb_credit_set(&c, 1000, 1000, T0);
	xnb_credit_charge(&c, 2000);
	KUNIT_EXPECT_FALSE(test, xnb_credit_may_send(&c, T0 - NSEC_PER_SEC));
	KUNIT_EXPECT_FALSE(test, xnb_credit_may_send(&c, T0));
	KUNIT_EXPECT_TRUE(test, xnb_credit_may_send(&c, T0 + 1001000));
}

static void change_applies_at_once(struct kunit *test)
{
	struct xnb_credit c;

	xnb_credit_init(&c, T0);
	xnb_credit_set(&c, 1000, 1000000, T0);
	xnb_credit_charge(&c, 60000);
	KUNIT_EXPECT_FALSE(test, xnb_credit_may_send(&c, T0 + 1000));
	/* Raised: sending resumes without waiting out the old debt. */
	xnb_credit_set(&c, 100000, 1000, T0 + 2000);
	KUNIT_EXPECT_TRUE(test, xnb_credit_may_send(&c, T0 + 2000));
	/* Removed. */
	xnb_credit_charge(&c, 1000000);
	xnb_credit_set(&c, 0, 0, T0 + 3000);
	KUNIT_EXPECT_FALSE(test, xnb_credit_limited(&c));
	KUNIT_EXPECT_TRUE(test, xnb_credit_may_send(&c, T0 + 3000));
}

/*
 * @queues senders, each sending @pkt-byte packets whenever the shared
 * bucket allows, polled every @step_ns for @dur_ns: returns bytes sent.
 */
static u64 simulate(struct xnb_credit *c, unsigned int queues,
		    unsigned int pkt, u64 step_ns, u64 dur_ns)
{
	u64 now, sent = 0;
	unsigned int q, burst;

	for (now = T0; now < T0 + dur_ns; now += step_ns) {
		for (q = 0; q < queues; q++) {
			/* A NAPI poll takes packets until refused. */
			for (burst = 0; burst < 64; burst++) {
				if (!xnb_credit_may_send(c, now))
					break;
				xnb_credit_charge(c, pkt);
				sent += pkt;
			}
		}
	}
	return sent;
}

static void rate_holds_across_queues(struct kunit *test)
{
	static const unsigned int queues[] = { 1, 2, 4, 8 };
	/* 12.5 MB/s = 100 Mbit/s, in 10 ms periods, for 10 s. */
	const u64 bytes = 125000, usec = 10000, dur = 10 * NSEC_PER_SEC;
	const u64 expect = bytes * (dur / (usec * NSEC_PER_USEC));
	struct xnb_credit c;
	unsigned int i;
	u64 sent;

	for (i = 0; i < ARRAY_SIZE(queues); i++) {
		xnb_credit_init(&c, T0);
		xnb_credit_set(&c, bytes, usec, T0);
		sent = simulate(&c, queues[i], 65535, 50000, dur);
		/* At most one bucket and one packet per queue above. */
		KUNIT_EXPECT_LE_MSG(test, sent,
				    expect + bytes + queues[i] * 65535ULL,
				    "%u queues", queues[i]);
		KUNIT_EXPECT_GE_MSG(test, sent, expect * 98 / 100,
				    "%u queues", queues[i]);
	}
}

/* Polled far more often than it refills: rounding must not eat credit. */
static void rate_holds_with_fine_polling(struct kunit *test)
{
	const u64 bytes = 1000, usec = 1000, dur = NSEC_PER_SEC;
	struct xnb_credit c;
	u64 sent;

	xnb_credit_init(&c, T0);
	xnb_credit_set(&c, bytes, usec, T0);
	sent = simulate(&c, 2, 100, 1000, dur);
	KUNIT_EXPECT_LE(test, sent, 1000000ULL + bytes + 2 * 100);
	KUNIT_EXPECT_GE(test, sent, 1000000ULL * 98 / 100);
}

static struct kunit_case xen_netback_credit_cases[] = {
	KUNIT_CASE(unlimited_always_sends),
	KUNIT_CASE(debt_blocks_until_refilled),
	KUNIT_CASE(idle_credit_is_capped),
	KUNIT_CASE(clock_going_back_is_harmless),
	KUNIT_CASE(change_applies_at_once),
	KUNIT_CASE(rate_holds_across_queues),
	KUNIT_CASE(rate_holds_with_fine_polling),
	{}
};

static struct kunit_suite xen_netback_credit_suite = {
	.name = "xen_netback_credit",
	.test_cases = xen_netback_credit_cases,
};

kunit_test_suite(xen_netback_credit_suite);

MODULE_DESCRIPTION("KUnit tests for the xen-netback rate limit");
MODULE_LICENSE("GPL");
