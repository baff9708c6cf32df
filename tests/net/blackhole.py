#!/usr/bin/env python3
"""A DNS server that never answers: the lab's dead server.

Usage: blackhole.py ADDR PIDFILE

Binds ADDR port 53 over UDP and TCP.  UDP queries are read and dropped;
TCP connections complete in the kernel's backlog but are never accepted,
so a client that falls back to TCP waits too.  The pid file is written only
once both sockets are bound, so its presence means "ready".
"""
import os
import socket
import sys


def main():
    addr, pidfile = sys.argv[1], sys.argv[2]
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind((addr, 53))
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind((addr, 53))
    tcp.listen(64)
    tmp = pidfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % os.getpid())
    os.rename(tmp, pidfile)
    while True:
        udp.recvfrom(65535)


if __name__ == "__main__":
    main()
