// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for xen-netfront's checks of backend input
 * (drivers/net/xen-netfront/validate.c): every "malicious backend" case of
 * the advisories list that reaches the rings is fed here.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "xen-netfront/validate.h"

/* A fake rx ring: slots indexed like the shared ring, reads counted. */
struct fake_rx_ring {
	union xnf_rx_slot slot[XNF_RX_RING_SIZE];
	unsigned int reads[XNF_RX_RING_SIZE];
};

static void fake_get(void *ctx, RING_IDX idx, union xnf_rx_slot *out)
{
	struct fake_rx_ring *r = ctx;

	r->reads[idx % XNF_RX_RING_SIZE]++;
	*out = r->slot[idx % XNF_RX_RING_SIZE];
}

static struct fake_rx_ring *fake_ring(struct kunit *test)
{
	struct fake_rx_ring *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	return r;
}

/* A well-formed data response in ring slot @idx. */
static void put_data(struct fake_rx_ring *r, RING_IDX idx, u16 offset,
		     s16 status, u16 flags)
{
	struct xen_netif_rx_response *rsp = &r->slot[idx % XNF_RX_RING_SIZE].rsp;

	rsp->id = idx % XNF_RX_RING_SIZE;
	rsp->offset = offset;
	rsp->status = status;
	rsp->flags = flags;
}

static void put_extra(struct fake_rx_ring *r, RING_IDX idx, u8 type,
		      u8 flags, u16 gso_size, u8 gso_type)
{
	struct xen_netif_extra_info *ex = &r->slot[idx % XNF_RX_RING_SIZE].extra;

	memset(ex, 0, sizeof(*ex));
	ex->type = type;
	ex->flags = flags;
	ex->u.gso.size = gso_size;
	ex->u.gso.type = gso_type;
}

static void prod_within_requests_is_accepted(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xnf_rsp_prod_ok(10, 10, 20));
	KUNIT_EXPECT_TRUE(test, xnf_rsp_prod_ok(15, 10, 20));
	KUNIT_EXPECT_TRUE(test, xnf_rsp_prod_ok(20, 10, 20));
	/* Indices wrap around 2^32. */
	KUNIT_EXPECT_TRUE(test, xnf_rsp_prod_ok(5, 0xfffffff0U, 0x000000f0U));
}

static void prod_going_backwards_is_refused(struct kunit *test)
{
	/* XSA-391: rx producer index moving backwards. */
	KUNIT_EXPECT_FALSE(test, xnf_rsp_prod_ok(9, 10, 20));
	KUNIT_EXPECT_FALSE(test, xnf_rsp_prod_ok(0xfffffff0U, 5, 100));
}

static void prod_beyond_requests_is_refused(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, xnf_rsp_prod_ok(21, 10, 20));
	/* More than a ring's worth ahead. */
	KUNIT_EXPECT_FALSE(test, xnf_rsp_prod_ok(10 + XNF_RX_RING_SIZE + 1, 10,
						 10 + XNF_RX_RING_SIZE));
	/* Nothing posted: no response may appear. */
	KUNIT_EXPECT_FALSE(test, xnf_rsp_prod_ok(11, 10, 10));
}

static void tx_response_for_outstanding_id(struct kunit *test)
{
	DECLARE_BITMAP(inflight, XNF_TX_RING_SIZE);
	struct xen_netif_tx_response rsp = { .id = 7 };

	bitmap_zero(inflight, XNF_TX_RING_SIZE);
	__set_bit(7, inflight);
	rsp.status = XEN_NETIF_RSP_OKAY;
	KUNIT_EXPECT_EQ(test, xnf_check_tx_rsp(&rsp, inflight), XNF_TX_DONE);
	rsp.status = XEN_NETIF_RSP_ERROR;
	KUNIT_EXPECT_EQ(test, xnf_check_tx_rsp(&rsp, inflight), XNF_TX_DONE_ERR);
	rsp.status = XEN_NETIF_RSP_DROPPED;
	KUNIT_EXPECT_EQ(test, xnf_check_tx_rsp(&rsp, inflight), XNF_TX_DONE_ERR);
	/* The slot after a GSO request: no id to give back. */
	rsp.status = XEN_NETIF_RSP_NULL;
	KUNIT_EXPECT_EQ(test, xnf_check_tx_rsp(&rsp, inflight), XNF_TX_SKIP);
}

static void tx_response_with_bad_id(struct kunit *test)
{
	DECLARE_BITMAP(inflight, XNF_TX_RING_SIZE);
	struct xen_netif_tx_response rsp = { .status = XEN_NETIF_RSP_OKAY };

	bitmap_fill(inflight, XNF_TX_RING_SIZE);
	rsp.id = XNF_TX_RING_SIZE;
	KUNIT_EXPECT_EQ(test, xnf_check_tx_rsp(&rsp, inflight), XNF_TX_BAD_ID);
	rsp.id = 0xffff;
	KUNIT_EXPECT_EQ(test, xnf_check_tx_rsp(&rsp, inflight), XNF_TX_BAD_ID);
}

static void tx_response_for_idle_id(struct kunit *test)
{
	DECLARE_BITMAP(inflight, XNF_TX_RING_SIZE);
	struct xen_netif_tx_response rsp = {
		.id = 3, .status = XEN_NETIF_RSP_OKAY,
	};

	bitmap_zero(inflight, XNF_TX_RING_SIZE);
	/* Never asked (XSA-396/405: response for an inactive request). */
	KUNIT_EXPECT_EQ(test, xnf_check_tx_rsp(&rsp, inflight), XNF_TX_IDLE_ID);
	/* Answered twice: the first answer cleared the bit. */
	__set_bit(3, inflight);
	KUNIT_EXPECT_EQ(test, xnf_check_tx_rsp(&rsp, inflight), XNF_TX_DONE);
	__clear_bit(3, inflight);
	KUNIT_EXPECT_EQ(test, xnf_check_tx_rsp(&rsp, inflight), XNF_TX_IDLE_ID);
}

static void tx_response_with_unknown_status(struct kunit *test)
{
	DECLARE_BITMAP(inflight, XNF_TX_RING_SIZE);
	struct xen_netif_tx_response rsp = { .id = 1 };

	bitmap_fill(inflight, XNF_TX_RING_SIZE);
	rsp.status = 2;
	KUNIT_EXPECT_EQ(test, xnf_check_tx_rsp(&rsp, inflight), XNF_TX_BAD_STATUS);
	rsp.status = -3;
	KUNIT_EXPECT_EQ(test, xnf_check_tx_rsp(&rsp, inflight), XNF_TX_BAD_STATUS);
}

static void rx_single_slot_packet(struct kunit *test)
{
	struct fake_rx_ring *r = fake_ring(test);
	struct xnf_rx_pkt pkt;

	put_data(r, 40, 0, 60, XEN_NETRXF_data_validated);
	KUNIT_ASSERT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 40, 41), XNF_RX_OK);
	KUNIT_EXPECT_EQ(test, pkt.nr_slots, 1U);
	KUNIT_EXPECT_EQ(test, pkt.nr_data, 1U);
	KUNIT_EXPECT_EQ(test, pkt.len, 60U);
	KUNIT_EXPECT_EQ(test, pkt.extra_mask, 0UL);
}

static void rx_id_not_matching_request(struct kunit *test)
{
	struct fake_rx_ring *r = fake_ring(test);
	struct xnf_rx_pkt pkt;

	put_data(r, 5, 0, 60, 0);
	r->slot[5].rsp.id = 6;
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 5, 6), XNF_RX_FATAL);
	KUNIT_EXPECT_NOT_NULL(test, pkt.reason);
	/* Id >= ring size. */
	r->slot[5].rsp.id = XNF_RX_RING_SIZE + 5;
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 5, 6), XNF_RX_FATAL);
}

static void rx_fragment_beyond_page(struct kunit *test)
{
	struct fake_rx_ring *r = fake_ring(test);
	struct xnf_rx_pkt pkt;

	put_data(r, 0, 0, XNF_XEN_PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 1), XNF_RX_OK);
	put_data(r, 0, 100, 4000, 0);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 1), XNF_RX_FATAL);
	put_data(r, 0, XNF_XEN_PAGE_SIZE, 0, 0);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 1), XNF_RX_FATAL);
	put_data(r, 0, 0xffff, 0x7fff, 0);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 1), XNF_RX_FATAL);
	/* The same check on a later fragment. */
	put_data(r, 0, 0, 100, XEN_NETRXF_more_data);
	put_data(r, 1, 4000, 200, 0);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 2), XNF_RX_FATAL);
}

static void rx_longest_chain_accepted(struct kunit *test)
{
	struct fake_rx_ring *r = fake_ring(test);
	struct xnf_rx_pkt pkt;
	unsigned int i;

	for (i = 0; i < XNF_RX_MAX_DATA_SLOTS; i++)
		put_data(r, i, 0, 1000, i + 1 < XNF_RX_MAX_DATA_SLOTS ?
			 XEN_NETRXF_more_data : 0);
	KUNIT_ASSERT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 100), XNF_RX_OK);
	KUNIT_EXPECT_EQ(test, pkt.nr_data, XNF_RX_MAX_DATA_SLOTS);
	KUNIT_EXPECT_EQ(test, pkt.len, 1000U * XNF_RX_MAX_DATA_SLOTS);
}

static void rx_unbounded_chain_refused(struct kunit *test)
{
	struct fake_rx_ring *r = fake_ring(test);
	struct xnf_rx_pkt pkt;
	unsigned int i;

	/* more_data on every slot of the ring. */
	for (i = 0; i < XNF_RX_RING_SIZE; i++)
		put_data(r, i, 0, 1000, XEN_NETRXF_more_data);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 256),
			XNF_RX_FATAL);
	/* It stopped at the bound instead of walking the whole ring. */
	KUNIT_EXPECT_EQ(test, r->reads[XNF_RX_MAX_DATA_SLOTS + 1], 0U);
}

static void rx_chain_not_yet_produced(struct kunit *test)
{
	struct fake_rx_ring *r = fake_ring(test);
	struct xnf_rx_pkt pkt;

	put_data(r, 0, 0, 100, XEN_NETRXF_more_data);
	put_data(r, 1, 0, 100, XEN_NETRXF_more_data);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 2),
			XNF_RX_INCOMPLETE);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 0),
			XNF_RX_INCOMPLETE);
}

static void rx_gso_extra_accepted(struct kunit *test)
{
	struct fake_rx_ring *r = fake_ring(test);
	struct xnf_rx_pkt pkt;

	put_data(r, 0, 0, 4096, XEN_NETRXF_extra_info | XEN_NETRXF_more_data |
		 XEN_NETRXF_csum_blank);
	put_extra(r, 1, XEN_NETIF_EXTRA_TYPE_GSO, 0, 1448,
		  XEN_NETIF_GSO_TYPE_TCPV4);
	put_data(r, 2, 0, 3000, 0);
	KUNIT_ASSERT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 3), XNF_RX_OK);
	KUNIT_EXPECT_EQ(test, pkt.nr_slots, 3U);
	KUNIT_EXPECT_EQ(test, pkt.nr_data, 2U);
	KUNIT_EXPECT_EQ(test, pkt.len, 7096U);
	KUNIT_EXPECT_TRUE(test, test_bit(XEN_NETIF_EXTRA_TYPE_GSO,
					 &pkt.extra_mask));
	KUNIT_EXPECT_EQ(test, pkt.extras[XEN_NETIF_EXTRA_TYPE_GSO].u.gso.size,
			1448);
}

static void rx_gso_extra_unusable(struct kunit *test)
{
	struct fake_rx_ring *r = fake_ring(test);
	struct xnf_rx_pkt pkt;

	put_data(r, 0, 0, 1000, XEN_NETRXF_extra_info);
	put_extra(r, 1, XEN_NETIF_EXTRA_TYPE_GSO, 0, 0,
		  XEN_NETIF_GSO_TYPE_TCPV4);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 2), XNF_RX_DROP);
	KUNIT_EXPECT_EQ(test, pkt.nr_slots, 2U);
	put_extra(r, 1, XEN_NETIF_EXTRA_TYPE_GSO, 0, 1448, 3);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 2), XNF_RX_DROP);
	put_extra(r, 1, XEN_NETIF_EXTRA_TYPE_GSO, 0, 1448,
		  XEN_NETIF_GSO_TYPE_NONE);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 2), XNF_RX_DROP);
}

static void rx_extra_of_unknown_type(struct kunit *test)
{
	struct fake_rx_ring *r = fake_ring(test);
	struct xnf_rx_pkt pkt;

	put_data(r, 0, 0, 1000, XEN_NETRXF_extra_info);
	put_extra(r, 1, XEN_NETIF_EXTRA_TYPE_NONE, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 2), XNF_RX_FATAL);
	put_extra(r, 1, XEN_NETIF_EXTRA_TYPE_MAX, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 2), XNF_RX_FATAL);
	put_extra(r, 1, 0xff, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 2), XNF_RX_FATAL);
}

static void rx_extra_repeated_or_endless(struct kunit *test)
{
	struct fake_rx_ring *r = fake_ring(test);
	struct xnf_rx_pkt pkt;
	unsigned int i;

	put_data(r, 0, 0, 1000, XEN_NETRXF_extra_info);
	put_extra(r, 1, XEN_NETIF_EXTRA_TYPE_GSO, XEN_NETIF_EXTRA_FLAG_MORE,
		  1448, XEN_NETIF_GSO_TYPE_TCPV4);
	put_extra(r, 2, XEN_NETIF_EXTRA_TYPE_GSO, 0, 1448,
		  XEN_NETIF_GSO_TYPE_TCPV4);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 3), XNF_RX_FATAL);

	/* MORE on every slot: stops within the number of extra types. */
	for (i = 1; i < XNF_RX_RING_SIZE; i++)
		put_extra(r, i, XEN_NETIF_EXTRA_TYPE_HASH,
			  XEN_NETIF_EXTRA_FLAG_MORE, 0, 0);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 256),
			XNF_RX_FATAL);
	KUNIT_EXPECT_EQ(test, r->reads[XNF_RX_MAX_EXTRAS + 2], 0U);
}

static void rx_extra_missing(struct kunit *test)
{
	struct fake_rx_ring *r = fake_ring(test);
	struct xnf_rx_pkt pkt;

	/* extra_info flagged, but the extra slot was never produced. */
	put_data(r, 0, 0, 1000, XEN_NETRXF_extra_info);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 1),
			XNF_RX_INCOMPLETE);
	/* extra_info on a later slot is not in the protocol. */
	put_data(r, 0, 0, 1000, XEN_NETRXF_more_data);
	put_data(r, 1, 0, 1000, XEN_NETRXF_extra_info);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 2), XNF_RX_FATAL);
}

static void rx_error_status_and_runts_dropped(struct kunit *test)
{
	struct fake_rx_ring *r = fake_ring(test);
	struct xnf_rx_pkt pkt;

	put_data(r, 0, 0, XEN_NETIF_RSP_ERROR, 0);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 1), XNF_RX_DROP);
	KUNIT_EXPECT_EQ(test, pkt.nr_slots, 1U);
	/* An error in a later slot drops the whole packet, all slots. */
	put_data(r, 0, 0, 1000, XEN_NETRXF_more_data);
	put_data(r, 1, 0, XEN_NETIF_RSP_DROPPED, 0);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 2), XNF_RX_DROP);
	KUNIT_EXPECT_EQ(test, pkt.nr_slots, 2U);
	/* Shorter than an Ethernet header. */
	put_data(r, 0, 0, 10, 0);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 1), XNF_RX_DROP);
	put_data(r, 0, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 1), XNF_RX_DROP);
}

static void rx_each_slot_read_once(struct kunit *test)
{
	struct fake_rx_ring *r = fake_ring(test);
	struct xnf_rx_pkt pkt;
	RING_IDX cons = 0xfffffffeU;	/* and across the index wrap */
	unsigned int i;

	put_data(r, cons, 0, 2000, XEN_NETRXF_more_data | XEN_NETRXF_extra_info);
	put_extra(r, cons + 1, XEN_NETIF_EXTRA_TYPE_GSO, 0, 1448,
		  XEN_NETIF_GSO_TYPE_TCPV6);
	put_data(r, cons + 2, 0, 2000, XEN_NETRXF_more_data);
	put_data(r, cons + 3, 0, 2000, 0);
	KUNIT_ASSERT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, cons, cons + 4),
			XNF_RX_OK);
	KUNIT_EXPECT_EQ(test, pkt.nr_slots, 4U);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, r->reads[(cons + i) % XNF_RX_RING_SIZE], 1U);
}

/*
 * An XDP extra of headroom h: ours puts the data at offset h; the in-tree
 * netback writes from h but answers offset 0 with h counted in status, in
 * every data slot (taken, and rewritten to our layout).  Anything else is
 * a lie about the layout: dropped.
 */
static void rx_xdp_extra_must_match_offset(struct kunit *test)
{
	struct fake_rx_ring *r = fake_ring(test);
	struct xnf_rx_pkt pkt;

	put_data(r, 0, 256, 1000, XEN_NETRXF_extra_info);
	put_extra(r, 1, XEN_NETIF_EXTRA_TYPE_XDP, 0, 0, 0);
	r->slot[1].extra.u.xdp.headroom = 256;
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 2), XNF_RX_OK);
	KUNIT_EXPECT_EQ(test, pkt.len, 1000U);
	/* The in-tree netback's layout: offset 0, status 256 + 1000. */
	put_data(r, 0, 0, 1256, XEN_NETRXF_extra_info);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 2), XNF_RX_OK);
	KUNIT_EXPECT_EQ(test, pkt.data[0].offset, 256);
	KUNIT_EXPECT_EQ(test, pkt.data[0].status, 1000);
	KUNIT_EXPECT_EQ(test, pkt.len, 1000U);
	/* Its multi-slot packets: the headroom in every data slot. */
	put_data(r, 0, 0, 4096, XEN_NETRXF_extra_info | XEN_NETRXF_more_data);
	put_data(r, 2, 0, 756, 0);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 3), XNF_RX_OK);
	KUNIT_EXPECT_EQ(test, pkt.data[1].offset, 256);
	KUNIT_EXPECT_EQ(test, pkt.data[1].status, 500);
	KUNIT_EXPECT_EQ(test, pkt.len, 3840U + 500U);
	/* ... but a follow-on slot too short to hold the headroom: a lie. */
	put_data(r, 2, 0, 100, 0);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 3), XNF_RX_DROP);
	/* Says 256, data at 128: neither layout, dropped. */
	put_data(r, 0, 128, 1000, XEN_NETRXF_extra_info);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 2), XNF_RX_DROP);
	KUNIT_EXPECT_EQ(test, pkt.nr_slots, 2U);
	/* Says 256, offset 0 and fewer bytes than the headroom: dropped. */
	put_data(r, 0, 0, 200, XEN_NETRXF_extra_info);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 2), XNF_RX_DROP);
	/* Says 128, wrote at 256: as wrong, and dropped the same. */
	put_data(r, 0, 256, 1000, XEN_NETRXF_extra_info);
	r->slot[1].extra.u.xdp.headroom = 128;
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 2), XNF_RX_DROP);
	/* No extra at all: no promise, the packet is fine (it gets copied). */
	put_data(r, 0, 0, 1000, 0);
	KUNIT_EXPECT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 1), XNF_RX_OK);
}

/* In place only with the whole headroom and tailroom free, one slot. */
static void rx_xdp_in_place_needs_room(struct kunit *test)
{
	struct fake_rx_ring *r = fake_ring(test);
	struct xnf_rx_pkt pkt;

	put_data(r, 0, 256, 1514, 0);
	KUNIT_ASSERT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 1), XNF_RX_OK);
	KUNIT_EXPECT_TRUE(test, xnf_rx_xdp_in_place(&pkt, 256, 320));
	/* A backend that ignored the headroom we asked for. */
	put_data(r, 0, 0, 1514, 0);
	KUNIT_ASSERT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 1), XNF_RX_OK);
	KUNIT_EXPECT_FALSE(test, xnf_rx_xdp_in_place(&pkt, 256, 320));
	/* One byte short of the headroom. */
	put_data(r, 0, 255, 1514, 0);
	KUNIT_ASSERT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 1), XNF_RX_OK);
	KUNIT_EXPECT_FALSE(test, xnf_rx_xdp_in_place(&pkt, 256, 320));
	/* Data running into the tailroom: the last byte that still fits. */
	put_data(r, 0, 256, 4096 - 256 - 320, 0);
	KUNIT_ASSERT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 1), XNF_RX_OK);
	KUNIT_EXPECT_TRUE(test, xnf_rx_xdp_in_place(&pkt, 256, 320));
	put_data(r, 0, 256, 4096 - 256 - 319, 0);
	KUNIT_ASSERT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 1), XNF_RX_OK);
	KUNIT_EXPECT_FALSE(test, xnf_rx_xdp_in_place(&pkt, 256, 320));
	/* Two slots: never in place, however they are laid out. */
	put_data(r, 0, 256, 1000, XEN_NETRXF_more_data);
	put_data(r, 1, 0, 1000, 0);
	KUNIT_ASSERT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 2), XNF_RX_OK);
	KUNIT_EXPECT_FALSE(test, xnf_rx_xdp_in_place(&pkt, 256, 320));
}

/*
 * A GSO packet is cut into frames for a frags-unaware XDP program only
 * when its gso_size keeps the number of frames within the bound.
 */
static void rx_xdp_gso_frames_bounded(struct kunit *test)
{
	/* gso_size, and the frames 8192 bytes make with it (0: refused). */
	static const struct {
		u16 mss;
		unsigned int frames;
	} cases[] = {
		{ 1448, 6 },	/* an ordinary MSS */
		{ 64, 128 },	/* 8192 / 64: exactly the bound */
		{ 63, 0 },	/* 131 frames, over the bound */
		{ 1, 0 },	/* 8192 frames asked for, none made */
	};
	struct fake_rx_ring *r = fake_ring(test);
	struct xnf_rx_pkt pkt;
	unsigned int i;

	/* 8192 bytes in three data slots, a GSO extra after the first. */
	put_data(r, 0, 0, 1000, XEN_NETRXF_extra_info | XEN_NETRXF_more_data);
	put_data(r, 2, 0, 4000, XEN_NETRXF_more_data);
	put_data(r, 3, 0, 3192, 0);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		put_extra(r, 1, XEN_NETIF_EXTRA_TYPE_GSO, 0, cases[i].mss,
			  XEN_NETIF_GSO_TYPE_TCPV4);
		KUNIT_ASSERT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 4),
				XNF_RX_OK);
		KUNIT_EXPECT_EQ_MSG(test, xnf_rx_xdp_gso_frames(&pkt, 128),
				    cases[i].frames, "gso_size %u",
				    cases[i].mss);
	}
	/* The same bytes with no GSO extra: nothing to cut. */
	put_data(r, 0, 0, 1000, XEN_NETRXF_more_data);
	put_data(r, 1, 0, 4000, XEN_NETRXF_more_data);
	put_data(r, 2, 0, 3192, 0);
	KUNIT_ASSERT_EQ(test, xnf_rx_scan(&pkt, fake_get, r, 0, 3), XNF_RX_OK);
	KUNIT_EXPECT_EQ(test, xnf_rx_xdp_gso_frames(&pkt, 128), 0U);
}

static void queue_pick_stays_in_range(struct kunit *test)
{
	unsigned int seen[8] = {};
	unsigned int n, i;

	for (n = 1; n <= 8; n++)
		for (i = 0; i < 1000; i++)
			KUNIT_EXPECT_LT(test, xnf_pick_queue(i * 2654435761U, n), n);
	KUNIT_EXPECT_EQ(test, xnf_pick_queue(0xffffffffU, 1), 0U);
	KUNIT_EXPECT_EQ(test, xnf_pick_queue(12345, 4),
			xnf_pick_queue(12345, 4));
	for (i = 0; i < 1000; i++)
		seen[xnf_pick_queue(i * 2654435761U, 8)]++;
	for (n = 0; n < 8; n++)
		KUNIT_EXPECT_GT(test, seen[n], 50U);
}

static struct xen_netif_extra_info hash_extra(u8 type, u8 alg)
{
	struct xen_netif_extra_info ex = {
		.type = XEN_NETIF_EXTRA_TYPE_HASH,
		.u.hash.type = type,
		.u.hash.algorithm = alg,
	};

	return ex;
}

static void rx_hash_extra_kinds(struct kunit *test)
{
	struct xen_netif_extra_info ex;
	const u8 toe = XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ;

	ex = hash_extra(_XEN_NETIF_CTRL_HASH_TYPE_IPV4, toe);
	KUNIT_EXPECT_EQ(test, xnf_rx_hash_kind(&ex), XNF_HASH_L3);
	ex = hash_extra(_XEN_NETIF_CTRL_HASH_TYPE_IPV6, toe);
	KUNIT_EXPECT_EQ(test, xnf_rx_hash_kind(&ex), XNF_HASH_L3);
	ex = hash_extra(_XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP, toe);
	KUNIT_EXPECT_EQ(test, xnf_rx_hash_kind(&ex), XNF_HASH_L4);
	ex = hash_extra(_XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP, toe);
	KUNIT_EXPECT_EQ(test, xnf_rx_hash_kind(&ex), XNF_HASH_L4);
}

static void rx_hash_extra_unusable(struct kunit *test)
{
	struct xen_netif_extra_info ex;

	/* An algorithm we did not ask for, or a type that does not exist. */
	ex = hash_extra(_XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP,
			XEN_NETIF_CTRL_HASH_ALGORITHM_NONE);
	KUNIT_EXPECT_EQ(test, xnf_rx_hash_kind(&ex), XNF_HASH_NONE);
	ex = hash_extra(_XEN_NETIF_CTRL_HASH_TYPE_IPV4, 7);
	KUNIT_EXPECT_EQ(test, xnf_rx_hash_kind(&ex), XNF_HASH_NONE);
	ex = hash_extra(4, XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ);
	KUNIT_EXPECT_EQ(test, xnf_rx_hash_kind(&ex), XNF_HASH_NONE);
	ex = hash_extra(0xff, XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ);
	KUNIT_EXPECT_EQ(test, xnf_rx_hash_kind(&ex), XNF_HASH_NONE);
}

static struct xen_netif_ctrl_response ctrl_rsp(u16 id, u16 type, u32 status)
{
	struct xen_netif_ctrl_response rsp = {
		.id = id, .type = type, .status = status,
	};

	return rsp;
}

static void ctrl_response_statuses(struct kunit *test)
{
	const u16 t = XEN_NETIF_CTRL_TYPE_SET_HASH_KEY;
	struct xen_netif_ctrl_response rsp;
	int err = 1;

	rsp = ctrl_rsp(7, t, XEN_NETIF_CTRL_STATUS_SUCCESS);
	KUNIT_EXPECT_TRUE(test, xnf_check_ctrl_rsp(&rsp, 7, t, &err));
	KUNIT_EXPECT_EQ(test, err, 0);
	rsp = ctrl_rsp(7, t, XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED);
	KUNIT_EXPECT_TRUE(test, xnf_check_ctrl_rsp(&rsp, 7, t, &err));
	KUNIT_EXPECT_EQ(test, err, -EOPNOTSUPP);
	rsp = ctrl_rsp(7, t, XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_TRUE(test, xnf_check_ctrl_rsp(&rsp, 7, t, &err));
	KUNIT_EXPECT_EQ(test, err, -EINVAL);
	rsp = ctrl_rsp(7, t, XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW);
	KUNIT_EXPECT_TRUE(test, xnf_check_ctrl_rsp(&rsp, 7, t, &err));
	KUNIT_EXPECT_EQ(test, err, -ENOBUFS);
}

static void ctrl_response_breaks_protocol(struct kunit *test)
{
	const u16 t = XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING;
	struct xen_netif_ctrl_response rsp;
	int err = 42;

	/* An answer to another request, another type, an invented status. */
	rsp = ctrl_rsp(8, t, XEN_NETIF_CTRL_STATUS_SUCCESS);
	KUNIT_EXPECT_FALSE(test, xnf_check_ctrl_rsp(&rsp, 7, t, &err));
	rsp = ctrl_rsp(7, XEN_NETIF_CTRL_TYPE_SET_HASH_KEY,
		       XEN_NETIF_CTRL_STATUS_SUCCESS);
	KUNIT_EXPECT_FALSE(test, xnf_check_ctrl_rsp(&rsp, 7, t, &err));
	rsp = ctrl_rsp(7, t, 4);
	KUNIT_EXPECT_FALSE(test, xnf_check_ctrl_rsp(&rsp, 7, t, &err));
	rsp = ctrl_rsp(7, t, 0xffffffff);
	KUNIT_EXPECT_FALSE(test, xnf_check_ctrl_rsp(&rsp, 7, t, &err));
	KUNIT_EXPECT_EQ(test, err, 42);
}

static void ctrl_values_checked(struct kunit *test)
{
	u32 out;

	/* Unknown hash type bits are dropped; none known leaves RSS off. */
	KUNIT_EXPECT_TRUE(test, xnf_ctrl_value(XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS,
					       0xfffffff0 | XEN_NETIF_CTRL_HASH_TYPE_IPV4,
					       &out));
	KUNIT_EXPECT_EQ(test, out, (u32)XEN_NETIF_CTRL_HASH_TYPE_IPV4);
	KUNIT_EXPECT_FALSE(test, xnf_ctrl_value(XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS,
						0xfffffff0, &out));
	/* A table smaller than ours cannot be used; a larger one is ours. */
	KUNIT_EXPECT_FALSE(test,
			   xnf_ctrl_value(XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE,
					  XNF_RSS_INDIR_SIZE - 1, &out));
	KUNIT_EXPECT_FALSE(test,
			   xnf_ctrl_value(XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE,
					  0, &out));
	KUNIT_EXPECT_TRUE(test,
			  xnf_ctrl_value(XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE,
					 0xffffffff, &out));
	KUNIT_EXPECT_EQ(test, out, XNF_RSS_INDIR_SIZE);
	KUNIT_EXPECT_TRUE(test, xnf_ctrl_value(XEN_NETIF_CTRL_TYPE_SET_HASH_KEY,
					       12345, &out));
	KUNIT_EXPECT_EQ(test, out, 0U);
	/* Staging: none is no use; more than a queue could use is clamped. */
	KUNIT_EXPECT_FALSE(test,
			   xnf_ctrl_value(XEN_NETIF_CTRL_TYPE_GET_GREF_MAPPING_SIZE,
					  0, &out));
	KUNIT_EXPECT_TRUE(test,
			  xnf_ctrl_value(XEN_NETIF_CTRL_TYPE_GET_GREF_MAPPING_SIZE,
					 100, &out));
	KUNIT_EXPECT_EQ(test, out, 100U);
	KUNIT_EXPECT_TRUE(test,
			  xnf_ctrl_value(XEN_NETIF_CTRL_TYPE_GET_GREF_MAPPING_SIZE,
					 U32_MAX, &out));
	KUNIT_EXPECT_EQ(test, out, (u32)XNF_STAGING_MAX);
}

static struct kunit_case netfront_validate_cases[] = {
	KUNIT_CASE(prod_within_requests_is_accepted),
	KUNIT_CASE(prod_going_backwards_is_refused),
	KUNIT_CASE(prod_beyond_requests_is_refused),
	KUNIT_CASE(tx_response_for_outstanding_id),
	KUNIT_CASE(tx_response_with_bad_id),
	KUNIT_CASE(tx_response_for_idle_id),
	KUNIT_CASE(tx_response_with_unknown_status),
	KUNIT_CASE(rx_single_slot_packet),
	KUNIT_CASE(rx_id_not_matching_request),
	KUNIT_CASE(rx_fragment_beyond_page),
	KUNIT_CASE(rx_longest_chain_accepted),
	KUNIT_CASE(rx_unbounded_chain_refused),
	KUNIT_CASE(rx_chain_not_yet_produced),
	KUNIT_CASE(rx_gso_extra_accepted),
	KUNIT_CASE(rx_gso_extra_unusable),
	KUNIT_CASE(rx_extra_of_unknown_type),
	KUNIT_CASE(rx_extra_repeated_or_endless),
	KUNIT_CASE(rx_extra_missing),
	KUNIT_CASE(rx_error_status_and_runts_dropped),
	KUNIT_CASE(rx_each_slot_read_once),
	KUNIT_CASE(rx_xdp_extra_must_match_offset),
	KUNIT_CASE(rx_xdp_in_place_needs_room),
	KUNIT_CASE(rx_xdp_gso_frames_bounded),
	KUNIT_CASE(queue_pick_stays_in_range),
	KUNIT_CASE(rx_hash_extra_kinds),
	KUNIT_CASE(rx_hash_extra_unusable),
	KUNIT_CASE(ctrl_response_statuses),
	KUNIT_CASE(ctrl_response_breaks_protocol),
	KUNIT_CASE(ctrl_values_checked),
	{}
};

static struct kunit_suite netfront_validate_suite = {
	.name = "xen_netfront_validate",
	.test_cases = netfront_validate_cases,
};

kunit_test_suite(netfront_validate_suite);
