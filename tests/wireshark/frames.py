#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Frames for the dissector's host test (tests/unit/test_wireshark.sh).

    frames.py crafted PCAP HEX      frames.txt as a pcap and as hex lines
    frames.py mutated PCAP HEX N    N mutants of its well-formed frames

The hex files have one frame per line, for tests/unit/wire_verdict (the C
codec's verdicts).  The mutants (fixed seed, so a failure repeats) flip,
cut and extend the well-formed frames of frames.txt: the dissector must
give every one the verdict the C validator gives, with no Lua error.
"""
import os
import random
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
HEAD = "020000000001 020000000002 86df 0003"


def parse_hex(text):
    """Hex with spaces, and "xx*N" for N copies of byte xx."""
    out = bytearray()
    for tok in text.split():
        if "*" in tok:
            b, n = tok.split("*")
            out += bytes.fromhex(b) * int(n)
        else:
            out += bytes.fromhex(tok)
    return bytes(out)


def crafted():
    """(verdict, name, frame) of frames.txt."""
    frames = []
    with open(os.path.join(HERE, "frames.txt")) as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            verdict, name, body = line.rstrip("\n").split("|")
            body = body.strip()
            frame = parse_hex(body[1:]) if body.startswith("!") else parse_hex(HEAD + " " + body)
            frames.append((verdict, name, frame))
    return frames


def mutants(n):
    rnd = random.Random(16)
    good = [f for v, _, f in crafted() if v == "ok"]
    out = []
    for _ in range(n):
        f = bytearray(rnd.choice(good))
        for _ in range(rnd.randint(1, 3)):
            what = rnd.random()
            if what < 0.5:
                # a byte of the omx part (the head's MACs and ethertype stay)
                i = rnd.randrange(14, len(f))
                f[i] = rnd.choice([0, 1, 0xff, 0x80, rnd.randrange(256)])
            elif what < 0.7 and len(f) > 16:
                f[16] = rnd.choice([0, 1, 2, 3, 4, 5, 32, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 255])
            elif what < 0.9:
                del f[rnd.randrange(15, len(f) + 1):]
            else:
                f += bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 40)))
        if len(f) < 15:
            f += b"\x00" * (15 - len(f))
        out.append(bytes(f))
    return out


def write(pcap, hexfile, frames):
    with open(pcap, "wb") as p, open(hexfile, "w") as h:
        p.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))	# Ethernet
        for i, f in enumerate(frames):
            p.write(struct.pack("<IIII", i, 0, len(f), len(f)) + f)
            h.write(f.hex() + "\n")


def main():
    if sys.argv[1:2] == ["crafted"] and len(sys.argv) == 4:
        write(sys.argv[2], sys.argv[3], [f for _, _, f in crafted()])
    elif sys.argv[1:2] == ["mutated"] and len(sys.argv) == 5:
        write(sys.argv[2], sys.argv[3], mutants(int(sys.argv[4])))
    else:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
