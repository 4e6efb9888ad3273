// SPDX-License-Identifier: GPL-2.0
/*
 * xen-netback: debugfs, one directory per interface and one file per
 * connected queue with its ring indices:
 * /sys/kernel/debug/xen-netback/<vif>/queue-<n>, and the interface's
 * control state (RSS as the frontend set it, the multicast filter, the
 * rx headroom it asked for): /sys/kernel/debug/xen-netback/<vif>/ctrl.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "common.h"

static struct dentry *xnb_debugfs_root;

static void xnb_show_ring(struct seq_file *m, const char *name,
			  RING_IDX req_prod, RING_IDX req_cons,
			  RING_IDX rsp_prod_pvt, RING_IDX rsp_prod,
			  RING_IDX req_event, RING_IDX rsp_event)
{
	seq_printf(m, "%s: req_prod %u req_cons %u (%d pending) rsp_prod_pvt %u rsp_prod %u req_event %u rsp_event %u\n",
		   name, req_prod, req_cons, (int)(req_prod - req_cons),
		   rsp_prod_pvt, rsp_prod, req_event, rsp_event);
}

/* The staging grants mapped for the queue, each reference, then a count. */
static void xnb_staging_show(struct seq_file *m, struct xnb_queue *q)
{
	unsigned int n = 0, ro = 0;
	struct xnb_staged *e;
	unsigned long ref;

	seq_puts(m, "staging grants:");
	/* Entries are freed only after a grace period (staging.c). */
	rcu_read_lock();
	xa_for_each(&q->staged, ref, e) {
		n++;
		ro += e->readonly;
		seq_printf(m, " %lu%s", ref, e->readonly ? "r" : "w");
	}
	rcu_read_unlock();
	seq_printf(m, "\nstaging: %u grants mapped, %u read-only\n", n, ro);
}

static int xnb_queue_show(struct seq_file *m, void *unused)
{
	struct xnb_queue *q = m->private;
	struct rtnl_link_stats64 s = {};

	/* Values read from the shared page are the frontend's, shown as is. */
	xnb_show_ring(m, "tx", READ_ONCE(q->tx.sring->req_prod),
		      q->tx.req_cons, q->tx.rsp_prod_pvt,
		      READ_ONCE(q->tx.sring->rsp_prod),
		      READ_ONCE(q->tx.sring->req_event),
		      READ_ONCE(q->tx.sring->rsp_event));
	xnb_show_ring(m, "rx", READ_ONCE(q->rx.sring->req_prod),
		      q->rx.req_cons, q->rx.rsp_prod_pvt,
		      READ_ONCE(q->rx.sring->rsp_prod),
		      READ_ONCE(q->rx.sring->req_event),
		      READ_ONCE(q->rx.sring->rsp_event));
	xnb_queue_totals(q, &s);
	seq_printf(m, "from guest: %llu packets %llu bytes %llu dropped\n",
		   s.rx_packets, s.rx_bytes, s.rx_dropped);
	seq_printf(m, "to guest: %llu packets %llu bytes %llu dropped\n",
		   s.tx_packets, s.tx_bytes, s.tx_dropped);
	seq_printf(m, "backlog: %u bytes, %u packets, need %u slots%s\n",
		   READ_ONCE(q->backlog_bytes),
		   skb_queue_len_lockless(&q->backlog), READ_ONCE(q->rx_need),
		   READ_ONCE(q->stalled) ? ", stalled" : "");
	seq_printf(m, "event channels: %s, eoi pending %#x\n",
		   q->split_evtchn ? "split" : "shared",
		   atomic_read(&q->eoi_pending));
	xnb_staging_show(m, q);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xnb_queue);

/*
 * The frontend's RSS settings and how its table spreads over the queues,
 * its multicast filter, and the rx headroom of its "xdp-headroom".
 */
static int xnb_ctrl_show(struct seq_file *m, void *unused)
{
	struct xnb_vif *vif = m->private;
	u32 size = min(READ_ONCE(vif->hash.size), XNB_HASH_MAPPING_MAX);
	unsigned int n = READ_ONCE(vif->num_queues), i, q, count;

	seq_printf(m, "control ring: %s\n",
		   READ_ONCE(vif->ctrl.up) ? "up" : "none");
	seq_printf(m, "hash: %s, types %#x, table of %u\n",
		   READ_ONCE(vif->hash.alg) ==
		   XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ ? "toeplitz" : "none",
		   READ_ONCE(vif->hash.flags), size);
	seq_printf(m, "key: %*phN\n", XNB_HASH_KEY_MAX, vif->hash.key);
	seq_puts(m, "table:");
	for (q = 0; size && q < n; q++) {
		for (count = 0, i = 0; i < size; i++)
			count += READ_ONCE(vif->hash.mapping[i]) == q;
		seq_printf(m, " q%u %u", q, count);
	}
	seq_puts(m, size ? "\n" : " none\n");
	seq_printf(m, "multicast filter: %u groups\n",
		   xnb_mcast_count(&vif->mcast));
	seq_printf(m, "xdp headroom: %u bytes\n", READ_ONCE(vif->xdp_headroom));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xnb_ctrl);

/**
 * xnb_debugfs_add_queue() - publish a connected queue
 * @q: the queue
 */
void xnb_debugfs_add_queue(struct xnb_queue *q)
{
	char name[16];

	if (!q->vif->debugfs) {
		q->vif->debugfs = debugfs_create_dir(q->vif->dev->name,
						     xnb_debugfs_root);
		debugfs_create_file("ctrl", 0400, q->vif->debugfs, q->vif,
				    &xnb_ctrl_fops);
	}
	snprintf(name, sizeof(name), "queue-%u", q->id);
	q->debugfs = debugfs_create_file(name, 0400, q->vif->debugfs, q,
					 &xnb_queue_fops);
}

/**
 * xnb_debugfs_del_queue() - withdraw a queue before its rings go away
 * @q: the queue
 *
 * Waits for readers of the file to finish.
 */
void xnb_debugfs_del_queue(struct xnb_queue *q)
{
	debugfs_remove(q->debugfs);
	q->debugfs = NULL;
}

/**
 * xnb_debugfs_del_vif() - remove an interface's directory
 * @vif: the interface, its queues withdrawn
 */
void xnb_debugfs_del_vif(struct xnb_vif *vif)
{
	debugfs_remove(vif->debugfs);
	vif->debugfs = NULL;
}

/**
 * xnb_debugfs_init() - create the driver's debugfs directory
 */
void xnb_debugfs_init(void)
{
	xnb_debugfs_root = debugfs_create_dir(XNB_NAME, NULL);
}

/**
 * xnb_debugfs_exit() - remove the driver's debugfs directory
 */
void xnb_debugfs_exit(void)
{
	debugfs_remove(xnb_debugfs_root);
}
