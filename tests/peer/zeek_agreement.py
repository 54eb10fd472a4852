#!/usr/bin/env python3
"""Peer agreement: sshpath's JSON against Zeek's own logs for Zeek's SSH test captures.

For every folder of peer-traces/zeek: the same client and server identification strings and
negotiated algorithms as zeek-ssh.log, a handshake outcome consistent with zeek-conn.log's
conn_state, and one-sided-capture for the half-duplex captures.
Usage: zeek_agreement.py SSHPATH_BIN ZEEK_DIR   (exit 77 when ZEEK_DIR is missing)
"""
import json
import os
import subprocess
import sys

ALGS = [("kex_alg", "kex_alg"), ("host_key_alg", "host_key_alg"), ("cipher_alg", "cipher_alg"),
        ("mac_alg", "mac_alg"), ("compression_alg", "compression_alg")]


def read_zeek_log(path):
    """Rows of a Zeek TSV log as dicts (unset '-' kept as '-')."""
    if not os.path.exists(path):
        return None
    fields, rows = None, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#fields"):
                fields = line.split("\t")[1:]
            elif line.startswith("#") or not line:
                continue
            elif fields:
                rows.append(dict(zip(fields, line.split("\t"))))
    return rows


def endpoint(addr, port):
    return f"[{addr}]:{port}" if ":" in addr else f"{addr}:{port}"


def analyze(binary, pcap):
    out = subprocess.run([binary, "analyze", "--format", "json", "--detail", "all", pcap], capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise AssertionError(f"sshpath exited {out.returncode}: {out.stderr.strip()}")
    return json.loads(out.stdout)


def main():
    binary, zeek_dir = sys.argv[1], sys.argv[2]
    if not os.path.isdir(zeek_dir):
        print(f"skipped: {zeek_dir} not found")
        return 77
    passed, failed = 0, 0

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {what}")

    for name in sorted(os.listdir(zeek_dir)):
        folder = os.path.join(zeek_dir, name)
        if not os.path.isdir(folder):
            continue
        pcaps = [p for p in os.listdir(folder) if p.endswith((".pcap", ".pcapng", ".trace"))]
        for pcap in pcaps:
            try:
                report = analyze(binary, os.path.join(folder, pcap))
            except Exception as e:  # noqa: BLE001 - report any failure of the run
                check(False, f"{name}/{pcap}: {e}")
                continue
            flows = report["flows"]
            by_key = {}
            for f in flows:
                by_key.setdefault((f["client"], f["server"]), []).append(f)
            half_duplex = name.startswith("half-duplex")
            if half_duplex:
                causes = {f["verdict"]["cause"] for f in flows}
                check(report["verdict"]["cause"] == "one-sided-capture" and causes == {"one-sided-capture"},
                      f"{name}: expected one-sided-capture everywhere, got overall {report['verdict']['cause']}, flows {sorted(causes)}")
            ssh_rows = read_zeek_log(os.path.join(folder, "zeek-ssh.log")) or []
            for row in ssh_rows:
                key = (endpoint(row["id.orig_h"], row["id.orig_p"]), endpoint(row["id.resp_h"], row["id.resp_p"]))
                cands = by_key.get(key, [])
                where = f"{name} {key[0]} -> {key[1]}"
                if not cands:
                    check(False, f"{where}: connection not found by sshpath")
                    continue
                facts_list = [f["facts"] for f in cands]
                if row["client"] != "-":
                    check(any(x["client_banner"] == row["client"] for x in facts_list),
                          f"{where}: client banner {[x['client_banner'] for x in facts_list]} != zeek {row['client']!r}")
                if row["server"] != "-":
                    check(any(x["server_banner"] == row["server"] for x in facts_list),
                          f"{where}: server banner {[x['server_banner'] for x in facts_list]} != zeek {row['server']!r}")
                for zeek_field, fact in ALGS:
                    if row.get(zeek_field, "-") != "-":
                        check(any(x[fact] == row[zeek_field] for x in facts_list),
                              f"{where}: {fact} {[x[fact] for x in facts_list]} != zeek {row[zeek_field]!r}")
            conn_rows = read_zeek_log(os.path.join(folder, "zeek-conn.log")) or []
            for row in conn_rows:
                if row.get("proto") not in (None, "tcp") or "conn_state" not in row:
                    continue
                key = (endpoint(row["id.orig_h"], row["id.orig_p"]), endpoint(row["id.resp_h"], row["id.resp_p"]))
                cands = by_key.get(key, [])
                if not cands and row.get("service") != "ssh":
                    continue  # not an SSH connection: sshpath need not report it
                where = f"{name} {key[0]} -> {key[1]} ({row['conn_state']}, {row['history']})"
                if not cands:
                    check(False, f"{where}: connection not found by sshpath")
                    continue
                state, history = row["conn_state"], row["history"]
                facts_list = [f["facts"] for f in cands]
                if half_duplex:
                    continue  # checked above: one direction only
                if state == "S0":
                    check(all(not x["synack_seen"] and x["server_packets"] == 0 for x in facts_list), f"{where}: S0 but a reply seen")
                elif state == "REJ":
                    check(any(x["server_rst_stage"] == "syn" for x in facts_list), f"{where}: REJ but no reset answering the SYN")
                else:
                    if "h" in history:
                        check(any(x["synack_seen"] for x in facts_list), f"{where}: SYN-ACK in Zeek's history, not in sshpath's facts")
                    if "S" in history and "h" in history and ("A" in history or "D" in history):
                        check(any(x["handshake_completed"] for x in facts_list), f"{where}: handshake completed per Zeek, not per sshpath")
                    if "r" in history:
                        check(any(x["server_rst_seen"] for x in facts_list), f"{where}: responder reset per Zeek, not per sshpath")
                    if "d" in history:
                        check(any(x["server_data_seen"] for x in facts_list), f"{where}: responder data per Zeek, not per sshpath")
            if not ssh_rows and not conn_rows:
                # No Zeek log to compare with (fingerprints, guesses, reverse): the run must succeed
                # and find SSH conversations that reached the key exchange.
                check(len(flows) > 0 and all(f["facts"]["speaks_ssh"] for f in flows),
                      f"{name}: expected SSH conversations, got {[(f['client'], f['verdict']['cause']) for f in flows]}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
