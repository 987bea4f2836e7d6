# SPDX-License-Identifier: GPL-2.0-or-later
# What tests/wireshark/capture.sh makes the boards of a pair guest send,
# and so what tests/wireshark/check_capture.py expects to read back from a
# capture on veth0: one place for the values both must agree on.
#
# MX traffic: mx_exchange (tests/mx) between board 0 endpoint EP_A and
# board 1 endpoint EP_B, one iteration of SIZES (tiny, tiny, small,
# medium, 4-fragment medium, large), with its key and its match info
# (iteration << 40 | sending endpoint << 32 | size).
EP_A=2
EP_B=3
SIZES="0 20 100 4000 30000 100000"
KEY=0x6d716578
match_of() { printf '0x%016x' $(($1 << 32 | $2)); }

# Frames built by hand (omx_send_frame) from a host that does not exist:
# a TINY to a closed endpoint of board 1 (answered by NACK_LIB), a PULL of
# a closed endpoint (answered by NACK_MCP) and a RAW frame, which no omx
# program sends; the values are ours, to find them again in the replies.
FAKE_MAC=02:00:00:00:00:77
FAKE_EP=5		# the fake sender's endpoint: the NACKs go there
CLOSED_EP=9		# never opened on board 1
NACK_SEQ=0x1234		# lib_seqnum of the refused TINY
PULL_HANDLE=0x00abcdef
PULL_MAGIC=0x6f6d7805	# omx's magic for endpoint FAKE_EP
RAW_DATA=6f6d782d636170747572652d726177	# "omx-capture-raw"
# Malformed frames from another fake host, with the validator's verdicts
# the dissector must give them, in the order they are sent.
BAD_MAC=02:00:00:00:00:66
BAD_VERDICTS="bad length|bad packet type|bad nack code"

# mac_hex MAC: the MAC without colons
mac_hex() { echo "$1" | tr -d :; }

# send_crafted IFNAME DSTMAC: the frames above, out of IFNAME to DSTMAC
send_crafted() {
	local good="$(mac_hex "$2") $(mac_hex $FAKE_MAC) 86df ffff"
	local bad="$(mac_hex "$2") $(mac_hex $BAD_MAC) 86df ffff"
	local ep seq handle magic
	ep=$(printf %02x $CLOSED_EP)
	seq=$(printf %04x $((NACK_SEQ)))
	handle=$(printf %08x $((PULL_HANDLE)))
	magic=$(printf %08x $((PULL_MAGIC)))
	# TINY, 0 bytes: dst, src, gen, length, checksum, seqnum, piggyack, match, session
	omx_send_frame "$1" "$good" 25${ep}$(printf %02x $FAKE_EP)00 0000 0000 $seq 0000 00000000 00000000 00000000 &&
	# PULL: dst, src, gen, session, total, rdma id, seqnum, pad, offset,
	# handle, magic, first_frame_offset, block_length, frame_index
	omx_send_frame "$1" "$good" 29${ep}$(printf %02x $FAKE_EP)00 00000000 00001000 00000001 00000000 \
		00000000 $handle $magic 00000000 00001000 00000000 &&
	omx_send_frame "$1" "$good" 01 $RAW_DATA &&
	# TINY declaring 64 bytes (> 32); type 5; NACK_LIB with reason 9
	omx_send_frame "$1" "$bad" 25${ep}0000 0040 0000 0000 0000 00000000 00000000 00000000 &&
	omx_send_frame "$1" "$bad" 05 &&
	omx_send_frame "$1" "$bad" 2c000009 00000000 00$(printf %02x $FAKE_EP)ffff 0000 0000
}
