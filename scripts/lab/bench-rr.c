// SPDX-License-Identifier: GPL-2.0
/*
 * bench-rr: TCP request/response rate, for the lab benchmark (make bench).
 *
 * The lab images carry no netperf, and iperf3 has no request/response
 * mode, so this is the smallest honest tool for it: one TCP connection,
 * the client sends a request of SIZE bytes, waits until the whole SIZE
 * byte answer is back, and only then sends the next one.  The count of
 * completed round trips per second is the result (netperf's TCP_RR).
 *
 *   bench-rr server PORT            serve forever (one child per client)
 *   bench-rr client ADDR PORT SECS [SIZE]
 *                                   prints "transactions N seconds S tps T"
 *
 * ADDR is a numeric IPv4 address.  Built static on the host by
 * scripts/xenlab (as every scripts/lab C file) and put into the dom0 and guest images.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RR_MAX_SIZE 65536

static char buf[RR_MAX_SIZE];

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Move exactly len bytes; 0 on success, -1 on error or end of stream. */
static int xfer(int fd, size_t len, int out)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = out ? write(fd, buf + done, len - done) :
			  read(fd, buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += n;
	}
	return 0;
}

static void nodelay(int fd)
{
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/* Echo whatever arrives, as it arrives, until the client goes away. */
static void echo(int fd)
{
	ssize_t n;

	nodelay(fd);
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || xfer(fd, n, 1))
			break;
	}
	close(fd);
}

static int server(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int ls, fd, one = 1;

	signal(SIGCHLD, SIG_IGN);	/* no zombies from finished clients */
	ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0)
		return perror("socket"), 1;
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(ls, (struct sockaddr *)&sa, sizeof(sa)) || listen(ls, 16))
		return perror("bind/listen"), 1;
	for (;;) {
		fd = accept(ls, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR)
				continue;
			return perror("accept"), 1;
		}
		if (fork() == 0) {
			close(ls);
			echo(fd);
			_exit(0);
		}
		close(fd);
	}
}

static int client(const char *addr, int port, double secs, size_t size)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	double start, end, t;
	unsigned long n = 0;
	int fd;

	sa.sin_port = htons(port);
	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		return fprintf(stderr, "bad address %s\n", addr), 2;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return perror("connect"), 1;
	nodelay(fd);
	memset(buf, 'r', size);
	start = now_s();
	end = start + secs;
	do {
		if (xfer(fd, size, 1) || xfer(fd, size, 0))
			return perror("transaction"), 1;
		n++;
		t = now_s();
	} while (t < end);
	close(fd);
	printf("transactions %lu seconds %.3f tps %.1f\n", n, t - start,
	       n / (t - start));
	return 0;
}

int main(int argc, char **argv)
{
	size_t size = 1;

	if (argc == 3 && !strcmp(argv[1], "server"))
		return server(atoi(argv[2]));
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "client")) {
		if (argc == 6)
			size = strtoul(argv[5], NULL, 0);
		if (size < 1 || size > RR_MAX_SIZE)
			return fprintf(stderr, "size 1..%d\n", RR_MAX_SIZE), 2;
		return client(argv[2], atoi(argv[3]), atof(argv[4]), size);
	}
	fprintf(stderr, "usage: bench-rr server PORT\n"
		"       bench-rr client ADDR PORT SECS [SIZE]\n");
	return 2;
}
