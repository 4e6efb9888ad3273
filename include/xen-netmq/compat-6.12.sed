# SPDX-License-Identifier: GPL-2.0
#
# compat.h resolved for Linux 6.12: scripts/export-patches runs this sed
# script over every source file it puts into the kernel series, so that the
# series has no compat.h and reads as code written for 6.12.  One rule per
# thing compat.h provides; when compat.h gains a macro, it needs a rule
# here (export-patches stops on any XNM_ compat name left in its output).
#
# On 6.12 the function-like fallbacks of compat.h for older kernels
# (timer_delete*, skb_frag_fill_page_desc, ethtool_puts) are the kernel's
# own names: the drivers already call them, nothing to rewrite.  The
# mappings of newer kernels' names (timer_container_of,
# xenbus_read_driver_state with the device) are rewritten below.

# The header itself: what it includes on 6.12, in its place.
/^#include "xen-netmq\/compat\.h"$/c\
#include <linux/hex.h>\
#include <linux/unaligned.h>\
#include <net/gso.h>\
#include <net/netdev_queues.h>\
#include <net/page_pool/helpers.h>

# XNM_HAVE_QUEUE_STATS is 1 on 6.12 (netdev_stat_ops came in 6.10): keep
# the body of each "#if XNM_HAVE_QUEUE_STATS" block, drop its #if and
# #endif.  The blocks hold no nested #if and no #else (the build of the
# series would fail if one did).
/^#if XNM_HAVE_QUEUE_STATS$/,/^#endif/{
	/^#if XNM_HAVE_QUEUE_STATS$/d
	/^#endif/d
}

# ethtool's rxfh callbacks take struct ethtool_rxfh_param on 6.12: the
# driver's functions go into the ops as they are, no wrappers.
/^XNM_RXFH_WRAPPERS(.*);$/{
	N
	s/^XNM_RXFH_WRAPPERS(.*);\n$//
	/^$/d
}
s/^\([[:space:]]*\)XNM_RXFH_OPS(\([a-z0-9_]*\), \([a-z0-9_]*\)),$/\1.get_rxfh = \2,\
\1.set_rxfh = \3,/

# xenbus_driver.uevent takes a const device on 6.12.
s/XNM_UEVENT_CONST /const /g

# timer_container_of() is 6.16's name for from_timer(), 6.12's.
s/\<timer_container_of(/from_timer(/g

# xenbus_read_driver_state() takes the path alone on 6.12: the device, its
# first argument in the drivers, goes.
s/\<xenbus_read_driver_state([^,()]*, /xenbus_read_driver_state(/g
