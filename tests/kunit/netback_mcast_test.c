// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for xen-netback's multicast filter
 * (drivers/net/xen-netback/mcast.c): what a frontend's MCAST_ADD and
 * MCAST_DEL requests do to the list, that the list stays bounded, and
 * which frames to the guest pass while filtering is on.  The checks of the
 * requests themselves are in the validate suite; the last case runs a
 * request through both, as the tx path does.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/etherdevice.h>

#include "xen-netback/mcast.h"
#include "xen-netback/validate.h"

static const u8 group_a[ETH_ALEN] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static const u8 group_b[ETH_ALEN] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };
static const u8 group_c[ETH_ALEN] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e };
static const u8 unicast[ETH_ALEN] = { 0x00, 0x16, 0x3e, 0x12, 0x34, 0x56 };
static const u8 bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static struct xnb_mcast *new_filter(struct kunit *test, bool on)
{
	struct xnb_mcast *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	xnb_mcast_init(f);
	xnb_mcast_set_on(f, on);
	return f;
}

/* The i-th of many distinct IPv4 multicast group addresses. */
static void nth_group(u8 *addr, unsigned int i)
{
	addr[0] = 0x01;
	addr[1] = 0x00;
	addr[2] = 0x5e;
	addr[3] = 0x10;
	addr[4] = i >> 8;
	addr[5] = i & 0xff;
}

static void off_floods_everything(struct kunit *test)
{
	struct xnb_mcast *f = new_filter(test, false);

	KUNIT_EXPECT_TRUE(test, xnb_mcast_pass(f, group_a));
	KUNIT_EXPECT_TRUE(test, xnb_mcast_pass(f, unicast));
	KUNIT_EXPECT_TRUE(test, xnb_mcast_pass(f, bcast));
}

static void on_filters_multicast_only(struct kunit *test)
{
	struct xnb_mcast *f = new_filter(test, true);

	/* Empty list: no multicast passes, unicast and broadcast do. */
	KUNIT_EXPECT_FALSE(test, xnb_mcast_pass(f, group_a));
	KUNIT_EXPECT_TRUE(test, xnb_mcast_pass(f, unicast));
	KUNIT_EXPECT_TRUE(test, xnb_mcast_pass(f, bcast));
	KUNIT_EXPECT_EQ(test, xnb_mcast_add(f, group_a), 0);
	KUNIT_EXPECT_TRUE(test, xnb_mcast_pass(f, group_a));
	KUNIT_EXPECT_FALSE(test, xnb_mcast_pass(f, group_b));
	KUNIT_EXPECT_EQ(test, xnb_mcast_count(f), 1U);
}

static void duplicate_add_stored_once(struct kunit *test)
{
	struct xnb_mcast *f = new_filter(test, true);

	KUNIT_EXPECT_EQ(test, xnb_mcast_add(f, group_a), 0);
	KUNIT_EXPECT_EQ(test, xnb_mcast_add(f, group_a), 0);
	KUNIT_EXPECT_EQ(test, xnb_mcast_count(f), 1U);
	/* One delete removes it: no second copy left behind. */
	xnb_mcast_del(f, group_a);
	KUNIT_EXPECT_EQ(test, xnb_mcast_count(f), 0U);
	KUNIT_EXPECT_FALSE(test, xnb_mcast_pass(f, group_a));
}

static void delete_keeps_the_others(struct kunit *test)
{
	struct xnb_mcast *f = new_filter(test, true);

	KUNIT_EXPECT_EQ(test, xnb_mcast_add(f, group_a), 0);
	KUNIT_EXPECT_EQ(test, xnb_mcast_add(f, group_b), 0);
	KUNIT_EXPECT_EQ(test, xnb_mcast_add(f, group_c), 0);
	/* The middle one, then the first: the last moves into their place. */
	xnb_mcast_del(f, group_b);
	KUNIT_EXPECT_EQ(test, xnb_mcast_count(f), 2U);
	KUNIT_EXPECT_TRUE(test, xnb_mcast_pass(f, group_a));
	KUNIT_EXPECT_FALSE(test, xnb_mcast_pass(f, group_b));
	KUNIT_EXPECT_TRUE(test, xnb_mcast_pass(f, group_c));
	xnb_mcast_del(f, group_a);
	KUNIT_EXPECT_FALSE(test, xnb_mcast_pass(f, group_a));
	KUNIT_EXPECT_TRUE(test, xnb_mcast_pass(f, group_c));
	/* Deleting an absent address changes nothing. */
	xnb_mcast_del(f, group_b);
	KUNIT_EXPECT_EQ(test, xnb_mcast_count(f), 1U);
	xnb_mcast_del(f, group_c);
	KUNIT_EXPECT_EQ(test, xnb_mcast_count(f), 0U);
	xnb_mcast_del(f, group_c);
	KUNIT_EXPECT_EQ(test, xnb_mcast_count(f), 0U);
}

static void full_list_refused(struct kunit *test)
{
	struct xnb_mcast *f = new_filter(test, true);
	u8 addr[ETH_ALEN];
	unsigned int i;

	for (i = 0; i < XNB_MCAST_MAX; i++) {
		nth_group(addr, i);
		KUNIT_EXPECT_EQ(test, xnb_mcast_add(f, addr), 0);
	}
	KUNIT_EXPECT_EQ(test, xnb_mcast_count(f), XNB_MCAST_MAX);
	nth_group(addr, XNB_MCAST_MAX);
	KUNIT_EXPECT_EQ(test, xnb_mcast_add(f, addr), -ENOSPC);
	KUNIT_EXPECT_EQ(test, xnb_mcast_count(f), XNB_MCAST_MAX);
	KUNIT_EXPECT_FALSE(test, xnb_mcast_pass(f, addr));
	/* Many more attempts do not grow it either. */
	for (i = XNB_MCAST_MAX; i < 4 * XNB_MCAST_MAX; i++) {
		nth_group(addr, i);
		KUNIT_EXPECT_EQ(test, xnb_mcast_add(f, addr), -ENOSPC);
	}
	KUNIT_EXPECT_EQ(test, xnb_mcast_count(f), XNB_MCAST_MAX);
	/* Every stored one still passes; a present one re-added is fine. */
	for (i = 0; i < XNB_MCAST_MAX; i++) {
		nth_group(addr, i);
		KUNIT_EXPECT_TRUE(test, xnb_mcast_pass(f, addr));
	}
	KUNIT_EXPECT_EQ(test, xnb_mcast_add(f, addr), 0);
	/* Room made by a delete is usable again. */
	nth_group(addr, 7);
	xnb_mcast_del(f, addr);
	nth_group(addr, XNB_MCAST_MAX);
	KUNIT_EXPECT_EQ(test, xnb_mcast_add(f, addr), 0);
	KUNIT_EXPECT_TRUE(test, xnb_mcast_pass(f, addr));
	nth_group(addr, 7);
	KUNIT_EXPECT_FALSE(test, xnb_mcast_pass(f, addr));
}

static void clear_empties_and_floods(struct kunit *test)
{
	struct xnb_mcast *f = new_filter(test, true);

	KUNIT_EXPECT_EQ(test, xnb_mcast_add(f, group_a), 0);
	KUNIT_EXPECT_EQ(test, xnb_mcast_add(f, group_b), 0);
	xnb_mcast_clear(f);
	KUNIT_EXPECT_EQ(test, xnb_mcast_count(f), 0U);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(f->on));
	KUNIT_EXPECT_TRUE(test, xnb_mcast_pass(f, group_c));
	/* Filtering again, the old addresses are gone. */
	xnb_mcast_set_on(f, true);
	KUNIT_EXPECT_FALSE(test, xnb_mcast_pass(f, group_a));
	KUNIT_EXPECT_FALSE(test, xnb_mcast_pass(f, group_b));
}

/* netif.h: the list may be amended while off and applies once on. */
static void off_keeps_the_list(struct kunit *test)
{
	struct xnb_mcast *f = new_filter(test, false);

	KUNIT_EXPECT_EQ(test, xnb_mcast_add(f, group_a), 0);
	KUNIT_EXPECT_TRUE(test, xnb_mcast_pass(f, group_b));
	xnb_mcast_set_on(f, true);
	KUNIT_EXPECT_TRUE(test, xnb_mcast_pass(f, group_a));
	KUNIT_EXPECT_FALSE(test, xnb_mcast_pass(f, group_b));
	xnb_mcast_set_on(f, false);
	KUNIT_EXPECT_TRUE(test, xnb_mcast_pass(f, group_b));
	KUNIT_EXPECT_EQ(test, xnb_mcast_count(f), 1U);
}

/* A request as the tx path handles it: checked, then applied. */
static int apply(struct xnb_mcast *f, u8 type, const u8 *addr)
{
	struct xnb_tx_pkt pkt = { .nr_slots = 1 };
	const u8 *a;
	bool add;

	pkt.extra_mask = BIT(type - 1);
	pkt.extras[type - 1].type = type;
	memcpy(pkt.extras[type - 1].u.mcast.addr, addr, ETH_ALEN);
	if (!xnb_tx_is_mcast(&pkt) || xnb_check_mcast(&pkt, &add, &a))
		return -EINVAL;
	if (add)
		return xnb_mcast_add(f, a);
	xnb_mcast_del(f, a);
	return 0;
}

static void non_multicast_refused(struct kunit *test)
{
	struct xnb_mcast *f = new_filter(test, true);

	KUNIT_EXPECT_EQ(test, apply(f, XEN_NETIF_EXTRA_TYPE_MCAST_ADD, unicast),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, xnb_mcast_count(f), 0U);
	KUNIT_EXPECT_EQ(test, apply(f, XEN_NETIF_EXTRA_TYPE_MCAST_ADD, group_a),
			0);
	KUNIT_EXPECT_EQ(test, apply(f, XEN_NETIF_EXTRA_TYPE_MCAST_DEL, unicast),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, xnb_mcast_count(f), 1U);
	KUNIT_EXPECT_EQ(test, apply(f, XEN_NETIF_EXTRA_TYPE_MCAST_DEL, group_a),
			0);
	KUNIT_EXPECT_EQ(test, xnb_mcast_count(f), 0U);
	KUNIT_EXPECT_EQ(test, apply(f, XEN_NETIF_EXTRA_TYPE_MCAST_DEL, group_a),
			0);
}

static struct kunit_case xen_netback_mcast_cases[] = {
	KUNIT_CASE(off_floods_everything),
	KUNIT_CASE(on_filters_multicast_only),
	KUNIT_CASE(duplicate_add_stored_once),
	KUNIT_CASE(delete_keeps_the_others),
	KUNIT_CASE(full_list_refused),
	KUNIT_CASE(clear_empties_and_floods),
	KUNIT_CASE(off_keeps_the_list),
	KUNIT_CASE(non_multicast_refused),
	{}
};

static struct kunit_suite xen_netback_mcast_suite = {
	.name = "xen_netback_mcast",
	.test_cases = xen_netback_mcast_cases,
};

kunit_test_suite(xen_netback_mcast_suite);

MODULE_DESCRIPTION("KUnit tests for xen-netback's multicast filter");
MODULE_LICENSE("GPL");
