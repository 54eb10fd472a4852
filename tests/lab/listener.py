#!/usr/bin/env python3
"""Fake services for the failure lab, listening on a port of the VM (IPv4 and IPv6) or of
another lab host (--bind ADDRESS: that address only).

Modes:
  close       accept, then close at once (sshd refusing before its banner: TCP wrappers, fail2ban)
  text        accept, send TEXT, then close (sshd over MaxStartups sends "Exceeded MaxStartups")
  greet       accept, send TEXT, then stay silent until the client closes (a mail server's
              greeting on port 22)
  silent      accept and never send anything (a hung sshd; also a quiet control port)
  http        answer the first line the client sends with an HTTP 400 page, then close
              (a web server on port 22)
  banners     send an SSH identification string, read the client's, then close (FIN) without a
              KEXINIT (a server that refuses the client's version)
  disconnect  send an SSH identification string, read the client's and its KEXINIT packet, then
              send SSH_MSG_DISCONNECT (reason 2, "bad packet") in the clear and close
  proxy-close read an HTTP request (up to the empty line), then close without any reply
              (an HTTP proxy that drops a CONNECT)

The modes that close after reading shut their side down first (FIN) and then read whatever the
client still sends until it closes too, so the kernel never turns the close into a RST because
of unread data.

Runs until killed.
"""
import argparse
import socket
import struct
import threading

SERVER_ID = b"SSH-2.0-OpenSSH_9.2\r\n"


def _disconnect_packet(reason, description):
    """An SSH binary packet (RFC 4253 6) holding SSH_MSG_DISCONNECT, unencrypted, no MAC."""
    desc = description.encode()
    payload = (bytes([1]) + struct.pack(">I", reason) + struct.pack(">I", len(desc)) + desc
               + struct.pack(">I", 0))                      # language tag ""
    padding = 8 - (4 + 1 + len(payload)) % 8
    if padding < 4:
        padding += 8
    body = bytes([padding]) + payload + bytes(padding)
    return struct.pack(">I", len(body)) + body


class Reader:
    """Buffered reads from a connection: lines and SSH binary packets."""

    def __init__(self, conn):
        self.conn = conn
        self.buf = b""

    def _fill(self):
        chunk = self.conn.recv(4096)
        if not chunk:
            raise EOFError
        self.buf += chunk

    def line(self):
        while b"\n" not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b"\n", 1)
        return line

    def until(self, marker):
        while marker not in self.buf:
            self._fill()
        head, self.buf = self.buf.split(marker, 1)
        return head

    def packet(self):
        while len(self.buf) < 4:
            self._fill()
        need = 4 + struct.unpack(">I", self.buf[:4])[0]
        while len(self.buf) < need:
            self._fill()
        pkt, self.buf = self.buf[:need], self.buf[need:]
        return pkt


def _close_gracefully(conn):
    """FIN first, then drain until the client closes (bounded), so no RST for unread data."""
    try:
        conn.shutdown(socket.SHUT_WR)
        conn.settimeout(10)
        while conn.recv(4096):
            pass
    except OSError:
        pass

HTTP_400 = (
    b"HTTP/1.1 400 Bad Request\r\n"
    b"Server: nginx\r\n"
    b"Content-Type: text/html\r\n"
    b"Content-Length: 150\r\n"
    b"Connection: close\r\n"
    b"\r\n"
    b"<html>\r\n<head><title>400 Bad Request</title></head>\r\n<body>\r\n"
    b"<center><h1>400 Bad Request</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)


def serve(conn, args):
    try:
        if args.mode == "close":
            pass
        elif args.mode == "text":
            conn.sendall(args.text.encode().decode("unicode_escape").encode("latin-1"))
        elif args.mode == "silent":
            while conn.recv(4096):
                pass
        elif args.mode == "greet":
            conn.sendall(args.text.encode().decode("unicode_escape").encode("latin-1"))
            while conn.recv(4096):
                pass
        elif args.mode == "banners":
            conn.sendall(SERVER_ID)
            Reader(conn).line()
            _close_gracefully(conn)
        elif args.mode == "disconnect":
            conn.sendall(SERVER_ID)
            r = Reader(conn)
            while not r.line().startswith(b"SSH-"):
                pass
            r.packet()                                      # the client's KEXINIT
            conn.sendall(_disconnect_packet(2, "bad packet"))
            _close_gracefully(conn)
        elif args.mode == "proxy-close":
            Reader(conn).until(b"\r\n\r\n")
            _close_gracefully(conn)
        elif args.mode == "http":
            data = b""
            while b"\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                data += chunk
            conn.sendall(HTTP_400)
    except (OSError, EOFError):
        pass
    finally:
        conn.close()


def accept_loop(sock, args):
    while True:
        conn, _ = sock.accept()
        threading.Thread(target=serve, args=(conn, args), daemon=True).start()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=22)
    p.add_argument("--bind", help="listen on this address only (default: every IPv4 and IPv6 one)")
    p.add_argument("mode", choices=["close", "text", "greet", "silent", "http", "banners",
                                    "disconnect", "proxy-close"])
    p.add_argument("text", nargs="?", default="",
                   help="for modes text and greet; \\r\\n escapes allowed")
    args = p.parse_args()

    socks = []
    if args.bind:
        family = socket.AF_INET6 if ":" in args.bind else socket.AF_INET
        binds = ((family, args.bind),)
    else:
        binds = ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::"))
    for family, addr in binds:
        s = socket.socket(family, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        s.bind((addr, args.port))
        s.listen(16)
        socks.append(s)
    threads = [threading.Thread(target=accept_loop, args=(s, args), daemon=True) for s in socks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
