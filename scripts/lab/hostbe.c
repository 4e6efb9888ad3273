// SPDX-License-Identifier: GPL-2.0
/*
 * hostbe: a hostile netif backend in dom0, for the lab scenario hostile-be.
 *
 *   hostbe DOMID CASE [--seed N] [--secs S] [--hold S] [--sync DIR]
 *   hostbe list
 *
 * It takes over vif DOMID/0 after the real netback has been unbound from
 * it: writes the backend's XenStore keys itself (over /dev/xen/xenbus,
 * with the xenstore wire protocol), goes InitWait, waits for the guest's
 * netfront to publish its rings, maps them through /dev/xen/gntdev, binds
 * the guest's event channel through /dev/xen/evtchn, goes Connected and
 * plays one case.  Honest traffic: rx frames are copied into the guest's
 * rx buffers through a writable gntdev mapping of each buffer's grant and
 * answered in the request's slot; tx requests are read (their grants
 * mapped read-only when a case looks at the data) and answered OKAY.
 *
 * Every case ends with the backend Closing then Closed and every mapping
 * gone (the grant-keeping cases let go only after --hold seconds), so the
 * real netback can be bound again.  Output: "case NAME: what it does",
 * "hostbe: ..." progress, and one "result NAME: ..." line; exit 0 when the
 * case was played, 1 when the vif could not be taken over.
 *
 * Layout (include/xen/interface/io/netif.h and ring.h): a ring page holds
 * req_prod, req_event, rsp_prod, rsp_event (32 bits each), 48 bytes of
 * padding and 256 entries: 12 bytes on tx (request gref u32, offset u16,
 * flags u16, id u16, size u16; response id u16, status s16), 8 bytes on
 * rx (request id u16, pad u16, gref u32; response id u16, offset u16,
 * flags u16, status s16).  Extra-info slots are 8 bytes: type u8, flags
 * u8, then for GSO size u16, type u8, pad u8, features u16.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

typedef uint32_t grant_ref_t;
typedef uint16_t domid_t;
#include <xen/evtchn.h>
#include <xen/gntdev.h>

#define PAGE		4096
#define RING_HDR	64
#define SLOTS		256U
#define MASK		(SLOTS - 1)

/* xenstore wire message types */
#define XS_READ		2
#define XS_WRITE	11
#define XS_RM		13
#define XS_ERROR	16

/* netif flags, status and extra types */
#define TXF_MORE	(1U << 2)
#define TXF_EXTRA	(1U << 3)
#define RXF_VALID	(1U << 0)
#define RXF_MORE	(1U << 2)
#define RXF_EXTRA	(1U << 3)
#define RSP_DROPPED	(-2)
#define RSP_ERROR	(-1)
#define RSP_OKAY	0
#define RSP_NULL	1
#define EXTRA_GSO	1
#define EXTRA_MAX	6
#define EXTRA_MORE	1
#define GSO_TCPV4	1

/* A frame of ours: unknown ethertype, so the guest's stack drops it. */
#define ETHERTYPE	0x88b5
#define FILL		0xa5
#define MARK		"HOSTBE-FRAME"

/* control ring: 128 slots of 16 bytes; staging grants */
#define CTRL_SLOTS	128U
#define CTRL_GET_GREF	8
#define CTRL_ADD_GREF	9
#define CTRL_DEL_GREF	10
#define CTRL_OK		0
#define CTRL_NOTSUP	1
#define CTRL_INVAL	2
#define GREF_RO		1
#define STAGED_MAX	512

struct map {
	void *addr;
	uint64_t index;
	uint32_t ref;
	int rw;
};

struct be {
	int xs, gnt, evt;
	uint32_t reqid;
	unsigned int dom;
	char bep[96], fep[96];
	uint8_t gmac[6];
	struct map txm, rxm;
	volatile uint8_t *tx, *rx;
	uint32_t port;		/* our end of the guest's event channel */
	int have_port;
	uint32_t tx_cons;	/* next tx request we read */
	uint32_t tx_rsp;	/* next tx response slot */
	uint32_t rx_cons;	/* next rx request (= response slot) */
	uint16_t tx_pend[SLOTS]; /* ids read but not answered, in order */
	unsigned int npend;
	/* counters */
	unsigned long notifies, events, rx_frames, tx_reqs, tx_answered;
	unsigned long tx_pages_checked, tx_stale_pages, tx_stale_bytes;
	int check_tx;		/* map tx grants and look outside the packet */
	/* the control ring, for cases that offer it: staging grants */
	struct map ctrlm;
	volatile uint8_t *ctrl;
	uint32_t cport;
	int have_cport;
	uint32_t ctrl_cons;
	struct map staged[STAGED_MAX];	/* the grants the frontend listed */
	unsigned int nstaged, nstaged_rw;
};

static const char *progname = "hostbe";
static const char *opt_gip, *opt_hip;	/* --ip GUEST,DOM0 */
static unsigned int opt_secs = 4, opt_hold = 12;
static unsigned long long opt_seed;
static const char *opt_sync;
static int seed_given;

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("%s: ", progname);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	va_end(ap);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void msleep(unsigned int ms)
{
	usleep(ms * 1000);
}

/*
 * With --sync DIR: say "sync NAME" and wait (up to 60 s) for DIR/NAME to
 * exist, so that the scenario can measure the guest before and after.
 */
static void sync_point(const char *name)
{
	char p[256];
	int i;

	if (!opt_sync)
		return;
	snprintf(p, sizeof(p), "%s/%s", opt_sync, name);
	printf("sync %s\n", name);
	fflush(stdout);
	for (i = 0; i < 3000 && access(p, F_OK); i++)
		msleep(20);
}

/* --- xenstore over /dev/xen/xenbus ---------------------------------------- */

struct xs_hdr {
	uint32_t type, req_id, tx_id, len;
};

static int read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += n;
	}
	return 0;
}

/*
 * One request; the reply body (NUL-terminated) in a malloc'd buffer, or
 * NULL with errno set (ENOENT for a missing node).
 */
static char *xs_req(struct be *b, uint32_t type, const void *body,
		    uint32_t len)
{
	struct xs_hdr h = { type, ++b->reqid, 0, len };
	char msg[4096 + sizeof(h)];
	char *rep;

	if (len > 4096) {
		errno = E2BIG;
		return NULL;
	}
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), body, len);
	if (write(b->xs, msg, sizeof(h) + len) != (ssize_t)(sizeof(h) + len))
		return NULL;
	for (;;) {
		if (read_full(b->xs, &h, sizeof(h)))
			return NULL;
		rep = malloc(h.len + 1);
		if (!rep || read_full(b->xs, rep, h.len)) {
			free(rep);
			return NULL;
		}
		rep[h.len] = 0;
		if (h.req_id == b->reqid)
			break;
		free(rep);	/* not ours (a watch event): skip */
	}
	if (h.type == XS_ERROR) {
		errno = !strcmp(rep, "ENOENT") ? ENOENT : EIO;
		free(rep);
		return NULL;
	}
	return rep;
}

static char *xs_read(struct be *b, const char *path)
{
	return xs_req(b, XS_READ, path, strlen(path) + 1);
}

static int xs_write(struct be *b, const char *path, const char *val)
{
	char body[512];
	size_t pl = strlen(path) + 1, vl = strlen(val);
	char *r;

	if (pl + vl > sizeof(body))
		return -1;
	memcpy(body, path, pl);
	memcpy(body + pl, val, vl);
	r = xs_req(b, XS_WRITE, body, pl + vl);
	if (!r) {
		say("xenstore write %s=%s failed: %s", path, val,
		    strerror(errno));
		return -1;
	}
	free(r);
	return 0;
}

static void xs_rm(struct be *b, const char *path)
{
	free(xs_req(b, XS_RM, path, strlen(path) + 1));
}

static int be_key(struct be *b, const char *key, const char *val)
{
	char p[160];

	snprintf(p, sizeof(p), "%s/%s", b->bep, key);
	return xs_write(b, p, val);
}

/* An unsigned frontend key (queue-0/KEY as a fallback); -1 if absent. */
static long fe_num(struct be *b, const char *key)
{
	char p[160], *v;
	long n;

	snprintf(p, sizeof(p), "%s/%s", b->fep, key);
	v = xs_read(b, p);
	if (!v) {
		snprintf(p, sizeof(p), "%s/queue-0/%s", b->fep, key);
		v = xs_read(b, p);
	}
	if (!v)
		return -1;
	n = strtol(v, NULL, 0);
	free(v);
	return n;
}

static int fe_state(struct be *b)
{
	char p[160], *v;
	int s;

	snprintf(p, sizeof(p), "%s/state", b->fep);
	v = xs_read(b, p);
	if (!v)
		return 0;
	s = atoi(v);
	free(v);
	return s;
}

static void be_state(struct be *b, int s)
{
	char v[4];

	snprintf(v, sizeof(v), "%d", s);
	be_key(b, "state", v);
	say("backend state %d", s);
}

/* Wait up to @secs for the frontend to reach a state in @mask (bits). */
static int wait_fe(struct be *b, unsigned int mask, double secs)
{
	double end = now() + secs;
	int s;

	do {
		s = fe_state(b);
		if (mask & (1U << s))
			return s;
		msleep(20);
	} while (now() < end);
	return -s - 1;
}

/* --- grants and event channel --------------------------------------------- */

static int map_ref(struct be *b, uint32_t ref, int rw, struct map *m)
{
	struct ioctl_gntdev_map_grant_ref op;
	struct ioctl_gntdev_unmap_grant_ref un;

	memset(&op, 0, sizeof(op));
	op.count = 1;
	op.refs[0].domid = b->dom;
	op.refs[0].ref = ref;
	if (ioctl(b->gnt, IOCTL_GNTDEV_MAP_GRANT_REF, &op))
		return -1;
	m->index = op.index;
	m->ref = ref;
	m->rw = rw;
	m->addr = mmap(NULL, PAGE, rw ? PROT_READ | PROT_WRITE : PROT_READ,
		       MAP_SHARED, b->gnt, op.index);
	if (m->addr == MAP_FAILED) {
		memset(&un, 0, sizeof(un));
		un.index = op.index;
		un.count = 1;
		ioctl(b->gnt, IOCTL_GNTDEV_UNMAP_GRANT_REF, &un);
		m->addr = NULL;
		return -1;
	}
	return 0;
}

static void unmap_ref(struct be *b, struct map *m)
{
	struct ioctl_gntdev_unmap_grant_ref un;

	if (!m->addr)
		return;
	munmap(m->addr, PAGE);
	memset(&un, 0, sizeof(un));
	un.index = m->index;
	un.count = 1;
	ioctl(b->gnt, IOCTL_GNTDEV_UNMAP_GRANT_REF, &un);
	m->addr = NULL;
}

static void notify(struct be *b)
{
	struct ioctl_evtchn_notify n = { .port = b->port };

	if (!b->have_port)
		return;
	ioctl(b->evt, IOCTL_EVTCHN_NOTIFY, &n);
	b->notifies++;
}

/* Take the events the guest sent us and unmask the port again. */
static void drain_events(struct be *b)
{
	uint32_t ports[16];
	ssize_t n;
	int i;

	if (!b->have_port)
		return;
	while ((n = read(b->evt, ports, sizeof(ports))) > 0) {
		for (i = 0; i < n / 4; i++)
			b->events++;
		if (write(b->evt, ports, n) != n)
			break;
	}
}

/* --- ring access ------------------------------------------------------- */

#define IDX(r, off)	(*(volatile uint32_t *)((r) + (off)))
#define REQ_PROD	0
#define REQ_EVENT	4
#define RSP_PROD	8
#define RSP_EVENT	12

static volatile uint8_t *tx_slot(struct be *b, uint32_t i)
{
	return b->tx + RING_HDR + (i & MASK) * 12;
}

static volatile uint8_t *rx_slot(struct be *b, uint32_t i)
{
	return b->rx + RING_HDR + (i & MASK) * 8;
}

static uint16_t rd16(volatile uint8_t *p, int off)
{
	return *(volatile uint16_t *)(p + off);
}

static uint32_t rd32(volatile uint8_t *p, int off)
{
	return *(volatile uint32_t *)(p + off);
}

static void wr16(volatile uint8_t *p, int off, uint16_t v)
{
	*(volatile uint16_t *)(p + off) = v;
}

static void wr32(volatile uint8_t *p, int off, uint32_t v)
{
	*(volatile uint32_t *)(p + off) = v;
}

/* rx requests posted and not yet used by us */
static uint32_t rx_avail(struct be *b)
{
	uint32_t n = IDX(b->rx, REQ_PROD) - b->rx_cons;

	__sync_synchronize();
	return n > SLOTS ? 0 : n;
}

static void rx_put(struct be *b, uint32_t i, uint16_t id, uint16_t off,
		   uint16_t flags, int16_t status)
{
	volatile uint8_t *s = rx_slot(b, i);

	wr16(s, 0, id);
	wr16(s, 2, off);
	wr16(s, 4, flags);
	wr16(s, 6, (uint16_t)status);
}

static void rx_put_extra(struct be *b, uint32_t i, uint8_t type,
			 uint8_t flags, uint16_t gso_size, uint8_t gso_type)
{
	volatile uint8_t *s = rx_slot(b, i);

	s[0] = type;
	s[1] = flags;
	wr16(s, 2, gso_size);
	s[4] = gso_type;
	s[5] = 0;
	wr16(s, 6, 0);
}

static void rx_push_to(struct be *b, uint32_t prod)
{
	__sync_synchronize();	/* responses before the index covering them */
	IDX(b->rx, RSP_PROD) = prod;
	__sync_synchronize();
	notify(b);
}

static void rx_push(struct be *b)
{
	rx_push_to(b, b->rx_cons);
}

/* Build a frame for the guest: our marker, then FILL bytes. */
static unsigned int mkframe(struct be *b, uint8_t *f, unsigned int len,
			    unsigned long seq)
{
	static const uint8_t src[6] = { 0x00, 0x16, 0x3e, 0xff, 0xff, 0xfe };

	memset(f, FILL, len);
	memcpy(f, b->gmac, 6);
	memcpy(f + 6, src, 6);
	f[12] = ETHERTYPE >> 8;
	f[13] = ETHERTYPE & 0xff;
	snprintf((char *)f + 14, 32, "%s %lu", MARK, seq);
	return len;
}

/*
 * Copy @len bytes at @off into the buffer of rx request @i through a
 * writable mapping of its grant; returns the request's id or -1.
 */
static int rx_fill(struct be *b, uint32_t i, const uint8_t *data,
		   unsigned int off, unsigned int len)
{
	volatile uint8_t *s = rx_slot(b, i);
	uint16_t id = rd16(s, 0);
	uint32_t ref = rd32(s, 4);
	struct map m;

	if (map_ref(b, ref, 1, &m)) {
		say("cannot map rx gref %u (slot %u): %s", ref, i & MASK,
		    strerror(errno));
		return -1;
	}
	if (len)
		memcpy((uint8_t *)m.addr + off, data, len);
	unmap_ref(b, &m);
	return id;
}

/* One honest frame of @len bytes into the next rx request, not pushed. */
static int rx_frame(struct be *b, unsigned int len)
{
	uint8_t f[PAGE];
	int id;

	if (!rx_avail(b))
		return -1;
	mkframe(b, f, len, b->rx_frames);
	id = rx_fill(b, b->rx_cons, f, 0, len);
	if (id < 0)
		return -1;
	rx_put(b, b->rx_cons, id, 0, RXF_VALID, len);
	b->rx_cons++;
	b->rx_frames++;
	return 0;
}

/* Up to @n honest frames, pushed; the number delivered. */
static unsigned int rx_frames(struct be *b, unsigned int n, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (rx_frame(b, len))
			break;
	if (i)
		rx_push(b);
	return i;
}

/* Look at a tx request's page outside its data: stale bytes there? */
static void tx_look(struct be *b, uint32_t ref, unsigned int off,
		    unsigned int len)
{
	const uint8_t *p;
	unsigned int k, stale = 0;
	struct map m;

	if (map_ref(b, ref, 0, &m))
		return;
	p = m.addr;
	if (off + len > PAGE)
		len = PAGE - off;
	for (k = 0; k < PAGE; k++)
		if ((k < off || k >= off + len) && p[k])
			stale++;
	unmap_ref(b, &m);
	b->tx_pages_checked++;
	if (stale) {
		b->tx_stale_pages++;
		b->tx_stale_bytes += stale;
	}
}

/*
 * Read the guest's new tx requests.  Each data request's id goes on the
 * pending list; an extra-info slot is answered NULL at once when
 * @answer, else left for tx_answer_all (as an id 0xffff placeholder).
 */
static void tx_read(struct be *b)
{
	uint32_t prod = IDX(b->tx, REQ_PROD);
	int extra = 0;

	__sync_synchronize();
	if (prod - b->tx_cons > SLOTS)
		return;
	while (b->tx_cons != prod && b->npend < SLOTS) {
		volatile uint8_t *s = tx_slot(b, b->tx_cons);

		if (extra) {
			b->tx_pend[b->npend++] = 0xffff; /* answered NULL */
			extra = 0;
		} else {
			uint32_t ref = rd32(s, 0);
			uint16_t off = rd16(s, 4), flags = rd16(s, 6);
			uint16_t id = rd16(s, 8), size = rd16(s, 10);

			if (b->check_tx)
				tx_look(b, ref, off, size);
			b->tx_pend[b->npend++] = id;
			b->tx_reqs++;
			extra = !!(flags & TXF_EXTRA);
		}
		b->tx_cons++;
	}
	IDX(b->tx, REQ_EVENT) = b->tx_cons + 1;
	__sync_synchronize();
}

static void tx_put(struct be *b, uint16_t id, int16_t status)
{
	volatile uint8_t *s = tx_slot(b, b->tx_rsp++);

	wr16(s, 0, id);
	wr16(s, 2, (uint16_t)status);
}

static void tx_push(struct be *b)
{
	__sync_synchronize();
	IDX(b->tx, RSP_PROD) = b->tx_rsp;
	__sync_synchronize();
	notify(b);
}

/* Answer every pending request OKAY (extras NULL), in order. */
static void tx_answer_all(struct be *b)
{
	unsigned int i;

	if (!b->npend)
		return;
	for (i = 0; i < b->npend; i++) {
		if (b->tx_pend[i] == 0xffff) {
			tx_put(b, 0, RSP_NULL);
		} else {
			tx_put(b, b->tx_pend[i], RSP_OKAY);
			b->tx_answered++;
		}
	}
	b->npend = 0;
	tx_push(b);
}

/* --- control ring: staging grants ------------------------------------------ */

/* Map the listed grants (all or none); a XEN_NETIF_CTRL_STATUS_*. */
static uint32_t staging_add(struct be *b, uint32_t listref, uint32_t n)
{
	struct map lm;
	const uint8_t *e;
	unsigned int first = b->nstaged, rw = 0, i;

	if (!n || n > PAGE / 8 || b->nstaged + n > STAGED_MAX ||
	    map_ref(b, listref, 0, &lm))
		return CTRL_INVAL;
	e = lm.addr;
	for (i = 0; i < n; i++) {
		uint32_t ref;
		uint16_t flags;

		memcpy(&ref, e + 8 * i, 4);
		memcpy(&flags, e + 8 * i + 4, 2);
		if (map_ref(b, ref, !(flags & GREF_RO),
			    &b->staged[b->nstaged])) {
			say("staging: cannot map gref %u of the list: %s", ref,
			    strerror(errno));
			while (b->nstaged > first)
				unmap_ref(b, &b->staged[--b->nstaged]);
			unmap_ref(b, &lm);
			return CTRL_INVAL;
		}
		rw += !(flags & GREF_RO);
		b->nstaged++;
	}
	unmap_ref(b, &lm);
	b->nstaged_rw += rw;
	say("staging: mapped %u grants (%u writable), %u in all", n, rw,
	    b->nstaged);
	return CTRL_OK;
}

/* Unmap those listed grants we hold; how many. */
static uint32_t staging_del(struct be *b, uint32_t listref, uint32_t n)
{
	struct map lm;
	uint32_t done = 0, ref;
	unsigned int i, k;

	if (!n || n > PAGE / 8 || map_ref(b, listref, 0, &lm))
		return 0;
	for (i = 0; i < n; i++) {
		memcpy(&ref, (uint8_t *)lm.addr + 8 * i, 4);
		for (k = 0; k < b->nstaged; k++) {
			if (b->staged[k].ref != ref)
				continue;
			b->nstaged_rw -= b->staged[k].rw;
			unmap_ref(b, &b->staged[k]);
			b->staged[k] = b->staged[--b->nstaged];
			done++;
			break;
		}
	}
	unmap_ref(b, &lm);
	return done;
}

/* Answer every control request: staging grants, nothing else. */
static void ctrl_serve(struct be *b)
{
	struct ioctl_evtchn_notify nt = { .port = b->cport };
	uint32_t prod, st, data;
	volatile uint8_t *s;
	uint16_t id, type;

	if (!b->ctrl)
		return;
	prod = IDX(b->ctrl, REQ_PROD);
	__sync_synchronize();
	if (prod - b->ctrl_cons > CTRL_SLOTS)
		return;
	if (prod == b->ctrl_cons)
		return;
	while (b->ctrl_cons != prod) {
		s = b->ctrl + RING_HDR + (b->ctrl_cons % CTRL_SLOTS) * 16;
		id = rd16(s, 0);
		type = rd16(s, 2);
		st = CTRL_NOTSUP;
		data = 0;
		switch (type) {
		case CTRL_GET_GREF:
			st = CTRL_OK;
			data = STAGED_MAX;
			break;
		case CTRL_ADD_GREF:
			st = staging_add(b, rd32(s, 8), rd32(s, 12));
			break;
		case CTRL_DEL_GREF:
			st = CTRL_OK;
			data = staging_del(b, rd32(s, 8), rd32(s, 12));
			break;
		}
		/* the response in the request's slot: id, type, status, data */
		wr16(s, 0, id);
		wr16(s, 2, type);
		wr32(s, 4, st);
		wr32(s, 8, data);
		b->ctrl_cons++;
	}
	__sync_synchronize();
	IDX(b->ctrl, RSP_PROD) = b->ctrl_cons;
	__sync_synchronize();
	ioctl(b->evt, IOCTL_EVTCHN_NOTIFY, &nt);
}

/* Serve honestly for @ms: answer tx, deliver @rx_per_tick frames a tick. */
static void serve(struct be *b, unsigned int ms, unsigned int rx_per_tick,
		  unsigned int len)
{
	double end = now() + ms / 1000.0;

	do {
		drain_events(b);
		ctrl_serve(b);
		tx_read(b);
		tx_answer_all(b);
		if (rx_per_tick)
			rx_frames(b, rx_per_tick, len);
		msleep(5);
	} while (now() < end);
}

/*
 * Is the frontend still working its rings?  Deliver a few honest frames
 * and wait for it to consume every rx response produced so far, the
 * malformed ones included: its rsp_event then asks for the one after our
 * last.  A frontend that gave up stops short.  Returns 1 alive, 0
 * stopped; tx requests are only read, not answered, unless @answer_tx.
 */
static int probe(struct be *b, int answer_tx)
{
	uint32_t before = IDX(b->rx, REQ_PROD), txb = IDX(b->tx, REQ_PROD);
	double end;
	unsigned int sent;
	int alive = 0;

	sent = rx_frames(b, 4, 200);
	end = now() + 3.0;
	do {
		drain_events(b);
		if (answer_tx) {
			tx_read(b);
			tx_answer_all(b);
		}
		if (IDX(b->rx, RSP_EVENT) == b->rx_cons + 1) {
			alive = 1;
			break;
		}
		msleep(10);
	} while (now() < end);
	say("probe: %u frames delivered, rx consumed up to %u of %u, rx req_prod %u -> %u, tx req_prod %u -> %u",
	    sent, IDX(b->rx, RSP_EVENT) - 1, b->rx_cons, before,
	    IDX(b->rx, REQ_PROD), txb, IDX(b->tx, REQ_PROD));
	return alive;
}

/* Send events for @secs in a tight loop; returns how many. */
static unsigned long storm(struct be *b, double secs)
{
	unsigned long n = 0;
	double end = now() + secs;

	while (1) {
		notify(b);
		if (!(++n & 255)) {
			drain_events(b);
			if (now() >= end)
				break;
		}
	}
	return n;
}

/* --- connection --------------------------------------------------------- */

static int be_open(struct be *b, unsigned int dom)
{
	char *v;
	unsigned int m[6];

	memset(b, 0, sizeof(*b));
	b->dom = dom;
	snprintf(b->bep, sizeof(b->bep), "/local/domain/0/backend/vif/%u/0",
		 dom);
	b->xs = open("/dev/xen/xenbus", O_RDWR);
	b->gnt = open("/dev/xen/gntdev", O_RDWR);
	b->evt = open("/dev/xen/evtchn", O_RDWR | O_NONBLOCK);
	if (b->xs < 0 || b->gnt < 0 || b->evt < 0) {
		say("opening /dev/xen/{xenbus,gntdev,evtchn}: %s",
		    strerror(errno));
		return -1;
	}
	{
		char p[160];

		snprintf(p, sizeof(p), "/local/domain/0/error/backend/vif/%u",
			 dom);
		xs_rm(b, p);	/* an old backend's error, if any */
		snprintf(p, sizeof(p), "%s/frontend", b->bep);
		v = xs_read(b, p);
	}
	if (!v) {
		say("no frontend key in %s: no vif for domain %u", b->bep, dom);
		return -1;
	}
	if (strlen(v) >= sizeof(b->fep)) {
		free(v);
		return -1;
	}
	strcpy(b->fep, v);
	free(v);
	{
		char p[160];

		snprintf(p, sizeof(p), "%s/mac", b->bep);
		v = xs_read(b, p);
	}
	if (!v || sscanf(v, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3],
			 &m[4], &m[5]) != 6) {
		say("no usable mac key in %s", b->bep);
		free(v);
		return -1;
	}
	free(v);
	for (int i = 0; i < 6; i++)
		b->gmac[i] = m[i];
	return 0;
}

/* The backend's offer, then InitWait. */
static void be_offer(struct be *b, int gso, int ctrl)
{
	be_key(b, "feature-rx-copy", "1");
	be_key(b, "feature-rx-flip", "0");
	be_key(b, "feature-sg", "1");
	be_key(b, "feature-gso-tcpv4", gso ? "1" : "0");
	be_key(b, "feature-gso-tcpv6", "0");
	be_key(b, "feature-ipv6-csum-offload", "0");
	be_key(b, "feature-split-event-channels", "0");
	be_key(b, "multi-queue-max-queues", "1");
	be_key(b, "feature-ctrl-ring", ctrl ? "1" : "0");
	be_key(b, "feature-xdp-headroom", "0");
	be_key(b, "feature-multicast-control", "0");
	be_key(b, "feature-dynamic-multicast-control", "0");
	be_key(b, "hotplug-status", "connected");
	be_state(b, 2);
}

/* The frontend's control ring, if it wrote one: mapped, channel bound. */
static void ctrl_attach(struct be *b)
{
	struct ioctl_evtchn_bind_interdomain bi;
	long ref = fe_num(b, "ctrl-ring-ref"), port;
	int rc;

	port = fe_num(b, "event-channel-ctrl");
	if (ref < 0 || port < 0)
		return;
	if (map_ref(b, ref, 1, &b->ctrlm)) {
		say("mapping the control ring %ld: %s", ref, strerror(errno));
		return;
	}
	bi.remote_domain = b->dom;
	bi.remote_port = port;
	rc = ioctl(b->evt, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bi);
	if (rc < 0) {
		unmap_ref(b, &b->ctrlm);
		return;
	}
	b->cport = rc;
	b->have_cport = 1;
	b->ctrl = b->ctrlm.addr;
	b->ctrl_cons = IDX(b->ctrl, RSP_PROD);
	IDX(b->ctrl, REQ_EVENT) = b->ctrl_cons + 1;
	say("control ring %ld, evtchn %ld (ours %u)", ref, port, b->cport);
}

/*
 * Wait for the frontend's rings, map them, bind its channel.  With
 * @connect, go Connected.  Returns 0 or -1.
 */
static int be_attach(struct be *b, int connect, double secs)
{
	long txref, rxref, port;
	struct ioctl_evtchn_bind_interdomain bi;
	int s, rc;

	s = wait_fe(b, 1U << 3 | 1U << 4, secs);
	if (s < 0) {
		say("frontend did not publish its rings within %.0f s (state %d)",
		    secs, -s - 1);
		return -1;
	}
	if (fe_num(b, "multi-queue-num-queues") > 1)
		say("frontend asked for %ld queues: using queue 0 only",
		    fe_num(b, "multi-queue-num-queues"));
	txref = fe_num(b, "tx-ring-ref");
	rxref = fe_num(b, "rx-ring-ref");
	port = fe_num(b, "event-channel");
	if (port < 0)
		port = fe_num(b, "event-channel-tx");
	if (txref < 0 || rxref < 0 || port < 0) {
		say("frontend keys missing: tx-ring-ref %ld rx-ring-ref %ld event-channel %ld",
		    txref, rxref, port);
		return -1;
	}
	if (map_ref(b, txref, 1, &b->txm) || map_ref(b, rxref, 1, &b->rxm)) {
		say("mapping rings %ld/%ld: %s", txref, rxref, strerror(errno));
		unmap_ref(b, &b->txm);
		return -1;
	}
	b->tx = b->txm.addr;
	b->rx = b->rxm.addr;
	bi.remote_domain = b->dom;
	bi.remote_port = port;
	rc = ioctl(b->evt, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bi);
	if (rc < 0) {
		say("binding to port %ld of domain %u: %s", port, b->dom,
		    strerror(errno));
		unmap_ref(b, &b->rxm);
		unmap_ref(b, &b->txm);
		return -1;
	}
	b->port = rc;
	b->have_port = 1;
	ctrl_attach(b);
	b->tx_cons = b->tx_rsp = IDX(b->tx, RSP_PROD);
	b->rx_cons = IDX(b->rx, RSP_PROD);
	b->npend = 0;
	IDX(b->tx, REQ_EVENT) = b->tx_cons + 1;
	IDX(b->rx, REQ_EVENT) = b->rx_cons + 1;
	say("frontend state %d: tx ring %ld rx ring %ld evtchn %ld (ours %u), rx posted %u",
	    s, txref, rxref, port, b->port, rx_avail(b));
	if (connect)
		be_state(b, 4);
	return 0;
}

/* Unmap the rings and unbind the channel. */
static void be_detach(struct be *b)
{
	struct ioctl_evtchn_unbind ub = { .port = b->port };
	struct ioctl_evtchn_unbind cub = { .port = b->cport };

	while (b->nstaged)
		unmap_ref(b, &b->staged[--b->nstaged]);
	b->nstaged_rw = 0;
	if (b->have_cport)
		ioctl(b->evt, IOCTL_EVTCHN_UNBIND, &cub);
	b->have_cport = 0;
	unmap_ref(b, &b->ctrlm);
	b->ctrl = NULL;
	if (b->have_port)
		ioctl(b->evt, IOCTL_EVTCHN_UNBIND, &ub);
	b->have_port = 0;
	unmap_ref(b, &b->rxm);
	unmap_ref(b, &b->txm);
	b->tx = b->rx = NULL;
}

/* Closing, then Closed once the frontend closed (bounded); -1 if not. */
static int be_close(struct be *b)
{
	int s;

	be_state(b, 5);
	s = wait_fe(b, 1U << 5 | 1U << 6 | 1U << 1, 15);
	be_state(b, 6);
	if (s < 0) {
		say("frontend did not close (state %d)", -s - 1);
		return -1;
	}
	s = wait_fe(b, 1U << 6 | 1U << 1, 10);
	say("frontend state %d after backend Closed", s < 0 ? -s - 1 : s);
	return 0;
}

/* Full takeover: offer, attach, Connected; let the frontend settle. */
static int be_up(struct be *b, int gso, int ctrl)
{
	be_offer(b, gso, ctrl);
	if (be_attach(b, 1, 60))
		return -1;
	serve(b, 300, 0, 0);
	return 0;
}

/* Orderly end of a case: every mapping gone, then Closing and Closed. */
static void be_down(struct be *b)
{
	be_detach(b);
	be_close(b);
}

/* --- cases -------------------------------------------------------------- */

struct ccase {
	const char *name;
	const char *desc;
	int (*run)(struct be *b, const struct ccase *c);
	int gso;
	int ctrl;	/* offer the control ring (staging grants) */
};

static void result(const struct ccase *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("result %s: ", c->name);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	va_end(ap);
}

static const char *alive_word(int a)
{
	return a ? "frontend-alive" : "frontend-stopped";
}

/*
 * Until the frontend has consumed every response we produced (its
 * rsp_event asks for the one after the last; bounded): an index moved
 * "backwards" is only backwards from where the frontend is.
 */
static int wait_consumed(struct be *b, double secs)
{
	double end = now() + secs;

	do {
		drain_events(b);
		if (IDX(b->rx, RSP_EVENT) == b->rx_cons + 1 &&
		    IDX(b->tx, RSP_EVENT) == b->tx_rsp + 1)
			return 0;
		msleep(10);
	} while (now() < end);
	say("frontend still behind: rx rsp_event %u (produced %u), tx rsp_event %u (produced %u)",
	    IDX(b->rx, RSP_EVENT), b->rx_cons, IDX(b->tx, RSP_EVENT),
	    b->tx_rsp);
	return -1;
}

/* Warm up: honest rx and tx for a moment, so the queue is running. */
static void warm(struct be *b)
{
	serve(b, 400, 4, 600);
	wait_consumed(b, 5);
	say("warm-up: %lu rx frames, %lu tx answered, %lu events from the guest",
	    b->rx_frames, b->tx_answered, b->events);
}

static int c_honest(struct be *b, const struct ccase *c)
{
	int a;

	serve(b, opt_secs * 1000, 4, 1000);
	a = probe(b, 1);
	result(c, "%s rx_frames %lu tx_answered %lu guest_events %lu",
	       alive_word(a), b->rx_frames, b->tx_answered, b->events);
	be_down(b);
	return 0;
}

/*
 * The neighbour's baseline (hostile-be): honest frames as fast as this
 * program can make them, for --secs.  It spins as the storms do, so the
 * CPU this backend costs dom0 by itself is in the baseline the cases are
 * held to, as it would be for a real flood from the same backend.
 */
static int c_honest_flood(struct be *b, const struct ccase *c)
{
	double end = now() + opt_secs;
	int a;

	while (now() < end) {
		drain_events(b);
		tx_read(b);
		tx_answer_all(b);
		if (!rx_frames(b, 64, 1400))
			sched_yield();
	}
	a = probe(b, 1);
	result(c, "%s rx_frames %lu tx_answered %lu guest_events %lu",
	       alive_word(a), b->rx_frames, b->tx_answered, b->events);
	be_down(b);
	return 0;
}

static int c_event_storm(struct be *b, const struct ccase *c)
{
	uint32_t before, after;
	unsigned long n;
	int a;

	warm(b);
	before = IDX(b->rx, REQ_PROD);
	sync_point("pre");
	say("storm: %u s of events, no responses", opt_secs);
	n = storm(b, opt_secs);
	after = IDX(b->rx, REQ_PROD);
	sync_point("post");
	a = probe(b, 1);
	result(c, "%s notifies %lu rx_req_prod_during_storm %u->%u guest_events %lu",
	       alive_word(a), n, before, after, b->events);
	be_down(b);
	return 0;
}

static int c_half_packet_storm(struct be *b, const struct ccase *c)
{
	uint8_t f[PAGE];
	unsigned long n;
	int id, a;

	warm(b);
	if (rx_avail(b) < 2) {
		result(c, "not-played no rx buffers posted");
		be_down(b);
		return 0;
	}
	mkframe(b, f, 1000, 0);
	id = rx_fill(b, b->rx_cons, f, 0, 1000);
	rx_put(b, b->rx_cons, id, 0, RXF_VALID | RXF_MORE, 1000);
	b->rx_cons++;
	rx_push(b);
	say("first slot of a 2-slot packet answered (more_data); storm %u s",
	    opt_secs);
	msleep(100);
	sync_point("pre");
	n = storm(b, opt_secs);
	sync_point("post");
	/* The rest of the packet, then see the frontend go on. */
	id = rx_fill(b, b->rx_cons, f, 0, 200);
	rx_put(b, b->rx_cons, id, 0, 0, 200);
	b->rx_cons++;
	rx_push(b);
	say("last slot answered");
	a = probe(b, 1);
	result(c, "%s notifies %lu guest_events %lu", alive_word(a), n,
	       b->events);
	be_down(b);
	return 0;
}

static int c_rx_prod_backwards(struct be *b, const struct ccase *c)
{
	uint32_t p;
	int a;

	warm(b);
	p = b->rx_cons - 3;
	say("rx rsp_prod %u -> %u (backwards)", b->rx_cons, p);
	rx_push_to(b, p);
	serve(b, 500, 0, 0);
	a = probe(b, 0);
	result(c, "%s rx_rsp_prod_set %u req_prod %u", alive_word(a), p,
	       IDX(b->rx, REQ_PROD));
	be_down(b);
	return 0;
}

static int c_rx_prod_ahead(struct be *b, const struct ccase *c)
{
	uint32_t p;
	int a;

	warm(b);
	p = IDX(b->rx, REQ_PROD) + 1000;
	say("rx rsp_prod %u -> %u (1000 past the requests)", b->rx_cons, p);
	rx_push_to(b, p);
	serve(b, 500, 0, 0);
	a = probe(b, 0);
	result(c, "%s rx_rsp_prod_set %u", alive_word(a), p);
	be_down(b);
	return 0;
}

/* Wait (answering nothing) until the guest has tx requests pending. */
static int tx_wait_pending(struct be *b, unsigned int want, double secs)
{
	double end = now() + secs;

	do {
		drain_events(b);
		tx_read(b);
		if (b->npend >= want)
			return 0;
		msleep(10);
	} while (now() < end);
	return -1;
}

static int c_tx_prod(struct be *b, const struct ccase *c, int ahead)
{
	uint32_t p;
	int a;

	warm(b);
	if (tx_wait_pending(b, 1, 5))
		say("no tx request from the guest within 5 s");
	if (ahead) {
		p = IDX(b->tx, REQ_PROD) + 500;
	} else {
		tx_answer_all(b);
		wait_consumed(b, 5);
		p = b->tx_rsp - 3;
	}
	say("tx rsp_prod %u -> %u (%s)", b->tx_rsp, p,
	    ahead ? "500 past the requests" : "backwards");
	__sync_synchronize();
	IDX(b->tx, RSP_PROD) = p;
	__sync_synchronize();
	notify(b);
	msleep(500);
	a = probe(b, 0);
	result(c, "%s tx_rsp_prod_set %u tx_req_prod %u", alive_word(a), p,
	       IDX(b->tx, REQ_PROD));
	be_down(b);
	return 0;
}

static int c_tx_prod_ahead(struct be *b, const struct ccase *c)
{
	return c_tx_prod(b, c, 1);
}

static int c_tx_prod_backwards(struct be *b, const struct ccase *c)
{
	return c_tx_prod(b, c, 0);
}

/* The first pending data id, -1 if none. */
static int first_pending(struct be *b)
{
	unsigned int i;

	for (i = 0; i < b->npend; i++)
		if (b->tx_pend[i] != 0xffff)
			return b->tx_pend[i];
	return -1;
}

/*
 * Wait for two pending data requests (no extras among the first two);
 * answer the first with its own id, then the second slot with @second_id
 * (the first id again: a duplicate; or an id no request carries).
 */
static int tx_two(struct be *b, const struct ccase *c, int dup)
{
	unsigned int i, id0, id1;
	int a, clash;

	warm(b);
	tx_answer_all(b);
	if (tx_wait_pending(b, 2, 8) || b->tx_pend[0] == 0xffff ||
	    b->tx_pend[1] == 0xffff) {
		result(c, "not-played no two plain tx requests from the guest");
		be_down(b);
		return 0;
	}
	id0 = b->tx_pend[0];
	if (dup) {
		id1 = id0;
	} else {
		/* an id that no request of the guest carries now */
		id1 = id0;
		do {
			id1 = (id1 + 77) & MASK;
			clash = 0;
			for (i = 0; i < b->npend; i++)
				clash |= b->tx_pend[i] == id1;
		} while (clash);
	}
	tx_put(b, id0, RSP_OKAY);
	tx_put(b, id1, RSP_OKAY);
	/* the rest stays unanswered: the responses above are what counts */
	memmove(b->tx_pend, b->tx_pend + 2, (b->npend - 2) * 2);
	b->npend -= 2;
	tx_push(b);
	say("tx slot 1 answered id %u, slot 2 answered id %u (%s)", id0, id1,
	    dup ? "the same id again" : "an id with no request");
	msleep(500);
	a = probe(b, 0);
	result(c, "%s %s %u", alive_word(a), dup ? "duplicate_id" : "inactive_id",
	       id1);
	be_down(b);
	return 0;
}

static int c_tx_rsp_dup(struct be *b, const struct ccase *c)
{
	return tx_two(b, c, 1);
}

static int c_tx_rsp_inactive(struct be *b, const struct ccase *c)
{
	return tx_two(b, c, 0);
}

static int c_tx_rsp_reorder(struct be *b, const struct ccase *c)
{
	unsigned int i, rounds = 0, reordered = 0;
	double end, since = 0;
	int a, extras;

	warm(b);
	end = now() + opt_secs;
	do {
		drain_events(b);
		tx_read(b);
		extras = 0;
		for (i = 0; i < b->npend; i++)
			extras |= b->tx_pend[i] == 0xffff;
		if (b->npend && !since)
			since = now();
		if (b->npend >= 2 && !extras) {
			/* valid: ids may be answered in any order */
			for (i = b->npend; i-- > 0;) {
				tx_put(b, b->tx_pend[i], RSP_OKAY);
				b->tx_answered++;
			}
			reordered += b->npend;
			b->npend = 0;
			tx_push(b);
			rounds++;
			since = 0;
		} else if (extras || (since && now() - since > 0.3)) {
			/* a lone request (or one with an extra) waits no more */
			tx_answer_all(b);
			since = 0;
		}
		rx_frames(b, 2, 300);
		msleep(5);
	} while (now() < end);
	tx_answer_all(b);
	a = probe(b, 1);
	result(c, "%s reversed_batches %u reordered_responses %u tx_answered %lu",
	       alive_word(a), rounds, reordered, b->tx_answered);
	be_down(b);
	return 0;
}

/* One malformed rx data response in the next slot; pushed. */
static int rx_bad(struct be *b, int idshift, uint16_t off, uint16_t flags,
		  int16_t status)
{
	uint8_t f[PAGE];
	volatile uint8_t *s;
	int id;

	if (!rx_avail(b))
		return -1;
	s = rx_slot(b, b->rx_cons);
	mkframe(b, f, 600, 0);
	id = rx_fill(b, b->rx_cons, f, 0, 600);
	if (id < 0)
		id = rd16(s, 0);
	rx_put(b, b->rx_cons, (id + idshift) & 0xffff, off, flags, status);
	b->rx_cons++;
	rx_push(b);
	return id;
}

static int rx_bad_case(struct be *b, const struct ccase *c, int idshift,
		       uint16_t off, int16_t status, const char *what)
{
	int a, id;

	warm(b);
	id = rx_bad(b, idshift, off, RXF_VALID, status);
	say("rx response: %s (id %d%+d offset %u status %d)", what, id,
	    idshift, off, status);
	serve(b, 500, 0, 0);
	a = probe(b, 1);
	result(c, "%s %s", alive_word(a), what);
	be_down(b);
	return 0;
}

static int c_rx_id_mismatch(struct be *b, const struct ccase *c)
{
	return rx_bad_case(b, c, 5, 0, 600, "id of another slot");
}

static int c_rx_offset_overflow(struct be *b, const struct ccase *c)
{
	return rx_bad_case(b, c, 0, 4000, 600, "offset 4000 + size 600 > page");
}

static int c_rx_status_huge(struct be *b, const struct ccase *c)
{
	return rx_bad_case(b, c, 0, 0, 5000, "status 5000 > page");
}

static int c_rx_status_negative(struct be *b, const struct ccase *c)
{
	return rx_bad_case(b, c, 0, 0, -30000, "status -30000");
}

static int c_rx_chain_long(struct be *b, const struct ccase *c)
{
	unsigned int i, n = 30;
	uint8_t f[PAGE];
	int id, a;

	warm(b);
	if (rx_avail(b) < n) {
		result(c, "not-played only %u rx buffers posted", rx_avail(b));
		be_down(b);
		return 0;
	}
	mkframe(b, f, 1000, 0);
	for (i = 0; i < n; i++) {
		id = rx_fill(b, b->rx_cons, f, 0, 1000);
		rx_put(b, b->rx_cons, id, 0, i + 1 < n ? RXF_MORE : 0, 1000);
		b->rx_cons++;
	}
	rx_push(b);
	say("one rx packet chained over %u slots with more_data", n);
	serve(b, 500, 0, 0);
	a = probe(b, 1);
	result(c, "%s slots %u", alive_word(a), n);
	be_down(b);
	return 0;
}

/* A first slot flagged extra_info, followed by @extra (if @type >= 0). */
static int rx_extra_case(struct be *b, const struct ccase *c, int type,
			 uint16_t gso_size, uint8_t gso_type, const char *what)
{
	uint8_t f[PAGE];
	int id, a;

	warm(b);
	if (rx_avail(b) < 3) {
		result(c, "not-played no rx buffers posted");
		be_down(b);
		return 0;
	}
	mkframe(b, f, 1000, 0);
	id = rx_fill(b, b->rx_cons, f, 0, 1000);
	rx_put(b, b->rx_cons, id, 0, RXF_VALID | RXF_EXTRA, 1000);
	b->rx_cons++;
	if (type >= 0) {
		rx_put_extra(b, b->rx_cons, type, 0, gso_size, gso_type);
		b->rx_cons++;
	}
	rx_push(b);
	say("rx packet with %s", what);
	serve(b, 800, 0, 0);
	a = probe(b, 1);
	result(c, "%s %s", alive_word(a), what);
	be_down(b);
	return 0;
}

static int c_rx_extra_missing(struct be *b, const struct ccase *c)
{
	return rx_extra_case(b, c, -1, 0, 0,
			     "extra_info flagged, no extra slot produced");
}

static int c_rx_extra_bad(struct be *b, const struct ccase *c)
{
	return rx_extra_case(b, c, 9, 0, 0, "extra of type 9 (>= MAX)");
}

static int c_rx_gso_zero(struct be *b, const struct ccase *c)
{
	return rx_extra_case(b, c, EXTRA_GSO, 0, GSO_TCPV4, "GSO size 0");
}

static int c_rx_gso_badtype(struct be *b, const struct ccase *c)
{
	return rx_extra_case(b, c, EXTRA_GSO, 1400, 7, "GSO type 7");
}

/*
 * XSA-396: keep grants mapped through the frontend's teardown.  The held
 * pages are watched: a guest that reused one while we map it would change
 * what we see there.  Prints "holding N" and, @opt_hold s later,
 * "released N".
 */
static int keep_case(struct be *b, const struct ccase *c, int tx)
{
	struct map held[8];
	uint8_t snap[8][64];
	unsigned int n = 0, i, changed = 0;
	uint32_t idx;
	int s;

	warm(b);
	if (tx) {
		if (tx_wait_pending(b, 1, 5))
			say("no tx request from the guest within 5 s");
		/* Hold the newest requests' pages, leave them unanswered. */
		for (i = 0; i < b->npend && n < 4; i++) {
			idx = b->tx_cons - b->npend + i;
			if (b->tx_pend[i] == 0xffff)
				continue;
			if (!map_ref(b, rd32(tx_slot(b, idx), 0), 0, &held[n]))
				n++;
		}
	} else {
		/* Hold the four newest rx buffers the guest has posted. */
		for (i = 0; i < 4 && i < rx_avail(b); i++) {
			idx = IDX(b->rx, REQ_PROD) - 1 - i;
			if (!map_ref(b, rd32(rx_slot(b, idx), 4), 1, &held[n])) {
				memset(held[n].addr, 0x5a, 64);
				n++;
			}
		}
	}
	for (i = 0; i < n; i++)
		memcpy(snap[i], held[i].addr, 64);
	say("holding %u %s pages; rings unmapped, backend closing", n,
	    tx ? "tx" : "rx");
	be_detach(b);
	be_close(b);
	printf("holding %u\n", n);
	fflush(stdout);
	for (s = 0; s < (int)opt_hold * 10; s++) {
		for (i = 0; i < n; i++)
			if (memcmp(snap[i], held[i].addr, 64)) {
				changed++;
				memcpy(snap[i], held[i].addr, 64);
			}
		msleep(100);
	}
	for (i = 0; i < n; i++)
		unmap_ref(b, &held[i]);
	printf("released %u\n", n);
	result(c, "held %u %s pages for %u s through the teardown, changed_while_held %u",
	       n, tx ? "tx" : "rx", opt_hold, changed);
	return 0;
}

static int c_rx_grant_keep(struct be *b, const struct ccase *c)
{
	return keep_case(b, c, 0);
}

static int c_tx_grant_keep(struct be *b, const struct ccase *c)
{
	return keep_case(b, c, 1);
}

/*
 * XSA-403: after honest traffic (pattern frames, so the guest's pool
 * recycles pages that carried them), every rx buffer the guest posts must
 * be all zero; tx pages are looked at outside the packet.
 */
static int c_rx_pages_zeroed(struct be *b, const struct ccase *c)
{
	unsigned int posted, i, k, dirty = 0, pattern = 0, mapped = 0;
	unsigned long first_dirty = 0;
	struct map m;

	b->check_tx = 1;
	serve(b, opt_secs * 1000, 16, 1400);
	serve(b, 300, 0, 0);	/* let it refill */
	posted = rx_avail(b);
	for (i = 0; i < posted; i++) {
		const uint8_t *p;
		uint32_t ref = rd32(rx_slot(b, b->rx_cons + i), 4);
		unsigned int nz = 0, pat = 0;

		if (map_ref(b, ref, 0, &m))
			continue;
		mapped++;
		p = m.addr;
		for (k = 0; k < PAGE; k++) {
			nz += !!p[k];
			pat += p[k] == FILL;
		}
		if (nz) {
			if (!dirty)
				first_dirty = i;
			dirty++;
			if (pat > 256 || memmem(p, PAGE, MARK, strlen(MARK)))
				pattern++;
		}
		unmap_ref(b, &m);
	}
	say("rx: %lu pattern frames delivered; %u buffers posted, %u mapped, %u not zero (%u with our old frames), first at +%lu",
	    b->rx_frames, posted, mapped, dirty, pattern, first_dirty);
	say("tx: %lu pages looked at, %lu with non-zero bytes outside the packet (%lu bytes)",
	    b->tx_pages_checked, b->tx_stale_pages, b->tx_stale_bytes);
	result(c, "%s rx_frames %lu rx_posted %u rx_mapped %u rx_dirty %u rx_old_frames %u tx_pages %lu tx_stale_pages %lu tx_stale_bytes %lu",
	       dirty ? "rx-pages-NOT-zeroed" : "rx-pages-zeroed", b->rx_frames,
	       posted, mapped, dirty, pattern, b->tx_pages_checked,
	       b->tx_stale_pages, b->tx_stale_bytes);
	be_down(b);
	return 0;
}

/* XSA-465: the backend goes away right after the frontend connects. */
static int c_close_after_connect(struct be *b, const struct ccase *c)
{
	int s, s2;

	/* be_up was not run for this case: attach without Connected. */
	be_offer(b, 0, 0);
	s = wait_fe(b, 1U << 3 | 1U << 4, 60);
	if (s < 0) {
		result(c, "not-played frontend never published its rings");
		return 0;
	}
	be_state(b, 5);
	say("backend Closing as soon as the frontend said %d", s);
	s2 = wait_fe(b, 1U << 5 | 1U << 6 | 1U << 1, 15);
	be_state(b, 6);
	msleep(500);
	/* Once more, straight from InitWait to Closed. */
	be_state(b, 2);
	s = wait_fe(b, 1U << 3 | 1U << 4 | 1U << 1, 10);
	be_state(b, 6);
	msleep(500);
	result(c, "frontend-closed first_close_fe_state %d second_round_fe_state %d final_fe_state %d",
	       s2 < 0 ? -s2 - 1 : s2, s < 0 ? -s - 1 : s, fe_state(b));
	return 0;
}

/* --- random responses ---------------------------------------------------- */

static uint64_t rng;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static const char *const rnd_kinds[] = {
	"rx-id", "rx-offset", "rx-status-huge", "rx-status-neg", "rx-chain",
	"rx-extra-type", "rx-gso-zero", "rx-gso-type", "rx-prod-jump",
	"tx-dup", "tx-id", "tx-status", "tx-prod-jump", "half-packet",
};
#define NKINDS	(sizeof(rnd_kinds) / sizeof(rnd_kinds[0]))

/* One malformed thing, chosen by the generator. */
static void rnd_bad(struct be *b, unsigned int k)
{
	uint8_t f[PAGE];
	unsigned int i, n;
	int id;

	switch (k) {
	case 0:
		rx_bad(b, 1 + rnd() % 255, 0, 0, 100 + rnd() % 1000);
		break;
	case 1:
		rx_bad(b, 0, 3000 + rnd() % 1096, 0, 1100 + rnd() % 2000);
		break;
	case 2:
		rx_bad(b, 0, 0, 0, 4097 + rnd() % 28000);
		break;
	case 3:
		rx_bad(b, 0, 0, 0, -3 - (int)(rnd() % 30000));
		break;
	case 4:
		n = 19 + rnd() % 20;
		if (rx_avail(b) < n)
			break;
		mkframe(b, f, 300, 0);
		for (i = 0; i < n; i++) {
			id = rx_fill(b, b->rx_cons, f, 0, 300);
			rx_put(b, b->rx_cons, id, 0, i + 1 < n ? RXF_MORE : 0,
			       300);
			b->rx_cons++;
		}
		rx_push(b);
		break;
	case 5: case 6: case 7:
		if (rx_avail(b) < 2)
			break;
		mkframe(b, f, 500, 0);
		id = rx_fill(b, b->rx_cons, f, 0, 500);
		rx_put(b, b->rx_cons, id, 0, RXF_EXTRA, 500);
		b->rx_cons++;
		if (k == 5)
			rx_put_extra(b, b->rx_cons, EXTRA_MAX + rnd() % 200,
				     rnd() & 1, 0, 0);
		else if (k == 6)
			rx_put_extra(b, b->rx_cons, EXTRA_GSO, 0, 0, GSO_TCPV4);
		else
			rx_put_extra(b, b->rx_cons, EXTRA_GSO, 0,
				     1 + rnd() % 9000, 3 + rnd() % 250);
		b->rx_cons++;
		rx_push(b);
		break;
	case 8:
		rx_push_to(b, IDX(b->rx, REQ_PROD) + 1 + rnd() % 100000);
		break;
	case 9:
		tx_read(b);
		id = first_pending(b);
		tx_answer_all(b);
		if (id >= 0) {
			tx_put(b, id, RSP_OKAY);
			tx_push(b);
		}
		break;
	case 10:
		tx_read(b);
		tx_answer_all(b);
		tx_put(b, 256 + rnd() % 65000, RSP_OKAY);
		tx_push(b);
		break;
	case 11:
		tx_read(b);
		id = first_pending(b);
		if (id < 0)
			break;
		b->tx_pend[0] = id;
		b->npend = 0;
		tx_put(b, id, 2 + rnd() % 1000);
		tx_push(b);
		break;
	case 12:
		__sync_synchronize();
		IDX(b->tx, RSP_PROD) = b->tx_rsp + 257 + rnd() % 100000;
		notify(b);
		break;
	case 13:
		if (rx_avail(b) < 2)
			break;
		mkframe(b, f, 500, 0);
		id = rx_fill(b, b->rx_cons, f, 0, 500);
		rx_put(b, b->rx_cons, id, 0, RXF_MORE, 500);
		b->rx_cons++;
		rx_push(b);
		break;
	}
}

static int c_random_rsp(struct be *b, const struct ccase *c)
{
	unsigned long bad[NKINDS] = { 0 }, steps = 0, nbad = 0;
	unsigned int rounds = 1, stuck = 0, i;
	uint32_t last_rx = 0, last_tx = 0;
	double end = now() + opt_secs, last_move = now();
	char line[512];
	size_t o = 0;

	if (!seed_given)
		opt_seed = (unsigned long long)time(NULL) ^ getpid();
	rng = opt_seed ? opt_seed : 1;
	say("seed %llu (replay: hostbe %u random-rsp --seed %llu --secs %u)",
	    opt_seed, b->dom, opt_seed, opt_secs);
	warm(b);
	while (now() < end) {
		uint32_t r = rnd() % 100;

		drain_events(b);
		if (r < 4) {
			unsigned int k = rnd() % NKINDS;

			rnd_bad(b, k);
			bad[k]++;
			nbad++;
		} else {
			tx_read(b);
			tx_answer_all(b);
			rx_frames(b, 1 + rnd() % 4, 60 + rnd() % 1400);
		}
		steps++;
		msleep(2);
		if (IDX(b->rx, REQ_PROD) != last_rx ||
		    IDX(b->tx, REQ_PROD) != last_tx) {
			last_rx = IDX(b->rx, REQ_PROD);
			last_tx = IDX(b->tx, REQ_PROD);
			last_move = now();
		} else if (now() - last_move > 1.5) {
			/* The frontend gave up on us: start over. */
			stuck++;
			be_down(b);
			if (now() + 5 > end)
				goto out;
			be_state(b, 2);
			if (be_attach(b, 1, 10)) {
				say("frontend did not come back after round %u",
				    rounds);
				be_close(b);
				goto out;
			}
			rounds++;
			serve(b, 200, 2, 500);
			last_move = now();
		}
	}
	be_down(b);
out:
	for (i = 0; i < NKINDS && o < sizeof(line) - 40; i++)
		if (bad[i])
			o += snprintf(line + o, sizeof(line) - o, " %s=%lu",
				      rnd_kinds[i], bad[i]);
	result(c, "seed %llu steps %lu malformed %lu rounds %u frontend_gave_up %u rx_frames %lu tx_answered %lu:%s",
	       opt_seed, steps, nbad, rounds, stuck, b->rx_frames,
	       b->tx_answered, o ? line : " none");
	return 0;
}

/* IPv4 header checksum */
static uint16_t ip_sum(const uint8_t *h)
{
	uint32_t s = 0;

	for (int i = 0; i < 20; i += 2)
		s += h[i] << 8 | h[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s;
}

/*
 * A UDP datagram dom0 -> guest @port of @len payload bytes: sequence
 * number (big endian), then (seq * 31 + i) & 0xff at byte i (udphold).
 */
static unsigned int mkudp(struct be *b, uint8_t *f, uint16_t port,
			  unsigned int len, uint32_t seq)
{
	static const uint8_t src[6] = { 0x00, 0x16, 0x3e, 0xff, 0xff, 0xfe };
	uint8_t *ip = f + 14, *u = ip + 20;
	struct in_addr g, h;
	uint16_t sum;

	inet_aton(opt_gip, &g);
	inet_aton(opt_hip, &h);
	memcpy(f, b->gmac, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[2] = (20 + 8 + len) >> 8;
	ip[3] = (20 + 8 + len) & 0xff;
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, &h, 4);
	memcpy(ip + 16, &g, 4);
	sum = ip_sum(ip);
	ip[10] = sum >> 8;
	ip[11] = sum & 0xff;
	u[0] = port >> 8;
	u[1] = port & 0xff;
	u[2] = port >> 8;
	u[3] = port & 0xff;
	u[4] = (8 + len) >> 8;
	u[5] = (8 + len) & 0xff;
	u[6] = u[7] = 0;	/* no UDP checksum (IPv4 allows it) */
	u[8] = seq >> 24;
	u[9] = seq >> 16;
	u[10] = seq >> 8;
	u[11] = seq;
	for (unsigned int i = 4; i < len; i++)
		u[8 + i] = (uint8_t)(seq * 31 + i);
	return 14 + 20 + 8 + len;
}

/*
 * Staging grants: once the frontend has its rx staging pages mapped here
 * (our control ring), datagrams go into them for a socket that does not
 * read yet (udphold in the guest), then every staging page is rewritten.
 * A frontend that handed those pages to the stack would have the queued
 * datagrams change under the socket; ours copies each packet out first.
 */
static int c_staging_rx_rewrite(struct be *b, const struct ccase *c)
{
	uint8_t f[PAGE];
	unsigned int sent = 0, i, len;
	double end = now() + 15;
	int id, a;

	if (!opt_gip) {
		result(c, "not-played needs --ip GUEST,DOM0");
		be_down(b);
		return 0;
	}
	while (!b->nstaged_rw && now() < end)
		serve(b, 200, 0, 0);
	if (!b->nstaged_rw) {
		a = probe(b, 1);
		result(c, "no-staging %s: the frontend mapped no rx staging pages (%u grants listed)",
		       alive_word(a), b->nstaged);
		be_down(b);
		return 0;
	}
	sync_point("staged");
	/*
	 * Slots posted before the mapping hold pool pages: turn them over,
	 * to a port nobody listens on, so the socket keeps its room.
	 */
	end = now() + 10;
	for (i = 0; i < SLOTS + 44 && now() < end; ) {
		if (!rx_avail(b)) {
			rx_push(b);
			serve(b, 20, 0, 0);
			continue;
		}
		len = mkudp(b, f, 7301, 200, 1000000 + i);
		id = rx_fill(b, b->rx_cons, f, 0, len);
		if (id < 0)
			break;
		rx_put(b, b->rx_cons, id, 0, RXF_VALID, len);
		b->rx_cons++;
		if (!(++i % 16)) {
			rx_push(b);
			serve(b, 20, 0, 0);
		}
	}
	rx_push(b);
	say("staging: %u frames to turn the rx ring over", i);
	wait_consumed(b, 5);
	sync_point("drained");
	for (i = 0; i < 40; i++) {
		serve(b, 10, 0, 0);
		if (!rx_avail(b))
			continue;
		len = mkudp(b, f, 7300, 1000, i);
		id = rx_fill(b, b->rx_cons, f, 0, len);
		if (id < 0)
			break;
		rx_put(b, b->rx_cons, id, 0, RXF_VALID, len);
		b->rx_cons++;
		rx_push(b);
		sent++;
	}
	wait_consumed(b, 5);
	for (i = 0; i < b->nstaged; i++)
		if (b->staged[i].rw)
			memset(b->staged[i].addr, 0xee, PAGE);
	say("staging: %u datagrams sent, then %u writable staging pages rewritten with 0xee",
	    sent, b->nstaged_rw);
	sync_point("rewritten");
	a = probe(b, 1);
	result(c, "staged %s: %u rx staging pages mapped, %u datagrams, pages rewritten after",
	       alive_word(a), b->nstaged_rw, sent);
	be_down(b);
	return 0;
}

/*
 * One frame of the xdp-headroom-lie case: its data at @off, with an XDP
 * extra that says @says (none if @says < 0).  @inrx: answered the way
 * the in-tree netback answers with headroom, offset 0 and a status that
 * counts the @off bytes before the data.  Returns 0 if produced.
 */
static int rx_xdp_frame(struct be *b, unsigned int off, int says, int inrx,
			unsigned long seq)
{
	uint8_t f[PAGE];
	volatile uint8_t *s;
	int id;

	if (rx_avail(b) < 2)
		return -1;
	mkframe(b, f, 600, seq);
	id = rx_fill(b, b->rx_cons, f, off, 600);
	if (id < 0)
		return -1;
	rx_put(b, b->rx_cons, id, inrx ? 0 : off,
	       RXF_VALID | (says >= 0 ? RXF_EXTRA : 0), inrx ? off + 600 : 600);
	b->rx_cons++;
	if (says >= 0) {
		/* type XDP (5), no more extras, u.xdp.headroom */
		rx_put_extra(b, b->rx_cons, 5, 0, 0, 0);
		s = rx_slot(b, b->rx_cons);
		wr16(s, 2, (uint16_t)says);
		b->rx_cons++;
	}
	rx_push(b);
	b->rx_frames++;
	return 0;
}

/*
 * With an XDP program attached in the guest: 20 frames that keep the
 * promise of their XDP extra (data at offset 256, extra 256), 20 that
 * break it (extra 256, data at 128: the program's buffer would start in
 * the middle of the packet, or its headroom hold packet data), 20 with no
 * extra at offset 0 (headroom ignored: usable, after a copy), and 20 laid
 * out as the in-tree netback lays them out (data at 256, answered with
 * offset 0 and status 256 + 600, extra 256: valid).  The guest's counters
 * tell what it made of each kind (tests/lab/hostile-be).
 */
static int c_xdp_headroom_lie(struct be *b, const struct ccase *c)
{
	static const struct {
		unsigned int off;
		int says;
		int intree;
	} kind[4] = { { 256, 256, 0 }, { 128, 256, 0 }, { 0, -1, 0 },
		      { 256, 256, 1 } };
	unsigned int k, i, n[4] = { 0, 0, 0, 0 };
	int a;

	warm(b);
	sync_point("warm");
	for (k = 0; k < 4; k++) {
		for (i = 0; i < 20; i++) {
			double end = now() + 5;
			int err;

			while ((err = rx_xdp_frame(b, kind[k].off, kind[k].says,
						   kind[k].intree,
						   1000 * k + i)) &&
			       now() < end)
				serve(b, 20, 0, 0);
			n[k] += !err;
			serve(b, 5, 0, 0);
		}
		wait_consumed(b, 5);
	}
	/* Counted here: the probe's frames are not the case's. */
	sync_point("played");
	a = probe(b, 1);
	result(c, "%s honest %u lying %u plain %u linux %u", alive_word(a),
	       n[0], n[1], n[2], n[3]);
	be_down(b);
	return 0;
}

static const struct ccase cases[] = {
	{ "honest", "honest rx and tx for --secs (a baseline, no attack)", c_honest },
	{ "honest-flood", "honest rx frames as fast as it can for --secs (the neighbour's baseline)", c_honest_flood },
	{ "event-storm", "XSA-391: events in a tight loop, no responses at all", c_event_storm },
	{ "half-packet-storm", "first slot of a 2-slot rx packet (more_data) then an event storm", c_half_packet_storm },
	{ "rx-prod-backwards", "XSA-391: rx rsp_prod moved 3 slots backwards", c_rx_prod_backwards },
	{ "rx-prod-ahead", "rx rsp_prod 1000 slots past the posted requests", c_rx_prod_ahead },
	{ "tx-prod-ahead", "tx rsp_prod 500 slots past the guest's requests", c_tx_prod_ahead },
	{ "tx-prod-backwards", "tx rsp_prod moved 3 slots backwards", c_tx_prod_backwards },
	{ "tx-rsp-dup", "XSA-405: a second tx response for an id already answered", c_tx_rsp_dup },
	{ "tx-rsp-inactive", "tx response for an id with no request outstanding", c_tx_rsp_inactive },
	{ "tx-rsp-reorder", "valid: tx responses in reverse order (must be accepted)", c_tx_rsp_reorder },
	{ "rx-id-mismatch", "rx response id != its slot's request id", c_rx_id_mismatch },
	{ "rx-offset-overflow", "rx response offset 4000 + size 600 > page", c_rx_offset_overflow },
	{ "rx-status-huge", "rx response status 5000 (bigger than a page)", c_rx_status_huge },
	{ "rx-status-negative", "rx response status -30000 (no such error code)", c_rx_status_negative },
	{ "rx-chain-long", "one rx packet chained over 30 slots (more_data)", c_rx_chain_long },
	{ "rx-extra-missing", "rx extra_info flagged but no extra slot produced", c_rx_extra_missing },
	{ "rx-extra-bad", "rx extra slot of unknown type 9", c_rx_extra_bad },
	{ "rx-gso-zero", "rx GSO extra with size 0", c_rx_gso_zero, 1 },
	{ "rx-gso-badtype", "rx GSO extra of unknown GSO type 7", c_rx_gso_badtype, 1 },
	{ "rx-grant-keep", "XSA-396: rx buffers kept mapped through teardown, then freed", c_rx_grant_keep },
	{ "tx-grant-keep", "XSA-396: tx pages kept mapped through teardown, then freed", c_tx_grant_keep },
	{ "rx-pages-zeroed", "XSA-403: posted rx buffers all zero after traffic; tx page tails", c_rx_pages_zeroed },
	{ "close-after-connect", "XSA-465: backend Closing right after the frontend connects", c_close_after_connect },
	{ "random-rsp", "seeded random responses, mostly valid, malformed mixed in", c_random_rsp },
	{ "staging-rx-rewrite", "staging: rx staging pages rewritten after the frames were answered", c_staging_rx_rewrite, 0, 1 },
	{ "xdp-headroom-lie", "XDP: rx frames whose XDP extra names a headroom the data does not leave", c_xdp_headroom_lie },
};
#define NCASES	(sizeof(cases) / sizeof(cases[0]))

static void usage(void)
{
	fprintf(stderr, "usage: hostbe DOMID CASE [--seed N] [--secs S] [--hold S] [--sync DIR]\n"
		"       hostbe list\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const struct ccase *c = NULL;
	struct be b;
	unsigned int i;
	int a;

	if (argc == 2 && !strcmp(argv[1], "list")) {
		for (i = 0; i < NCASES; i++)
			printf("%-20s %s\n", cases[i].name, cases[i].desc);
		return 0;
	}
	if (argc < 3)
		usage();
	for (i = 0; i < NCASES; i++)
		if (!strcmp(argv[2], cases[i].name))
			c = &cases[i];
	if (!c) {
		fprintf(stderr, "hostbe: no case %s (hostbe list)\n", argv[2]);
		return 2;
	}
	for (a = 3; a < argc; a++) {
		if (a + 1 >= argc)
			usage();
		if (!strcmp(argv[a], "--seed")) {
			opt_seed = strtoull(argv[++a], NULL, 0);
			seed_given = 1;
		} else if (!strcmp(argv[a], "--secs")) {
			opt_secs = strtoul(argv[++a], NULL, 0);
		} else if (!strcmp(argv[a], "--sync")) {
			opt_sync = argv[++a];
		} else if (!strcmp(argv[a], "--hold")) {
			opt_hold = strtoul(argv[++a], NULL, 0);
		} else if (!strcmp(argv[a], "--ip")) {
			static char ips[64];

			snprintf(ips, sizeof(ips), "%s", argv[++a]);
			opt_gip = ips;
			opt_hip = strchr(ips, ',');
			if (!opt_hip)
				usage();
			*(char *)opt_hip++ = 0;
		} else {
			usage();
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/*
	 * A real hostile backend sits in a domain of its own; here it shares
	 * dom0 with netback and the neighbour's iperf3.  At the lowest
	 * priority its own loops (a storm spins flat out) take only the CPU
	 * dom0 leaves idle, so the neighbour's rate measures what the
	 * attacked guest and netback do, not hostbe's own CPU.
	 */
	if (nice(19) < 0)
		say("nice: %s", strerror(errno));
	printf("case %s: %s\n", c->name, c->desc);
	if (be_open(&b, strtoul(argv[1], NULL, 0)))
		return 1;
	if (c->run != c_close_after_connect && be_up(&b, c->gso, c->ctrl)) {
		printf("result %s: not-played takeover failed\n", c->name);
		be_detach(&b);
		be_state(&b, 6);
		return 1;
	}
	/* The guest opens its device (NAPI runs only then): wait for it. */
	if (c->run != c_close_after_connect) {
		sync_point("up");
		serve(&b, 300, 0, 0);
	}
	c->run(&b, c);
	return 0;
}
