// SPDX-License-Identifier: GPL-2.0
/*
 * udpburst: send an exact number of UDP datagrams from one socket (one
 * flow, so one queue), as fast as the socket takes them, for lab
 * scenarios that need to fill a known number of ring slots.
 *
 *   udpburst ADDR PORT COUNT [BYTES]     (BYTES of payload, default 64)
 *
 * Prints "sent N" and exits 0 when all COUNT went out, 1 otherwise.
 * Nobody needs to listen at ADDR: a datagram is one rx slot whether or
 * not the guest's stack wants it.  IPv6 link-local addresses take a zone
 * (fe80::1%vif1.0).
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *ai;
	unsigned long count, len = 64, sent = 0;
	static char buf[1400];
	int fd, err;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: udpburst ADDR PORT COUNT [BYTES]\n");
		return 2;
	}
	count = strtoul(argv[3], NULL, 10);
	if (argc == 5)
		len = strtoul(argv[4], NULL, 10);
	if (len > sizeof(buf)) {
		fprintf(stderr, "udpburst: at most %zu bytes\n", sizeof(buf));
		return 2;
	}
	err = getaddrinfo(argv[1], argv[2], &hints, &ai);
	if (err) {
		fprintf(stderr, "udpburst: %s: %s\n", argv[1],
			gai_strerror(err));
		return 2;
	}
	fd = socket(ai->ai_family, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		perror("udpburst");
		return 2;
	}
	memset(buf, 0x5a, sizeof(buf));
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
	printf("sent %lu\n", sent);
	freeaddrinfo(ai);
	close(fd);
	return sent == count ? 0 : 1;
}
