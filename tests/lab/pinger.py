#!/usr/bin/env python3
"""ICMP echo requests for the failure lab (the lab needs no `ping` binary).

Usage: pinger.py ADDRESS INTERVAL COUNT

Sends COUNT echo requests to the IPv4 ADDRESS, INTERVAL seconds apart (the first at once), from
a raw socket (needs root), then waits up to one INTERVAL for the last reply. It keeps a capture
busy for (COUNT - 1) * INTERVAL seconds: a scenario uses it to show that the capture went on
after ssh stopped. Exit 0 when at least one reply came, 1 otherwise.
"""
import os
import select
import socket
import struct
import sys
import time


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def echo_request(ident, seq):
    payload = b"sshpath-lab" + bytes(21)
    header = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    return struct.pack("!BBHHH", 8, 0, checksum(header + payload), ident, seq) + payload


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    address, interval, count = argv[1], float(argv[2]), int(argv[3])
    ident = os.getpid() & 0xFFFF
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    replies = 0
    start = time.monotonic()
    for seq in range(count):
        sock.sendto(echo_request(ident, seq), (address, 0))
        # Collect replies until the next request is due (one interval after the last one).
        due = start + (seq + 1) * interval
        while True:
            left = due - time.monotonic()
            if left <= 0:
                break
            ready, _, _ = select.select([sock], [], [], left)
            if not ready:
                break
            packet = sock.recv(2048)
            ihl = (packet[0] & 0x0F) * 4
            icmp_type, _, _, rid, _ = struct.unpack("!BBHHH", packet[ihl:ihl + 8])
            if icmp_type == 0 and rid == ident:
                replies += 1
    print(f"{count} requests to {address}, {replies} replies")
    return 0 if replies else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
