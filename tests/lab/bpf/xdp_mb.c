// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_mb: a frags-aware XDP program for the lab's multi-buffer checks
 * (tests/lab/xdp).  Its section, "xdp.frags", makes libbpf and libxdp
 * load it with BPF_F_XDP_HAS_FRAGS, so a driver hands it frames larger
 * than one buffer as multi-buffer xdp_buffs instead of refusing it.
 *
 * Per frame it counts, in mb_stats (an array of one struct, updated with
 * atomic adds, so bpftool reads exact totals):
 *   frames     frames seen
 *   bytes      their whole length, all buffers (bpf_xdp_get_buff_len)
 *   head       the bytes of their first buffers (data_end - data)
 *   multi      frames longer than their first buffer (multi-buffer)
 *   tail_read  frames whose last byte bpf_xdp_load_bytes could read
 *   tail_5a    of those, frames whose last byte is 0x5a (udpburst's fill)
 *
 * It then passes or drops the frame as mb_cfg[0] says: MB_PASS (0, the
 * default) or MB_DROP (1).  From a shell:
 *   bpftool map update name mb_cfg key 0 0 0 0 value 1 0 0 0   (drop)
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define MB_PASS	0
#define MB_DROP	1

struct mb_stats {
	__u64 frames;
	__u64 bytes;
	__u64 head;
	__u64 multi;
	__u64 tail_read;
	__u64 tail_5a;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct mb_stats);
} mb_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} mb_cfg SEC(".maps");

SEC("xdp.frags")
int xdp_mb(struct xdp_md *ctx)
{
	__u32 head = ctx->data_end - ctx->data;
	__u32 key = 0, *cfg;
	struct mb_stats *s;
	__u64 len;
	__u8 last;

	len = bpf_xdp_get_buff_len(ctx);
	s = bpf_map_lookup_elem(&mb_stats, &key);
	if (s) {
		__sync_fetch_and_add(&s->frames, 1);
		__sync_fetch_and_add(&s->bytes, len);
		__sync_fetch_and_add(&s->head, head);
		if (len > head)
			__sync_fetch_and_add(&s->multi, 1);
		/* The last byte sits in the last fragment of a multi-buffer frame. */
		if (len && !bpf_xdp_load_bytes(ctx, len - 1, &last, 1)) {
			__sync_fetch_and_add(&s->tail_read, 1);
			if (last == 0x5a)
				__sync_fetch_and_add(&s->tail_5a, 1);
		}
	}
	cfg = bpf_map_lookup_elem(&mb_cfg, &key);
	if (cfg && *cfg == MB_DROP)
		return XDP_DROP;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
