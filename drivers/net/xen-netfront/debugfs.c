// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netfront: debugfs.  /sys/kernel/debug/xen-netfront/<vif-N>/queues
 * shows each queue's ring indices, event channels and grant usage; the
 * "grants" line is the device total, for leak checks across reconnects.
 */
#include <linux/debugfs.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>

#include "netfront.h"

static struct dentry *xnf_debug_root;

static void xnf_show_queue(struct seq_file *m, struct netfront_queue *q)
{
	seq_printf(m, "queue %u:%s\n", q->id, READ_ONCE(q->broken) ?
		   " BROKEN" : "");
	seq_printf(m, "  tx: req_prod_pvt %u rsp_cons %u shared req_prod %u rsp_prod %u rsp_event %u free_ids %u\n",
		   q->tx.req_prod_pvt, q->tx.rsp_cons,
		   READ_ONCE(q->tx.sring->req_prod),
		   READ_ONCE(q->tx.sring->rsp_prod),
		   READ_ONCE(q->tx.sring->rsp_event), q->tx_nr_free);
	seq_printf(m, "  rx: req_prod_pvt %u rsp_cons %u shared req_prod %u rsp_prod %u rsp_event %u posted %u\n",
		   q->rx.req_prod_pvt, q->rx.rsp_cons,
		   READ_ONCE(q->rx.sring->req_prod),
		   READ_ONCE(q->rx.sring->rsp_prod),
		   READ_ONCE(q->rx.sring->rsp_event), xnf_rx_posted(q));
	seq_printf(m, "  evtchn tx %u rx %u irq tx %d rx %d events %lld spurious %lld\n",
		   q->tx_evtchn, q->rx_evtchn, q->tx_irq, q->rx_irq,
		   (long long)atomic64_read(&q->events),
		   (long long)atomic64_read(&q->spurious));
	seq_printf(m, "  grants: ring 2 tx_pages %u rx %u (staging %s)\n",
		   xnf_tx_grants_in_use(q), xnf_rx_grants_in_use(q),
		   READ_ONCE(q->rx_stage_on) ? "on" : "off");
}

static int xnf_queues_show(struct seq_file *m, void *v)
{
	struct netfront_info *info = m->private;
	unsigned int i, grants = 0;

	rtnl_lock();
	seq_printf(m, "queues %u max %u limit %u wanted %u state %s\n",
		   info->qcfg.cur, info->qcfg.max, info->qcfg.limit,
		   info->qcfg.wanted, xenbus_strstate(info->xbdev->state));
	for (i = 0; info->queues && i < info->qcfg.cur; i++) {
		struct netfront_queue *q = &info->queues[i];

		xnf_show_queue(m, q);
		grants += 2 + xnf_tx_grants_in_use(q) + xnf_rx_grants_in_use(q);
	}
	/* The control ring, its buffer and its list page. */
	seq_printf(m, "grants %u\n", grants + info->ctrl.ready * 3);
	seq_printf(m, "ctrl: ring %s%s, rss %s, multicast filter %s (%u groups)\n",
		   info->ctrl.ready ? "up" : "none",
		   info->ctrl.lost ? " (lost)" : "",
		   READ_ONCE(info->ctrl.rss_on) ? "on" : "off",
		   info->ctrl.mc_filter ? "on" : "off", info->ctrl.nr_mc);
	seq_printf(m, "xdp: program %s, headroom asked %u (backend offers %s)\n",
		   rtnl_dereference(info->xdp_prog) ? "attached" : "none",
		   info->xdp_headroom, info->be.xdp_headroom ? "it" : "none");
	rtnl_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xnf_queues);

/**
 * xnf_debugfs_add() - create the device's debugfs directory
 * @info: the device
 */
void xnf_debugfs_add(struct netfront_info *info)
{
	info->debug_dir = debugfs_create_dir(dev_name(&info->xbdev->dev),
					     xnf_debug_root);
	debugfs_create_file("queues", 0400, info->debug_dir, info,
			    &xnf_queues_fops);
}

/**
 * xnf_debugfs_remove() - remove the device's debugfs directory
 * @info: the device
 */
void xnf_debugfs_remove(struct netfront_info *info)
{
	debugfs_remove_recursive(info->debug_dir);
	info->debug_dir = NULL;
}

/**
 * xnf_debugfs_init() - create the driver's debugfs root
 */
void xnf_debugfs_init(void)
{
	xnf_debug_root = debugfs_create_dir(XNF_DRV_NAME, NULL);
}

/**
 * xnf_debugfs_exit() - remove the driver's debugfs root
 */
void xnf_debugfs_exit(void)
{
	debugfs_remove_recursive(xnf_debug_root);
	xnf_debug_root = NULL;
}
