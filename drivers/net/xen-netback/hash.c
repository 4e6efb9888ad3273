// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netback: the control ring (one per interface) and receive-side
 * scaling for frontends that use it, as the Windows PV drivers do for NDIS
 * RSS: they set a Toeplitz key, the hash types and a table mapping hashes
 * to queues; the backend then delivers each flow on the queue the table
 * names and tells the frontend the hash in an extra-info slot.
 *
 * Requests are copied out of the ring and checked by the functions of
 * validate.c; keys and tables arrive through grant copies into a private
 * buffer and are checked there before use.
 */
#include <linux/interrupt.h>
#include <linux/slab.h>
#include <net/flow_dissector.h>
#include <xen/events.h>

#include "common.h"

#define XNB_CTRL_RING_SIZE	__CONST_RING_SIZE(xen_netif_ctrl, XEN_PAGE_SIZE)
/*
 * Room for a key, a mapping table or a grant list: one page, which kmalloc
 * aligns to a page, so that one grant copy fills it.
 */
#define XNB_CTRL_BUF_SIZE	XEN_PAGE_SIZE
static_assert(XNB_HASH_MAPPING_MAX * sizeof(u32) <= XNB_CTRL_BUF_SIZE);
static_assert(XNM_GREF_LIST_MAX * sizeof(struct xen_netif_gref) <=
	      XNB_CTRL_BUF_SIZE);

static void xnb_hash_reset(struct xnb_hash *h)
{
	WRITE_ONCE(h->alg, XEN_NETIF_CTRL_HASH_ALGORITHM_NONE);
	WRITE_ONCE(h->flags, 0);
	WRITE_ONCE(h->size, 0);
	memset(h->key, 0, sizeof(h->key));
	memset(h->mapping, 0, sizeof(h->mapping));
}

/* Copy @len bytes between ctrl.buf and the start of grant @gref. */
static int xnb_ctrl_copy(struct xnb_vif *vif, grant_ref_t gref,
			 unsigned int len, bool out)
{
	struct gnttab_copy op = { .len = len };
	struct gnttab_copy_ptr *buf = out ? &op.source : &op.dest;
	struct gnttab_copy_ptr *fe = out ? &op.dest : &op.source;

	if (!len)
		return 0;
	buf->u.gmfn = virt_to_gfn(vif->ctrl.buf);
	buf->domid = DOMID_SELF;
	buf->offset = xen_offset_in_page(vif->ctrl.buf);
	fe->u.ref = gref;
	fe->domid = vif->domid;
	op.flags = out ? GNTCOPY_dest_gref : GNTCOPY_source_gref;
	gnttab_batch_copy(&op, 1);
	return op.status == GNTST_okay ? 0 : -EIO;
}

/**
 * xnb_ctrl_copy_in() - copy the start of a frontend grant into ctrl.buf
 * @vif: the interface
 * @gref: the frontend's grant
 * @len: bytes, at most XNB_CTRL_BUF_SIZE
 *
 * Return: 0, or -EIO when the grant copy failed.
 */
int xnb_ctrl_copy_in(struct xnb_vif *vif, grant_ref_t gref, unsigned int len)
{
	return xnb_ctrl_copy(vif, gref, len, false);
}

/**
 * xnb_ctrl_copy_out() - copy the start of ctrl.buf into a frontend grant
 * @vif: the interface
 * @gref: the frontend's grant, writable
 * @len: bytes, at most XNB_CTRL_BUF_SIZE
 *
 * Return: 0, or -EIO when the grant copy failed.
 */
int xnb_ctrl_copy_out(struct xnb_vif *vif, grant_ref_t gref, unsigned int len)
{
	return xnb_ctrl_copy(vif, gref, len, true);
}

static u32 xnb_ctrl_set_key(struct xnb_vif *vif,
			    const struct xen_netif_ctrl_request *req)
{
	u32 len = req->data[1];
	u32 st = xnb_ctrl_check_key(len);

	if (st)
		return st;
	if (xnb_ctrl_copy_in(vif, req->data[0], len))
		return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
	memset(vif->hash.key, 0, sizeof(vif->hash.key));
	memcpy(vif->hash.key, vif->ctrl.buf, len);
	return XEN_NETIF_CTRL_STATUS_SUCCESS;
}

static u32 xnb_ctrl_set_mapping(struct xnb_vif *vif,
				const struct xen_netif_ctrl_request *req)
{
	u32 len = req->data[1], off = req->data[2];
	u32 st = xnb_ctrl_check_mapping(vif->hash.size, off, len);
	const u32 *entries = vif->ctrl.buf;
	u32 i;

	if (st)
		return st;
	if (xnb_ctrl_copy_in(vif, req->data[0], len * sizeof(u32)))
		return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
	st = xnb_ctrl_check_entries(entries, len, vif->ctrl.nr_queues);
	if (st)
		return st;
	for (i = 0; i < len; i++)
		WRITE_ONCE(vif->hash.mapping[off + i], entries[i]);
	return XEN_NETIF_CTRL_STATUS_SUCCESS;
}

static u32 xnb_ctrl_simple(struct xnb_vif *vif,
			   const struct xen_netif_ctrl_request *req, u32 *data)
{
	u32 arg = req->data[0], st;

	switch (req->type) {
	case XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM:
		if (arg != XEN_NETIF_CTRL_HASH_ALGORITHM_NONE &&
		    arg != XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ)
			return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
		WRITE_ONCE(vif->hash.alg, arg);
		return XEN_NETIF_CTRL_STATUS_SUCCESS;
	case XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS:
		*data = XNB_HASH_TYPES;
		return XEN_NETIF_CTRL_STATUS_SUCCESS;
	case XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS:
		st = xnb_ctrl_check_flags(arg);
		if (!st)
			WRITE_ONCE(vif->hash.flags, arg);
		return st;
	case XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE:
		*data = XNB_HASH_MAPPING_MAX;
		return XEN_NETIF_CTRL_STATUS_SUCCESS;
	case XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE:
		st = xnb_ctrl_check_mapping_size(arg);
		if (st)
			return st;
		WRITE_ONCE(vif->hash.size, 0);
		memset(vif->hash.mapping, 0, sizeof(vif->hash.mapping));
		WRITE_ONCE(vif->hash.size, arg);
		return XEN_NETIF_CTRL_STATUS_SUCCESS;
	}
	return XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED;
}

static void xnb_ctrl_handle(struct xnb_vif *vif,
			    const struct xen_netif_ctrl_request *req)
{
	struct xen_netif_ctrl_response *rsp;
	u32 data = 0, st;

	if (req->type == XEN_NETIF_CTRL_TYPE_SET_HASH_KEY)
		st = xnb_ctrl_set_key(vif, req);
	else if (req->type == XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING)
		st = xnb_ctrl_set_mapping(vif, req);
	else if (req->type >= XEN_NETIF_CTRL_TYPE_GET_GREF_MAPPING_SIZE &&
		 req->type <= XEN_NETIF_CTRL_TYPE_DEL_GREF_MAPPING)
		st = xnb_ctrl_gref(vif, req, &data);
	else
		st = xnb_ctrl_simple(vif, req, &data);
	rsp = RING_GET_RESPONSE(&vif->ctrl.ring, vif->ctrl.ring.rsp_prod_pvt);
	rsp->id = req->id;
	rsp->type = req->type;
	rsp->status = st;
	rsp->data = st ? 0 : data;
	vif->ctrl.ring.rsp_prod_pvt++;
}

/* Serve every request; returns false if the frontend broke the ring. */
static bool xnb_ctrl_serve(struct xnb_vif *vif, bool *work)
{
	struct xen_netif_ctrl_back_ring *ring = &vif->ctrl.ring;
	struct xen_netif_ctrl_request req;
	RING_IDX prod;
	int more, notify;

	do {
		prod = READ_ONCE(ring->sring->req_prod);
		virt_rmb(); /* read requests only after the producer index */
		if (xnb_check_ring_prod(prod, ring->req_cons,
					XNB_CTRL_RING_SIZE))
			return false;
		while (ring->req_cons != prod) {
			RING_COPY_REQUEST(ring, ring->req_cons, &req);
			ring->req_cons++;
			xnb_ctrl_handle(vif, &req);
			*work = true;
		}
		RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(ring, notify);
		if (notify)
			notify_remote_via_irq(vif->ctrl.irq);
		cond_resched();
		RING_FINAL_CHECK_FOR_REQUESTS(ring, more);
	} while (more);
	return true;
}

/* Process context: serve the ring, then the late EOI (XSA-332). */
static void xnb_ctrl_work(struct work_struct *w)
{
	struct xnb_vif *vif = container_of(w, struct xnb_vif, ctrl.work);
	bool work = false;

	if (!xnb_ctrl_serve(vif, &work))
		xnb_vif_fatal(vif, "control ring producer index out of range");
	xen_irq_lateeoi(READ_ONCE(vif->ctrl.irq),
			work ? 0 : XEN_EOI_FLAG_SPURIOUS);
}

static irqreturn_t xnb_ctrl_interrupt(int irq, void *dev_id)
{
	struct xnb_vif *vif = dev_id;

	if (READ_ONCE(vif->ctrl.up)) {
		/* The work may run before connect has stored the irq. */
		WRITE_ONCE(vif->ctrl.irq, irq);
		schedule_work(&vif->ctrl.work);
	}
	return IRQ_HANDLED;
}

/**
 * xnb_ctrl_init() - prepare an interface's control ring state
 * @vif: the interface
 */
void xnb_ctrl_init(struct xnb_vif *vif)
{
	INIT_WORK(&vif->ctrl.work, xnb_ctrl_work);
	xnb_hash_reset(&vif->hash);
}

/**
 * xnb_ctrl_connect() - map the control ring and start serving it
 * @vif: the interface
 * @ref: grant of the shared ring
 * @port: the frontend's event channel for it
 * @nr_queues: queues the frontend asked for
 *
 * Return: 0 or a negative errno.
 */
int xnb_ctrl_connect(struct xnb_vif *vif, grant_ref_t ref,
		     evtchn_port_t port, unsigned int nr_queues)
{
	void *addr;
	int err, irq;

	vif->ctrl.buf = kmalloc(XNB_CTRL_BUF_SIZE, GFP_KERNEL);
	vif->ctrl.scratch = kmalloc_array(XNM_GREF_LIST_MAX,
					  sizeof(*vif->ctrl.scratch),
					  GFP_KERNEL);
	if (!vif->ctrl.buf || !vif->ctrl.scratch) {
		err = -ENOMEM;
		goto free_buf;
	}
	err = xenbus_map_ring_valloc(vif->xbdev, &ref, 1, &addr);
	if (err)
		goto free_buf;
	BACK_RING_INIT(&vif->ctrl.ring, (struct xen_netif_ctrl_sring *)addr,
		       XEN_PAGE_SIZE);
	xnb_hash_reset(&vif->hash);
	vif->ctrl.nr_queues = nr_queues;
	WRITE_ONCE(vif->ctrl.up, true);
	irq = bind_interdomain_evtchn_to_irqhandler_lateeoi(vif->xbdev, port,
							    xnb_ctrl_interrupt,
							    0, "xen-netback-ctrl",
							    vif);
	if (irq < 0) {
		err = irq;
		goto unmap;
	}
	vif->ctrl.irq = irq;
	return 0;

unmap:
	WRITE_ONCE(vif->ctrl.up, false);
	cancel_work_sync(&vif->ctrl.work);
	xenbus_unmap_ring_vfree(vif->xbdev, addr);
free_buf:
	kfree(vif->ctrl.scratch);
	vif->ctrl.scratch = NULL;
	kfree(vif->ctrl.buf);
	vif->ctrl.buf = NULL;
	return err;
}

/**
 * xnb_ctrl_disconnect() - stop serving the control ring, forget the hash
 * @vif: the interface; nothing happens if the ring is not connected
 */
void xnb_ctrl_disconnect(struct xnb_vif *vif)
{
	if (!vif->ctrl.up)
		return;
	/* No new work once the handler has seen this; then the last one. */
	WRITE_ONCE(vif->ctrl.up, false);
	synchronize_irq(vif->ctrl.irq);
	cancel_work_sync(&vif->ctrl.work);
	unbind_from_irqhandler(vif->ctrl.irq, vif);
	xenbus_unmap_ring_vfree(vif->xbdev, vif->ctrl.ring.sring);
	kfree(vif->ctrl.scratch);
	vif->ctrl.scratch = NULL;
	kfree(vif->ctrl.buf);
	vif->ctrl.buf = NULL;
	xnb_hash_reset(&vif->hash);
}

/**
 * xnb_hash_skb() - the frontend's hash of a packet to it
 * @vif: the interface
 * @skb: the packet
 * @hash: set to the Toeplitz hash
 * @type: set to the _XEN_NETIF_CTRL_HASH_TYPE_* bit number used
 *
 * The widest type the frontend enabled is used: addresses and TCP ports,
 * else addresses only.
 *
 * Return: true if the frontend asked for a hash that applies to @skb.
 */
bool xnb_hash_skb(struct xnb_vif *vif, struct sk_buff *skb, u32 *hash,
		  u8 *type)
{
	u32 flags = READ_ONCE(vif->hash.flags);
	struct flow_keys keys;
	u8 buf[36];
	unsigned int alen, len;
	bool v4, tcp;

	if (READ_ONCE(vif->hash.alg) != XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ ||
	    !flags || !skb_flow_dissect_flow_keys(skb, &keys, 0))
		return false;
	v4 = keys.basic.n_proto == htons(ETH_P_IP);
	if (!v4 && keys.basic.n_proto != htons(ETH_P_IPV6))
		return false;
	tcp = keys.basic.ip_proto == IPPROTO_TCP &&
	      !(keys.control.flags & FLOW_DIS_IS_FRAGMENT) &&
	      (flags & (v4 ? XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP :
			XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP));
	if (!tcp && !(flags & (v4 ? XEN_NETIF_CTRL_HASH_TYPE_IPV4 :
			       XEN_NETIF_CTRL_HASH_TYPE_IPV6)))
		return false;
	alen = v4 ? 4 : 16;
	memcpy(buf, v4 ? (void *)&keys.addrs.v4addrs.src :
	       (void *)&keys.addrs.v6addrs.src, alen);
	memcpy(buf + alen, v4 ? (void *)&keys.addrs.v4addrs.dst :
	       (void *)&keys.addrs.v6addrs.dst, alen);
	len = 2 * alen;
	if (tcp) {
		memcpy(buf + len, &keys.ports.src, 2);
		memcpy(buf + len + 2, &keys.ports.dst, 2);
		len += 4;
	}
	*hash = xnb_toeplitz(vif->hash.key, XNB_HASH_KEY_MAX, buf, len);
	if (v4)
		*type = tcp ? _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP :
			      _XEN_NETIF_CTRL_HASH_TYPE_IPV4;
	else
		*type = tcp ? _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP :
			      _XEN_NETIF_CTRL_HASH_TYPE_IPV6;
	return true;
}

/**
 * xnb_hash_queue() - the queue the frontend's table names for a hash
 * @vif: the interface
 * @hash: the packet's hash
 * @n: queues in use
 *
 * Return: a queue index below @n.
 */
u16 xnb_hash_queue(struct xnb_vif *vif, u32 hash, unsigned int n)
{
	u32 size = min(READ_ONCE(vif->hash.size), XNB_HASH_MAPPING_MAX);
	u32 q;

	if (!size)
		return hash % n;
	q = READ_ONCE(vif->hash.mapping[hash % size]);
	return q < n ? q : 0;
}
