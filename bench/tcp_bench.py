#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""TCP ping-pong and stream at given sizes, the reference for bench/twonode.

server: tcp_bench.py serve ADDR PORT        (one client, then exits)
client: tcp_bench.py run ADDR PORT ITERS SIZE...
Prints "tcp,pingpong|stream,BYTES,ITERS,usec" per size (usec per message:
half a round trip, or the time per message of a one-way stream).
"""
import socket
import sys
import time


def recv_exact(s, n):
    buf = bytearray(n)
    view = memoryview(buf)
    got = 0
    while got < n:
        k = s.recv_into(view[got:], n - got)
        if not k:
            raise EOFError
        got += k
    return buf


def serve(addr, port):
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(1)
    s, _ = ls.accept()
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        while True:
            mode, size, iters = recv_exact(s, 24).decode().split(',')[:3]
            size, iters = int(size), int(iters)
            for _ in range(iters):
                data = recv_exact(s, size)
                if mode == 'p':
                    s.sendall(data)
            s.sendall(b'k')
    except EOFError:
        pass


def run(addr, port, iters, sizes):
    s = socket.create_connection((addr, port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for size in sizes:
        data = b'x' * size
        for mode, name in (('p', 'pingpong'), ('s', 'stream')):
            s.sendall(('%s,%d,%d,' % (mode, size, iters)).ljust(24).encode())
            t0 = time.monotonic()
            for _ in range(iters):
                s.sendall(data)
                if mode == 'p':
                    recv_exact(s, size)
            recv_exact(s, 1)
            usec = (time.monotonic() - t0) * 1e6 / iters
            if mode == 'p':
                usec /= 2
            print('tcp,%s,%d,%d,%.1f' % (name, size, iters, usec), flush=True)


if __name__ == '__main__':
    if sys.argv[1] == 'serve':
        serve(sys.argv[2], int(sys.argv[3]))
    else:
        run(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), [int(x) for x in sys.argv[5:]])
