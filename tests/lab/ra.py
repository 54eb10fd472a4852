#!/usr/bin/env python3
"""One IPv6 router advertisement (RFC 4861) for the wire lab: the lab has no radvd.

Usage: ra.py INTERFACE MAC [LIFETIME]

Sends a router advertisement from INTERFACE's link-local address to all nodes (ff02::1), hop
limit 255, router lifetime LIFETIME seconds (default 1800), with the source link-layer address
option MAC. Needs root (a raw ICMPv6 socket; the kernel fills in the checksum).
"""
import socket
import struct
import sys


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    interface, mac = argv[1], bytes.fromhex(argv[2].replace(":", ""))
    lifetime = int(argv[3]) if len(argv) == 4 else 1800
    sock = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, socket.if_nametoindex(interface))
    # type, code, checksum, cur hop limit, flags, router lifetime, reachable time, retrans timer
    message = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0, lifetime, 0, 0)
    message += struct.pack("!BB", 1, 1) + mac  # source link-layer address option
    sock.sendto(message, ("ff02::1", 0, 0, socket.if_nametoindex(interface)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
