// SPDX-License-Identifier: GPL-2.0
/*
 * gntmap: play a backend that keeps a guest's rx buffer mapped, for the
 * lab scenario netfront-rxmap.  From dom0, through /dev/xen/gntdev:
 *
 *   gntmap DOMID RX_RING_REF SECONDS
 *
 * maps the guest's rx ring (read-only), takes the newest rx request the
 * guest has posted and the backend has not answered, maps that buffer's
 * grant (read-only is enough: Xen then counts the grant as in use), says
 *
 *   mapped ring REF rx gref G id I
 *
 * on stdout, holds both mappings for SECONDS, unmaps them and exits 0.
 * Exits 1 with a message on stderr if anything fails.
 *
 * Layout (xen/interface/io/netif.h, ring.h): the shared ring page starts
 * with req_prod, req_event, rsp_prod, rsp_event (32 bits each) and 48
 * bytes of padding; then 256 entries of 8 bytes, an rx request being
 * {u16 id, u16 pad, u32 gref}.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* The uapi header uses the hypervisor interface's names. */
typedef uint32_t grant_ref_t;
typedef uint16_t domid_t;
#include <xen/gntdev.h>

#define PAGE		4096
#define RING_HDR	64
#define RING_SLOTS	256

struct mapping {
	void *addr;
	uint64_t index;
};

/* Undo map_one(); an mmap that failed leaves only the grant to unmap. */
static void unmap_one(int fd, struct mapping *m)
{
	struct ioctl_gntdev_unmap_grant_ref un;

	if (m->addr != MAP_FAILED)
		munmap(m->addr, PAGE);
	memset(&un, 0, sizeof(un));
	un.index = m->index;
	un.count = 1;
	ioctl(fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &un);
}

static int map_one(int fd, uint32_t domid, uint32_t ref, struct mapping *m)
{
	struct ioctl_gntdev_map_grant_ref op;

	memset(&op, 0, sizeof(op));
	op.count = 1;
	op.refs[0].domid = domid;
	op.refs[0].ref = ref;
	if (ioctl(fd, IOCTL_GNTDEV_MAP_GRANT_REF, &op)) {
		fprintf(stderr, "gntmap: map ioctl for ref %u: %s\n", ref,
			strerror(errno));
		return -1;
	}
	m->index = op.index;
	m->addr = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, op.index);
	if (m->addr == MAP_FAILED) {
		fprintf(stderr, "gntmap: mmap of ref %u: %s\n", ref,
			strerror(errno));
		unmap_one(fd, m);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct mapping ring, buf;
	uint32_t domid, ring_ref, req_prod, rsp_prod, idx, gref;
	const volatile uint8_t *r;
	unsigned int secs;
	uint16_t id;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: gntmap DOMID RX_RING_REF SECONDS\n");
		return 1;
	}
	domid = strtoul(argv[1], NULL, 0);
	ring_ref = strtoul(argv[2], NULL, 0);
	secs = strtoul(argv[3], NULL, 0);
	fd = open("/dev/xen/gntdev", O_RDWR);
	if (fd < 0) {
		perror("gntmap: /dev/xen/gntdev");
		return 1;
	}
	if (map_one(fd, domid, ring_ref, &ring))
		return 1;
	r = ring.addr;
	req_prod = *(const volatile uint32_t *)(r + 0);
	rsp_prod = *(const volatile uint32_t *)(r + 8);
	__sync_synchronize(); /* requests only after the index covering them */
	if (req_prod - rsp_prod == 0 || req_prod - rsp_prod > RING_SLOTS) {
		fprintf(stderr, "gntmap: no outstanding rx request (req_prod %u rsp_prod %u)\n",
			req_prod, rsp_prod);
		unmap_one(fd, &ring);
		return 1;
	}
	idx = (req_prod - 1) % RING_SLOTS;
	id = *(const volatile uint16_t *)(r + RING_HDR + idx * 8);
	gref = *(const volatile uint32_t *)(r + RING_HDR + idx * 8 + 4);
	if (map_one(fd, domid, gref, &buf)) {
		unmap_one(fd, &ring);
		return 1;
	}
	printf("mapped ring %u rx gref %u id %u\n", ring_ref, gref, id);
	fflush(stdout);
	sleep(secs);
	unmap_one(fd, &buf);
	unmap_one(fd, &ring);
	printf("unmapped\n");
	return 0;
}
