// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for xen-netback's checks of frontend input
 * (drivers/net/xen-netback/validate.c): the "malicious frontend" and
 * "other edge cases" of the advisories list that reach the tx ring, the
 * packet layout that keeps headers linear, multicast filter updates and
 * hash extras, and the "rate", "request-multicast-control" and
 * "xdp-headroom" keys.
 */
#include <kunit/test.h>
#include <linux/if_ether.h>
#include <linux/prandom.h>
#include <linux/string.h>

#include "xen-netback/validate.h"

#define FAKE_RING_SIZE	256

/* A fake tx ring: requests indexed like the shared ring, reads counted. */
struct fake_tx_ring {
	struct xen_netif_tx_request slot[FAKE_RING_SIZE];
	unsigned int reads[FAKE_RING_SIZE];
	RING_IDX prod;
};

static void fake_fetch(void *ctx, RING_IDX idx,
		       struct xen_netif_tx_request *out)
{
	struct fake_tx_ring *r = ctx;

	r->reads[idx % FAKE_RING_SIZE]++;
	*out = r->slot[idx % FAKE_RING_SIZE];
}

static struct fake_tx_ring *fake_ring(struct kunit *test)
{
	struct fake_tx_ring *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	return r;
}

static void put_req(struct fake_tx_ring *r, u16 offset, u16 size, u16 flags)
{
	struct xen_netif_tx_request *req = &r->slot[r->prod % FAKE_RING_SIZE];

	req->gref = 100 + r->prod;
	req->id = r->prod;
	req->offset = offset;
	req->size = size;
	req->flags = flags;
	r->prod++;
}

static void put_extra(struct fake_tx_ring *r, u8 type, u8 flags,
		      u16 gso_size, u8 gso_type)
{
	struct xen_netif_extra_info ex = {};

	ex.type = type;
	ex.flags = flags;
	ex.u.gso.size = gso_size;
	ex.u.gso.type = gso_type;
	memset(&r->slot[r->prod % FAKE_RING_SIZE], 0xa5,
	       sizeof(struct xen_netif_tx_request));
	memcpy(&r->slot[r->prod % FAKE_RING_SIZE], &ex, sizeof(ex));
	r->prod++;
}

/* An extra of any type, raw: the union as given. */
static void put_extra_raw(struct fake_tx_ring *r,
			  const struct xen_netif_extra_info *ex)
{
	memset(&r->slot[r->prod % FAKE_RING_SIZE], 0xa5,
	       sizeof(struct xen_netif_tx_request));
	memcpy(&r->slot[r->prod % FAKE_RING_SIZE], ex, sizeof(*ex));
	r->prod++;
}

static void put_mcast(struct fake_tx_ring *r, u8 type, u8 flags,
		      const u8 *addr)
{
	struct xen_netif_extra_info ex = { .type = type, .flags = flags };

	memcpy(ex.u.mcast.addr, addr, ETH_ALEN);
	put_extra_raw(r, &ex);
}

static enum xnb_verdict read_pkt(struct fake_tx_ring *r,
				 struct xnb_tx_pkt *pkt, RING_IDX *cons)
{
	const char *why = NULL;
	enum xnb_verdict v;

	*cons = 0;
	v = xnb_tx_read_pkt(pkt, fake_fetch, r, cons, r->prod, &why);
	if (v == XNB_FATAL && !why)
		return XNB_OK; /* a fatal verdict must say why */
	return v;
}

static struct xnb_tx_pkt *new_pkt(struct kunit *test)
{
	struct xnb_tx_pkt *pkt = kunit_kzalloc(test, sizeof(*pkt), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, pkt);
	return pkt;
}

static void ring_prod_bounds(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xnb_check_ring_prod(10, 10, 256), XNB_OK);
	KUNIT_EXPECT_EQ(test, xnb_check_ring_prod(266, 10, 256), XNB_OK);
	/* More than a ring ahead. */
	KUNIT_EXPECT_EQ(test, xnb_check_ring_prod(267, 10, 256), XNB_FATAL);
	/* Backwards. */
	KUNIT_EXPECT_EQ(test, xnb_check_ring_prod(9, 10, 256), XNB_FATAL);
	/* Wrapping the 32-bit index is normal. */
	KUNIT_EXPECT_EQ(test, xnb_check_ring_prod(5, 0xfffffff0U, 256),
			XNB_OK);
}

static void single_slot_packet(struct kunit *test)
{
	struct fake_tx_ring *r = fake_ring(test);
	struct xnb_tx_pkt *pkt = new_pkt(test);
	RING_IDX cons;

	put_req(r, 100, 60, 0);
	put_req(r, 0, 60, 0);	/* the next packet: must not be read */
	KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_OK);
	KUNIT_EXPECT_EQ(test, cons, 1U);
	KUNIT_EXPECT_EQ(test, pkt->nr_slots, 1U);
	KUNIT_EXPECT_EQ(test, xnb_tx_slot_len(pkt, 0), 60U);
	KUNIT_EXPECT_EQ(test, r->reads[0], 1U);
	KUNIT_EXPECT_EQ(test, r->reads[1], 0U);
}

static void gso_packet_with_extra(struct kunit *test)
{
	struct fake_tx_ring *r = fake_ring(test);
	struct xnb_tx_pkt *pkt = new_pkt(test);
	unsigned int i;
	RING_IDX cons;

	put_req(r, 0, 5000, XEN_NETTXF_more_data | XEN_NETTXF_extra_info |
		XEN_NETTXF_csum_blank);
	put_extra(r, XEN_NETIF_EXTRA_TYPE_GSO, 0, 1448,
		  XEN_NETIF_GSO_TYPE_TCPV4);
	put_req(r, 0, 4000, XEN_NETTXF_more_data);
	put_req(r, 0, 0, 0);	/* zero-length last fragment */
	KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_OK);
	KUNIT_EXPECT_EQ(test, cons, 4U);
	KUNIT_EXPECT_EQ(test, pkt->nr_slots, 3U);
	KUNIT_EXPECT_EQ(test, pkt->nr_extras, 1U);
	KUNIT_EXPECT_EQ(test, xnb_tx_slot_len(pkt, 0), 1000U);
	KUNIT_EXPECT_EQ(test,
			pkt->extras[XEN_NETIF_EXTRA_TYPE_GSO - 1].u.gso.size,
			1448);
	/* XSA-155: each slot is fetched exactly once. */
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, r->reads[i], 1U);
}

static void missing_extra_is_fatal(struct kunit *test)
{
	struct fake_tx_ring *r = fake_ring(test);
	struct xnb_tx_pkt *pkt = new_pkt(test);
	RING_IDX cons;

	put_req(r, 0, 60, XEN_NETTXF_extra_info);
	KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_FATAL);

	/* An extra announcing one more that never comes. */
	r = fake_ring(test);
	put_req(r, 0, 60, XEN_NETTXF_extra_info);
	put_extra(r, XEN_NETIF_EXTRA_TYPE_GSO, XEN_NETIF_EXTRA_FLAG_MORE,
		  1448, XEN_NETIF_GSO_TYPE_TCPV4);
	KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_FATAL);
}

static void more_data_on_last_slot_is_fatal(struct kunit *test)
{
	struct fake_tx_ring *r = fake_ring(test);
	struct xnb_tx_pkt *pkt = new_pkt(test);
	RING_IDX cons;

	put_req(r, 0, 2000, XEN_NETTXF_more_data);
	put_req(r, 0, 1000, XEN_NETTXF_more_data);
	KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_FATAL);
	/* Nothing was read beyond the producer. */
	KUNIT_EXPECT_EQ(test, r->reads[2], 0U);
}

static void slot_count_limit(struct kunit *test)
{
	struct fake_tx_ring *r = fake_ring(test);
	struct xnb_tx_pkt *pkt = new_pkt(test);
	unsigned int i;
	RING_IDX cons;

	/* Exactly the limit: accepted. */
	put_req(r, 0, XNB_TX_MAX_SLOTS * 100, XEN_NETTXF_more_data);
	for (i = 1; i < XNB_TX_MAX_SLOTS; i++)
		put_req(r, 0, 100, i + 1 < XNB_TX_MAX_SLOTS ?
			XEN_NETTXF_more_data : 0);
	KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_OK);
	KUNIT_EXPECT_EQ(test, pkt->nr_slots, XNB_TX_MAX_SLOTS);

	/* One more: fatal, and nothing written past the slots array. */
	r = fake_ring(test);
	put_req(r, 0, 30000, XEN_NETTXF_more_data);
	for (i = 1; i < 200; i++)
		put_req(r, 0, 100, XEN_NETTXF_more_data);
	KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_FATAL);
	KUNIT_EXPECT_LE(test, cons, XNB_TX_MAX_SLOTS);
}

static void bad_extra_types_are_fatal(struct kunit *test)
{
	static const u8 types[] = { XEN_NETIF_EXTRA_TYPE_NONE,
				    XEN_NETIF_EXTRA_TYPE_MAX, 0xff };
	struct xnb_tx_pkt *pkt = new_pkt(test);
	struct fake_tx_ring *r;
	unsigned int i;
	RING_IDX cons;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		r = fake_ring(test);
		put_req(r, 0, 60, XEN_NETTXF_extra_info);
		put_extra(r, types[i], 0, 0, 0);
		KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_FATAL);
	}
	/* A chain of extras longer than any frontend needs. */
	r = fake_ring(test);
	put_req(r, 0, 60, XEN_NETTXF_extra_info);
	for (i = 0; i < XNB_TX_MAX_EXTRAS; i++)
		put_extra(r, XEN_NETIF_EXTRA_TYPE_HASH,
			  XEN_NETIF_EXTRA_FLAG_MORE, 0, 0);
	put_extra(r, XEN_NETIF_EXTRA_TYPE_HASH, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_FATAL);
}

/* The same type twice: a quirk the in-tree driver lets through. */
static void repeated_extra_is_dropped(struct kunit *test)
{
	struct fake_tx_ring *r = fake_ring(test);
	struct xnb_tx_pkt *pkt = new_pkt(test);
	RING_IDX cons;

	put_req(r, 0, 60, XEN_NETTXF_extra_info);
	put_extra(r, XEN_NETIF_EXTRA_TYPE_GSO, XEN_NETIF_EXTRA_FLAG_MORE,
		  1400, XEN_NETIF_GSO_TYPE_TCPV4);
	put_extra(r, XEN_NETIF_EXTRA_TYPE_GSO, 0, 1400,
		  XEN_NETIF_GSO_TYPE_TCPV4);
	KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_DROP);
	/* Every slot consumed and answered: two extras, one request. */
	KUNIT_EXPECT_EQ(test, cons, 3U);
	KUNIT_EXPECT_EQ(test, pkt->nr_extras, 2U);
	KUNIT_EXPECT_EQ(test, pkt->nr_slots, 1U);
}

static void bad_gso_is_fatal(struct kunit *test)
{
	static const struct { u16 size; u8 type; } cases[] = {
		{ 0, XEN_NETIF_GSO_TYPE_TCPV4 },
		{ 1448, XEN_NETIF_GSO_TYPE_NONE },
		{ 1448, 3 },
		{ 1448, 0xff },
	};
	struct xnb_tx_pkt *pkt = new_pkt(test);
	struct fake_tx_ring *r;
	unsigned int i;
	RING_IDX cons;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		r = fake_ring(test);
		put_req(r, 0, 1500, XEN_NETTXF_extra_info);
		put_extra(r, XEN_NETIF_EXTRA_TYPE_GSO, 0, cases[i].size,
			  cases[i].type);
		KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_FATAL);
	}
	r = fake_ring(test);
	put_req(r, 0, 1500, XEN_NETTXF_extra_info);
	put_extra(r, XEN_NETIF_EXTRA_TYPE_GSO, 0, 1448,
		  XEN_NETIF_GSO_TYPE_TCPV6);
	KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_OK);
}

static void slot_past_page_is_fatal(struct kunit *test)
{
	struct xnb_tx_pkt *pkt = new_pkt(test);
	struct fake_tx_ring *r;
	RING_IDX cons;

	r = fake_ring(test);
	put_req(r, 4000, 200, 0);
	KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_FATAL);

	r = fake_ring(test);
	put_req(r, 3896, 200, 0);	/* ends exactly at the page end */
	KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_OK);

	r = fake_ring(test);
	put_req(r, 0, 4200, XEN_NETTXF_more_data);
	put_req(r, 100, 4000, 0);
	KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_FATAL);

	/* The first slot's own length, not its size field, is checked. */
	r = fake_ring(test);
	put_req(r, 3000, 5000, XEN_NETTXF_more_data);
	put_req(r, 0, 4000, 0);
	KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_OK);
	KUNIT_EXPECT_EQ(test, xnb_tx_slot_len(pkt, 0), 1000U);
}

/* Buggy frontends send these; in-tree drops them, so do we (no underflow). */
static void first_size_below_fragments_is_dropped(struct kunit *test)
{
	struct fake_tx_ring *r = fake_ring(test);
	struct xnb_tx_pkt *pkt = new_pkt(test);
	RING_IDX cons;

	put_req(r, 0, 1000, XEN_NETTXF_more_data);
	put_req(r, 0, 600, XEN_NETTXF_more_data);
	put_req(r, 0, 600, 0);
	KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_DROP);
	KUNIT_EXPECT_EQ(test, cons, 3U);
	/* A follow-on slot past its page is still fatal first. */
	r = fake_ring(test);
	put_req(r, 0, 1000, XEN_NETTXF_more_data);
	put_req(r, 4000, 600, 0);
	KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_FATAL);
}

static void runt_is_dropped(struct kunit *test)
{
	struct fake_tx_ring *r = fake_ring(test);
	struct xnb_tx_pkt *pkt = new_pkt(test);
	RING_IDX cons;

	put_req(r, 0, ETH_HLEN - 1, 0);
	KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_DROP);
	/* Its slot is consumed, to be answered. */
	KUNIT_EXPECT_EQ(test, cons, 1U);

	r = fake_ring(test);
	put_req(r, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_DROP);
}

/* Invariants of any plan: exact bytes, no empty piece, areas respected. */
static void check_plan(struct kunit *test, const struct xnb_tx_pkt *pkt,
		       const struct xnb_tx_plan *plan)
{
	unsigned int i, total = 0, in_linear = 0, in_frags = 0;
	unsigned int slot_bytes[XNB_TX_MAX_SLOTS] = {};

	KUNIT_ASSERT_LE(test, plan->nr_segs, XNB_TX_MAX_SEGS);
	KUNIT_ASSERT_LE(test, plan->nr_frags, XNB_TX_MAX_FRAGS);
	KUNIT_EXPECT_EQ(test, plan->linear_len,
			min_t(unsigned int, pkt->slots[0].size, XNB_TX_LINEAR));
	for (i = 0; i < plan->nr_segs; i++) {
		const struct xnb_tx_seg *s = &plan->seg[i];

		KUNIT_EXPECT_GT(test, s->len, 0);
		KUNIT_EXPECT_LE(test, s->src_off + s->len, XNB_PAGE_SIZE);
		if (!s->frag) {
			KUNIT_EXPECT_LE(test, s->dst_off + s->len,
					plan->linear_len);
			in_linear += s->len;
		} else {
			KUNIT_EXPECT_LE(test, s->frag, plan->nr_frags);
			KUNIT_EXPECT_LE(test, s->dst_off + s->len,
					XNB_PAGE_SIZE);
			in_frags += s->len;
		}
		slot_bytes[s->slot] += s->len;
		total += s->len;
	}
	for (i = 0; i < plan->nr_frags; i++) {
		KUNIT_EXPECT_GT(test, plan->frag_len[i], 0U);
		/* Dense: every fragment but the last is a full page. */
		if (i + 1 < plan->nr_frags)
			KUNIT_EXPECT_EQ(test, plan->frag_len[i], XNB_PAGE_SIZE);
	}
	for (i = 0; i < pkt->nr_slots; i++)
		KUNIT_EXPECT_EQ(test, slot_bytes[i], xnb_tx_slot_len(pkt, i));
	KUNIT_EXPECT_EQ(test, total, (unsigned int)pkt->slots[0].size);
	KUNIT_EXPECT_EQ(test, in_linear, plan->linear_len);
	KUNIT_EXPECT_EQ(test, in_frags, total - plan->linear_len);
}

static void plan_small_packet(struct kunit *test)
{
	struct xnb_tx_plan *plan = kunit_kzalloc(test, sizeof(*plan),
						 GFP_KERNEL);
	struct xnb_tx_pkt *pkt = new_pkt(test);

	KUNIT_ASSERT_NOT_NULL(test, plan);
	pkt->nr_slots = 1;
	pkt->slots[0].offset = 10;
	pkt->slots[0].size = 60;
	xnb_tx_plan(pkt, plan);
	KUNIT_EXPECT_EQ(test, plan->nr_segs, 1U);
	KUNIT_EXPECT_EQ(test, plan->nr_frags, 0U);
	KUNIT_EXPECT_EQ(test, plan->seg[0].src_off, 10);
	check_plan(test, pkt, plan);
}

/* XSA-423 / XSA-432: headers over many tiny slots, all in the copy area. */
static void plan_headers_over_many_slots(struct kunit *test)
{
	struct xnb_tx_plan *plan = kunit_kzalloc(test, sizeof(*plan),
						 GFP_KERNEL);
	struct xnb_tx_pkt *pkt = new_pkt(test);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, plan);
	pkt->nr_slots = XNB_TX_MAX_SLOTS;
	pkt->slots[0].size = 8 * XNB_TX_MAX_SLOTS;
	for (i = 1; i < XNB_TX_MAX_SLOTS; i++)
		pkt->slots[i].size = 8;
	xnb_tx_plan(pkt, plan);
	KUNIT_EXPECT_EQ(test, plan->nr_frags, 0U);
	KUNIT_EXPECT_EQ(test, plan->nr_segs, XNB_TX_MAX_SLOTS);
	check_plan(test, pkt, plan);

	/* 1-byte slots, then a big one: the linear area is still full. */
	pkt->slots[0].size = 19 + 3000;
	for (i = 1; i < XNB_TX_MAX_SLOTS - 1; i++)
		pkt->slots[i].size = 1;
	pkt->slots[XNB_TX_MAX_SLOTS - 1].size = 3000;
	xnb_tx_plan(pkt, plan);
	KUNIT_EXPECT_EQ(test, plan->linear_len, XNB_TX_LINEAR);
	check_plan(test, pkt, plan);
}

static void plan_zero_length_slots_make_no_fragment(struct kunit *test)
{
	struct xnb_tx_plan *plan = kunit_kzalloc(test, sizeof(*plan),
						 GFP_KERNEL);
	struct xnb_tx_pkt *pkt = new_pkt(test);

	KUNIT_ASSERT_NOT_NULL(test, plan);
	pkt->nr_slots = 4;
	pkt->slots[0].size = 1000;
	pkt->slots[1].size = 0;
	pkt->slots[2].size = 500;
	pkt->slots[3].size = 0;
	xnb_tx_plan(pkt, plan);
	KUNIT_EXPECT_EQ(test, plan->nr_frags, 1U);
	KUNIT_EXPECT_EQ(test, plan->frag_len[0], 1000U - XNB_TX_LINEAR);
	check_plan(test, pkt, plan);
}

static void plan_largest_packet(struct kunit *test)
{
	struct xnb_tx_plan *plan = kunit_kzalloc(test, sizeof(*plan),
						 GFP_KERNEL);
	struct xnb_tx_pkt *pkt = new_pkt(test);
	unsigned int i, left = XEN_NETIF_MAX_TX_SIZE;

	KUNIT_ASSERT_NOT_NULL(test, plan);
	/* 20 slots, each misaligned, adding up to 65535 bytes. */
	pkt->nr_slots = XNB_TX_MAX_SLOTS;
	pkt->slots[0].size = XEN_NETIF_MAX_TX_SIZE;
	for (i = XNB_TX_MAX_SLOTS - 1; i >= 1; i--) {
		pkt->slots[i].offset = 7 * i;
		pkt->slots[i].size = min(left - 100, XNB_PAGE_SIZE - 7 * i);
		left -= pkt->slots[i].size;
	}
	pkt->slots[0].offset = XNB_PAGE_SIZE - left;
	KUNIT_ASSERT_EQ(test, xnb_check_tx_packet(pkt), XNB_OK);
	xnb_tx_plan(pkt, plan);
	KUNIT_EXPECT_EQ(test, plan->nr_frags, XNB_TX_MAX_FRAGS);
	check_plan(test, pkt, plan);
}

/* Random valid packets: the invariants hold whatever the slot sizes. */
static void plan_random_packets(struct kunit *test)
{
	struct xnb_tx_plan *plan = kunit_kzalloc(test, sizeof(*plan),
						 GFP_KERNEL);
	struct xnb_tx_pkt *pkt = new_pkt(test);
	struct rnd_state rnd;
	unsigned int n, i, total, len, room, round;

	KUNIT_ASSERT_NOT_NULL(test, plan);
	prandom_seed_state(&rnd, 42);
	for (round = 0; round < 500; round++) {
		n = 1 + prandom_u32_state(&rnd) % XNB_TX_MAX_SLOTS;
		total = 0;
		for (i = 1; i < n; i++) {
			len = prandom_u32_state(&rnd) % (XNB_PAGE_SIZE + 1);
			if (total + len > XEN_NETIF_MAX_TX_SIZE - ETH_HLEN)
				len = 0;
			pkt->slots[i].size = len;
			pkt->slots[i].offset = prandom_u32_state(&rnd) %
					       (XNB_PAGE_SIZE - len + 1);
			total += len;
		}
		room = min_t(unsigned int, XNB_PAGE_SIZE - ETH_HLEN,
			     XEN_NETIF_MAX_TX_SIZE - total - ETH_HLEN + 1);
		len = ETH_HLEN + prandom_u32_state(&rnd) % room;
		pkt->slots[0].size = total + len;
		pkt->slots[0].offset = 0;
		pkt->nr_slots = n;
		KUNIT_ASSERT_EQ(test, xnb_check_tx_packet(pkt), XNB_OK);
		xnb_tx_plan(pkt, plan);
		check_plan(test, pkt, plan);
	}
}

static void rate_key_parsing(struct kunit *test)
{
	static const char * const bad[] = {
		"", "abc", "10000", ",5", "5,", "0,100", "100,0",
		"100,10000001", "1,2,3", "-1,5", "5,-1", " 5,5",
		"18446744073709551616,1", "1099511627777,1",
		"1000000000000000000000000000000000000000000000000000,1",
	};
	u64 bytes = 7, usec = 7;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, xnb_parse_rate("125000,20000", &bytes, &usec),
			0);
	KUNIT_EXPECT_EQ(test, bytes, 125000ULL);
	KUNIT_EXPECT_EQ(test, usec, 20000ULL);
	KUNIT_EXPECT_EQ(test, xnb_parse_rate("1,10000000\n", &bytes, &usec),
			0);
	KUNIT_EXPECT_EQ(test, usec, 10000000ULL);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		bytes = 7;
		usec = 7;
		KUNIT_EXPECT_EQ_MSG(test, xnb_parse_rate(bad[i], &bytes, &usec),
				    -EINVAL, "accepted \"%s\"", bad[i]);
		KUNIT_EXPECT_EQ(test, bytes, 7ULL);
		KUNIT_EXPECT_EQ(test, usec, 7ULL);
	}
}

static const u8 mc_addr[ETH_ALEN] = { 0x01, 0x00, 0x5e, 0x7f, 0x00, 0x01 };
static const u8 uc_addr[ETH_ALEN] = { 0x02, 0x00, 0x5e, 0x7f, 0x00, 0x01 };

/*
 * netif.h: a multicast update's own size, offset and grant are unused, so
 * values that would be fatal in a packet must not disable the interface.
 */
static void mcast_request_not_checked_as_packet(struct kunit *test)
{
	static const struct { u16 offset, size; } junk[] = {
		{ 0, 0 }, { 4000, 200 }, { 0xffff, 0xffff },
	};
	struct xnb_tx_pkt *pkt = new_pkt(test);
	struct fake_tx_ring *r;
	unsigned int i;
	const u8 *addr;
	RING_IDX cons;
	bool add;

	for (i = 0; i < ARRAY_SIZE(junk); i++) {
		r = fake_ring(test);
		put_req(r, junk[i].offset, junk[i].size, XEN_NETTXF_extra_info);
		put_mcast(r, XEN_NETIF_EXTRA_TYPE_MCAST_ADD, 0, mc_addr);
		KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_OK);
		KUNIT_EXPECT_EQ(test, cons, 2U);
		KUNIT_EXPECT_TRUE(test, xnb_tx_is_mcast(pkt));
		KUNIT_ASSERT_EQ(test, xnb_check_mcast(pkt, &add, &addr),
				XNB_OK);
		KUNIT_EXPECT_TRUE(test, add);
		KUNIT_EXPECT_MEMEQ(test, addr, mc_addr, ETH_ALEN);
	}
	/* The same junk without the extra is still fatal. */
	r = fake_ring(test);
	put_req(r, 4000, 200, 0);
	KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_FATAL);
	KUNIT_EXPECT_FALSE(test, xnb_tx_is_mcast(pkt));
	/* A GSO extra alone does not make a request a multicast update. */
	r = fake_ring(test);
	put_req(r, 0, 1500, XEN_NETTXF_extra_info);
	put_extra(r, XEN_NETIF_EXTRA_TYPE_GSO, 0, 1448,
		  XEN_NETIF_GSO_TYPE_TCPV4);
	KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_OK);
	KUNIT_EXPECT_FALSE(test, xnb_tx_is_mcast(pkt));
}

static void mcast_del_and_gso_alongside(struct kunit *test)
{
	struct fake_tx_ring *r = fake_ring(test);
	struct xnb_tx_pkt *pkt = new_pkt(test);
	const u8 *addr = NULL;
	bool add = true;
	RING_IDX cons;

	/* A GSO extra before the DEL is carried along and ignored. */
	put_req(r, 0, 0, XEN_NETTXF_extra_info);
	put_extra(r, XEN_NETIF_EXTRA_TYPE_GSO, XEN_NETIF_EXTRA_FLAG_MORE, 0,
		  0xff);
	put_mcast(r, XEN_NETIF_EXTRA_TYPE_MCAST_DEL, 0, mc_addr);
	KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_OK);
	KUNIT_EXPECT_EQ(test, cons, 3U);
	KUNIT_EXPECT_EQ(test, pkt->nr_extras, 2U);
	KUNIT_ASSERT_EQ(test, xnb_check_mcast(pkt, &add, &addr), XNB_OK);
	KUNIT_EXPECT_FALSE(test, add);
	KUNIT_EXPECT_MEMEQ(test, addr, mc_addr, ETH_ALEN);
}

static void mcast_bad_requests_refused(struct kunit *test)
{
	static const u8 bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff,
					    0xff };
	struct xnb_tx_pkt *pkt = new_pkt(test);
	struct fake_tx_ring *r;
	const u8 *addr;
	unsigned int i;
	RING_IDX cons;
	bool add;

	/* Unicast, for ADD and for DEL. */
	r = fake_ring(test);
	put_req(r, 0, 0, XEN_NETTXF_extra_info);
	put_mcast(r, XEN_NETIF_EXTRA_TYPE_MCAST_ADD, 0, uc_addr);
	KUNIT_ASSERT_EQ(test, read_pkt(r, pkt, &cons), XNB_OK);
	KUNIT_EXPECT_EQ(test, xnb_check_mcast(pkt, &add, &addr), XNB_DROP);
	r = fake_ring(test);
	put_req(r, 0, 0, XEN_NETTXF_extra_info);
	put_mcast(r, XEN_NETIF_EXTRA_TYPE_MCAST_DEL, 0, uc_addr);
	KUNIT_ASSERT_EQ(test, read_pkt(r, pkt, &cons), XNB_OK);
	KUNIT_EXPECT_EQ(test, xnb_check_mcast(pkt, &add, &addr), XNB_DROP);

	/* ADD and DEL in one request: their order is unknown. */
	r = fake_ring(test);
	put_req(r, 0, 0, XEN_NETTXF_extra_info);
	put_mcast(r, XEN_NETIF_EXTRA_TYPE_MCAST_ADD, XEN_NETIF_EXTRA_FLAG_MORE,
		  mc_addr);
	put_mcast(r, XEN_NETIF_EXTRA_TYPE_MCAST_DEL, 0, mc_addr);
	KUNIT_ASSERT_EQ(test, read_pkt(r, pkt, &cons), XNB_OK);
	KUNIT_EXPECT_TRUE(test, xnb_tx_is_mcast(pkt));
	KUNIT_EXPECT_EQ(test, xnb_check_mcast(pkt, &add, &addr), XNB_DROP);

	/* Chained over more slots: refused, every slot consumed. */
	r = fake_ring(test);
	put_req(r, 0, 0, XEN_NETTXF_extra_info | XEN_NETTXF_more_data);
	put_mcast(r, XEN_NETIF_EXTRA_TYPE_MCAST_ADD, 0, mc_addr);
	put_req(r, 4000, 4000, 0);
	KUNIT_ASSERT_EQ(test, read_pkt(r, pkt, &cons), XNB_OK);
	KUNIT_EXPECT_EQ(test, cons, 3U);
	KUNIT_EXPECT_EQ(test, pkt->nr_slots, 2U);
	KUNIT_EXPECT_EQ(test, xnb_check_mcast(pkt, &add, &addr), XNB_DROP);

	/* Broadcast is a multicast address: accepted. */
	r = fake_ring(test);
	put_req(r, 0, 0, XEN_NETTXF_extra_info);
	put_mcast(r, XEN_NETIF_EXTRA_TYPE_MCAST_ADD, 0, bcast);
	KUNIT_ASSERT_EQ(test, read_pkt(r, pkt, &cons), XNB_OK);
	KUNIT_EXPECT_EQ(test, xnb_check_mcast(pkt, &add, &addr), XNB_OK);

	/* The same type twice: dropped, so the update must be refused. */
	r = fake_ring(test);
	put_req(r, 0, 0, XEN_NETTXF_extra_info);
	put_mcast(r, XEN_NETIF_EXTRA_TYPE_MCAST_ADD, XEN_NETIF_EXTRA_FLAG_MORE,
		  mc_addr);
	put_mcast(r, XEN_NETIF_EXTRA_TYPE_MCAST_ADD, 0, mc_addr);
	KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_DROP);
	KUNIT_EXPECT_EQ(test, cons, 3U);
	KUNIT_EXPECT_TRUE(test, xnb_tx_is_mcast(pkt));

	/* The slot limit still holds for a multicast update. */
	r = fake_ring(test);
	put_req(r, 0, 0, XEN_NETTXF_extra_info | XEN_NETTXF_more_data);
	put_mcast(r, XEN_NETIF_EXTRA_TYPE_MCAST_ADD, 0, mc_addr);
	for (i = 0; i < 100; i++)
		put_req(r, 0, 0, XEN_NETTXF_more_data);
	KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_FATAL);
}

static void hash_extra(struct kunit *test, u8 type, u8 alg, const u8 *value,
		       enum xnb_hash_use want, u32 want_value)
{
	struct xen_netif_extra_info x = {
		.type = XEN_NETIF_EXTRA_TYPE_HASH,
		.u.hash.type = type,
		.u.hash.algorithm = alg,
	};
	u32 got = 0x5a5a5a5a;

	memcpy(x.u.hash.value, value, 4);
	KUNIT_EXPECT_EQ_MSG(test, xnb_check_hash_extra(&x, &got), want,
			    "type %u algorithm %u", type, alg);
	if (want != XNB_HASH_IGNORE)
		KUNIT_EXPECT_EQ(test, got, want_value);
}

static void hash_extra_types(struct kunit *test)
{
	static const u8 v[4] = { 0x78, 0x56, 0x34, 0x12 };
	static const u8 high[4] = { 0x00, 0x00, 0x00, 0xff };
	const u8 toe = XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ;

	hash_extra(test, _XEN_NETIF_CTRL_HASH_TYPE_IPV4, toe, v, XNB_HASH_L3,
		   0x12345678);
	hash_extra(test, _XEN_NETIF_CTRL_HASH_TYPE_IPV6, toe, v, XNB_HASH_L3,
		   0x12345678);
	hash_extra(test, _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP, toe, v,
		   XNB_HASH_L4, 0x12345678);
	hash_extra(test, _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP, toe, high,
		   XNB_HASH_L4, 0xff000000);
	/* Unknown types, the mask values of the control ring among them. */
	hash_extra(test, 4, toe, v, XNB_HASH_IGNORE, 0);
	hash_extra(test, XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP, toe, v,
		   XNB_HASH_IGNORE, 0);
	hash_extra(test, 0xff, toe, v, XNB_HASH_IGNORE, 0);
	/* Algorithms other than Toeplitz. */
	hash_extra(test, _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP,
		   XEN_NETIF_CTRL_HASH_ALGORITHM_NONE, v, XNB_HASH_IGNORE, 0);
	hash_extra(test, _XEN_NETIF_CTRL_HASH_TYPE_IPV4, 2, v,
		   XNB_HASH_IGNORE, 0);
	hash_extra(test, _XEN_NETIF_CTRL_HASH_TYPE_IPV4, 0xff, v,
		   XNB_HASH_IGNORE, 0);
}

/* A packet with a bad hash extra is a packet: never dropped for it. */
static void bad_hash_extra_keeps_packet(struct kunit *test)
{
	struct xen_netif_extra_info ex = {
		.type = XEN_NETIF_EXTRA_TYPE_HASH,
		.u.hash.type = 0xee,
		.u.hash.algorithm = 0xee,
	};
	struct fake_tx_ring *r = fake_ring(test);
	struct xnb_tx_pkt *pkt = new_pkt(test);
	RING_IDX cons;

	put_req(r, 0, 60, XEN_NETTXF_extra_info);
	put_extra_raw(r, &ex);
	KUNIT_EXPECT_EQ(test, read_pkt(r, pkt, &cons), XNB_OK);
	KUNIT_EXPECT_FALSE(test, xnb_tx_is_mcast(pkt));
	KUNIT_EXPECT_EQ(test, pkt->extra_mask,
			(unsigned int)BIT(XEN_NETIF_EXTRA_TYPE_HASH - 1));
}

static void mcast_request_key(struct kunit *test)
{
	static const char * const bad[] = {
		"", "2", "-1", "yes", "on", "1x", " 1", "0 ", "10",
		"4294967297",
	};
	unsigned int i;
	bool on = true;

	KUNIT_EXPECT_EQ(test, xnb_parse_mcast_request("0", &on), 0);
	KUNIT_EXPECT_FALSE(test, on);
	KUNIT_EXPECT_EQ(test, xnb_parse_mcast_request("1", &on), 0);
	KUNIT_EXPECT_TRUE(test, on);
	KUNIT_EXPECT_EQ(test, xnb_parse_mcast_request("0\n", &on), 0);
	KUNIT_EXPECT_FALSE(test, on);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		on = true;
		KUNIT_EXPECT_EQ_MSG(test, xnb_parse_mcast_request(bad[i], &on),
				    -EINVAL, "accepted \"%s\"", bad[i]);
		KUNIT_EXPECT_TRUE(test, on);
	}
}

static void xdp_headroom_key(struct kunit *test)
{
	static const char * const junk[] = {
		"", "-1", "0x100", "256 ", " 256", "256x", "abc", "1.5",
	};
	static const char * const too_big[] = {
		"2049", "4096", "32767", "65535", "65536", "4294967295",
		"4294967296", "18446744073709551616",
		"99999999999999999999999999999999",
	};
	unsigned int i;
	u16 h;

	h = 7;
	KUNIT_EXPECT_EQ(test, xnb_parse_xdp_headroom(NULL, &h), 0);
	KUNIT_EXPECT_EQ(test, h, 0);
	KUNIT_EXPECT_EQ(test, xnb_parse_xdp_headroom("0", &h), 0);
	KUNIT_EXPECT_EQ(test, h, 0);
	KUNIT_EXPECT_EQ(test, xnb_parse_xdp_headroom("256", &h), 0);
	KUNIT_EXPECT_EQ(test, h, 256);
	KUNIT_EXPECT_EQ(test, xnb_parse_xdp_headroom("256\n", &h), 0);
	KUNIT_EXPECT_EQ(test, h, 256);
	KUNIT_EXPECT_EQ(test, xnb_parse_xdp_headroom("1", &h), 0);
	KUNIT_EXPECT_EQ(test, h, 1);
	KUNIT_EXPECT_EQ(test, xnb_parse_xdp_headroom("2048", &h), 0);
	KUNIT_EXPECT_EQ(test, h, XNB_XDP_HEADROOM_MAX);
	for (i = 0; i < ARRAY_SIZE(junk); i++) {
		h = 7;
		KUNIT_EXPECT_EQ_MSG(test, xnb_parse_xdp_headroom(junk[i], &h),
				    -EINVAL, "parsed \"%s\"", junk[i]);
		KUNIT_EXPECT_EQ(test, h, 0);
	}
	for (i = 0; i < ARRAY_SIZE(too_big); i++) {
		h = 7;
		KUNIT_EXPECT_EQ_MSG(test,
				    xnb_parse_xdp_headroom(too_big[i], &h),
				    -ERANGE, "accepted \"%s\"", too_big[i]);
		KUNIT_EXPECT_EQ(test, h, 0);
	}
	/* The first slot always keeps room for a whole Ethernet frame. */
	KUNIT_EXPECT_GE(test, XNB_PAGE_SIZE - XNB_XDP_HEADROOM_MAX,
			(unsigned int)ETH_FRAME_LEN);
}

static struct kunit_case xen_netback_validate_cases[] = {
	KUNIT_CASE(ring_prod_bounds),
	KUNIT_CASE(single_slot_packet),
	KUNIT_CASE(gso_packet_with_extra),
	KUNIT_CASE(missing_extra_is_fatal),
	KUNIT_CASE(more_data_on_last_slot_is_fatal),
	KUNIT_CASE(slot_count_limit),
	KUNIT_CASE(bad_extra_types_are_fatal),
	KUNIT_CASE(bad_gso_is_fatal),
	KUNIT_CASE(slot_past_page_is_fatal),
	KUNIT_CASE(first_size_below_fragments_is_dropped),
	KUNIT_CASE(repeated_extra_is_dropped),
	KUNIT_CASE(runt_is_dropped),
	KUNIT_CASE(plan_small_packet),
	KUNIT_CASE(plan_headers_over_many_slots),
	KUNIT_CASE(plan_zero_length_slots_make_no_fragment),
	KUNIT_CASE(plan_largest_packet),
	KUNIT_CASE(plan_random_packets),
	KUNIT_CASE(rate_key_parsing),
	KUNIT_CASE(mcast_request_not_checked_as_packet),
	KUNIT_CASE(mcast_del_and_gso_alongside),
	KUNIT_CASE(mcast_bad_requests_refused),
	KUNIT_CASE(hash_extra_types),
	KUNIT_CASE(bad_hash_extra_keeps_packet),
	KUNIT_CASE(mcast_request_key),
	KUNIT_CASE(xdp_headroom_key),
	{}
};

static struct kunit_suite xen_netback_validate_suite = {
	.name = "xen_netback_validate",
	.test_cases = xen_netback_validate_cases,
};

kunit_test_suite(xen_netback_validate_suite);

MODULE_DESCRIPTION("KUnit tests for xen-netback request validation");
MODULE_LICENSE("GPL");
