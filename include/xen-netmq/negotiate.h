/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Queue-count negotiation and XenStore key layout, shared by xen-netback and
 * xen-netfront.  Pure logic: nothing here talks to Xen, so the KUnit suites
 * exercise it under UML.
 *
 * The backend offers "multi-queue-max-queues"; the frontend answers with
 * "multi-queue-num-queues" and, for two or more queues, writes each queue's
 * ring references and event channels under "queue-N/".  With one queue the
 * keys sit flat in the frontend directory, as for a peer that predates
 * multi-queue.
 */
#ifndef _XEN_NETMQ_NEGOTIATE_H
#define _XEN_NETMQ_NEGOTIATE_H

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/types.h>

/* Upper bound on queues for either side, whatever a peer or a user asks. */
#define XNM_MAX_QUEUES		64U
/* Room for "queue-%u" with any unsigned int, plus the terminator. */
#define XNM_QUEUE_DIR_LEN	(sizeof("queue-") + 10)

/**
 * xnm_frontend_queues() - how many queues a frontend asks for
 * @wanted: the frontend's own limit (module parameter or ethtool -L)
 * @offered: the backend's "multi-queue-max-queues", 0 when the key is absent
 *
 * A backend that does not offer multi-queue gets one queue.
 *
 * Return: a count between 1 and XNM_MAX_QUEUES.
 */
static inline unsigned int xnm_frontend_queues(unsigned int wanted,
					       unsigned int offered)
{
	unsigned int n = min3(wanted, offered, XNM_MAX_QUEUES);

	return max(n, 1U);
}

/**
 * xnm_backend_check_queues() - validate a frontend's "multi-queue-num-queues"
 * @requested: the value read, or 0 when the key is absent (one queue)
 * @present: whether the key exists at all
 * @offered: what this backend advertised in "multi-queue-max-queues"
 *
 * Defends against a frontend asking for zero queues or more than it was
 * offered, which would make the backend size arrays from guest input.
 *
 * Return: the number of queues to connect (>= 1), or -EINVAL.
 */
static inline int xnm_backend_check_queues(unsigned int requested,
					   bool present, unsigned int offered)
{
	if (!present)
		return 1;
	if (requested == 0 || requested > offered ||
	    requested > XNM_MAX_QUEUES)
		return -EINVAL;
	return requested;
}

/**
 * xnm_queue_dir() - the XenStore sub-directory of one queue
 * @buf: destination, at least XNM_QUEUE_DIR_LEN bytes
 * @len: size of @buf
 * @queue: queue index
 * @nr_queues: number of queues negotiated
 *
 * One queue uses the flat layout: an empty string, so that the caller's
 * "<dir>/<key>" joins become plain "<key>".
 *
 * Return: 0, or -ENOSPC if @buf is too small.
 */
static inline int xnm_queue_dir(char *buf, size_t len, unsigned int queue,
				unsigned int nr_queues)
{
	int ret;

	if (nr_queues <= 1)
		ret = snprintf(buf, len, "%s", "");
	else
		ret = snprintf(buf, len, "queue-%u", queue);
	return ret < 0 || (size_t)ret >= len ? -ENOSPC : 0;
}

#endif /* _XEN_NETMQ_NEGOTIATE_H */
