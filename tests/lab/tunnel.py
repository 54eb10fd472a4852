#!/usr/bin/env python3
"""User-space tunnel endpoints and an ERSPAN mirror for the wire lab (tests/lab/record-wire).

The kernel of the lab machine may lack the GRE, Geneve, IPIP, SIT and ip6tnl modules; this
program does their job on a TUN or TAP device, with the headers the RFCs define, so that real
OpenSSH talks through a real encapsulation on the wire. Needs root (raw sockets, /dev/net/tun).

Usage:
  tunnel.py endpoint KIND LOCAL REMOTE DEVICE [--key N] [--vni N]
      KIND: gre (IP in GRE, TUN), gretap (Ethernet in GRE 0x6558, TAP), geneve (Ethernet in
      Geneve, UDP 6081, two TLV options, TAP), ipip (4in4), sit (6in4), ip4in6, ip6in6 (TUN).
      Creates DEVICE and carries its packets to REMOTE and back until killed.
  tunnel.py mirror KIND LOCAL COLLECTOR INTERFACE --session N
      KIND: erspan2 or erspan3. Copies every frame INTERFACE sends or receives (as a SPAN port
      does) in GRE/ERSPAN to COLLECTOR.
  tunnel.py sink PROTOCOL
      Reads and drops IP packets of PROTOCOL (e.g. 47) so that the collector's kernel does not
      answer them with ICMP "protocol unreachable".
Prints "ready" on stdout once the device or socket is set up.
"""
import argparse
import fcntl
import os
import select
import socket
import struct
import sys

TUNSETIFF = 0x400454CA
IFF_TUN, IFF_TAP, IFF_NO_PI = 0x0001, 0x0002, 0x1000
ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4

GRE_PROTO = 47
GRE_KEY, GRE_SEQ = 0x2000, 0x1000
ETHER_IPV4, ETHER_IPV6, ETHER_TEB = 0x0800, 0x86DD, 0x6558
ETHER_ERSPAN2, ETHER_ERSPAN3 = 0x88BE, 0x22EB
GENEVE_PORT = 6081

# kind: (outer family, IP protocol or None for UDP, TAP device?)
KINDS = {
    "gre": (socket.AF_INET, GRE_PROTO, False),
    "gretap": (socket.AF_INET, GRE_PROTO, True),
    "geneve": (socket.AF_INET, None, True),
    "ipip": (socket.AF_INET, 4, False),
    "sit": (socket.AF_INET, 41, False),
    "ip4in6": (socket.AF_INET6, 4, False),
    "ip6in6": (socket.AF_INET6, 41, False),
}


def open_device(name, tap):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    flags = (IFF_TAP if tap else IFF_TUN) | IFF_NO_PI
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), flags))
    return fd


def gre_header(proto, key=None, seq=None):
    flags = (GRE_KEY if key is not None else 0) | (GRE_SEQ if seq is not None else 0)
    out = struct.pack("!HH", flags, proto)
    if key is not None:
        out += struct.pack("!I", key)
    if seq is not None:
        out += struct.pack("!I", seq)
    return out


def gre_payload(data):
    """The payload of a GRE packet (checksum, key and sequence number skipped), or None."""
    if len(data) < 4:
        return None
    flags, _proto = struct.unpack("!HH", data[:4])
    at = 4 + (4 if flags & 0x8000 else 0) + (4 if flags & GRE_KEY else 0) + (4 if flags & GRE_SEQ else 0)
    return data[at:]


def geneve_header(vni):
    # Two options: class 0x0102 type 0x80 with 4 bytes of data, class 0x0103 type 0x01 empty.
    options = struct.pack("!HBBI", 0x0102, 0x80, 1, 0x5350_4154) + struct.pack("!HBB", 0x0103, 0x01, 0)
    return struct.pack("!BBHI", len(options) // 4, 0, ETHER_TEB, vni << 8) + options


def geneve_payload(data):
    if len(data) < 8 or data[0] >> 6 != 0:
        return None
    return data[8 + (data[0] & 0x3F) * 4:]


def endpoint(args):
    family, proto, tap = KINDS[args.kind]
    fd = open_device(args.device, tap)
    if proto is None:
        sock = socket.socket(family, socket.SOCK_DGRAM)
        sock.bind((args.local, GENEVE_PORT))
        remote = (args.remote, GENEVE_PORT)
    else:
        sock = socket.socket(family, socket.SOCK_RAW, proto)
        sock.bind((args.local, 0))
        remote = (args.remote, 0)
    print("ready", flush=True)
    while True:
        ready, _, _ = select.select([fd, sock], [], [])
        if fd in ready:
            packet = os.read(fd, 65535)
            if args.kind == "gre":
                ether = ETHER_IPV6 if packet[0] >> 4 == 6 else ETHER_IPV4
                packet = gre_header(ether, args.key) + packet
            elif args.kind == "gretap":
                packet = gre_header(ETHER_TEB, args.key) + packet
            elif args.kind == "geneve":
                packet = geneve_header(args.vni) + packet
            sock.sendto(packet, remote)
        if sock in ready:
            data, source = sock.recvfrom(65535)
            if source[0] != args.remote:
                continue
            # An IPv4 raw socket hands over the IP header too; IPv6 raw and UDP sockets do not.
            if proto is not None and family == socket.AF_INET:
                data = data[(data[0] & 0x0F) * 4:]
            if args.kind in ("gre", "gretap"):
                data = gre_payload(data)
            elif args.kind == "geneve":
                data = geneve_payload(data)
            if data:
                os.write(fd, data)


def erspan_header(kind, session, seq_index):
    if kind == "erspan2":
        # ver 1, VLAN 0 | cos 0, en 0, t 0, session | reserved, index
        return struct.pack("!HHI", 1 << 12, session & 0x3FF, seq_index & 0xFFFFF)
    # ver 2, VLAN 0 | cos, bso, t, session | timestamp | sgt, p, ft 0 (Ethernet), hw id 1, d, gra 1, o 0
    timestamp = int.from_bytes(os.urandom(4), "big")
    return struct.pack("!HHIHBB", 2 << 12, session & 0x3FF, timestamp, 0, 0x00, (1 << 4) | (1 << 1))


def mirror(args):
    tap = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    tap.bind((args.interface, 0))
    out = socket.socket(socket.AF_INET, socket.SOCK_RAW, GRE_PROTO)
    out.bind((args.local, 0))
    ether = ETHER_ERSPAN2 if args.kind == "erspan2" else ETHER_ERSPAN3
    seq = 0
    print("ready", flush=True)
    while True:
        frame, _address = tap.recvfrom(65535)
        seq += 1
        packet = gre_header(ether, None, seq) + erspan_header(args.kind, args.session, seq) + frame
        out.sendto(packet, (args.collector, 0))


def sink(args):
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, args.protocol)
    print("ready", flush=True)
    while True:
        sock.recv(65535)


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    e = sub.add_parser("endpoint")
    e.add_argument("kind", choices=sorted(KINDS))
    e.add_argument("local")
    e.add_argument("remote")
    e.add_argument("device")
    e.add_argument("--key", type=int)
    e.add_argument("--vni", type=int, default=0)
    m = sub.add_parser("mirror")
    m.add_argument("kind", choices=["erspan2", "erspan3"])
    m.add_argument("local")
    m.add_argument("collector")
    m.add_argument("interface")
    m.add_argument("--session", type=int, default=1)
    s = sub.add_parser("sink")
    s.add_argument("protocol", type=int)
    args = parser.parse_args()
    try:
        {"endpoint": endpoint, "mirror": mirror, "sink": sink}[args.command](args)
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
