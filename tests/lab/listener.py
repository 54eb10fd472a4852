#!/usr/bin/env python3
"""Fake services for the failure lab, listening on the VM's port (IPv4 and IPv6).

Modes:
  close   accept, then close at once (sshd refusing before its banner: TCP wrappers, fail2ban)
  text    accept, send TEXT, then close (sshd over MaxStartups sends "Exceeded MaxStartups")
  silent  accept and never send anything (a hung sshd)
  http    answer the first line the client sends with an HTTP 400 page, then close
          (a web server on port 22)

Runs until killed.
"""
import argparse
import socket
import threading

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
        elif args.mode == "http":
            data = b""
            while b"\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                data += chunk
            conn.sendall(HTTP_400)
    except OSError:
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
    p.add_argument("mode", choices=["close", "text", "silent", "http"])
    p.add_argument("text", nargs="?", default="", help="for mode text; \\r\\n escapes allowed")
    args = p.parse_args()

    socks = []
    for family, addr in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
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
