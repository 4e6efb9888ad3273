/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Staging grants, shared by xen-netback and xen-netfront: the protocol's
 * control messages for grants the backend keeps mapped for the life of a
 * connection (Xen's public io/netif.h since Xen 4.10, designed in Xen's
 * docs/misc/netif-staging-grants.pandoc), which Linux's copy of netif.h
 * does not carry yet.
 *
 * The frontend sends a list of grant references, one page of struct
 * xen_netif_gref entries, per queue: ADD_GREF_MAPPING maps them all or
 * none, DEL_GREF_MAPPING unmaps those it names and sets each entry's
 * status.  A request that names a mapped grant is then served with a copy
 * between mapped pages instead of a grant copy: no hypercall per packet.
 */
#ifndef _XEN_NETMQ_STAGING_H
#define _XEN_NETMQ_STAGING_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/types.h>
#include <xen/interface/grant_table.h>
#include <xen/interface/io/netif.h>

#ifndef XEN_NETIF_CTRL_TYPE_GET_GREF_MAPPING_SIZE
#define XEN_NETIF_CTRL_TYPE_GET_GREF_MAPPING_SIZE	8
#define XEN_NETIF_CTRL_TYPE_ADD_GREF_MAPPING		9
#define XEN_NETIF_CTRL_TYPE_DEL_GREF_MAPPING		10

/**
 * struct xen_netif_gref - one entry of an ADD or DEL list
 * @ref: the grant reference (in)
 * @flags: XEN_NETIF_CTRLF_GREF_* (in)
 * @status: XEN_NETIF_CTRL_STATUS_* of this entry, DEL only (out)
 */
struct xen_netif_gref {
	grant_ref_t ref;
	u16 flags;
	u16 status;
};

/* Map the grant read-only: a source of transmits, never written. */
#define XEN_NETIF_CTRLF_GREF_readonly	BIT(0)
#endif

static_assert(sizeof(struct xen_netif_gref) == 8);

/* Entries in one list: it is one page, starting at its beginning. */
#define XNM_GREF_LIST_MAX	(4096U / sizeof(struct xen_netif_gref))

/*
 * Grants a backend keeps mapped per queue: one page for each tx request id
 * and one for each rx slot, both rings being one page.
 */
#define XNM_STAGING_PER_QUEUE	512U

#endif /* _XEN_NETMQ_STAGING_H */
