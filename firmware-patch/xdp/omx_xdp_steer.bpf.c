// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * omx_xdp_steer: put every omx frame on the CPU that serves its
 * destination endpoint, for NICs that cannot hash endpoints themselves.
 *
 * For a frame of ethertype 0x86DF that names a destination endpoint E
 * (common/omx_steer.h says which byte), the program redirects the frame
 * through a cpumap to the CPU of slot omx_steer_queue(E, N); the loader
 * (omx_xdp attach) fills the slot table with the N CPUs that were online,
 * in increasing id order.  The cpumap's kernel thread on that CPU then
 * builds the skb and runs the whole omx receive path there, so all the
 * frames of one endpoint are processed by one CPU.  Every other frame
 * (other protocols, omx frames without an endpoint such as HOST_QUERY or
 * RAW) goes on up the normal path: XDP_PASS.
 *
 * "xdp.frags": the program copes with multi-buffer frames, which is what
 * a veth at MTU 9000 requires; it only ever reads the first 32 bytes,
 * within the linear part.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "omx_steer.h"
#include "omx_xdp.h"

/* every byte the program reads is below this frame offset */
#define OMX_XDP_PEEK_LEN	32

_Static_assert(OMX_DST_ENDPOINT_OFFSET < OMX_XDP_PEEK_LEN &&
	       OMX_NACK_LIB_DST_OFFSET < OMX_XDP_PEEK_LEN &&
	       OMX_MAGIC_DST_OFFSET < OMX_XDP_PEEK_LEN,
	       "destination endpoint bytes lie in the peeked header");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct omx_xdp_config);
} omx_xdp_config SEC(".maps");

/* keyed by CPU id; the loader sizes it to the possible CPUs */
struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
} omx_xdp_cpumap SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, OMX_XDP_STAT_NR);
	__type(key, __u32);
	__type(value, struct omx_xdp_stat);
} omx_xdp_stats SEC(".maps");

static __always_inline void omx_xdp_count(__u32 index, __u64 len)
{
	struct omx_xdp_stat *stat = bpf_map_lookup_elem(&omx_xdp_stats, &index);

	if (stat) {
		stat->frames++;
		stat->bytes += len;
	}
}

SEC("xdp.frags")
int omx_xdp_steer(struct xdp_md *ctx)
{
	const __u8 *data = (const __u8 *)(long)ctx->data;
	const __u8 *end = (const __u8 *)(long)ctx->data_end;
	__u64 len = bpf_xdp_get_buff_len(ctx);
	struct omx_xdp_config *cfg;
	__u32 zero = 0, slot, cpu;
	int off;
	long ret;

	if (data + OMX_ETH_HLEN > end || data[12] != (OMX_ETH_P >> 8) ||
	    data[13] != (OMX_ETH_P & 0xff)) {
		omx_xdp_count(OMX_XDP_STAT_NOT_OMX, len);
		return XDP_PASS;
	}
	if (data + OMX_XDP_PEEK_LEN > end) {
		omx_xdp_count(OMX_XDP_STAT_NO_ENDPOINT, len);
		return XDP_PASS;
	}
	off = omx_steer_dst_offset(data[OMX_PTYPE_OFFSET]);
	/* keep the bound check even where clang can prove it: the verifier cannot */
	barrier_var(off);
	if (off < 0 || off >= OMX_XDP_PEEK_LEN) {
		omx_xdp_count(OMX_XDP_STAT_NO_ENDPOINT, len);
		return XDP_PASS;
	}

	cfg = bpf_map_lookup_elem(&omx_xdp_config, &zero);
	if (!cfg || !cfg->nr_slots) {
		omx_xdp_count(OMX_XDP_STAT_UNSTEERED, len);
		return XDP_PASS;
	}
	slot = omx_steer_queue(data[off], cfg->nr_slots);
	barrier_var(slot);
	if (slot >= OMX_XDP_SLOTS_MAX) {
		omx_xdp_count(OMX_XDP_STAT_UNSTEERED, len);
		return XDP_PASS;
	}
	cpu = cfg->cpus[slot];

	/* no cpumap entry for that CPU: pass the frame rather than drop it */
	ret = bpf_redirect_map(&omx_xdp_cpumap, cpu, XDP_PASS);
	omx_xdp_count(ret == XDP_REDIRECT ? slot : OMX_XDP_STAT_UNSTEERED, len);
	return (int)ret;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
