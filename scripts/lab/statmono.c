// SPDX-License-Identifier: GPL-2.0
/*
 * statmono: do a device's totals ever step back?  Reads the standard
 * counters of one network device from sysfs as fast as it can (each read
 * is one ndo_get_stats64 call) and reports any counter that is lower than
 * it was on the round before.  A driver that folds a queue's counters into
 * the device's at disconnect must never let a reader see the queue zeroed
 * while the fold is not yet in the totals, nor both at once.
 *
 *   statmono IFNAME SECS
 *
 * Runs for SECS seconds or until SIGTERM/SIGINT, then prints
 *
 *   statmono IFNAME: R rounds, S step(s) back
 *
 * followed by the first few steps back ("rx_bytes 1234 -> 1000 in round
 * N").  The device vanishing ends the run early and is said.  Exits 0 when
 * no counter stepped back, 1 when one did, 2 on usage or when the device
 * was never readable.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const names[] = {
	"rx_packets", "rx_bytes", "rx_dropped",
	"tx_packets", "tx_bytes", "tx_dropped",
};

#define NCTR (sizeof(names) / sizeof(names[0]))
#define NSHOW 5

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* One counter from an open sysfs file: 0, or -1 when it cannot be read. */
static int read_ctr(int fd, unsigned long long *v)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	char *end;

	if (n <= 0)
		return -1;
	buf[n] = 0;
	errno = 0;
	*v = strtoull(buf, &end, 10);
	if (errno || end == buf)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long prev[NCTR], cur, rounds = 0, back = 0;
	char path[256], show[NSHOW][128];
	struct sigaction sa = { .sa_handler = on_signal };
	struct timespec t0, t;
	int fd[NCTR], have = 0, gone = 0;
	unsigned int i;
	double secs;

	if (argc != 3 || (secs = atof(argv[2])) <= 0) {
		fprintf(stderr, "usage: statmono IFNAME SECS\n");
		return 2;
	}
	for (i = 0; i < NCTR; i++) {
		snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s",
			 argv[1], names[i]);
		fd[i] = open(path, O_RDONLY);
		if (fd[i] < 0) {
			fprintf(stderr, "statmono: %s: %s\n", path,
				strerror(errno));
			return 2;
		}
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!stop) {
		for (i = 0; i < NCTR; i++) {
			if (read_ctr(fd[i], &cur)) {
				gone = 1;
				break;
			}
			if (have && cur < prev[i]) {
				if (back < NSHOW)
					snprintf(show[back], sizeof(show[0]),
						 "%s %llu -> %llu in round %llu",
						 names[i], prev[i], cur, rounds);
				back++;
			}
			prev[i] = cur;
		}
		if (gone)
			break;
		have = 1;
		rounds++;
		if (!(rounds & 255)) {
			clock_gettime(CLOCK_MONOTONIC, &t);
			if (t.tv_sec - t0.tv_sec +
			    (t.tv_nsec - t0.tv_nsec) / 1e9 >= secs)
				break;
		}
	}
	printf("statmono %s: %llu rounds, %llu step(s) back%s\n", argv[1],
	       rounds, back, gone ? " (the device went away)" : "");
	for (i = 0; i < back && i < NSHOW; i++)
		printf("  %s\n", show[i]);
	if (!have)
		return 2;
	return back ? 1 : 0;
}
