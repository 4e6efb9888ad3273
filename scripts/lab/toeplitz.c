// SPDX-License-Identifier: GPL-2.0
/*
 * toeplitz: the Toeplitz hash a backend computes for a flow, worked out
 * independently of the drivers, for the lab scenario ctrl-rss.
 *
 *   toeplitz KEY SRC DST [SPORT DPORT]
 *
 * KEY is hex bytes, with or without ':' between them (as "ethtool -x"
 * prints it); SRC and DST are IPv4 or IPv6 addresses of the packet as it
 * travels (for packets to a guest: dom0's address, then the guest's).
 * With ports, the input is addresses then ports (the TCP hash types),
 * without, addresses only.  Prints the hash as 0x%08x.
 *
 * The hash: for each bit of the input, most significant first, if it is
 * set, XOR in the 32 key bits that start at that bit's position.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_key(const char *s, uint8_t *key, size_t max)
{
	size_t n = 0;
	unsigned int v;

	while (*s) {
		if (*s == ':') {
			s++;
			continue;
		}
		if (!isxdigit((unsigned char)s[0]) ||
		    !isxdigit((unsigned char)s[1]) || n == max ||
		    sscanf(s, "%2x", &v) != 1)
			return -1;
		key[n++] = v;
		s += 2;
	}
	return n;
}

/* The address in network order; returns its length, 0 if it is none. */
static size_t parse_addr(const char *s, uint8_t *out)
{
	if (inet_pton(AF_INET, s, out) == 1)
		return 4;
	if (inet_pton(AF_INET6, s, out) == 1)
		return 16;
	return 0;
}

static uint32_t key_bits(const uint8_t *key, int key_len, unsigned int bit)
{
	uint32_t v = 0;
	unsigned int i;

	for (i = 0; i < 32; i++) {
		unsigned int b = bit + i, byte = b / 8;
		int set = byte < (unsigned int)key_len &&
			  (key[byte] & (0x80 >> (b % 8)));

		v = (v << 1) | (set ? 1 : 0);
	}
	return v;
}

int main(int argc, char **argv)
{
	uint8_t key[64], in[40];
	size_t len, alen, i;
	uint32_t hash = 0;
	int key_len;

	if (argc != 4 && argc != 6) {
		fprintf(stderr, "usage: toeplitz KEY SRC DST [SPORT DPORT]\n");
		return 2;
	}
	key_len = parse_key(argv[1], key, sizeof(key));
	alen = parse_addr(argv[2], in);
	if (key_len < 0 || !alen || parse_addr(argv[3], in + alen) != alen) {
		fprintf(stderr, "toeplitz: bad key or addresses\n");
		return 2;
	}
	len = 2 * alen;
	if (argc == 6) {
		uint16_t sp = htons(atoi(argv[4])), dp = htons(atoi(argv[5]));

		memcpy(in + len, &sp, 2);
		memcpy(in + len + 2, &dp, 2);
		len += 4;
	}
	for (i = 0; i < len * 8; i++)
		if (in[i / 8] & (0x80 >> (i % 8)))
			hash ^= key_bits(key, key_len, i);
	printf("0x%08x\n", hash);
	return 0;
}
