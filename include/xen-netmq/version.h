/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The version of xen-netmq: both modules carry it (MODULE_VERSION), and
 * DKMS registers the tree under it (scripts/version reads it from here for
 * dkms.conf's PACKAGE_VERSION).  This is the one place it is written.
 *
 * Scheme YEAR.MONTH.N (the N-th release of that month, from 0).  Debian's
 * in-tree xen-netback and xen-netfront carry no version, which DKMS cannot
 * order against an equally unversioned module; a four-digit first field
 * also sorts above any kernel release a module could carry, both for
 * DKMS's digit-padded comparison and for sort -V.
 */
#ifndef _XEN_NETMQ_VERSION_H
#define _XEN_NETMQ_VERSION_H

#define XEN_NETMQ_VERSION	"2026.12.0"

#endif /* _XEN_NETMQ_VERSION_H */
