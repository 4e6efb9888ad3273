// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the queue-count negotiation both drivers share
 * (include/xen-netmq/negotiate.h).
 */
#include <kunit/test.h>

#include "xen-netmq/negotiate.h"

static void frontend_takes_smaller_of_both_limits(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xnm_frontend_queues(4, 8), 4U);
	KUNIT_EXPECT_EQ(test, xnm_frontend_queues(8, 2), 2U);
	KUNIT_EXPECT_EQ(test, xnm_frontend_queues(2, 2), 2U);
}

static void frontend_falls_back_to_one_queue(struct kunit *test)
{
	/* A backend without "multi-queue-max-queues" reads as 0. */
	KUNIT_EXPECT_EQ(test, xnm_frontend_queues(4, 0), 1U);
	/* max_queues=0 from a user still leaves a working device. */
	KUNIT_EXPECT_EQ(test, xnm_frontend_queues(0, 4), 1U);
}

static void frontend_never_exceeds_hard_limit(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xnm_frontend_queues(1000, 1000), XNM_MAX_QUEUES);
	KUNIT_EXPECT_EQ(test, xnm_frontend_queues(UINT_MAX, UINT_MAX),
			XNM_MAX_QUEUES);
}

static void backend_accepts_valid_counts(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xnm_backend_check_queues(1, true, 8), 1);
	KUNIT_EXPECT_EQ(test, xnm_backend_check_queues(8, true, 8), 8);
	/* No key at all: a frontend that predates multi-queue. */
	KUNIT_EXPECT_EQ(test, xnm_backend_check_queues(0, false, 8), 1);
}

static void backend_refuses_bad_counts(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xnm_backend_check_queues(0, true, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, xnm_backend_check_queues(9, true, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, xnm_backend_check_queues(UINT_MAX, true,
						       UINT_MAX), -EINVAL);
	KUNIT_EXPECT_EQ(test, xnm_backend_check_queues(XNM_MAX_QUEUES + 1,
						       true, UINT_MAX), -EINVAL);
}

static void queue_dir_layout(struct kunit *test)
{
	char buf[XNM_QUEUE_DIR_LEN];

	KUNIT_ASSERT_EQ(test, xnm_queue_dir(buf, sizeof(buf), 0, 1), 0);
	KUNIT_EXPECT_STREQ(test, buf, "");
	KUNIT_ASSERT_EQ(test, xnm_queue_dir(buf, sizeof(buf), 3, 4), 0);
	KUNIT_EXPECT_STREQ(test, buf, "queue-3");
	KUNIT_ASSERT_EQ(test, xnm_queue_dir(buf, sizeof(buf), UINT_MAX, 2), 0);
	KUNIT_EXPECT_STREQ(test, buf, "queue-4294967295");
	KUNIT_EXPECT_EQ(test, xnm_queue_dir(buf, 7, 10, 11), -ENOSPC);
}

static struct kunit_case xnm_negotiate_cases[] = {
	KUNIT_CASE(frontend_takes_smaller_of_both_limits),
	KUNIT_CASE(frontend_falls_back_to_one_queue),
	KUNIT_CASE(frontend_never_exceeds_hard_limit),
	KUNIT_CASE(backend_accepts_valid_counts),
	KUNIT_CASE(backend_refuses_bad_counts),
	KUNIT_CASE(queue_dir_layout),
	{}
};

static struct kunit_suite xnm_negotiate_suite = {
	.name = "xen_netmq_negotiate",
	.test_cases = xnm_negotiate_cases,
};

kunit_test_suite(xnm_negotiate_suite);

MODULE_DESCRIPTION("KUnit tests for Xen netif queue negotiation");
MODULE_LICENSE("GPL");
