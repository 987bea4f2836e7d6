#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Read a capture of tests/wireshark/capture.sh back with tshark and the
tree's dissector, and check it against what the scenario sent.

    check_capture.py PCAP HOSTNAME

PCAP is a capture on veth0 of a pair guest running the scenario of
tests/wireshark/scenario.sh (the committed tests/wireshark/omx_pair.pcap
is one); HOSTNAME is the guest's node name (node0), which its boards put
in their HOST_REPLY frames.  Prints one "ok - ..." / "not ok - ..." line
per check and exits 1 if any failed.

The values checked come from the senders, not from the dissector: match
info, lengths, endpoints and the key are mx_exchange's, handles, sequence
numbers and reasons of the refusals are the hand-built frames', session
ids and region ids are compared between the frames that carry them (a
CONNECT reply's session against the TINY frames sent to it, a RNDV's
region against its PULLs and NOTIFY), pulled bytes are summed.
"""
import os
import re
import subprocess
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DISSECTOR = os.path.join(TOP, "wireshark", "omx.lua")

T = dict(TRUC=35, CONNECT=36, TINY=37, SMALL=38, MEDIUM=39, RNDV=40, PULL=41,
         PULL_REPLY=42, NOTIFY=43, NACK_LIB=44, NACK_MCP=45, RAW=1,
         HOST_QUERY=3, HOST_REPLY=4)
FIELDS = """frame.number eth.src eth.dst omx.type omx.verdict omx.dst_endpoint
omx.src_endpoint omx.queue omx.lib_seqnum omx.match_info omx.length
omx.msg_length omx.frag_seqnum omx.frag_length omx.frag_offset omx.session
omx.total_length omx.pull_handle omx.magic omx.magic.endpoint omx.rdma_id
omx.nack_type omx.connect.is_reply omx.connect.app_key
omx.connect.target_session omx.connect.src_session omx.connect.status
omx.host.hostname omx.pull_reply.frame_length omx.class omx.truc.type
omx.truc.ack_session omx.truc.send_seq omx.pull_reply.msg_offset omx.data
omx.peer_index omx.connect.recv_seqnum_start omx.truc.flags.gap
omx.rdma_seqnum omx.frag_count omx.piggyack _ws.malformed _ws.lua.error""".split()

failed = 0


def ok(name):
    print("ok - " + name)


def nok(name, why=""):
    global failed
    failed += 1
    print("not ok - " + name + (": " + why if why else ""))


def check(name, cond, why=""):
    if cond:
        ok(name)
    else:
        nok(name, why)


def scenario():
    """VAR=value lines of scenario.sh (the one place the values live)."""
    env = {}
    with open(os.path.join(TOP, "tests", "wireshark", "scenario.sh")) as f:
        for line in f:
            m = re.match(r'^([A-Z_]+)=("([^"]*)"|(\S*))', line)
            if m:
                env[m.group(1)] = m.group(3) if m.group(3) is not None else m.group(4)
    return env


def installed_copies():
    """omx.lua files in the folders where tshark loads Lua plugins."""
    out = subprocess.run(["tshark", "-G", "folders"], capture_output=True, text=True).stdout
    found = []
    for line in out.splitlines():
        if line.startswith(("Global Lua Plugins:", "Personal Lua Plugins:")):
            d = line.split(":", 1)[1].strip()
            for root, _, files in os.walk(d):
                found += [os.path.join(root, f) for f in files if f == "omx.lua"]
    return found


def tshark_args():
    """Load the tree's dissector, unless tshark already loads an identical
    copy (make install): the same protocol registered twice is an error."""
    tree = open(DISSECTOR, "rb").read()
    copies = installed_copies()
    for c in copies:
        if open(c, "rb").read() != tree:
            return None, c
    args = ["-o", "omx.queues:4", "-o", "omx.mtu:9000"]
    return (args if copies else ["-X", "lua_script:" + DISSECTOR] + args), None


def num(s):
    return int(s, 0) if s else None


def stderr_clean(err):
    # tshark warns on every run as root; anything else is a problem
    return [l for l in err.splitlines() if l and "Running as user" not in l]


def main():
    if len(sys.argv) != 3:
        print("usage: check_capture.py PCAP HOSTNAME", file=sys.stderr)
        return 2
    pcap, host = sys.argv[1:]
    sc = scenario()
    ep_a, ep_b = int(sc["EP_A"]), int(sc["EP_B"])
    sizes = [int(s) for s in sc["SIZES"].split()]
    key = int(sc["KEY"], 0)

    args, other = tshark_args()
    if args is None:
        nok("dissector", "an installed %s differs from the tree's wireshark/omx.lua "
            "(make install, or remove it)" % other)
        return 1

    cmd = ["tshark", "-n", "-r", pcap] + args + ["-T", "fields", "-E", "separator=|",
                                                "-E", "occurrence=f"]
    for f in FIELDS:
        cmd += ["-e", f]
    p = subprocess.run(cmd, capture_output=True, text=True)
    check("tshark reads the capture", p.returncode == 0, p.stderr.strip())
    check("tshark's stderr is clean (no Lua error)", not stderr_clean(p.stderr),
          "; ".join(stderr_clean(p.stderr)))
    rows = [dict(zip(FIELDS, l.split("|"))) for l in p.stdout.splitlines()]
    omx_rows = [r for r in rows if r["omx.type"]]
    check("every frame of the capture is dissected as omx", rows and len(omx_rows) == len(rows),
          "%d of %d" % (len(omx_rows), len(rows)))

    # Wireshark's own malformed marks (it marks the frames our expert item
    # flags too) and Lua errors, which it shows in the tree, not on stderr
    marked = [r["frame.number"] for r in rows if r["_ws.lua.error"] or
              (r["_ws.malformed"] and r["omx.verdict"] == "ok")]
    check("no well-formed frame marked malformed by Wireshark, no Lua error", not marked,
          "frames " + " ".join(marked[:10]))

    by = {}
    for r in omx_rows:
        by.setdefault(int(r["omx.type"]), []).append(r)
    missing = [n for n, t in sorted(T.items()) if t not in by]
    check("every frame type appears", not missing, "missing " + ",".join(missing))

    # malformed: exactly the hand-built bad frames, with the validator's verdicts
    bad_mac = sc["BAD_MAC"]
    flagged = [r for r in omx_rows if r["omx.verdict"] != "ok"]
    check("only the hand-built bad frames are flagged",
          all(r["eth.src"] == bad_mac for r in flagged),
          " ".join("%s:%s" % (r["frame.number"], r["omx.verdict"]) for r in flagged if r["eth.src"] != bad_mac))
    got = [r["omx.verdict"] for r in omx_rows if r["eth.src"] == bad_mac]
    check("bad frames: verdicts " + sc["BAD_VERDICTS"], got == sc["BAD_VERDICTS"].split("|"), str(got))

    # queue = destination endpoint mod 4, for every frame with an endpoint
    wrong = [r["frame.number"] for r in omx_rows
             if r["omx.dst_endpoint"] and num(r["omx.queue"]) != int(r["omx.dst_endpoint"]) % 4]
    check("queue is the destination endpoint mod 4", not wrong, " ".join(wrong[:10]))

    # --- the MX exchange, per direction ---
    def frames(t, src, dst):
        return [r for r in by.get(t, []) if r["omx.src_endpoint"] == str(src) and
                r["omx.dst_endpoint"] == str(dst)]

    sessions = {}
    for src, dst in ((ep_a, ep_b), (ep_b, ep_a)):
        d = "%d->%d" % (src, dst)
        reqs = [r for r in frames(T["CONNECT"], src, dst) if r["omx.connect.is_reply"] == "0"]
        reps = [r for r in frames(T["CONNECT"], dst, src) if r["omx.connect.is_reply"] == "1"]
        check(d + ": connect request with mx_exchange's key",
              reqs and all(num(r["omx.connect.app_key"]) == key for r in reqs))
        check(d + ": connect reply echoes the request's session, status success",
              reps and reqs and all(r["omx.connect.status"] == "0" and
                                    num(r["omx.connect.src_session"]) == num(reqs[0]["omx.connect.src_session"])
                                    for r in reps))
        if reps:
            sessions[dst] = num(reps[0]["omx.connect.target_session"])
        msgs = []
        for t in (T["TINY"], T["SMALL"], T["MEDIUM"], T["RNDV"]):
            msgs += frames(t, src, dst)
        msgs.sort(key=lambda r: int(r["frame.number"]))
        check(d + ": every data frame carries the session of the connect reply",
              msgs and dst in sessions and all(num(r["omx.session"]) == sessions[dst] for r in msgs))
        for size in sizes:
            match = (src << 32) | size
            m = [r for r in msgs if num(r["omx.match_info"]) == match]
            what = "%s: %d bytes, match 0x%016x" % (d, size, match)
            # one message: one sequence number (a slow guest may resend it)
            check(what + ": one message", m and len({r["omx.lib_seqnum"] for r in m}) == 1,
                  "%d frames, seqnums %s" % (len(m), sorted({r["omx.lib_seqnum"] for r in m})))
            if size <= 32:
                check(what + ": TINY of that length",
                      m and all(r["omx.type"] == str(T["TINY"]) and num(r["omx.length"]) == size and
                                r["omx.class"] == "tiny" for r in m), str(m[:1]))
            elif size <= 128:
                check(what + ": SMALL of that length",
                      m and all(r["omx.type"] == str(T["SMALL"]) and num(r["omx.length"]) == size and
                                r["omx.class"] == "small" for r in m), str(m[:1]))
            elif size <= 32768:
                n = -(-size // 8192)
                exp = [(i, min(8192, size - 8192 * i), 8192 * i) for i in range(n)]
                got = sorted({(num(r["omx.frag_seqnum"]), num(r["omx.frag_length"]),
                               num(r["omx.frag_offset"])) for r in m})
                check(what + ": MEDIUM fragments (number, length, offset) %s" % exp,
                      got == exp and all(r["omx.type"] == str(T["MEDIUM"]) and
                                         num(r["omx.msg_length"]) == size and
                                         num(r["omx.frag_count"]) == n for r in m), str(got))
            else:
                check(what + ": RNDV of that length, class large",
                      m and all(r["omx.type"] == str(T["RNDV"]) and num(r["omx.msg_length"]) == size and
                                r["omx.class"] == "large (rendezvous)" and
                                r["omx.rdma_id"] == m[0]["omx.rdma_id"] for r in m), str(m[:1]))
                if not m:
                    continue
                rdma = m[0]["omx.rdma_id"]
                # the receiver (dst) pulls from the sender (src)
                pulls = frames(T["PULL"], dst, src)
                handles = {num(r["omx.pull_handle"]) for r in pulls}
                check(d + ": PULLs name the RNDV's region and its length",
                      pulls and all(r["omx.rdma_id"] == rdma and num(r["omx.total_length"]) == size
                                    for r in pulls))
                check(d + ": PULL magic names the puller", pulls and
                      all(num(r["omx.magic.endpoint"]) == dst for r in pulls))
                replies = [r for r in by.get(T["PULL_REPLY"], []) if num(r["omx.pull_handle"]) in handles]
                pulled = {}
                for r in replies:
                    pulled[num(r["omx.pull_reply.msg_offset"])] = num(r["omx.pull_reply.frame_length"])
                check(d + ": PULL_REPLY frames carry the %d bytes once each" % size,
                      sum(pulled.values()) == size and sorted(pulled)[0] == 0,
                      "%d bytes at %d offsets" % (sum(pulled.values()), len(pulled)))
                check(d + ": PULL_REPLY goes to the puller (magic byte, endpoint, queue)",
                      replies and all(num(r["omx.dst_endpoint"]) == dst and
                                      num(r["omx.queue"]) == dst % 4 for r in replies))
                notes = frames(T["NOTIFY"], dst, src)
                check(d + ": one NOTIFY of %d bytes for the RNDV's region" % size,
                      notes and len({r["omx.lib_seqnum"] for r in notes}) == 1 and
                      all(num(r["omx.total_length"]) == size and r["omx.rdma_id"] == rdma and
                          r["omx.rdma_seqnum"] == m[0]["omx.rdma_seqnum"] for r in notes), str(notes[:1]))
        # messages (and the receiver's NOTIFY in the other direction) count up by one
        seqs = []
        for r in sorted(msgs + frames(T["NOTIFY"], src, dst), key=lambda r: int(r["frame.number"])):
            s = num(r["omx.lib_seqnum"])
            if not seqs or seqs[-1] != s:
                seqs.append(s)
        counts = [s & 0x3fff for s in seqs]
        check(d + ": sequence numbers count up by one from the first",
              counts and counts == list(range(counts[0], counts[0] + len(counts))), str(counts))
        starts = {num(r["omx.connect.recv_seqnum_start"]) for r in frames(T["CONNECT"], dst, src)}
        check(d + ": the first is the receive start the receiver's CONNECT announced",
              seqs and seqs[0] in starts, "%s not in %s" % (seqs[:1], starts))

    trucs = by.get(T["TRUC"], [])
    check("TRUC acks: subtype 0x55, ack_session = session of their endpoint",
          trucs and all(num(r["omx.truc.type"]) == 0x55 and
                        num(r["omx.truc.ack_session"]) == num(r["omx.session"]) ==
                        sessions.get(num(r["omx.dst_endpoint"])) for r in trucs))
    check("TRUC acks: send_seq = lib_seqnum (no gap reports without loss)",
          trucs and all(r["omx.truc.send_seq"] == r["omx.lib_seqnum"] and
                        r["omx.truc.flags.gap"] in ("False", "0") for r in trucs))

    # --- discovery ---
    queries = by.get(T["HOST_QUERY"], [])
    check("a broadcast HOST_QUERY, peer index unknown",
          any(r["eth.dst"] == "ff:ff:ff:ff:ff:ff" and r["omx.peer_index"] == "65535" for r in queries))
    names = {r["omx.host.hostname"] for r in by.get(T["HOST_REPLY"], [])}
    check("HOST_REPLY names are the boards' (%s:0, %s:1)" % (host, host),
          names and names <= {host + ":0", host + ":1"}, str(names))

    # --- the refusals of the hand-built frames ---
    fake = sc["FAKE_MAC"]
    fake_ep, closed = int(sc["FAKE_EP"]), int(sc["CLOSED_EP"])
    nl = [r for r in by.get(T["NACK_LIB"], []) if r["eth.dst"] == fake]
    check("NACK_LIB: ENDPT_CLOSED for seq %s, endpoint %d -> %d, queue %d" %
          (sc["NACK_SEQ"], closed, fake_ep, fake_ep % 4),
          len(nl) == 1 and num(nl[0]["omx.nack_type"]) == 2 and
          num(nl[0]["omx.lib_seqnum"]) == int(sc["NACK_SEQ"], 0) and
          num(nl[0]["omx.src_endpoint"]) == closed and num(nl[0]["omx.dst_endpoint"]) == fake_ep and
          num(nl[0]["omx.queue"]) == fake_ep % 4, str(nl))
    nm = [r for r in by.get(T["NACK_MCP"], []) if r["eth.dst"] == fake]
    check("NACK_MCP: ENDPT_CLOSED echoing handle %s and magic %s, to endpoint %d" %
          (sc["PULL_HANDLE"], sc["PULL_MAGIC"], fake_ep),
          len(nm) == 1 and num(nm[0]["omx.nack_type"]) == 2 and
          num(nm[0]["omx.pull_handle"]) == int(sc["PULL_HANDLE"], 0) and
          num(nm[0]["omx.magic"]) == int(sc["PULL_MAGIC"], 0) and
          num(nm[0]["omx.magic.endpoint"]) == fake_ep and num(nm[0]["omx.dst_endpoint"]) == fake_ep, str(nm))
    raw = [r for r in by.get(T["RAW"], []) if r["eth.src"] == fake]
    check("RAW: the data sent", len(raw) == 1 and raw[0]["omx.data"].startswith(sc["RAW_DATA"]), str(raw))

    print("%d failed" % failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
