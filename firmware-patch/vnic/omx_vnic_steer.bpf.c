// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Steering program of the virtual Myri-10G (firmware-patch/vnic).
 *
 * The tap driver runs it on every frame it is about to hand to qemu and
 * takes its return value, modulo the number of queues attached at that
 * moment, as the queue (and so the guest's rx queue and MSI-X vector) of
 * the frame.  For an omx frame we return the destination endpoint named
 * by the frame, as common/omx_steer.h finds it; the tap's modulo then
 * makes it omx_steer_queue(endpoint, attached queues), whatever number of
 * queues the guest enabled with `ethtool -L`.  Any other frame gets a
 * flow hash, so that ordinary traffic still spreads over the queues.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

#include "omx_steer.h"

/*
 * Enough of the frame to find the destination endpoint of every type:
 * the last steering byte is the PULL_REPLY magic's low byte.
 */
#define STEER_BYTES	(OMX_MAGIC_DST_OFFSET + 1)

/*
 * Endpoint indexes are one byte, so hashing over this many queues leaves
 * the index unchanged: the tap's own modulo does the real reduction.
 */
#define STEER_WIDE	256

/* FNV-1a over the Ethernet header: a flow hash for non-omx frames. */
static __always_inline __u32 flow_hash(struct __sk_buff *skb)
{
	__u8 eth[ETH_HLEN];
	__u32 h = 2166136261u;
	int i;

	if (skb->len < ETH_HLEN || bpf_skb_load_bytes(skb, 0, eth, ETH_HLEN))
		return skb->hash;
#pragma unroll
	for (i = 0; i < ETH_HLEN; i++) {
		h ^= eth[i];
		h *= 16777619u;
	}
	return h ^ skb->hash;
}

SEC("socket")
int omx_vnic_steer(struct __sk_buff *skb)
{
	__u8 frame[STEER_BYTES] = {};
	__u32 len = skb->len;
	__be16 proto;

	if (len < ETH_HLEN || bpf_skb_load_bytes(skb, 12, &proto, sizeof(proto)))
		return 0;
	if (proto != __builtin_bswap16(OMX_ETH_P))
		return flow_hash(skb);

	/* omx frames too short to carry an endpoint go to queue 0 (below). */
	if (len > STEER_BYTES)
		len = STEER_BYTES;
	if (len < OMX_PTYPE_OFFSET + 1)
		return 0;
	if (bpf_skb_load_bytes(skb, 0, frame, len))
		return 0;
	return omx_steer_frame_queue(frame, len, STEER_WIDE);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
