// SPDX-License-Identifier: GPL-2.0
/*
 * xfer: move a known stream over TCP and check every byte of it, for the
 * lab's data-integrity scenario.
 *
 * Both ends generate the same pseudo-random stream from a seed (xorshift64),
 * so neither needs the data stored: the sender writes it, the receiver
 * compares what arrives with what it expects, byte for byte, and both print
 * a checksum (FNV-1a 64) of the bytes they handled, which the scenario
 * compares across the two domains.
 *
 *   xfer recv PORT SEED BYTES      accept one connection, check the stream
 *   xfer send ADDR PORT SEED BYTES connect (IPv4 or IPv6 address), send
 *
 * Both print "bytes N fnv HEX" and exit 0; the receiver exits 1 at the
 * first wrong byte ("mismatch at OFFSET") or on a short stream.  IPv6
 * link-local addresses take a zone: fe80::1%eth0.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHUNK	65536

struct stream {
	uint64_t state;
	uint64_t fnv;
	uint64_t done;
};

static void stream_init(struct stream *s, uint64_t seed)
{
	s->state = seed ? seed : 0x9e3779b97f4a7c15ULL;
	s->fnv = 0xcbf29ce484222325ULL;
	s->done = 0;
}

/* The next n bytes of the stream (n a multiple of 8). */
static void stream_fill(struct stream *s, unsigned char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i += 8) {
		uint64_t x = s->state;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		s->state = x;
		memcpy(buf + i, &x, 8);
	}
}

static void stream_sum(struct stream *s, const unsigned char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		s->fnv ^= buf[i];
		s->fnv *= 0x100000001b3ULL;
	}
	s->done += n;
}

static int sock_for(const char *addr, const char *port, int listening)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM };
	struct addrinfo *res;
	int fd, one = 1, err;

	hints.ai_family = listening ? AF_INET6 : AF_UNSPEC;
	hints.ai_flags = listening ? AI_PASSIVE : AI_NUMERICHOST;
	err = getaddrinfo(addr, port, &hints, &res);
	if (err) {
		fprintf(stderr, "xfer: %s: %s\n", addr ? addr : "any",
			gai_strerror(err));
		return -1;
	}
	fd = socket(res->ai_family, SOCK_STREAM, 0);
	if (fd < 0)
		goto fail;
	if (listening) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, res->ai_addr, res->ai_addrlen) || listen(fd, 1))
			goto fail;
	} else if (connect(fd, res->ai_addr, res->ai_addrlen)) {
		goto fail;
	}
	freeaddrinfo(res);
	return fd;
fail:
	perror("xfer");
	freeaddrinfo(res);
	return -1;
}

static int do_send(int fd, struct stream *s, uint64_t bytes)
{
	static unsigned char buf[CHUNK];

	while (s->done < bytes) {
		size_t n = bytes - s->done < CHUNK ? bytes - s->done : CHUNK;
		size_t off = 0;

		stream_fill(s, buf, CHUNK);
		while (off < n) {
			ssize_t w = write(fd, buf + off, n - off);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				perror("xfer: write");
				return 1;
			}
			off += w;
		}
		stream_sum(s, buf, n);
	}
	return 0;
}

static int do_recv(int fd, struct stream *s, uint64_t bytes)
{
	static unsigned char want[CHUNK], got[CHUNK];
	size_t have = 0, i;

	while (s->done < bytes) {
		size_t n = bytes - s->done < CHUNK ? bytes - s->done : CHUNK;
		ssize_t r;

		if (!have)
			stream_fill(s, want, CHUNK);
		r = read(fd, got + have, n - have);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			fprintf(stderr, "xfer: stream ended after %llu of %llu bytes\n",
				(unsigned long long)(s->done + have),
				(unsigned long long)bytes);
			return 1;
		}
		for (i = have; i < have + r; i++) {
			if (got[i] != want[i]) {
				fprintf(stderr, "xfer: mismatch at offset %llu\n",
					(unsigned long long)(s->done + i));
				return 1;
			}
		}
		have += r;
		if (have == n) {
			stream_sum(s, got, n);
			have = 0;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	int recv = argc == 5 && !strcmp(argv[1], "recv");
	int send = argc == 6 && !strcmp(argv[1], "send");
	struct stream s;
	int fd, conn, rc;

	if (!recv && !send) {
		fprintf(stderr, "usage: xfer recv PORT SEED BYTES\n"
			"       xfer send ADDR PORT SEED BYTES\n");
		return 2;
	}
	stream_init(&s, strtoull(argv[argc - 2], NULL, 0));
	if (recv) {
		fd = sock_for(NULL, argv[2], 1);
		if (fd < 0)
			return 1;
		conn = accept(fd, NULL, NULL);
		if (conn < 0) {
			perror("xfer: accept");
			return 1;
		}
		rc = do_recv(conn, &s, strtoull(argv[4], NULL, 0));
	} else {
		conn = sock_for(argv[2], argv[3], 0);
		if (conn < 0)
			return 1;
		rc = do_send(conn, &s, strtoull(argv[5], NULL, 0));
		shutdown(conn, SHUT_WR);
	}
	close(conn);
	printf("bytes %llu fnv %016llx\n", (unsigned long long)s.done,
	       (unsigned long long)s.fnv);
	return rc;
}
