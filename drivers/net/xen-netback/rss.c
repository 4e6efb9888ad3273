// SPDX-License-Identifier: GPL-2.0
/*
 * Toeplitz hash for xen-netback's receive-side scaling.
 */
#include "xen-netback/rss.h"

/**
 * xnb_toeplitz() - Toeplitz hash of @data under @key
 * @key: the key; bytes beyond @key_len count as zero
 * @key_len: bytes in @key
 * @data: the input, in network order (addresses, then ports)
 * @len: bytes in @data
 *
 * For every set bit of the input, the 32 key bits starting at the same bit
 * position are XORed into the result.  A 64-bit window over the key slides
 * one bit per input bit and is refilled a byte at a time.
 *
 * Return: the hash.
 */
u32 xnb_toeplitz(const u8 *key, unsigned int key_len, const u8 *data,
		 unsigned int len)
{
	unsigned int i, bit, next;
	u64 window = 0;
	u32 hash = 0;

	for (next = 0; next < 8; next++)
		window = (window << 8) | (next < key_len ? key[next] : 0);
	for (i = 0; i < len; i++) {
		for (bit = 0; bit < 8; bit++) {
			if (data[i] & (0x80 >> bit))
				hash ^= (u32)(window >> 32);
			window <<= 1;
		}
		window |= next < key_len ? key[next] : 0;
		next++;
	}
	return hash;
}
