// SPDX-License-Identifier: GPL-2.0
/*
 * udpburst: send an exact number of UDP datagrams from one socket (one
 * flow, so one queue), as fast as the socket takes them, for lab
 * scenarios that need to fill a known number of ring slots.
 *
 *   udpburst ADDR[,ADDR...] PORT[-LAST] COUNT [BYTES]
 *                                (BYTES of payload, default 64)
 *
 * COUNT datagrams go to each address and port from a socket of its own:
 * as many flows as address-port pairs, for spreading packets over every
 * queue without starting a process per flow (which costs more than the
 * datagrams under emulation).  Several addresses are for receivers that
 * hash UDP over the addresses only, as RSS through the netif control
 * ring does (its hash types have no UDP ports).
 *
 * Prints "sent N" and exits 0 when all went out, 1 otherwise.  Nobody
 * needs to listen at ADDR: a datagram is one rx slot whether or not the
 * guest's stack wants it.  IPv6 link-local addresses take a zone
 * (fe80::1%vif1.0).
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static char buf[8972];	/* the UDP payload of a 9000-byte IPv4 frame */

/* COUNT datagrams of LEN bytes to ADDR:PORT from a new socket */
static unsigned long burst(const char *addr, const char *port,
			   unsigned long count, unsigned long len)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *ai;
	unsigned long sent = 0;
	int fd, err;

	err = getaddrinfo(addr, port, &hints, &ai);
	if (err) {
		fprintf(stderr, "udpburst: %s: %s\n", addr, gai_strerror(err));
		exit(2);
	}
	fd = socket(ai->ai_family, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		perror("udpburst");
		exit(2);
	}
	while (sent < count) {
		if (send(fd, buf, len, 0) == (ssize_t)len) {
			sent++;
			continue;
		}
		/* A full qdisc or socket buffer: wait a little, go on. */
		if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) {
			usleep(1000);
			continue;
		}
		/* An ICMP error from an earlier datagram: not ours to judge. */
		if (errno == ECONNREFUSED)
			continue;
		perror("udpburst: send");
		break;
	}
	freeaddrinfo(ai);
	close(fd);
	return sent;
}

int main(int argc, char **argv)
{
	unsigned long count, len = 64, sent = 0, first, last, p, flows = 0;
	char port[8], *end, *addr, *next;

	if (argc < 4 || argc > 5) {
		fprintf(stderr,
			"usage: udpburst ADDR[,ADDR...] PORT[-LAST] COUNT [BYTES]\n");
		return 2;
	}
	first = strtoul(argv[2], &end, 10);
	last = *end == '-' ? strtoul(end + 1, NULL, 10) : first;
	count = strtoul(argv[3], NULL, 10);
	if (argc == 5)
		len = strtoul(argv[4], NULL, 10);
	if (len > sizeof(buf) || !first || last < first || last > 65535) {
		fprintf(stderr, "udpburst: at most %zu bytes, ports 1-65535\n",
			sizeof(buf));
		return 2;
	}
	memset(buf, 0x5a, sizeof(buf));
	for (addr = argv[1]; addr; addr = next) {
		next = strchr(addr, ',');
		if (next)
			*next++ = '\0';
		for (p = first; p <= last; p++) {
			snprintf(port, sizeof(port), "%lu", p);
			sent += burst(addr, port, count, len);
			flows++;
		}
	}
	printf("sent %lu\n", sent);
	return sent == count * flows ? 0 : 1;
}
