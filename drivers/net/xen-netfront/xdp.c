// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netfront: native XDP.
 *
 * A program attached with ndo_bpf runs on every well-formed received
 * packet before any skb exists (rx.c hands them over once validate.c has
 * checked their responses).  The program's buffer is built one of two ways:
 *
 *  - in place: a packet of one slot, in a pool page that is ours again
 *    (its grant ended), whose data the backend wrote at least
 *    XDP_PACKET_HEADROOM into the page and ending before the room an
 *    skb_shared_info needs at the page's end.  A backend that offers
 *    feature-xdp-headroom leaves that room when we ask for it
 *    ("xdp-headroom"), so this is the common case behind it.
 *  - by a copy into fresh pool pages otherwise: the first holds the
 *    headroom and up to XNF_XDP_HEAD_MAX bytes, the rest of a larger packet
 *    follows in whole pages as fragments (multi-buffer XDP, for programs
 *    that declare frags support; the in-tree netfront has none).  Staging
 *    pages always take this path: the backend may still write them, so a
 *    program never sees one, and a backend that ignores or lies about the
 *    headroom costs a copy, never a program reading outside its packet.
 *
 * Nothing here trusts the offsets beyond what validate.c checked (every
 * fragment within its page; xnf_rx_xdp_in_place() decides between the two
 * ways): only the checked copies of the responses are read.
 *
 * A program without frags support still sees TCP into the guest: a GSO
 * packet too big for one buffer is cut into the frames the wire would have
 * carried (software segmentation, checksums filled in) and the program
 * runs on each (xnf_xdp_gso()).  The in-tree netfront drops such packets,
 * and TCP into the guest crawls along on its retransmissions.
 *
 * XDP_TX and frames redirected to us (ndo_xdp_xmit) are copied into the
 * queue's tx pages like any packet (tx.c), so their buffers go back to
 * their owners at once, and the backend never sees anything but the frame.
 */
#include <linux/bpf_trace.h>
#include <linux/delay.h>
#include <linux/filter.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "netfront.h"

/* Room an skb_shared_info takes at the end of an XDP buffer. */
#define XNF_XDP_TAILROOM	SKB_DATA_ALIGN(sizeof(struct skb_shared_info))
/* Packet bytes the first buffer of a copied packet holds. */
#define XNF_XDP_HEAD_MAX	(PAGE_SIZE - XDP_PACKET_HEADROOM - \
				 XNF_XDP_TAILROOM)
/*
 * The most frames one GSO packet is cut into for a program without frags
 * support: 64 KB at an MSS of 512.  A backend naming a tiny gso_size would
 * otherwise buy a program run and an skb for every few bytes it sends.
 */
#define XNF_XDP_GSO_SEGS_MAX	128
/* How long the backend gets to acknowledge a new headroom. */
#define XNF_XDP_RECONF_WAIT	(5 * HZ)

static struct bpf_prog *xnf_xdp_prog(struct netfront_info *info)
{
	return rtnl_dereference(info->xdp_prog);
}

/**
 * xnf_xdp_mtu_ok() - can the attached program see whole frames of an MTU
 * @info: the device, RTNL held
 * @mtu: the MTU
 *
 * A program without frags support sees one buffer per packet, so the
 * frame must fit the first buffer of a copied packet.
 *
 * Return: true if @mtu is usable with the program attached (or none).
 */
bool xnf_xdp_mtu_ok(struct netfront_info *info, unsigned int mtu)
{
	struct bpf_prog *prog = xnf_xdp_prog(info);

	return !prog || prog->aux->xdp_has_frags ||
	       mtu + VLAN_ETH_HLEN <= XNF_XDP_HEAD_MAX;
}

/**
 * xnf_xdp_headroom_wanted() - the xdp-headroom to ask the backend for
 * @info: the device, RTNL held
 *
 * Return: XDP_PACKET_HEADROOM with a program attached and a backend that
 * offers headroom, else 0.
 */
unsigned int xnf_xdp_headroom_wanted(struct netfront_info *info)
{
	return xnf_xdp_prog(info) && info->be.xdp_headroom ?
	       XDP_PACKET_HEADROOM : 0;
}

/*
 * Tell a connected backend about a new headroom: write xdp-headroom, go
 * Reconfiguring, wait (bounded) for Reconfigured, and come back to
 * Connected.  Packets keep flowing meanwhile; until the backend honours
 * the new value, the receive path copies what lacks the room.  A
 * connection made later writes the key with the others (xenbus.c), so
 * only a change on a live connection needs this.
 */
static void xnf_xdp_work(struct work_struct *work)
{
	struct netfront_info *info = container_of(work, struct netfront_info,
						  xdp_work);
	struct xenbus_device *xbdev = info->xbdev;
	unsigned long end = jiffies + XNF_XDP_RECONF_WAIT;
	unsigned int want;
	int err;

	rtnl_lock();
	want = xnf_xdp_headroom_wanted(info);
	if (!info->queues || info->changing || info->removing ||
	    want == info->xdp_headroom ||
	    xbdev->state != XenbusStateConnected) {
		rtnl_unlock();
		return;
	}
	err = xenbus_printf(XBT_NIL, xbdev->nodename, "xdp-headroom", "%u",
			    want);
	if (err) {
		rtnl_unlock();
		netdev_warn(info->netdev, "cannot write xdp-headroom (%d): XDP copies every packet\n",
			    err);
		return;
	}
	info->xdp_headroom = want;
	xenbus_switch_state(xbdev, XenbusStateReconfiguring);
	rtnl_unlock();

	while (xenbus_read_driver_state(xbdev, xbdev->otherend) !=
	       XenbusStateReconfigured) {
		if (time_after(jiffies, end)) {
			netdev_warn(info->netdev, "backend did not acknowledge xdp-headroom %u in %u s\n",
				    want, XNF_XDP_RECONF_WAIT / HZ);
			break;
		}
		msleep(20);
	}

	rtnl_lock();
	if (xbdev->state == XenbusStateReconfiguring)
		xenbus_switch_state(xbdev, XenbusStateConnected);
	rtnl_unlock();
}

/**
 * xnf_xdp_init() - XDP state of a new device
 * @info: the device, at probe
 */
void xnf_xdp_init(struct netfront_info *info)
{
	INIT_WORK(&info->xdp_work, xnf_xdp_work);
	xdp_set_features_flag(info->netdev,
			      NETDEV_XDP_ACT_BASIC | NETDEV_XDP_ACT_REDIRECT |
			      NETDEV_XDP_ACT_NDO_XMIT | NETDEV_XDP_ACT_RX_SG |
			      NETDEV_XDP_ACT_NDO_XMIT_SG);
}

static int xnf_xdp_set(struct net_device *dev, struct bpf_prog *prog,
		       struct netlink_ext_ack *extack)
{
	struct netfront_info *info = netdev_priv(dev);
	struct bpf_prog *old;

	if (prog && !prog->aux->xdp_has_frags &&
	    dev->mtu + VLAN_ETH_HLEN > XNF_XDP_HEAD_MAX) {
		NL_SET_ERR_MSG_MOD(extack,
				   "MTU too large for an XDP program without frags support");
		netdev_warn(dev, "XDP: MTU %u is above %lu, the most a program without frags support can see whole\n",
			    dev->mtu, XNF_XDP_HEAD_MAX - VLAN_ETH_HLEN);
		return -EOPNOTSUPP;
	}
	old = rcu_replace_pointer(info->xdp_prog, prog, lockdep_rtnl_is_held());
	if (old)
		bpf_prog_put(old);
	if (xnf_xdp_headroom_wanted(info) != info->xdp_headroom)
		schedule_work(&info->xdp_work);
	return 0;
}

/**
 * xnf_bpf() - ndo_bpf: attach or detach an XDP program
 * @dev: our device, RTNL held
 * @bpf: the command
 *
 * The program is per device and survives queue changes and reconnects:
 * every queue's NAPI reads it on each poll.
 *
 * Return: 0 or a negative errno.
 */
int xnf_bpf(struct net_device *dev, struct netdev_bpf *bpf)
{
	switch (bpf->command) {
	case XDP_SETUP_PROG:
		return xnf_xdp_set(dev, bpf->prog, bpf->extack);
	default:
		return -EINVAL;
	}
}

/**
 * xnf_xdp_rxq_reg() - register a queue's rx side with XDP
 * @q: the queue, its page pool just created
 *
 * Return: 0 or a negative errno.
 */
int xnf_xdp_rxq_reg(struct netfront_queue *q)
{
	int err;

	err = xdp_rxq_info_reg(&q->xdp_rxq, q->info->netdev, q->id, 0);
	if (err)
		return err;
	err = xdp_rxq_info_reg_mem_model(&q->xdp_rxq, MEM_TYPE_PAGE_POOL,
					 q->pool);
	if (err)
		xdp_rxq_info_unreg(&q->xdp_rxq);
	return err;
}

/**
 * xnf_xdp_rxq_unreg() - undo xnf_xdp_rxq_reg(), before the pool goes
 * @q: the queue
 */
void xnf_xdp_rxq_unreg(struct netfront_queue *q)
{
	if (xdp_rxq_info_is_reg(&q->xdp_rxq))
		xdp_rxq_info_unreg(&q->xdp_rxq);
}

/* The data slot @j of @pkt: its ring slot among the packet's slots. */
static unsigned int xnf_xdp_slot(const struct xnf_rx_pkt *pkt, unsigned int j)
{
	return j ? j + hweight_long(pkt->extra_mask) : 0;
}

/*
 * Copy the packet, whose data slots @seg lists, into fresh pool pages
 * laid out for XDP: headroom and up to XNF_XDP_HEAD_MAX bytes in the
 * first, the rest in whole pages as fragments.  Returns false (nothing
 * left allocated) when no page is to be had.
 */
static bool xnf_xdp_copy(struct netfront_queue *q, struct xdp_buff *xdp,
			 const struct xnf_seg *seg, unsigned int len)
{
	unsigned int head = min_t(unsigned int, len, XNF_XDP_HEAD_MAX);
	unsigned int s = 0, off = 0, done, n;
	struct skb_shared_info *sinfo;
	struct page *page;

	page = page_pool_dev_alloc_pages(q->pool);
	if (!page)
		return false;
	xdp_init_buff(xdp, PAGE_SIZE, &q->xdp_rxq);
	xdp_prepare_buff(xdp, page_address(page), XDP_PACKET_HEADROOM, head,
			 false);
	xnf_seg_copy(xdp->data, head, seg, &s, &off);
	if (head == len)
		return true;

	sinfo = xdp_get_shared_info_from_buff(xdp);
	sinfo->nr_frags = 0;
	sinfo->xdp_frags_size = 0;
	xdp_buff_set_frags_flag(xdp);
	for (done = head; done < len; done += n) {
		n = min_t(unsigned int, len - done, PAGE_SIZE);

		/* The skb of XDP_PASS needs one fragment for the head. */
		page = sinfo->nr_frags < MAX_SKB_FRAGS - 1 ?
		       page_pool_dev_alloc_pages(q->pool) : NULL;
		if (!page) {
			xdp_return_buff(xdp);
			return false;
		}
		xnf_seg_copy(page_address(page), n, seg, &s, &off);
		skb_frag_fill_page_desc(&sinfo->frags[sinfo->nr_frags++], page,
					0, n);
		sinfo->xdp_frags_size += n;
	}
	return true;
}

/*
 * The program's buffer for @pkt: in place when the backend left the room
 * (the page then leaves @pages), else a copy.  @seg gets each data slot's
 * bytes: in the slot's pool page, or in its staging page.
 */
static bool xnf_xdp_buff(struct netfront_queue *q,
			 const struct xnf_rx_pkt *pkt, RING_IDX cons,
			 struct page **pages, struct xdp_buff *xdp)
{
	const struct xen_netif_rx_response *rsp0 = &pkt->data[0];
	struct xnf_seg seg[XNF_RX_MAX_DATA_SLOTS];
	unsigned int j;

	if (pages[0] && xnf_rx_xdp_in_place(pkt, XDP_PACKET_HEADROOM,
					    XNF_XDP_TAILROOM)) {
		xdp_init_buff(xdp, PAGE_SIZE, &q->xdp_rxq);
		xdp_prepare_buff(xdp, page_address(pages[0]), rsp0->offset,
				 rsp0->status, false);
		pages[0] = NULL;
		return true;
	}
	for (j = 0; j < pkt->nr_data; j++) {
		unsigned int i = xnf_xdp_slot(pkt, j);
		unsigned int k = (cons + i) & (XNF_RX_RING_SIZE - 1);
		struct page *page = pages[i] ? pages[i] : q->rx_stage[k];

		seg[j].addr = page_address(page) + pkt->data[j].offset;
		seg[j].len = pkt->data[j].status;
	}
	if (!xnf_xdp_copy(q, xdp, seg, pkt->len))
		return false;
	xnf_rx_count(q, &q->rx_stats.xdp_copied);
	return true;
}

/* Give the pages of a buffer the program is done with back to the pool. */
static void xnf_xdp_recycle(struct netfront_queue *q, struct xdp_buff *xdp)
{
	struct skb_shared_info *sinfo;
	unsigned int i;

	if (xdp_buff_has_frags(xdp)) {
		sinfo = xdp_get_shared_info_from_buff(xdp);
		for (i = 0; i < sinfo->nr_frags; i++)
			page_pool_put_full_page(q->pool,
						skb_frag_page(&sinfo->frags[i]),
						true);
	}
	page_pool_put_full_page(q->pool, virt_to_page(xdp->data_hard_start),
				true);
}

/*
 * The pieces of a frame to send, for xnf_tx_xdp(): its head (@data, @len
 * bytes), then the fragments @sinfo lists (NULL: none).  Returns how many
 * pieces; *@total gets their bytes.
 */
static unsigned int xnf_xdp_segs(struct xnf_seg *seg, void *data,
				 unsigned int len,
				 const struct skb_shared_info *sinfo,
				 unsigned int *total)
{
	unsigned int nr = 1, i;

	seg[0].addr = data;
	seg[0].len = len;
	*total = len;
	for (i = 0; sinfo && i < sinfo->nr_frags; i++) {
		seg[nr].addr = skb_frag_address(&sinfo->frags[i]);
		seg[nr].len = skb_frag_size(&sinfo->frags[i]);
		*total += seg[nr++].len;
	}
	return nr;
}

/*
 * XDP_TX: send the buffer back out of the queue it came in on; the
 * requests are pushed once per poll (xnf_xdp_flush()).
 */
static bool xnf_xdp_tx(struct netfront_queue *q, struct xdp_buff *xdp)
{
	struct xnf_seg seg[MAX_SKB_FRAGS + 1];
	unsigned int nr, len;
	bool ok;

	nr = xnf_xdp_segs(seg, xdp->data, xdp->data_end - xdp->data,
			  xdp_buff_has_frags(xdp) ?
			  xdp_get_shared_info_from_buff(xdp) : NULL, &len);
	spin_lock(&q->tx_lock);
	ok = xnf_tx_xdp(q, seg, nr, len);
	spin_unlock(&q->tx_lock);
	return ok;
}

/*
 * An skb around an XDP buffer, as the program left it: the head page and
 * the fragments become the skb's fragments.  NULL, with the buffer given
 * back, when no skb is to be had or the fragments do not fit.
 */
static struct sk_buff *xnf_xdp_skb(struct netfront_queue *q,
				   struct xdp_buff *xdp)
{
	struct page *head = virt_to_page(xdp->data_hard_start);
	struct skb_shared_info *sinfo;
	struct sk_buff *skb;
	unsigned int i;

	skb = napi_alloc_skb(&q->napi, XNF_RX_PULL);
	if (unlikely(!skb)) {
		xnf_xdp_recycle(q, xdp);
		return NULL;
	}
	skb_add_rx_frag(skb, 0, head, xdp->data - xdp->data_hard_start,
			xdp->data_end - xdp->data, PAGE_SIZE);
	if (!xdp_buff_has_frags(xdp))
		return skb;
	sinfo = xdp_get_shared_info_from_buff(xdp);
	/* At most MAX_SKB_FRAGS - 1 fragments: the head took one. */
	for (i = 0; i < sinfo->nr_frags; i++) {
		skb_frag_t *f = &sinfo->frags[i];

		if (skb_shinfo(skb)->nr_frags == MAX_SKB_FRAGS) {
			page_pool_put_full_page(q->pool, skb_frag_page(f), true);
			continue;
		}
		skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags,
				skb_frag_page(f), skb_frag_off(f),
				skb_frag_size(f), PAGE_SIZE);
	}
	if (skb_shinfo(skb)->nr_frags <= sinfo->nr_frags) {
		skb_mark_for_recycle(skb);
		kfree_skb(skb);
		return NULL;
	}
	return skb;
}

/*
 * XDP_PASS: the buffer goes up as an skb.  @offloads: the GSO and checksum
 * state of @pkt apply (false for a frame cut out of a GSO packet).
 */
static void xnf_xdp_pass(struct netfront_queue *q, struct xdp_buff *xdp,
			 const struct xnf_rx_pkt *pkt, bool offloads)
{
	struct sk_buff *skb = xnf_xdp_skb(q, xdp);

	if (unlikely(!skb)) {
		xnf_rx_count(q, &q->rx_stats.drops);
		return;
	}
	xnf_rx_count(q, &q->rx_stats.xdp_pass);
	xnf_rx_finish(q, skb, pkt, offloads);
}

/*
 * Run the program on one buffer and carry out its verdict; the buffer is
 * consumed.  Every buffer is counted under exactly one of the XDP counters.
 */
static void xnf_xdp_act(struct netfront_queue *q, struct bpf_prog *prog,
			struct xdp_buff *xdp, const struct xnf_rx_pkt *pkt,
			bool offloads, unsigned int *flush)
{
	struct net_device *dev = q->info->netdev;
	u32 act;

	act = bpf_prog_run_xdp(prog, xdp);
	switch (act) {
	case XDP_PASS:
		xnf_xdp_pass(q, xdp, pkt, offloads);
		return;
	case XDP_DROP:
		xnf_rx_count(q, &q->rx_stats.xdp_drop);
		break;
	case XDP_TX:
		if (likely(xnf_xdp_tx(q, xdp))) {
			xnf_rx_count(q, &q->rx_stats.xdp_tx);
			*flush |= XNF_XDP_TX;
			break;
		}
		trace_xdp_exception(dev, prog, act);
		xnf_rx_count(q, &q->rx_stats.xdp_aborted);
		break;
	case XDP_REDIRECT:
		if (likely(!xdp_do_redirect(dev, xdp, prog))) {
			/* The target owns the pages now. */
			xnf_rx_count(q, &q->rx_stats.xdp_redirect);
			*flush |= XNF_XDP_REDIRECT;
			return;
		}
		trace_xdp_exception(dev, prog, act);
		xnf_rx_count(q, &q->rx_stats.xdp_aborted);
		break;
	default:
		bpf_warn_invalid_xdp_action(dev, prog, act);
		fallthrough;
	case XDP_ABORTED:
		trace_xdp_exception(dev, prog, act);
		xnf_rx_count(q, &q->rx_stats.xdp_aborted);
		break;
	}
	xnf_xdp_recycle(q, xdp);
}

/*
 * A GSO packet too big for one buffer, for a program without frags
 * support: build the packet as the stack would get it (rx.c's
 * xnf_rx_prepare(), which applies the backend's GSO and checksum state
 * and checks the headers), cut it in software with no offload features (each frame
 * gets its checksums filled in), and run the program on each frame in a
 * pool page of its own.  Returns false, having consumed nothing but
 * @xdp, when the packet cannot be cut: the caller counts it.
 *
 * The caller has bounded the number of frames (xnf_rx_xdp_gso_frames()).
 * Each frame is checked to fit one buffer, whatever the headers said.
 */
static bool xnf_xdp_gso(struct netfront_queue *q, struct bpf_prog *prog,
			const struct xnf_rx_pkt *pkt, struct xdp_buff *xdp,
			unsigned int *flush)
{
	struct sk_buff *skb, *segs, *frame, *next;
	struct xdp_buff fx;
	struct page *page;

	skb = xnf_xdp_skb(q, xdp);
	if (!skb)
		return false;
	if (!xnf_rx_prepare(q, skb, pkt, true) || !skb_is_gso(skb))
		goto fail;
	/* skb_gso_segment() starts from the link-layer header. */
	__skb_push(skb, ETH_HLEN);
	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs))
		goto fail;
	consume_skb(skb);

	xnf_rx_count(q, &q->rx_stats.xdp_gso_cut);
	skb_list_walk_safe(segs, frame, next) {
		skb_mark_not_on_list(frame);
		page = frame->len <= XNF_XDP_HEAD_MAX ?
		       page_pool_dev_alloc_pages(q->pool) : NULL;
		if (!page ||
		    skb_copy_bits(frame, 0, page_address(page) +
				  XDP_PACKET_HEADROOM, frame->len)) {
			if (page)
				page_pool_put_full_page(q->pool, page, true);
			xnf_rx_count(q, &q->rx_stats.xdp_aborted);
			kfree_skb(frame);
			continue;
		}
		xdp_init_buff(&fx, PAGE_SIZE, &q->xdp_rxq);
		xdp_prepare_buff(&fx, page_address(page), XDP_PACKET_HEADROOM,
				 frame->len, false);
		consume_skb(frame);
		xnf_xdp_act(q, prog, &fx, pkt, false, flush);
	}
	return true;

fail:
	kfree_skb(skb);
	return false;
}

/**
 * xnf_xdp_rx() - run the XDP program on one received packet
 * @q: the queue, in NAPI
 * @prog: the program
 * @pkt: the packet's checked responses
 * @cons: ring index of its first slot
 * @pages: its slots' pages (NULL for a staged slot); those the buffer
 *	takes are set to NULL, the caller recycles the rest
 * @flush: XNF_XDP_* bits of what xnf_xdp_flush() has to do after the poll
 *
 * Every packet, or every frame a GSO packet was cut into, is counted under
 * exactly one of the XDP counters.
 */
void xnf_xdp_rx(struct netfront_queue *q, struct bpf_prog *prog,
		const struct xnf_rx_pkt *pkt, RING_IDX cons,
		struct page **pages, unsigned int *flush)
{
	bool cut = false;
	struct xdp_buff xdp;

	if (pkt->len > XNF_XDP_HEAD_MAX && !prog->aux->xdp_has_frags) {
		if (!xnf_rx_xdp_gso_frames(pkt, XNF_XDP_GSO_SEGS_MAX)) {
			xnf_rx_count(q, &q->rx_stats.xdp_aborted);
			net_warn_ratelimited("%s: queue %u: %u-byte packet dropped: the XDP program has no frags support, and it is no GSO packet of at most %u frames\n",
					     q->info->netdev->name, q->id,
					     pkt->len, XNF_XDP_GSO_SEGS_MAX);
			return;
		}
		cut = true;
	}
	if (!xnf_xdp_buff(q, pkt, cons, pages, &xdp)) {
		xnf_rx_count(q, &q->rx_stats.alloc_fail);
		return;
	}
	if (!cut) {
		xnf_xdp_act(q, prog, &xdp, pkt, true, flush);
		return;
	}
	if (!xnf_xdp_gso(q, prog, pkt, &xdp, flush)) {
		xnf_rx_count(q, &q->rx_stats.xdp_aborted);
		net_warn_ratelimited("%s: queue %u: %u-byte GSO packet dropped: it could not be cut into frames for the XDP program\n",
				     q->info->netdev->name, q->id, pkt->len);
	}
}

/**
 * xnf_xdp_flush() - after a poll: push XDP_TX frames, flush redirects
 * @q: the queue, in NAPI
 * @flush: the XNF_XDP_* bits its packets set
 */
void xnf_xdp_flush(struct netfront_queue *q, unsigned int flush)
{
	if (flush & XNF_XDP_TX) {
		spin_lock(&q->tx_lock);
		xnf_tx_push(q);
		spin_unlock(&q->tx_lock);
	}
	if (flush & XNF_XDP_REDIRECT)
		xdp_do_flush();
}

/**
 * xnf_xdp_xmit() - ndo_xdp_xmit: send frames redirected to this device
 * @dev: our device
 * @n: frames
 * @frames: the frames
 * @flags: XDP_XMIT_FLUSH to notify the backend now
 *
 * Runs in softirq context on any CPU; the queue is the CPU's modulo the
 * queue count.  The queue set stays while this runs: teardown waits for
 * an RCU grace period after stopping the queues (xnf_queues_stop()).
 *
 * Return: frames sent (and given back here, having been copied), or a
 * negative errno; the caller gives back the rest.
 */
int xnf_xdp_xmit(struct net_device *dev, int n, struct xdp_frame **frames,
		 u32 flags)
{
	struct netfront_info *info = netdev_priv(dev);
	struct xnf_seg seg[MAX_SKB_FRAGS + 1];
	struct netfront_queue *queues, *q;
	unsigned int nq;
	int i, sent = 0;

	if (unlikely(flags & ~XDP_XMIT_FLAGS_MASK))
		return -EINVAL;
	queues = READ_ONCE(info->queues);
	nq = READ_ONCE(info->qcfg.cur);
	if (unlikely(!queues || !nq || !READ_ONCE(info->napi_on) ||
		     READ_ONCE(info->broken) || !netif_carrier_ok(dev)))
		return -ENETDOWN;
	q = &queues[smp_processor_id() % nq];

	spin_lock(&q->tx_lock);
	for (i = 0; i < n; i++) {
		struct xdp_frame *f = frames[i];
		unsigned int nr, len;

		nr = xnf_xdp_segs(seg, f->data, f->len,
				  xdp_frame_has_frags(f) ?
				  xdp_get_shared_info_from_frame(f) : NULL, &len);
		if (!xnf_tx_xdp(q, seg, nr, len))
			break;
		xdp_return_frame(f);
		sent++;
	}
	if (sent && (flags & XDP_XMIT_FLUSH))
		xnf_tx_push(q);
	spin_unlock(&q->tx_lock);
	return sent;
}
