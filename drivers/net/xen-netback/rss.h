/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Receive-side scaling for frontends that use the control ring (the Windows
 * PV drivers): the Toeplitz hash over a flow's addresses and ports.  Pure
 * arithmetic, tested by KUnit against published reference values.
 */
#ifndef _XEN_NETBACK_RSS_H
#define _XEN_NETBACK_RSS_H

#include <linux/types.h>

/* Largest hash key accepted, in bytes (the frontend may send less). */
#define XNB_HASH_KEY_MAX	40U
/* Largest mapping table accepted, in entries. */
#define XNB_HASH_MAPPING_MAX	128U

u32 xnb_toeplitz(const u8 *key, unsigned int key_len, const u8 *data,
		 unsigned int len);

#endif /* _XEN_NETBACK_RSS_H */
