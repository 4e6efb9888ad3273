// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netback: staging grants.  A frontend may ask, over the control ring,
 * that grants it uses for every packet stay mapped in dom0 for the life
 * of the connection (ADD_GREF_MAPPING, one list per queue).  A request
 * that names such a grant is then served with memcpy to or from the
 * mapping, where it would otherwise take a grant copy: no hypercall on the
 * data path for those slots.
 *
 * Each queue keeps its mappings in an xarray indexed by grant reference,
 * bounded by XNM_STAGING_PER_QUEUE.  The control work (process context)
 * is the only writer; the tx NAPI poll and the rx kthread look grants up
 * under RCU.  Removal is "erase, wait for readers, unmap", so no copy ever
 * touches a page being unmapped.  Everything is unmapped at disconnect,
 * before the rings go: a frontend that dies while mapped leaves no grant
 * behind to keep its domain alive.
 *
 * The mapped pages stay shared: a tx page stays writable by the frontend,
 * an rx page readable by it.  Nothing is parsed in place: tx data is
 * copied into the skb exactly as a grant copy would put it there, and
 * every offset and length has been checked against the page (validate.c)
 * before either kind of copy is planned.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <xen/grant_table.h>

#include "common.h"

/* Whether this host can map a grant as exactly one page of its own. */
static bool xnb_staging_possible(void)
{
	return PAGE_SIZE == XEN_PAGE_SIZE;
}

static unsigned long xnb_staged_kaddr(struct page *page)
{
	return (unsigned long)pfn_to_kaddr(page_to_pfn(page));
}

/* Grants unmapped per hypercall batch, on the stack. */
#define XNB_UNMAP_BATCH	16

/* Unmap and free @n entries no reader can see any more. */
static void xnb_staging_unmap(struct xnb_staged **s, unsigned int n)
{
	struct gnttab_unmap_grant_ref ops[XNB_UNMAP_BATCH];
	struct page *pages[XNB_UNMAP_BATCH];
	unsigned int i, k;
	int err;

	for (i = 0; i < n; i += k) {
		for (k = 0; k < XNB_UNMAP_BATCH && i + k < n; k++) {
			gnttab_set_unmap_op(&ops[k],
					    xnb_staged_kaddr(s[i + k]->page),
					    GNTMAP_host_map |
					    (s[i + k]->readonly ?
					     GNTMAP_readonly : 0),
					    s[i + k]->handle);
			pages[k] = s[i + k]->page;
		}
		err = gnttab_unmap_refs_sync(&(struct gntab_unmap_queue_data) {
			.unmap_ops = ops,
			.pages = pages,
			.count = k,
		});
		/* A page still mapped is leaked, never handed out again. */
		if (err)
			pr_warn_ratelimited("xen-netback: unmapping %u staged grants: %d; pages kept\n",
					    k, err);
		else
			gnttab_free_pages(k, pages);
	}
	for (i = 0; i < n; i++)
		kfree(s[i]);
}

/* Free entries whose grants are not mapped, and their pages. */
static void xnb_staging_free(struct xnb_staged **s, struct page **pages,
			     unsigned int n)
{
	unsigned int i, np = 0;

	for (i = 0; i < n; i++) {
		if (s[i] && s[i]->page)
			pages[np++] = s[i]->page;
		kfree(s[i]);
	}
	if (np)
		gnttab_free_pages(np, pages);
}

/*
 * Map every grant of @list for @q, or none: on any failure what was
 * mapped is unmapped again.  Returns a XEN_NETIF_CTRL_STATUS_*.
 */
static u32 xnb_staging_add(struct xnb_queue *q,
			   const struct xen_netif_gref *list, u32 count)
{
	struct gnttab_map_grant_ref *ops = NULL;
	struct xnb_staged **s;
	struct page **pages = NULL;
	u32 i, nr_ok = 0;
	bool ro;
	int err;

	s = kvcalloc(count, sizeof(*s), GFP_KERNEL);
	if (!s)
		return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
	ops = kvcalloc(count, sizeof(*ops), GFP_KERNEL);
	pages = kvcalloc(count, sizeof(*pages), GFP_KERNEL);
	if (!ops || !pages)
		goto fail;
	for (i = 0; i < count; i++) {
		/* Already mapped: the page would be mapped twice. */
		if (xa_load(&q->staged, list[i].ref))
			goto fail;
		s[i] = kzalloc(sizeof(*s[i]), GFP_KERNEL);
		if (!s[i])
			goto fail;
	}
	if (gnttab_alloc_pages(count, pages))
		goto fail;
	for (i = 0; i < count; i++) {
		ro = list[i].flags & XEN_NETIF_CTRLF_GREF_readonly;
		gnttab_set_map_op(&ops[i], xnb_staged_kaddr(pages[i]),
				  GNTMAP_host_map | (ro ? GNTMAP_readonly : 0),
				  list[i].ref, q->vif->domid);
		/* Unless Xen says otherwise, nothing was mapped. */
		ops[i].status = GNTST_general_error;
		s[i]->page = pages[i];
		s[i]->readonly = ro;
	}
	err = gnttab_map_refs(ops, NULL, pages, count);
	/* The mapped ones to the front, for the unmap on failure. */
	for (i = 0; i < count; i++) {
		if (ops[i].status == GNTST_okay) {
			s[i]->handle = ops[i].handle;
			swap(s[nr_ok], s[i]);
			nr_ok++;
		}
	}
	if (err || nr_ok < count)
		goto unmap;
	/* Reserved first: a reader sees nothing until every entry is in. */
	for (i = 0; i < count; i++) {
		if (xa_insert(&q->staged, list[i].ref, NULL, GFP_KERNEL)) {
			while (i--)
				xa_erase(&q->staged, list[i].ref);
			goto unmap;
		}
	}
	for (i = 0; i < count; i++)
		xa_store(&q->staged, list[i].ref, s[i], GFP_KERNEL);
	WRITE_ONCE(q->nr_staged, q->nr_staged + count);
	kvfree(pages);
	kvfree(ops);
	kvfree(s);
	return XEN_NETIF_CTRL_STATUS_SUCCESS;

unmap:
	if (net_ratelimit())
		netdev_warn(q->vif->dev,
			    "queue %u: %u of %u staging grants would not map; none kept\n",
			    q->id, count - nr_ok, count);
	/* Never published: unmapped without waiting for readers. */
	xnb_staging_unmap(s, nr_ok);
	xnb_staging_free(s + nr_ok, pages, count - nr_ok);
	goto out;
fail:
	if (pages)
		xnb_staging_free(s, pages, count);
	else
		for (i = 0; i < count; i++)
			kfree(s[i]);
out:
	kvfree(pages);
	kvfree(ops);
	kvfree(s);
	return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
}

/*
 * Unmap those grants of @list that @q has mapped, setting each entry's
 * status.  Returns how many were unmapped.
 */
static u32 xnb_staging_del(struct xnb_queue *q, struct xen_netif_gref *list,
			   u32 count)
{
	struct xnb_staged **s;
	u32 i, n = 0;

	s = kvcalloc(count, sizeof(*s), GFP_KERNEL | __GFP_NOFAIL);
	for (i = 0; i < count; i++) {
		s[n] = xa_erase(&q->staged, list[i].ref);
		list[i].status = s[n] ? XEN_NETIF_CTRL_STATUS_SUCCESS :
			XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
		if (s[n])
			n++;
	}
	WRITE_ONCE(q->nr_staged, q->nr_staged - n);
	/* A copy that looked one up before the erase has finished. */
	synchronize_rcu();
	xnb_staging_unmap(s, n);
	kvfree(s);
	return n;
}

/**
 * xnb_staging_clear() - unmap every staging grant of a queue
 * @q: the queue, its NAPI poll and kthread stopped, its control work too
 */
void xnb_staging_clear(struct xnb_queue *q)
{
	struct xnb_staged **s;
	struct xnb_staged *e;
	unsigned long ref;
	unsigned int n = 0;

	if (!q->nr_staged)
		return;
	s = kvcalloc(q->nr_staged, sizeof(*s), GFP_KERNEL | __GFP_NOFAIL);
	xa_for_each(&q->staged, ref, e) {
		if (n < q->nr_staged)
			s[n++] = e;
		xa_erase(&q->staged, ref);
	}
	q->nr_staged = 0;
	synchronize_rcu();
	xnb_staging_unmap(s, n);
	kvfree(s);
}

/**
 * xnb_ctrl_gref() - serve GET_GREF_MAPPING_SIZE, ADD_ and DEL_GREF_MAPPING
 * @vif: the interface
 * @req: the request, copied out of the ring
 * @data: set to the response's data
 *
 * Control work, process context.  The list is copied in once and checked
 * there (validate.c); a DEL writes the entries' statuses back.
 *
 * Return: a XEN_NETIF_CTRL_STATUS_*.
 */
u32 xnb_ctrl_gref(struct xnb_vif *vif, const struct xen_netif_ctrl_request *req,
		  u32 *data)
{
	u32 queue = req->data[0], count = req->data[2], st;
	bool add = req->type == XEN_NETIF_CTRL_TYPE_ADD_GREF_MAPPING;
	struct xen_netif_gref *list = vif->ctrl.buf;
	struct xnb_queue *q;

	if (!xnb_staging_possible())
		return XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED;
	if (req->type == XEN_NETIF_CTRL_TYPE_GET_GREF_MAPPING_SIZE) {
		if (queue >= vif->ctrl.nr_queues)
			return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
		*data = XNM_STAGING_PER_QUEUE;
		return XEN_NETIF_CTRL_STATUS_SUCCESS;
	}
	st = xnb_ctrl_check_gref_req(queue, vif->ctrl.nr_queues, count,
				     queue < vif->ctrl.nr_queues ?
				     vif->queues[queue].nr_staged : 0, add);
	if (st)
		return st;
	q = &vif->queues[queue];
	if (xnb_ctrl_copy_in(vif, req->data[1], count * sizeof(*list)))
		return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
	if (add) {
		st = xnb_ctrl_check_gref_list(list, count, vif->ctrl.scratch);
		return st ? st : xnb_staging_add(q, list, count);
	}
	*data = xnb_staging_del(q, list, count);
	if (xnb_ctrl_copy_out(vif, req->data[1], count * sizeof(*list)))
		return XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER;
	return XEN_NETIF_CTRL_STATUS_SUCCESS;
}
