// SPDX-License-Identifier: GPL-2.0
/*
 * udphold: hold received UDP datagrams unread, then check them.  For the
 * hostile-be case staging-rx-rewrite: the backend sends datagrams into the
 * guest's staging pages and rewrites those pages afterwards; a frontend
 * that handed the staging pages themselves to the stack would let the
 * rewrite reach datagrams still queued on this socket.
 *
 *   udphold PORT FILE SECS
 *
 * Binds UDP PORT at once, then waits (up to SECS seconds) for FILE to
 * exist before reading anything: until then every datagram stays queued.
 * Then reads what is queued and checks each payload: byte i must be
 * (seq * 31 + i) & 0xff, seq being the payload's first four bytes (big
 * endian).  Prints
 *
 *   udphold: N datagrams, K intact, M changed
 *
 * and exits 0 when N > 0 and M == 0, 1 otherwise, 2 on errors.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	unsigned long n = 0, ok = 0, bad = 0;
	unsigned char buf[2048];
	int fd, rcv = 4 << 20;
	double secs;
	ssize_t len;

	if (argc != 4) {
		fprintf(stderr, "usage: udphold PORT FILE SECS\n");
		return 2;
	}
	secs = atof(argv[3]);
	a.sin_port = htons(atoi(argv[1]));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		perror("udphold: socket");
		return 2;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	printf("udphold: bound to port %s\n", argv[1]);
	fflush(stdout);
	for (int i = 0; i < secs * 20 && access(argv[2], F_OK); i++)
		usleep(50000);
	while ((len = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) >= 0) {
		unsigned long seq;
		int changed = 0;

		n++;
		if (len < 4) {
			bad++;
			continue;
		}
		seq = (unsigned long)buf[0] << 24 | buf[1] << 16 |
		      buf[2] << 8 | buf[3];
		for (ssize_t i = 4; i < len; i++)
			changed |= buf[i] != (unsigned char)(seq * 31 + i);
		if (changed)
			bad++;
		else
			ok++;
	}
	if (errno != EAGAIN && errno != EWOULDBLOCK) {
		perror("udphold: recv");
		return 2;
	}
	printf("udphold: %lu datagrams, %lu intact, %lu changed\n", n, ok, bad);
	return n && !bad ? 0 : 1;
}
