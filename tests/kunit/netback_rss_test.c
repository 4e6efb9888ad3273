// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for xen-netback's receive-side scaling: the Toeplitz hash
 * (drivers/net/xen-netback/rss.c) against the reference values published
 * with the RSS specification, and the checks of control-ring requests
 * (drivers/net/xen-netback/validate.c), XSA-270 included.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "xen-netback/validate.h"

static const u8 rss_key[XNB_HASH_KEY_MAX] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
	0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
	0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
	0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
	0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

struct v4_case {
	u8 src[4], dst[4];
	u16 sport, dport;
	u32 ip, tcp;
};

static const struct v4_case v4_cases[] = {
	{ { 66, 9, 149, 187 }, { 161, 142, 100, 80 }, 2794, 1766,
	  0x323e8fc2, 0x51ccc178 },
	{ { 199, 92, 111, 2 }, { 65, 69, 140, 83 }, 14230, 4739,
	  0xd718262a, 0xc626b0ea },
};

/* Input layout of the hash: source, destination, then the two ports. */
static unsigned int put_flow(u8 *buf, const u8 *src, const u8 *dst,
			     unsigned int alen, u16 sport, u16 dport, bool tcp)
{
	unsigned int len = 2 * alen;

	memcpy(buf, src, alen);
	memcpy(buf + alen, dst, alen);
	if (tcp) {
		buf[len++] = sport >> 8;
		buf[len++] = sport & 0xff;
		buf[len++] = dport >> 8;
		buf[len++] = dport & 0xff;
	}
	return len;
}

static void toeplitz_ipv4_reference(struct kunit *test)
{
	const struct v4_case *c;
	unsigned int i, len;
	u8 buf[12];

	for (i = 0; i < ARRAY_SIZE(v4_cases); i++) {
		c = &v4_cases[i];
		len = put_flow(buf, c->src, c->dst, 4, 0, 0, false);
		KUNIT_EXPECT_EQ(test, xnb_toeplitz(rss_key, sizeof(rss_key),
						   buf, len), c->ip);
		len = put_flow(buf, c->src, c->dst, 4, c->sport, c->dport,
			       true);
		KUNIT_EXPECT_EQ(test, xnb_toeplitz(rss_key, sizeof(rss_key),
						   buf, len), c->tcp);
	}
}

static void toeplitz_ipv6_reference(struct kunit *test)
{
	static const u8 src[16] = { 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00,
				    0x1f, 0xff, [15] = 0x07 };
	static const u8 dst[16] = { 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00,
				    0x00, 0x03, [15] = 0x01 };
	unsigned int len;
	u8 buf[36];

	len = put_flow(buf, src, dst, 16, 0, 0, false);
	KUNIT_EXPECT_EQ(test, xnb_toeplitz(rss_key, sizeof(rss_key), buf, len),
			0x2cc18cd5U);
	len = put_flow(buf, src, dst, 16, 2794, 1766, true);
	KUNIT_EXPECT_EQ(test, xnb_toeplitz(rss_key, sizeof(rss_key), buf, len),
			0x40207d3dU);
}

static void toeplitz_short_and_empty_keys(struct kunit *test)
{
	u8 buf[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	u8 key[XNB_HASH_KEY_MAX] = {};

	/* An empty key hashes everything to zero. */
	KUNIT_EXPECT_EQ(test, xnb_toeplitz(rss_key, 0, buf, sizeof(buf)), 0U);
	/* A short key is the long one with zero bytes after it. */
	memcpy(key, rss_key, 10);
	KUNIT_EXPECT_EQ(test, xnb_toeplitz(rss_key, 10, buf, sizeof(buf)),
			xnb_toeplitz(key, sizeof(key), buf, sizeof(buf)));
	/* No input, no hash. */
	KUNIT_EXPECT_EQ(test, xnb_toeplitz(rss_key, sizeof(rss_key), buf, 0),
			0U);
}

static void ctrl_key_length(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_key(0),
			(u32)XEN_NETIF_CTRL_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_key(XNB_HASH_KEY_MAX),
			(u32)XEN_NETIF_CTRL_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_key(XNB_HASH_KEY_MAX + 1),
			(u32)XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW);
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_key(U32_MAX),
			(u32)XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW);
}

static void ctrl_flags_and_size(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_flags(0),
			(u32)XEN_NETIF_CTRL_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_flags(XNB_HASH_TYPES),
			(u32)XEN_NETIF_CTRL_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_flags(BIT(4)),
			(u32)XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_flags(U32_MAX),
			(u32)XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_mapping_size(0),
			(u32)XEN_NETIF_CTRL_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_mapping_size(XNB_HASH_MAPPING_MAX),
			(u32)XEN_NETIF_CTRL_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test,
			xnb_ctrl_check_mapping_size(XNB_HASH_MAPPING_MAX + 1),
			(u32)XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER);
}

/* XSA-270: offset + length wrapping, length * 4 truncated. */
static void ctrl_mapping_range(struct kunit *test)
{
	static const struct { u32 size, off, len, st; } cases[] = {
		{ 128, 0, 128, XEN_NETIF_CTRL_STATUS_SUCCESS },
		{ 128, 127, 1, XEN_NETIF_CTRL_STATUS_SUCCESS },
		{ 128, 128, 0, XEN_NETIF_CTRL_STATUS_SUCCESS },
		{ 64, 0, 64, XEN_NETIF_CTRL_STATUS_SUCCESS },
		{ 64, 1, 64, XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER },
		{ 64, 65, 0, XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER },
		{ 0, 0, 1, XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER },
		{ 128, 0xffffffff, 2, XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER },
		{ 128, 0x80000000, 0x80, XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER },
		{ 128, 64, 0xffffffc1, XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW },
		{ 128, 0, 0x40000001, XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW },
		{ 128, 0, 129, XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    xnb_ctrl_check_mapping(cases[i].size,
							   cases[i].off,
							   cases[i].len),
				    cases[i].st, "size %u offset %#x len %#x",
				    cases[i].size, cases[i].off, cases[i].len);
}

static void ctrl_mapping_entries(struct kunit *test)
{
	static const u32 good[] = { 0, 1, 2, 3, 3, 2, 1, 0 };
	static const u32 bad[] = { 0, 1, 4 };
	static const u32 huge[] = { U32_MAX };

	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_entries(good, ARRAY_SIZE(good), 4),
			(u32)XEN_NETIF_CTRL_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_entries(bad, ARRAY_SIZE(bad), 4),
			(u32)XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_entries(huge, 1, 4),
			(u32)XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_entries(good, 0, 1),
			(u32)XEN_NETIF_CTRL_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_entries(good, 1, 0),
			(u32)XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER);
}

#define ST_OK	((u32)XEN_NETIF_CTRL_STATUS_SUCCESS)
#define ST_BAD	((u32)XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER)
#define ST_FULL	((u32)XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW)

/* ADD and DEL_GREF_MAPPING: the queue, the list length, the bound. */
static void ctrl_gref_request(struct kunit *test)
{
	const u32 max = XNM_STAGING_PER_QUEUE, page = XNM_GREF_LIST_MAX;

	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_gref_req(0, 1, 256, 0, true), ST_OK);
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_gref_req(3, 4, 1, 0, true), ST_OK);
	/* A queue that does not exist, and no queue at all. */
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_gref_req(4, 4, 1, 0, true), ST_BAD);
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_gref_req(0, 0, 1, 0, false), ST_BAD);
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_gref_req(U32_MAX, 4, 1, 0, true),
			ST_BAD);
	/* Empty lists, and lists longer than the page they must fit in. */
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_gref_req(0, 1, 0, 0, true), ST_BAD);
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_gref_req(0, 1, page, 0, true),
			ST_OK);
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_gref_req(0, 1, page + 1, 0, false),
			ST_BAD);
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_gref_req(0, 1, U32_MAX, 0, true),
			ST_BAD);
	/* The bound: up to it, not past it, however the sum would wrap. */
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_gref_req(0, 1, 256, max - 256, true),
			ST_OK);
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_gref_req(0, 1, 257, max - 256, true),
			ST_FULL);
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_gref_req(0, 1, 1, max, true),
			ST_FULL);
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_gref_req(0, 1, 1, U32_MAX, true),
			ST_FULL);
	/* Removing never needs room. */
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_gref_req(0, 1, 1, max, false),
			ST_OK);
}

/* The entries of an ADD list: known flags only, each grant once. */
static void ctrl_gref_list(struct kunit *test)
{
	struct xen_netif_gref l[XNM_GREF_LIST_MAX];
	grant_ref_t scratch[XNM_GREF_LIST_MAX];
	u32 i;

	for (i = 0; i < XNM_GREF_LIST_MAX; i++) {
		/* descending, so that only a sort finds the neighbours */
		l[i].ref = 100000 - 3 * i;
		l[i].flags = i & 1 ? XEN_NETIF_CTRLF_GREF_readonly : 0;
		l[i].status = 0xffff;	/* an output: any value in */
	}
	KUNIT_EXPECT_EQ(test,
			xnb_ctrl_check_gref_list(l, XNM_GREF_LIST_MAX, scratch),
			ST_OK);
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_gref_list(l, 1, scratch), ST_OK);
	/* The first and the last entry naming one grant. */
	l[XNM_GREF_LIST_MAX - 1].ref = l[0].ref;
	KUNIT_EXPECT_EQ(test,
			xnb_ctrl_check_gref_list(l, XNM_GREF_LIST_MAX, scratch),
			ST_BAD);
	KUNIT_EXPECT_EQ(test,
			xnb_ctrl_check_gref_list(l, XNM_GREF_LIST_MAX - 1,
						 scratch),
			ST_OK);
	/* A flag this backend does not know, in any entry. */
	l[7].flags = 2;
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_gref_list(l, 10, scratch), ST_BAD);
	l[7].flags = 0x8000 | XEN_NETIF_CTRLF_GREF_readonly;
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_gref_list(l, 10, scratch), ST_BAD);
	KUNIT_EXPECT_EQ(test, xnb_ctrl_check_gref_list(l, 7, scratch), ST_OK);
}

static struct kunit_case xen_netback_rss_cases[] = {
	KUNIT_CASE(toeplitz_ipv4_reference),
	KUNIT_CASE(toeplitz_ipv6_reference),
	KUNIT_CASE(toeplitz_short_and_empty_keys),
	KUNIT_CASE(ctrl_key_length),
	KUNIT_CASE(ctrl_flags_and_size),
	KUNIT_CASE(ctrl_mapping_range),
	KUNIT_CASE(ctrl_mapping_entries),
	KUNIT_CASE(ctrl_gref_request),
	KUNIT_CASE(ctrl_gref_list),
	{}
};

static struct kunit_suite xen_netback_rss_suite = {
	.name = "xen_netback_rss",
	.test_cases = xen_netback_rss_cases,
};

kunit_test_suite(xen_netback_rss_suite);

MODULE_DESCRIPTION("KUnit tests for xen-netback receive-side scaling");
MODULE_LICENSE("GPL");
