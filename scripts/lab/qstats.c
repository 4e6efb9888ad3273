// SPDX-License-Identifier: GPL-2.0
/*
 * qstats: a device's per-queue statistics as the kernel reports them over
 * the "netdev" generic netlink family (netdev_stat_ops of the driver), for
 * lab images that have no ynl, no python and an iproute2 too old to ask.
 *
 *   qstats [-v] IFNAME
 *
 * One line per queue, rx queues first, each by queue id:
 *
 *   rx 0 packets 123 bytes 4567 alloc-fail 0 hw-drops 0
 *   tx 0 packets 89 bytes 1011 hw-drops 0 needs-csum 7 stop 0 wake 0
 *
 * packets and bytes first, then whatever else the driver fills in, as
 * "name value" pairs named as in the netdev netlink spec less their rx-/tx-
 * prefix (an attribute newer than this tool shows as attrN).  -v also says
 * on stderr which family id "netdev" resolved to and how many replies came.
 *
 * Exits 0 with the lines printed; 1 when the device has no per-queue stats
 * (its driver has no netdev_stat_ops, the device is down, or the kernel has
 * no such command); 2 on usage and any other error.
 *
 * Inside lab scenarios call it as /usr/local/bin/qstats: lib-common.sh has a
 * shell function of the same name (ethtool -S based) that shadows it.
 */
#include <errno.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

/*
 * From include/uapi/linux/netdev.h of Linux 6.12.  Not included: the build
 * host's header may predate qstats (6.10) or be missing altogether.
 */
#define QS_FAMILY_NAME		"netdev"
#define QS_FAMILY_VERSION	1
#define QS_CMD_QSTATS_GET	12	/* NETDEV_CMD_QSTATS_GET */
#define QS_SCOPE_QUEUE		1	/* NETDEV_QSTATS_SCOPE_QUEUE */
#define QS_QUEUE_TYPE_RX	0	/* NETDEV_QUEUE_TYPE_RX */
#define QS_QUEUE_TYPE_TX	1	/* NETDEV_QUEUE_TYPE_TX */

enum {					/* NETDEV_A_QSTATS_* */
	QS_A_IFINDEX = 1,
	QS_A_QUEUE_TYPE,
	QS_A_QUEUE_ID,
	QS_A_SCOPE,
	QS_A_RX_PACKETS = 8,
	QS_A_RX_BYTES,
	QS_A_TX_PACKETS,
	QS_A_TX_BYTES,
	QS_A_RX_ALLOC_FAIL,
	QS_A_RX_HW_DROPS,
	QS_A_RX_HW_DROP_OVERRUNS,
	QS_A_RX_CSUM_COMPLETE,
	QS_A_RX_CSUM_UNNECESSARY,
	QS_A_RX_CSUM_NONE,
	QS_A_RX_CSUM_BAD,
	QS_A_RX_HW_GRO_PACKETS,
	QS_A_RX_HW_GRO_BYTES,
	QS_A_RX_HW_GRO_WIRE_PACKETS,
	QS_A_RX_HW_GRO_WIRE_BYTES,
	QS_A_RX_HW_DROP_RATELIMITS,
	QS_A_TX_HW_DROPS,
	QS_A_TX_HW_DROP_ERRORS,
	QS_A_TX_CSUM_NONE,
	QS_A_TX_NEEDS_CSUM,
	QS_A_TX_HW_GSO_PACKETS,
	QS_A_TX_HW_GSO_BYTES,
	QS_A_TX_HW_GSO_WIRE_PACKETS,
	QS_A_TX_HW_GSO_WIRE_BYTES,
	QS_A_TX_HW_DROP_RATELIMITS,
	QS_A_TX_STOP,
	QS_A_TX_WAKE,			/* 34 */
};

/* Counters kept per queue: attribute ids below this, newer ones too. */
#define QS_NR_ATTRS	64

static const char * const qs_names[QS_NR_ATTRS] = {
	[QS_A_RX_PACKETS]		= "rx-packets",
	[QS_A_RX_BYTES]			= "rx-bytes",
	[QS_A_TX_PACKETS]		= "tx-packets",
	[QS_A_TX_BYTES]			= "tx-bytes",
	[QS_A_RX_ALLOC_FAIL]		= "rx-alloc-fail",
	[QS_A_RX_HW_DROPS]		= "rx-hw-drops",
	[QS_A_RX_HW_DROP_OVERRUNS]	= "rx-hw-drop-overruns",
	[QS_A_RX_CSUM_COMPLETE]		= "rx-csum-complete",
	[QS_A_RX_CSUM_UNNECESSARY]	= "rx-csum-unnecessary",
	[QS_A_RX_CSUM_NONE]		= "rx-csum-none",
	[QS_A_RX_CSUM_BAD]		= "rx-csum-bad",
	[QS_A_RX_HW_GRO_PACKETS]	= "rx-hw-gro-packets",
	[QS_A_RX_HW_GRO_BYTES]		= "rx-hw-gro-bytes",
	[QS_A_RX_HW_GRO_WIRE_PACKETS]	= "rx-hw-gro-wire-packets",
	[QS_A_RX_HW_GRO_WIRE_BYTES]	= "rx-hw-gro-wire-bytes",
	[QS_A_RX_HW_DROP_RATELIMITS]	= "rx-hw-drop-ratelimits",
	[QS_A_TX_HW_DROPS]		= "tx-hw-drops",
	[QS_A_TX_HW_DROP_ERRORS]	= "tx-hw-drop-errors",
	[QS_A_TX_CSUM_NONE]		= "tx-csum-none",
	[QS_A_TX_NEEDS_CSUM]		= "tx-needs-csum",
	[QS_A_TX_HW_GSO_PACKETS]	= "tx-hw-gso-packets",
	[QS_A_TX_HW_GSO_BYTES]		= "tx-hw-gso-bytes",
	[QS_A_TX_HW_GSO_WIRE_PACKETS]	= "tx-hw-gso-wire-packets",
	[QS_A_TX_HW_GSO_WIRE_BYTES]	= "tx-hw-gso-wire-bytes",
	[QS_A_TX_HW_DROP_RATELIMITS]	= "tx-hw-drop-ratelimits",
	[QS_A_TX_STOP]			= "tx-stop",
	[QS_A_TX_WAKE]			= "tx-wake",
};

struct queue {
	uint32_t type;
	uint32_t id;
	uint64_t val[QS_NR_ATTRS];
	uint64_t present;		/* bit n: val[n] came in the reply */
};

struct reply_ctx {
	uint32_t ifindex;
	struct queue *q;
	size_t nr, alloc;
	unsigned int msgs;
};

/* Requests and replies, NLMSG_ALIGNTO aligned (dump parts are <= 32 KiB) */
static uint32_t buf[65536 / sizeof(uint32_t)];
static unsigned int seq;
static int verbose;

/* The callback of nl_talk: 0 to go on, -errno to stop with that error. */
typedef int (*nl_cb)(const struct nlmsghdr *nlh, void *arg);

/* Append attribute TYPE with LEN bytes of DATA to NLH (buf has room). */
static void nl_put(struct nlmsghdr *nlh, uint16_t type, const void *data,
		   uint16_t len)
{
	struct nlattr *nla = (struct nlattr *)((char *)nlh +
					       NLMSG_ALIGN(nlh->nlmsg_len));

	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len;
	memcpy((char *)nla + NLA_HDRLEN, data, len);
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + NLA_ALIGN(nla->nla_len);
}

/* A generic netlink request to FAMILY, command CMD, in buf. */
static struct nlmsghdr *genl_req(uint16_t family, uint8_t cmd, uint8_t version,
				 uint16_t flags)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct genlmsghdr *g;

	memset(buf, 0, NLMSG_SPACE(GENL_HDRLEN));
	nlh->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++seq;
	g = NLMSG_DATA(nlh);
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

/*
 * Send the request in buf, hand every reply message to CB until the answer
 * is complete (an ack or NLMSG_DONE).  Returns 0 or -errno, the kernel's
 * error included.
 */
static int nl_talk(int fd, nl_cb cb, void *arg)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	const struct nlmsghdr *req = (struct nlmsghdr *)buf;
	uint32_t want = req->nlmsg_seq;
	ssize_t n;

	if (sendto(fd, buf, req->nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		return -errno;
	for (;;) {
		struct nlmsghdr *nlh;
		size_t len;

		n = recv(fd, buf, sizeof(buf), MSG_TRUNC);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if ((size_t)n > sizeof(buf))
			return -EMSGSIZE;
		len = n;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			int err;

			if (nlh->nlmsg_seq != want)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nlh);

				if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
					return -EBADMSG;
				return e->error;	/* 0: the ack */
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				/* A dump's error comes in its DONE. */
				if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
					memcpy(&err, NLMSG_DATA(nlh), sizeof(int));
					return err;
				}
				return 0;
			}
			err = cb(nlh, arg);
			if (err)
				return err;
		}
	}
}

/* The attributes of a generic netlink message, NULL after the last. */
static const struct nlattr *genl_attr(const struct nlmsghdr *nlh,
				      const struct nlattr *prev)
{
	const char *end = (const char *)nlh + nlh->nlmsg_len;
	const struct nlattr *nla;

	if (!prev)
		nla = (const struct nlattr *)((const char *)NLMSG_DATA(nlh) +
					      GENL_HDRLEN);
	else
		nla = (const struct nlattr *)((const char *)prev +
					      NLA_ALIGN(prev->nla_len));
	if ((const char *)nla + NLA_HDRLEN > end || nla->nla_len < NLA_HDRLEN ||
	    (const char *)nla + nla->nla_len > end)
		return NULL;
	return nla;
}

static const void *nla_data(const struct nlattr *nla)
{
	return (const char *)nla + NLA_HDRLEN;
}

static int nla_len(const struct nlattr *nla)
{
	return nla->nla_len - NLA_HDRLEN;
}

/* A counter: u64, sent as u32 when it fits (nla_put_uint). */
static int nla_uint(const struct nlattr *nla, uint64_t *v)
{
	uint32_t v32;

	switch (nla_len(nla)) {
	case 4:
		memcpy(&v32, nla_data(nla), 4);
		*v = v32;
		return 0;
	case 8:
		memcpy(v, nla_data(nla), 8);
		return 0;
	}
	return -EBADMSG;
}

static int family_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *nla = NULL;

	while ((nla = genl_attr(nlh, nla))) {
		if ((nla->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID &&
		    nla_len(nla) >= 2)
			memcpy(arg, nla_data(nla), 2);
	}
	return 0;
}

/* The id of generic netlink family NAME, or -errno (-ENOENT: none). */
static int family_id(int fd, const char *name)
{
	struct nlmsghdr *nlh;
	uint16_t id = 0;
	int err;

	nlh = genl_req(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, NLM_F_ACK);
	nl_put(nlh, CTRL_ATTR_FAMILY_NAME, name, strlen(name) + 1);
	err = nl_talk(fd, family_cb, &id);
	if (err)
		return err;
	return id ? id : -ENOENT;
}

static int qstats_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct reply_ctx *ctx = arg;
	const struct nlattr *nla = NULL;
	struct queue q = { .type = ~0U, .id = ~0U };
	uint32_t ifindex = 0;
	uint64_t v;

	ctx->msgs++;
	while ((nla = genl_attr(nlh, nla))) {
		unsigned int t = nla->nla_type & NLA_TYPE_MASK;

		if (nla_uint(nla, &v)) {
			/* Ours are all numbers; a newer kind is not. */
			if (t <= QS_A_TX_WAKE)
				return -EBADMSG;
			continue;
		}
		switch (t) {
		case QS_A_IFINDEX:
			ifindex = v;
			break;
		case QS_A_QUEUE_TYPE:
			q.type = v;
			break;
		case QS_A_QUEUE_ID:
			q.id = v;
			break;
		default:
			if (t < QS_NR_ATTRS) {
				q.val[t] = v;
				q.present |= 1ULL << t;
			}
		}
	}
	/* Another device's, or the device's totals: not a queue. */
	if (ifindex != ctx->ifindex || q.type == ~0U || q.id == ~0U)
		return 0;
	if (ctx->nr == ctx->alloc) {
		size_t n = ctx->alloc ? 2 * ctx->alloc : 16;
		struct queue *p = realloc(ctx->q, n * sizeof(*p));

		if (!p)
			return -ENOMEM;
		ctx->q = p;
		ctx->alloc = n;
	}
	ctx->q[ctx->nr++] = q;
	return 0;
}

static int queue_cmp(const void *a, const void *b)
{
	const struct queue *x = a, *y = b;

	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return 0;
}

/* Print counter T of Q, unless it was not in the reply. */
static void print_val(const struct queue *q, const char *dir, unsigned int t)
{
	const char *name = qs_names[t];

	if (!(q->present & (1ULL << t)))
		return;
	if (!name)
		printf(" attr%u", t);
	else if (dir && !strncmp(name, dir, 2) && name[2] == '-')
		printf(" %s", name + 3);
	else
		printf(" %s", name);
	printf(" %llu", (unsigned long long)q->val[t]);
}

static void print_queue(const struct queue *q)
{
	unsigned int first[2], t;
	const char *dir = NULL;

	if (q->type == QS_QUEUE_TYPE_RX) {
		dir = "rx";
		first[0] = QS_A_RX_PACKETS;
		first[1] = QS_A_RX_BYTES;
	} else if (q->type == QS_QUEUE_TYPE_TX) {
		dir = "tx";
		first[0] = QS_A_TX_PACKETS;
		first[1] = QS_A_TX_BYTES;
	} else {
		first[0] = 0;
		first[1] = 0;
	}
	if (dir)
		printf("%s %u", dir, q->id);
	else
		printf("type%u %u", q->type, q->id);
	if (dir) {
		print_val(q, dir, first[0]);
		print_val(q, dir, first[1]);
	}
	for (t = 1; t < QS_NR_ATTRS; t++)
		if (!dir || (t != first[0] && t != first[1]))
			print_val(q, dir, t);
	printf("\n");
}

/* IFNAME is down (the kernel reports queues of running devices only). */
static int dev_down(const char *ifname)
{
	struct ifreq ifr = {};
	int fd, down = 0;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return 0;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (!ioctl(fd, SIOCGIFFLAGS, &ifr))
		down = !(ifr.ifr_flags & IFF_UP);
	close(fd);
	return down;
}

int main(int argc, char **argv)
{
	struct reply_ctx ctx = {};
	struct nlmsghdr *nlh;
	const char *ifname;
	uint32_t scope = QS_SCOPE_QUEUE;
	int fd, fam, err;
	size_t i;

	if (argc == 3 && !strcmp(argv[1], "-v"))
		verbose = 1;
	if (argc != 2 + verbose || argv[1 + verbose][0] == '-') {
		fprintf(stderr, "usage: qstats [-v] IFNAME\n");
		return 2;
	}
	ifname = argv[1 + verbose];
	ctx.ifindex = if_nametoindex(ifname);
	if (!ctx.ifindex) {
		fprintf(stderr, "qstats: %s: %s\n", ifname, strerror(errno));
		return 2;
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0) {
		perror("qstats: netlink socket");
		return 2;
	}

	fam = family_id(fd, QS_FAMILY_NAME);
	if (fam == -ENOENT) {
		fprintf(stderr,
			"qstats: %s: no per-queue stats: the kernel has no \"%s\" netlink family\n",
			ifname, QS_FAMILY_NAME);
		return 1;
	}
	if (fam < 0) {
		fprintf(stderr, "qstats: resolving family \"%s\": %s\n",
			QS_FAMILY_NAME, strerror(-fam));
		return 2;
	}
	if (verbose)
		fprintf(stderr, "qstats: family \"%s\" has id %d\n",
			QS_FAMILY_NAME, fam);

	nlh = genl_req(fam, QS_CMD_QSTATS_GET, QS_FAMILY_VERSION, NLM_F_DUMP);
	nl_put(nlh, QS_A_IFINDEX, &ctx.ifindex, sizeof(ctx.ifindex));
	nl_put(nlh, QS_A_SCOPE, &scope, sizeof(scope));
	err = nl_talk(fd, qstats_cb, &ctx);
	close(fd);
	if (verbose)
		fprintf(stderr, "qstats: %s (ifindex %u): %u replies, %zu queues, %s\n",
			ifname, ctx.ifindex, ctx.msgs, ctx.nr,
			err ? strerror(-err) : "done");
	if (err == -EOPNOTSUPP) {
		fprintf(stderr,
			"qstats: %s: no per-queue stats (the kernel says: %s)\n",
			ifname, strerror(-err));
		return 1;
	}
	if (err) {
		fprintf(stderr, "qstats: %s: %s\n", ifname, strerror(-err));
		return 2;
	}
	if (!ctx.nr) {
		fprintf(stderr, "qstats: %s: no per-queue stats (%s)\n", ifname,
			dev_down(ifname) ?
			"the device is down: only running devices report them" :
			"the driver reports none");
		return 1;
	}
	qsort(ctx.q, ctx.nr, sizeof(*ctx.q), queue_cmp);
	for (i = 0; i < ctx.nr; i++)
		print_queue(&ctx.q[i]);
	free(ctx.q);
	return 0;
}
