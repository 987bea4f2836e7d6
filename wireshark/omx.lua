-- SPDX-License-Identifier: GPL-2.0-or-later
--
-- Wireshark/tshark dissector for omx and Open-MX 1.5 frames (ethertype
-- 0x86DF).  docs/wire.md is the specification: every offset below is a
-- *frame* offset as that page counts them (from the destination MAC), so a
-- reader can put this file and the page side by side.  docs/wireshark.md
-- says how to install and use it.
--
-- The dissector mirrors the kernel's validator (omx_wire_validate() in
-- common/omx_wire_codec.c): a frame the receiver would drop as malformed is
-- flagged with the same verdict name (omx.verdict) and an expert item
-- (omx.malformed), so a capture shows what a receiver thinks of it.  It
-- never raises a Lua error on a short, cut or garbage frame: every byte is
-- read through helpers that check the captured length first.

local omx = Proto("omx", "omx (Open-MX / MX over Ethernet)")

-- Ethernet header length: our tvb starts at frame offset 14 (peer_index).
local ETH_HLEN = 14

----------------------------------------------------------------------
-- Wire constants (common/omx_wire.h)
----------------------------------------------------------------------
local TYPE = {
	NONE = 0, RAW = 1, MFM_NIC_REPLY = 2, HOST_QUERY = 3, HOST_REPLY = 4,
	ETHER_UNICAST = 32, ETHER_MULTICAST = 33, ETHER_NATIVE = 34,
	TRUC = 35, CONNECT = 36, TINY = 37, SMALL = 38, MEDIUM = 39, RNDV = 40,
	PULL = 41, PULL_REPLY = 42, NOTIFY = 43, NACK_LIB = 44, NACK_MCP = 45,
}
local TINY_MAX = 32
local SMALL_MAX = 128
local MEDIUM_MAX = 32768
local MEDIUM_FRAGS_MAX = 32
local MEDIUM_FRAG_LEN_MIN = 1024
local MEDIUM_FRAG_LEN_MAX = 8192
local PULL_REPLY_LEN_MAX = 8968
local PULL_REPLIES_PER_BLOCK = 32
local PULL_BLOCK_LEN_MAX = PULL_REPLIES_PER_BLOCK * PULL_REPLY_LEN_MAX
local HOSTNAME_LEN_MAX = 80
local RAW_FRAME_LEN_MAX = 1024
local TRUC_TYPE_ACK = 0x55
local TRUC_ACK_DATA_LEN = 16
local CONNECT_DATA_LEN = 16
local RNDV_DATA_LEN = 8
local RNDV_TOKEN_DATA_LEN = 12
local PULL_MAGIC_BASE = 0x6f6d7800	-- "omx\0": omx's pull magic
local OPENMX_MAGIC_XOR = 0x21071980	-- Open-MX 1.5's pull magic
local PEER_INDEX_UNKNOWN = 0xffff

local type_names = {
	[0] = "NONE", [1] = "RAW", [2] = "MFM_NIC_REPLY", [3] = "HOST_QUERY",
	[4] = "HOST_REPLY", [32] = "ETHER_UNICAST", [33] = "ETHER_MULTICAST",
	[34] = "ETHER_NATIVE", [35] = "TRUC", [36] = "CONNECT", [37] = "TINY",
	[38] = "SMALL", [39] = "MEDIUM", [40] = "RNDV", [41] = "PULL",
	[42] = "PULL_REPLY", [43] = "NOTIFY", [44] = "NACK_LIB", [45] = "NACK_MCP",
}
local nack_names = {
	[0] = "NONE", [1] = "BAD_ENDPT", [2] = "ENDPT_CLOSED",
	[3] = "BAD_SESSION", [4] = "BAD_RDMAWIN",
}
local connect_status_names = { [0] = "success", [11] = "bad key" }
local truc_type_names = { [TRUC_TYPE_ACK] = "ack" }
local is_reply_names = { [0] = "request", [1] = "reply" }

----------------------------------------------------------------------
-- Preferences
----------------------------------------------------------------------
-- The queue a multiqueue NIC puts a frame on depends on how many receive
-- queues it has (common/omx_steer.h: endpoint % N); the capture does not
-- say, so the user does.
omx.prefs.queues = Pref.uint("Receive queues",
	4, "Number of receive queues of the receiving NIC (queue = destination endpoint mod this)")
-- Fragment and pull reply sizes depend on the fabric-wide frame size
-- (docs/wire.md, "Size limits"); only the derived positions need it.
omx.prefs.mtu = Pref.enum("Fabric frame size", 9000,
	"Fabric-wide frame size, for medium fragment offsets and pull reply counts: "
	.. "9000 (fragments of 8192 bytes, pull replies of 8968) or 1500 (1452 and 1468)",
	{ { 1, "9000", 9000 }, { 2, "1500", 1500 } }, false)

local function frag_len_of(mtu)
	return mtu == 1500 and 1452 or 8192
end
local function reply_len_of(mtu)
	return mtu - 32
end

----------------------------------------------------------------------
-- Fields
----------------------------------------------------------------------
local F = {}
local function field(name, pf)
	F[name] = pf
end

field("peer_index", ProtoField.uint16("omx.peer_index", "Peer index", base.DEC))
field("type", ProtoField.uint8("omx.type", "Packet type", base.DEC, type_names))
field("verdict", ProtoField.string("omx.verdict", "Validator verdict"))
field("dst_endpoint", ProtoField.uint8("omx.dst_endpoint", "Destination endpoint", base.DEC))
field("src_endpoint", ProtoField.uint8("omx.src_endpoint", "Source endpoint", base.DEC))
field("gen", ProtoField.uint8("omx.gen", "Source generation", base.DEC))
field("queue", ProtoField.uint32("omx.queue", "Receive queue", base.DEC))
field("class", ProtoField.string("omx.class", "Message class"))
field("session", ProtoField.uint32("omx.session", "Session id", base.HEX))
-- 16-bit sequence numbers: 2 bits of partner session, 14 of count
field("lib_seqnum", ProtoField.uint16("omx.lib_seqnum", "Sequence number", base.HEX))
field("piggyack", ProtoField.uint16("omx.piggyack", "Piggybacked ack (next expected)", base.HEX))
field("seq_session", ProtoField.uint16("omx.seq.session", "Partner session number", base.DEC, nil, 0xc000))
field("seq_count", ProtoField.uint16("omx.seq.count", "Message count", base.DEC, nil, 0x3fff))
field("length", ProtoField.uint16("omx.length", "Length", base.DEC))
field("checksum", ProtoField.uint16("omx.checksum", "Checksum", base.HEX))
field("match", ProtoField.uint64("omx.match_info", "Match info", base.HEX))
field("match_hi", ProtoField.uint32("omx.match_hi", "Match info (high)", base.HEX))
field("match_lo", ProtoField.uint32("omx.match_lo", "Match info (low)", base.HEX))
field("msg_length", ProtoField.uint32("omx.msg_length", "Message length", base.DEC))
field("data", ProtoField.bytes("omx.data", "Data"))
-- MEDIUM
field("frag_length", ProtoField.uint16("omx.frag_length", "Fragment length", base.DEC))
field("frag_seqnum", ProtoField.uint8("omx.frag_seqnum", "Fragment number", base.DEC))
field("frag_offset", ProtoField.uint32("omx.frag_offset", "Fragment offset in the message", base.DEC))
field("frag_count", ProtoField.uint32("omx.frag_count", "Fragments in the message", base.DEC))
-- RNDV, PULL, NOTIFY: the pulled region
field("rdma_id", ProtoField.uint8("omx.rdma_id", "Pulled region id", base.DEC))
field("rdma_seqnum", ProtoField.uint8("omx.rdma_seqnum", "Pulled region generation", base.DEC))
field("token_lo", ProtoField.uint16("omx.token_lo", "Pull token (low 16 bits, rdma offset)", base.HEX))
field("token_hi", ProtoField.uint32("omx.token_hi", "Pull token (high 32 bits)", base.HEX))
field("rdma_offset", ProtoField.uint32("omx.rdma_offset", "Pulled rdma offset", base.DEC))
field("total_length", ProtoField.uint32("omx.total_length", "Total length", base.DEC))
-- PULL / PULL_REPLY / NACK_MCP: one name for the handle and magic of a
-- pull whatever side carries them, so "omx.pull_handle == X" follows one
-- pull through its PULLs, replies and refusal.
field("pull_handle", ProtoField.uint32("omx.pull_handle", "Pull handle", base.HEX))
field("magic", ProtoField.uint32("omx.magic", "Pull magic", base.HEX))
field("magic_endpoint", ProtoField.uint8("omx.magic.endpoint", "Puller endpoint (from magic)", base.DEC))
field("magic_kind", ProtoField.string("omx.magic.kind", "Magic encoding"))
field("first_frame_offset", ProtoField.uint32("omx.pull.first_frame_offset", "First frame offset", base.DEC))
field("block_length", ProtoField.uint32("omx.pull.block_length", "Block length", base.DEC))
field("frame_index", ProtoField.uint32("omx.pull.frame_index", "First reply index", base.DEC))
field("replies", ProtoField.uint32("omx.pull.replies", "Replies asked for", base.DEC))
field("frame_seqnum", ProtoField.uint8("omx.pull_reply.frame_seqnum", "Reply number (mod 256)", base.DEC))
field("frame_length", ProtoField.uint16("omx.pull_reply.frame_length", "Reply data length", base.DEC))
field("msg_offset", ProtoField.uint32("omx.pull_reply.msg_offset", "Offset in the message", base.DEC))
-- NACK_LIB / NACK_MCP
field("nack_type", ProtoField.uint8("omx.nack_type", "NACK reason", base.DEC, nack_names))
field("nack_peer_index", ProtoField.uint16("omx.nack.peer_index", "Peer index (copy of the head's)", base.DEC))
-- HOST_QUERY / HOST_REPLY
field("host_peer_index", ProtoField.uint16("omx.host.peer_index", "Target's peer index", base.DEC))
field("host_magic", ProtoField.uint32("omx.host.magic", "Query magic", base.HEX))
field("hostname_len", ProtoField.uint8("omx.host.hostname_len", "Hostname length", base.DEC))
field("hostname", ProtoField.string("omx.host.hostname", "Hostname"))
-- TRUC
field("data_len", ProtoField.uint8("omx.data_len", "Data length", base.DEC))
field("truc_type", ProtoField.uint8("omx.truc.type", "TRUC subtype", base.HEX, truc_type_names))
field("ack_session", ProtoField.uint32("omx.truc.ack_session", "Ack session", base.HEX))
field("acknum", ProtoField.uint32("omx.truc.acknum", "Ack number", base.DEC))
field("send_seq", ProtoField.uint16("omx.truc.send_seq", "Send sequence number", base.HEX))
field("truc_flags", ProtoField.uint8("omx.truc.flags", "Flags (resent)", base.HEX))
field("flag_resent", ProtoField.bool("omx.truc.flags.resent", "Retransmitted ack", 8, nil, 0x01))
field("flag_sync", ProtoField.bool("omx.truc.flags.sync", "Synchronous (older omx)", 8, nil, 0x02))
field("flag_matched", ProtoField.bool("omx.truc.flags.matched", "Matched (older omx)", 8, nil, 0x04))
field("flag_gap", ProtoField.bool("omx.truc.flags.gap", "Gap report (send_seq missing)", 8, nil, 0x08))
-- CONNECT
field("connect_peer_index", ProtoField.uint16("omx.connect.peer_index", "Target's peer index", base.DEC))
field("src_session", ProtoField.uint32("omx.connect.src_session", "Requester's session id", base.HEX))
field("app_key", ProtoField.uint32("omx.connect.app_key", "Application key", base.HEX))
field("target_session", ProtoField.uint32("omx.connect.target_session", "Replier's session id", base.HEX))
field("recv_start", ProtoField.uint16("omx.connect.recv_seqnum_start", "First accepted sequence number", base.HEX))
field("is_reply", ProtoField.uint8("omx.connect.is_reply", "Kind", base.DEC, is_reply_names))
field("connect_seqnum", ProtoField.uint8("omx.connect.seqnum", "Connect attempt", base.DEC))
field("status", ProtoField.uint8("omx.connect.status", "Status", base.DEC, connect_status_names))

local pf_list = {}
for _, pf in pairs(F) do
	pf_list[#pf_list + 1] = pf
end
omx.fields = pf_list

local ef_malformed = ProtoExpert.new("omx.malformed", "Malformed omx frame",
	expert.group.MALFORMED, expert.severity.ERROR)
local ef_cut = ProtoExpert.new("omx.cut", "Capture ends before the frame does",
	expert.group.UNDECODED, expert.severity.NOTE)
local ef_frag = ProtoExpert.new("omx.frag_mismatch", "Fragment does not fit the fragment size of the chosen frame size",
	expert.group.PROTOCOL, expert.severity.WARN)
local ef_nack = ProtoExpert.new("omx.nack", "Negative acknowledgment",
	expert.group.RESPONSE_CODE, expert.severity.NOTE)
omx.experts = { ef_malformed, ef_cut, ef_frag, ef_nack }

----------------------------------------------------------------------
-- Safe access: every read checks the captured length first, so a short
-- or cut frame yields nil instead of a Lua error.
----------------------------------------------------------------------
local Frame = {}
Frame.__index = Frame

local function new_frame(tvb, tree, pinfo)
	local f = setmetatable({}, Frame)
	f.tvb = tvb
	f.tree = tree
	f.pinfo = pinfo
	f.cap = tvb:len()			-- bytes captured, from frame offset 14
	f.len = tvb:reported_len() + ETH_HLEN	-- whole frame, as the receiver sees it
	f.info = {}
	return f
end

-- Is [off, off + n) (frame offsets) captured?
function Frame:has(off, n)
	return off >= ETH_HLEN and off - ETH_HLEN + n <= self.cap
end

function Frame:range(off, n)
	if n <= 0 or not self:has(off, n) then
		return nil
	end
	return self.tvb(off - ETH_HLEN, n)
end

function Frame:u8(off)
	local r = self:range(off, 1)
	return r and r:uint()
end

function Frame:u16(off)
	local r = self:range(off, 2)
	return r and r:uint()
end

function Frame:u32(off)
	local r = self:range(off, 4)
	return r and r:uint()
end

-- Add FIELD over frame bytes [off, off + n) to TREE (default the frame's
-- tree) if they are captured; returns the item and the value.
function Frame:add(name, off, n, tree)
	local r = self:range(off, n)
	if not r then
		return nil
	end
	local item = (tree or self.tree):add(F[name], r)
	local v = nil
	if n <= 4 then
		v = r:uint()
	end
	return item, v
end

-- A value computed from the frame rather than read from one place.
function Frame:generated(name, value, tree, off, n)
	local r = off and self:range(off, n)
	local item
	if r then
		item = (tree or self.tree):add(F[name], r, value)
	else
		item = (tree or self.tree):add(F[name], value)
	end
	item:set_generated()
	return item
end

function Frame:note(s)
	self.info[#self.info + 1] = s
end

-- Sequence numbers: the value with its session and count below it.
function Frame:add_seq(name, off)
	local item, v = self:add(name, off, 2)
	if item then
		local r = self:range(off, 2)
		item:add(F.seq_session, r)
		item:add(F.seq_count, r)
		item:append_text(string.format(" (session %d, count %d)",
			bit32.rshift(v, 14), bit32.band(v, 0x3fff)))
	end
	return v
end

function Frame:add_eps(dst_off, src_off)
	local _, dst = self:add("dst_endpoint", dst_off, 1)
	local _, src = nil, nil
	if src_off then
		_, src = self:add("src_endpoint", src_off, 1)
	end
	if dst and src then
		self:note(string.format("ep %d->%d", src, dst))
	elseif dst then
		self:note(string.format("to ep %d", dst))
	end
end

function Frame:add_payload(off, n)
	if n <= 0 then
		return
	end
	local avail = math.min(n, self.cap + ETH_HLEN - off)
	if avail > 0 then
		self:add("data", off, avail)
	end
end

----------------------------------------------------------------------
-- Validation: the rules of omx_wire_validate(), same order, same verdicts.
-- Each returns nil when the frame passes, or a verdict and a reason.
-- Values the capture does not hold are not checked (the frame is cut,
-- which is said separately).
----------------------------------------------------------------------
local function fits(fr, need)
	if need > fr.len then
		return "bad length", string.format("declares %d bytes, frame has %d", need, fr.len)
	end
end

local function check_raw(fr)
	if fr.len > RAW_FRAME_LEN_MAX then
		return "bad length", string.format("raw frame of %d bytes > %d", fr.len, RAW_FRAME_LEN_MAX)
	end
end

local function check_host_reply(fr)
	local n = fr:u8(17)
	if not n then return end
	if n == 0 or n > HOSTNAME_LEN_MAX then
		return "bad length", string.format("hostname_len %d not in 1..%d", n, HOSTNAME_LEN_MAX)
	end
	return fits(fr, 32 + n)
end

local function check_truc(fr)
	local n, sub = fr:u8(20), fr:u8(28)
	if not (n and sub) then return end
	if sub ~= TRUC_TYPE_ACK then
		return "bad subtype", string.format("TRUC subtype 0x%02x", sub)
	end
	if n < TRUC_ACK_DATA_LEN then
		return "bad length", string.format("data_len %d < %d", n, TRUC_ACK_DATA_LEN)
	end
	return fits(fr, 28 + n)
end

local function check_connect(fr)
	local n, rep = fr:u8(20), fr:u8(42)
	if not (n and rep) then return end
	if rep > 1 then
		return "bad subtype", string.format("is_reply %d", rep)
	end
	if n < CONNECT_DATA_LEN then
		return "bad length", string.format("data_len %d < %d", n, CONNECT_DATA_LEN)
	end
	return fits(fr, 32 + n)
end

local function check_eager(max)
	return function(fr)
		local n = fr:u16(20)
		if not n then return end
		if n > max then
			return "bad length", string.format("length %d > %d", n, max)
		end
		return fits(fr, 40 + n)
	end
end

local function check_medium(fr)
	local msg_len, frag_len, seq = fr:u32(20), fr:u16(40), fr:u8(42)
	if not (msg_len and frag_len and seq) then return end
	if frag_len == 0 or frag_len > MEDIUM_FRAG_LEN_MAX or msg_len > MEDIUM_MAX or frag_len > msg_len then
		return "bad length", string.format("frag_length %d, msg_length %d", frag_len, msg_len)
	end
	if seq >= MEDIUM_FRAGS_MAX or seq * MEDIUM_FRAG_LEN_MIN + frag_len > msg_len then
		return "bad fragment", string.format("fragment %d of %d bytes cannot be in a %d-byte message",
			seq, frag_len, msg_len)
	end
	return fits(fr, 48 + frag_len)
end

local function check_rndv(fr)
	local n = fr:u16(20)
	if not n then return end
	if n < RNDV_DATA_LEN then
		return "bad length", string.format("rendezvous length %d < %d", n, RNDV_DATA_LEN)
	end
	return fits(fr, 40 + n)
end

local function check_pull(fr)
	local total, first, block = fr:u32(24), fr:u32(48), fr:u32(52)
	if not (total and first and block) then return end
	if block == 0 or block > total or block > PULL_BLOCK_LEN_MAX then
		return "bad length", string.format("block_length %d (total %d)", block, total)
	end
	if first >= PULL_REPLY_LEN_MAX or first + block > PULL_BLOCK_LEN_MAX then
		return "bad fragment", string.format("first_frame_offset %d + block_length %d", first, block)
	end
end

local function check_pull_reply(fr)
	local n = fr:u16(18)
	if not n then return end
	if n == 0 or n > PULL_REPLY_LEN_MAX then
		return "bad length", string.format("frame_length %d not in 1..%d", n, PULL_REPLY_LEN_MAX)
	end
	return fits(fr, 32 + n)
end

local function check_nack(fr)
	local code = fr:u8(19)
	if not code then return end
	if code < 1 or code > 4 then
		return "bad nack code", string.format("nack_type %d", code)
	end
end

local function check_none()
end

----------------------------------------------------------------------
-- Per-type dissection: fields in frame order, as docs/wire.md lists them.
----------------------------------------------------------------------
local function msg_class(ptype, msg_len)
	if ptype == TYPE.TINY then return "tiny" end
	if ptype == TYPE.SMALL then return "small" end
	if ptype == TYPE.MEDIUM then return "medium" end
	if msg_len and msg_len <= MEDIUM_MAX then
		-- an eager-sized rendezvous is an mx_issend (docs/mx-api.md)
		return "synchronous (rendezvous)"
	end
	return "large (rendezvous)"
end

local function add_match(fr)
	local item = fr:add("match", 28, 8)
	if item then
		fr:add("match_hi", 28, 4, item)
		fr:add("match_lo", 32, 4, item)
		local hi, lo = fr:u32(28), fr:u32(32)
		fr:note(string.format("match 0x%08x%08x", hi, lo))
	end
end

local function dissect_raw(fr)
	fr:add_payload(17, fr.len - 17)
end

local function dissect_host(fr, ptype)
	if ptype == TYPE.HOST_REPLY then
		fr:add("hostname_len", 17, 1)
	end
	local _, pi = fr:add("host_peer_index", 18, 2)
	fr:add("host_magic", 24, 4)
	if ptype == TYPE.HOST_REPLY then
		local n = fr:u8(17)
		if n and n > 0 then
			local avail = math.min(n, fr.cap + ETH_HLEN - 32)
			if avail > 0 then
				local r = fr:range(32, avail)
				-- up to the first NUL, which may be missing in a bad frame
				local name = r:raw():match("^([^%z]*)")
				fr.tree:add(F.hostname, r, name)
				fr:note(string.format("hostname \"%s\"", name))
			end
		end
	end
	if pi == PEER_INDEX_UNKNOWN then
		fr:note("broadcast-style (index unknown)")
	end
end

local function dissect_truc(fr)
	fr:add_eps(17, 18)
	fr:add("gen", 19, 1)
	fr:add("data_len", 20, 1)
	fr:add("session", 24, 4)
	fr:add("truc_type", 28, 1)
	local seq = fr:add_seq("lib_seqnum", 30)
	fr:add("ack_session", 32, 4)
	local _, acknum = fr:add("acknum", 36, 4)
	fr:add_seq("send_seq", 40)
	local item, flags = fr:add("truc_flags", 42, 1)
	if item then
		for _, n in ipairs({ "flag_resent", "flag_sync", "flag_matched", "flag_gap" }) do
			fr:add(n, 42, 1, item)
		end
	end
	if seq then
		fr:note(string.format("ack up to 0x%04x", seq))
	end
	if acknum then
		fr:note(string.format("acknum %d", acknum))
	end
	if flags and bit32.band(flags, 0x08) ~= 0 then
		fr:note("GAP")
	end
end

local function dissect_connect(fr)
	fr:add_eps(17, 18)
	fr:add("gen", 19, 1)
	fr:add("data_len", 20, 1)
	fr:add_seq("lib_seqnum", 24)
	fr:add("connect_peer_index", 26, 2)
	fr:add("src_session", 32, 4)
	local rep = fr:u8(42)
	if rep == 1 then
		fr:add("target_session", 36, 4)
	else
		fr:add("app_key", 36, 4)
	end
	fr:add_seq("recv_start", 40)
	fr:add("is_reply", 42, 1)
	local _, attempt = fr:add("connect_seqnum", 43, 1)
	if rep == 1 then
		local _, st = fr:add("status", 44, 1)
		fr:note(string.format("reply #%d status %s", attempt or 0,
			st and (connect_status_names[st] or tostring(st)) or "?"))
	elseif rep == 0 then
		fr:note(string.format("request #%d", attempt or 0))
	end
end

local function dissect_eager(fr, ptype)
	fr:add_eps(17, 18)
	fr:add("gen", 19, 1)
	local _, n = fr:add("length", 20, 2)
	fr:add("checksum", 22, 2)
	local seq = fr:add_seq("lib_seqnum", 24)
	if seq then fr:note(string.format("seq 0x%04x", seq)) end
	fr:add_seq("piggyack", 26)
	add_match(fr)
	fr:add("session", 36, 4)
	fr:generated("class", msg_class(ptype))
	if n then
		fr:note(string.format("len %d", n))
		fr:add_payload(40, n)
	end
end

local function dissect_medium(fr)
	fr:add_eps(17, 18)
	fr:add("gen", 19, 1)
	local _, msg_len = fr:add("msg_length", 20, 4)
	local seq = fr:add_seq("lib_seqnum", 24)
	fr:add_seq("piggyack", 26)
	add_match(fr)
	fr:add("session", 36, 4)
	local _, frag_len = fr:add("frag_length", 40, 2)
	local _, frag = fr:add("frag_seqnum", 42, 1)
	fr:add("checksum", 44, 2)
	fr:generated("class", msg_class(TYPE.MEDIUM))
	if msg_len and frag_len and frag then
		local fl = frag_len_of(omx.prefs.mtu)
		local count = math.max(1, math.ceil(msg_len / fl))
		fr:generated("frag_offset", frag * fl)
		fr:generated("frag_count", count)
		-- every fragment but the last is exactly F; the last ends the message
		local start = frag * fl
		local want = math.min(fl, msg_len - start)
		if start >= msg_len or frag_len ~= want then
			fr.tree:add_proto_expert_info(ef_frag, string.format(
				"fragment %d of %d bytes is not at a %d-byte fragment boundary of a %d-byte message (other frame size?)",
				frag, frag_len, fl, msg_len))
		end
		fr:note(string.format("seq 0x%04x frag %d/%d len %d of %d", seq or 0, frag, count, frag_len, msg_len))
	end
	if frag_len then
		fr:add_payload(48, frag_len)
	end
end

local function dissect_rndv(fr)
	fr:add_eps(17, 18)
	fr:add("gen", 19, 1)
	local _, n = fr:add("length", 20, 2)
	fr:add("checksum", 22, 2)
	local seq = fr:add_seq("lib_seqnum", 24)
	if seq then fr:note(string.format("seq 0x%04x", seq)) end
	fr:add_seq("piggyack", 26)
	add_match(fr)
	fr:add("session", 36, 4)
	local _, msg_len = fr:add("msg_length", 40, 4)
	local _, id = fr:add("rdma_id", 44, 1)
	fr:add("rdma_seqnum", 45, 1)
	fr:add("token_lo", 46, 2)
	-- omx declares 12 bytes of rendezvous data: token_hi follows
	if n and n >= RNDV_TOKEN_DATA_LEN then
		fr:add("token_hi", 48, 4)
	end
	fr:generated("class", msg_class(TYPE.RNDV, msg_len))
	if msg_len then fr:note(string.format("msg_length %d region %d", msg_len, id or 0)) end
end

local function magic_info(fr, off)
	local item, magic = fr:add("magic", off, 4)
	if not item then
		return
	end
	if bit32.band(magic, 0xffffff00) == PULL_MAGIC_BASE then
		fr:generated("magic_kind", "omx", item)
		fr:generated("magic_endpoint", bit32.band(magic, 0xff), item, off + 3, 1)
	elseif bit32.bxor(magic, OPENMX_MAGIC_XOR) < 256 then
		fr:generated("magic_kind", "Open-MX", item)
		fr:generated("magic_endpoint", bit32.bxor(magic, OPENMX_MAGIC_XOR), item, off, 4)
	else
		fr:generated("magic_kind", "unknown", item)
	end
end

local function dissect_pull(fr)
	fr:add_eps(17, 18)
	fr:add("gen", 19, 1)
	fr:add("session", 20, 4)
	local _, total = fr:add("total_length", 24, 4)
	-- token_hi: bits 31-8 in the high bytes of Open-MX's 32-bit rdma id,
	-- bits 7-0 in what Open-MX keeps as padding
	local b28, b29, b30, b33 = fr:u8(28), fr:u8(29), fr:u8(30), fr:u8(33)
	if b28 and b29 and b30 and b33 then
		fr:generated("token_hi", bit32.bor(bit32.lshift(b28, 24), bit32.lshift(b29, 16),
			bit32.lshift(b30, 8), b33), nil, 28, 3)
	end
	local _, id = fr:add("rdma_id", 31, 1)
	fr:add("rdma_seqnum", 32, 1)
	fr:add("rdma_offset", 36, 4)
	local _, handle = fr:add("pull_handle", 40, 4)
	magic_info(fr, 44)
	local _, first = fr:add("first_frame_offset", 48, 4)
	local _, block = fr:add("block_length", 52, 4)
	local _, index = fr:add("frame_index", 56, 4)
	if first and block then
		fr:generated("replies", math.ceil((first + block) / reply_len_of(omx.prefs.mtu)))
	end
	fr:note(string.format("handle 0x%08x region %d frames %d+ block %d of %d",
		handle or 0, id or 0, index or 0, block or 0, total or 0))
end

local function dissect_pull_reply(fr)
	local _, seq = fr:add("frame_seqnum", 17, 1)
	local _, n = fr:add("frame_length", 18, 2)
	local _, off = fr:add("msg_offset", 20, 4)
	local _, handle = fr:add("pull_handle", 24, 4)
	magic_info(fr, 28)
	-- the destination endpoint is byte 31, the magic's low byte
	if fr:has(31, 1) then
		fr:generated("dst_endpoint", fr:u8(31), nil, 31, 1)
	end
	fr:note(string.format("handle 0x%08x frame %d offset %d len %d", handle or 0, seq or 0, off or 0, n or 0))
	if n then
		fr:add_payload(32, n)
	end
end

local function dissect_notify(fr)
	fr:add_eps(17, 18)
	fr:add("gen", 19, 1)
	fr:add("session", 20, 4)
	local _, total = fr:add("total_length", 24, 4)
	local _, id = fr:add("rdma_id", 28, 1)
	fr:add("rdma_seqnum", 29, 1)
	local seq = fr:add_seq("lib_seqnum", 34)
	fr:add_seq("piggyack", 36)
	fr:note(string.format("seq 0x%04x total %d region %d", seq or 0, total or 0, id or 0))
end

local function nack_reason(fr)
	local item, code = fr:add("nack_type", 19, 1)
	if item then
		item:add_proto_expert_info(ef_nack)
		fr:note(nack_names[code] or string.format("reason %d", code))
	end
end

local function dissect_nack_lib(fr)
	-- byte 17 is the source here, the destination is byte 25
	fr:add_eps(25, 17)
	fr:add("gen", 18, 1)
	nack_reason(fr)
	fr:add("nack_peer_index", 26, 2)
	local seq = fr:add_seq("lib_seqnum", 28)
	if seq then fr:note(string.format("seq 0x%04x", seq)) end
end

local function dissect_nack_mcp(fr)
	fr:add_eps(17)
	fr:add("gen", 18, 1)
	nack_reason(fr)
	local _, handle = fr:add("pull_handle", 24, 4)
	magic_info(fr, 28)
	if handle then fr:note(string.format("handle 0x%08x", handle)) end
end

-- The type table: fixed header length (frame bytes, docs/wire.md "Packet
-- types"), where the destination endpoint is (omx_steer_dst_offset()),
-- validator and dissector.  Types with no check are defined but not
-- implemented: omx drops them as "unsupported packet type".
local types = {
	[TYPE.RAW] = { hlen = 17, check = check_raw, dissect = dissect_raw },
	[TYPE.MFM_NIC_REPLY] = { hlen = 17 },
	[TYPE.HOST_QUERY] = { hlen = 32, check = check_none, dissect = dissect_host },
	[TYPE.HOST_REPLY] = { hlen = 32, check = check_host_reply, dissect = dissect_host },
	[TYPE.ETHER_UNICAST] = { hlen = 17 },
	[TYPE.ETHER_MULTICAST] = { hlen = 17 },
	[TYPE.ETHER_NATIVE] = { hlen = 17 },
	[TYPE.TRUC] = { hlen = 44, dst = 17, check = check_truc, dissect = dissect_truc },
	[TYPE.CONNECT] = { hlen = 48, dst = 17, check = check_connect, dissect = dissect_connect },
	[TYPE.TINY] = { hlen = 40, dst = 17, check = check_eager(TINY_MAX), dissect = dissect_eager },
	[TYPE.SMALL] = { hlen = 40, dst = 17, check = check_eager(SMALL_MAX), dissect = dissect_eager },
	[TYPE.MEDIUM] = { hlen = 48, dst = 17, check = check_medium, dissect = dissect_medium },
	[TYPE.RNDV] = { hlen = 48, dst = 17, check = check_rndv, dissect = dissect_rndv },
	[TYPE.PULL] = { hlen = 60, dst = 17, check = check_pull, dissect = dissect_pull },
	[TYPE.PULL_REPLY] = { hlen = 32, dst = 31, check = check_pull_reply, dissect = dissect_pull_reply },
	[TYPE.NOTIFY] = { hlen = 40, dst = 17, check = check_none, dissect = dissect_notify },
	[TYPE.NACK_LIB] = { hlen = 32, dst = 25, check = check_nack, dissect = dissect_nack_lib },
	[TYPE.NACK_MCP] = { hlen = 32, dst = 17, check = check_nack, dissect = dissect_nack_mcp },
}

-- omx_wire_validate()'s front checks, then the type's own.
local function validate(fr, ptype)
	if fr.len < 17 or not ptype then
		return "too short", string.format("%d bytes, no packet type", fr.len)
	end
	local t = types[ptype]
	if not t then
		return "bad packet type", string.format("type %d is not defined", ptype)
	end
	if not t.check then
		return "unsupported packet type", string.format("%s is not implemented", type_names[ptype])
	end
	if fr.len < t.hlen then
		return "too short", string.format("%d bytes < %d-byte %s header", fr.len, t.hlen, type_names[ptype])
	end
	return t.check(fr)
end

-- common/omx_steer.h: omx_steer_frame_queue().  Frames without an
-- endpoint, or too short to hold it, go to queue 0.
local function steer(fr, ptype)
	local t = ptype and types[ptype]
	local nq = omx.prefs.queues
	if not (t and t.dst) or fr.len <= t.dst then
		return 0, nil
	end
	local ep = fr:u8(t.dst)
	if not ep then
		return 0, nil
	end
	return nq > 0 and ep % nq or 0, ep
end

function omx.dissector(tvb, pinfo, tree)
	pinfo.cols.protocol = "omx"
	local root = tree:add(omx, tvb())
	local fr = new_frame(tvb, root, pinfo)
	local ptype = fr:u8(16)

	fr:add("peer_index", 14, 2)
	local pi = fr:u16(14)
	fr:add("type", 16, 1)
	local name = ptype and (type_names[ptype] or string.format("type %d", ptype)) or "?"

	local verdict, why = validate(fr, ptype)
	local vitem = fr:generated("verdict", verdict or "ok")
	if verdict then
		vitem:add_proto_expert_info(ef_malformed, string.format("Malformed omx frame: %s (%s)", verdict, why))
	end
	if fr.cap + ETH_HLEN < fr.len then
		root:add_proto_expert_info(ef_cut, string.format("captured %d of %d bytes", fr.cap + ETH_HLEN, fr.len))
	end

	local t = ptype and types[ptype]
	if t and t.dissect then
		t.dissect(fr, ptype)
	elseif fr.cap + ETH_HLEN > 17 then
		fr:add_payload(17, fr.len - 17)
	end

	local q, ep = steer(fr, ptype)
	local qitem = fr:generated("queue", q)
	if ep then
		qitem:append_text(string.format(" (endpoint %d mod %d queues)", ep, omx.prefs.queues))
	else
		qitem:append_text(" (no destination endpoint: any queue, 0 by omx_steer)")
	end

	if pi == PEER_INDEX_UNKNOWN then
		fr:note("peer ?")
	end
	local info = name
	if #fr.info > 0 then
		info = info .. " " .. table.concat(fr.info, ", ")
	end
	if verdict then
		info = info .. " [Malformed: " .. verdict .. "]"
	end
	pinfo.cols.info = info
	root:append_text(", " .. name .. (verdict and (" [" .. verdict .. "]") or ""))
	-- all of it: what follows the header and its payload is the sender's
	-- padding to 60 bytes, which receivers ignore
	return tvb:len()
end

DissectorTable.get("ethertype"):add(0x86df, omx)
