#!/usr/bin/env python3
"""The HTML report of every bundled capture (captures/*.pcap, the *.vm.pcap copies left out) in
headless Chromium, one browser for all pages, driven over the DevTools protocol on a pipe: each
page loads with no console message of level error, no script error and no request beyond the page
itself; its deciding connection's ladder diagram has one arrow per packet of that connection's
timeline (plus the cited packets the timeline lacks) and exactly the cited packets drawn as
evidence; printed (print media), the diagram is still laid out. Exit 77 when chromium is missing.

Usage: html_test.py SSHPATH_BIN CAPTURES_DIR
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

# Pairs of captures rendered with both ends: a NAT before a VM whose firewall drops (translation,
# segment vm, every packet at both ends), an edge forging a reset after the banners (a packet
# lost, one never sent), the VM's SYN-ACKs lost on the way back with the clocks apart (an offset),
# and an edge resetting the SYN (the far capture never saw the attempt).
PAIRS = ["nat-vm-firewall-drop", "edge-forged-reset", "clock-offset-synack-drop", "edge-syn-reset"]

PROBE = """(() => {
  const figs = [...document.querySelectorAll('svg.ladder')];
  const first = figs[0];
  const r = first ? first.getBoundingClientRect() : null;
  return JSON.stringify({
    title: document.title,
    ladders: figs.length,
    arrows: first ? first.querySelectorAll('g.arrow').length : 0,
    evidence: first ? [...first.querySelectorAll('g.arrow.evidence')].map(g => +g.dataset.packet) : [],
    packets: first ? [...first.querySelectorAll('g.arrow')].map(g => +g.dataset.packet) : [],
    width: r ? r.width : 0,
    scripts: document.scripts.length,
    evidence_heads: [...document.querySelectorAll('#evidence + table th')].map(th => th.textContent),
    evidence_rows: Math.max(0, document.querySelectorAll('#evidence + table tr').length - 1),
    pair: (() => {
      const dl = document.querySelector('dl.pair');
      if (!dl) return null;
      const rows = {};
      dl.querySelectorAll('dt').forEach(dt => { rows[dt.textContent] = dt.nextElementSibling.textContent; });
      const t = document.querySelector('table.pair-packets');
      return {rows, height: dl.getBoundingClientRect().height,
              fates: t ? [...t.querySelectorAll('tr[data-fate]')].map(r => r.dataset.fate) : [],
              highlighted: t ? [...t.querySelectorAll('tr.evidence')].map(r => r.dataset.fate) : []};
    })(),
  });
})()"""


class Browser:
    def __init__(self, chromium, profile):
        r1, w1 = os.pipe()  # to the browser (its fd 3)
        r2, w2 = os.pipe()  # from the browser (its fd 4)
        # The protocol's pipe is the browser's fds 3 and 4: our ends go to 100 and 101 first (out of
        # the way of 3 and 4), then a shell moves them there.
        os.dup2(r1, 100)
        os.dup2(w2, 101)
        os.close(r1)
        os.close(w2)
        self.proc = subprocess.Popen(
            ["bash", "-c", 'exec "$0" "$@" 3<&100 4>&101 100<&- 101>&-', chromium, "--headless", "--no-sandbox",
             "--disable-gpu", "--remote-debugging-pipe", "--no-first-run", f"--user-data-dir={profile}", "about:blank"],
            pass_fds=(100, 101), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(100)
        os.close(101)
        self.out, self.inp = os.fdopen(w1, "wb", buffering=0), os.fdopen(r2, "rb", buffering=0)
        self.buf, self.next_id, self.events = b"", 0, []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.out.write(json.dumps(msg).encode() + b"\0")
        return self.wait(lambda m: m.get("id") == self.next_id)

    def wait(self, pred, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            while b"\0" in self.buf:
                raw, self.buf = self.buf.split(b"\0", 1)
                m = json.loads(raw)
                if "method" in m:
                    self.events.append(m)
                if pred(m):
                    if "error" in m:
                        raise RuntimeError(m["error"])
                    return m
            chunk = self.inp.read(65536)
            if not chunk:
                raise RuntimeError("the browser went away")
            self.buf += chunk
        raise RuntimeError("the browser did not answer in time")

    def close(self):
        try:
            self.send("Browser.close")
        except (RuntimeError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def main():
    binary, captures = sys.argv[1], sys.argv[2]
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    # Debian's /usr/bin/chromium is a launcher script that does not pass fds 3 and 4 on.
    if chromium and os.access("/usr/lib/chromium/chromium", os.X_OK):
        chromium = "/usr/lib/chromium/chromium"
    if not chromium:
        print("SKIP: chromium is not installed (scripts/install-deps installs Debian's chromium)")
        return 77
    files = sorted(f for f in glob.glob(os.path.join(captures, "*.pcap")) if not f.endswith(".vm.pcap"))
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        pages = []
        for cap in files:
            name = os.path.basename(cap)[:-5]
            page = os.path.join(tmp, name + ".html")
            with open(page, "w") as out:
                subprocess.run([binary, "analyze", "--format", "html", "--explain", cap], stdout=out, check=True, timeout=60)
            report = json.loads(subprocess.run([binary, "analyze", "--format", "json", cap], capture_output=True, text=True,
                                               check=True, timeout=60).stdout)
            pages.append((name, page, report))
        for name in PAIRS:
            caps = [os.path.join(captures, name + ".pcap"), os.path.join(captures, name + ".vm.pcap")]
            page = os.path.join(tmp, name + ".pair.html")
            with open(page, "w") as out:
                subprocess.run([binary, "analyze", "--format", "html", *caps], stdout=out, check=True, timeout=60)
            report = json.loads(subprocess.run([binary, "analyze", "--format", "json", *caps], capture_output=True, text=True,
                                               check=True, timeout=60).stdout)
            pages.append((name + " (both ends)", page, report))
        browser = Browser(chromium, os.path.join(tmp, "profile"))
        try:
            target = browser.send("Target.createTarget", {"url": "about:blank"})["result"]["targetId"]
            session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["result"]["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network"):
                browser.send(f"{domain}.enable", session=session)
            for i, (name, page, report) in enumerate(pages):
                url = "file://" + page
                browser.events.clear()
                browser.send("Page.navigate", {"url": url}, session=session)
                browser.wait(lambda m: m.get("method") == "Page.loadEventFired")
                media = "print" if i % 2 else "screen"
                browser.send("Emulation.setEmulatedMedia", {"media": media}, session=session)
                got = json.loads(browser.send("Runtime.evaluate", {"expression": PROBE, "returnByValue": True},
                                              session=session)["result"]["result"]["value"])
                for e in browser.events:
                    p = e.get("params", {})
                    if e["method"] == "Runtime.exceptionThrown":
                        failures.append(f"{name}: script error {p}")
                    if e["method"] == "Runtime.consoleAPICalled" and p.get("type") == "error":
                        failures.append(f"{name}: console error {p.get('args')}")
                    if e["method"] == "Log.entryAdded" and p["entry"]["level"] == "error":
                        failures.append(f"{name}: console error: {p['entry'].get('text')}")
                    if e["method"] == "Network.requestWillBeSent" and p["request"]["url"] != url:
                        failures.append(f"{name}: the page fetched {p['request']['url']}")
                if got["scripts"]:
                    failures.append(f"{name}: the page holds a script")
                if not got["title"].startswith("sshpath: " + report["verdict"]["cause"]):
                    failures.append(f"{name}: title {got['title']!r}")
                if "pair" in report:
                    failures += [f"{name}: {p}" for p in pair_problems(report, got)]
                elif got["pair"] is not None:
                    failures.append(f"{name}: a Both ends section without a pair")
                want = expected_ladder(report)
                if want is None:
                    if got["ladders"]:
                        failures.append(f"{name}: a ladder without a connection")
                    continue
                packets, cited, arrows = want
                if got["arrows"] != arrows or sorted(got["packets"]) != packets:
                    failures.append(f"{name}: the ladder has {got['arrows']} arrows {got['packets']}, want {arrows} {packets}")
                if sorted(got["evidence"]) != cited:
                    failures.append(f"{name}: the ladder highlights {got['evidence']}, the verdict cites {cited}")
                if got["width"] <= 0:
                    failures.append(f"{name}: the ladder is not laid out ({media})")
        finally:
            browser.close()
    for f in failures:
        print("FAIL:", f)
    failed = len({f.split(":")[0] for f in failures})
    print(f"{len(pages)} pages: {len(pages) - failed} passed, {failed} failed")
    return 1 if failures or not pages else 0


def pair_problems(report, got):
    """What the page's Both ends section and evidence table get wrong against the JSON report."""
    pair, problems = report["pair"], []
    shown = got["pair"]
    if shown is None:
        return ["no Both ends section"]
    if shown["height"] <= 0:
        problems.append("the Both ends section is not laid out")
    if pair["answer"] < 0:
        return problems + ["the pair has no attempt that answers (pick a pair that has one)"]
    answer = pair["attempts"][pair["answer"]]
    rows = shown["rows"]
    shown_offset = rows.get("clock offset", "")
    if pair["clock_offset_known"]:
        try:
            ok = abs(float(shown_offset.split(" s")[0]) - pair["clock_offset_s"]) < 0.0015
        except ValueError:
            ok = False
    else:
        ok = shown_offset.startswith("unknown")
    if not ok:
        problems.append(f"clock offset {shown_offset!r}, the JSON says {pair['clock_offset_s']} (known: {pair['clock_offset_known']})")
    translation = pair.get("translation") or {}
    if translation.get("client_at_vm") is None:
        if not rows.get("translation", "").startswith("not seen"):
            problems.append(f"translation {rows.get('translation')!r}, but the far capture does not hold the attempt")
    elif translation["client_at_vm"] not in rows.get("translation", ""):
        problems.append(f"translation {rows.get('translation')!r} lacks {translation['client_at_vm']}")
    segment = report["verdict"].get("segment")
    if segment and not rows.get("segment", "").startswith(segment + ":"):
        problems.append(f"segment {rows.get('segment')!r}, the JSON says {segment}")
    fates = [p["fate"] for p in answer["packets"]]
    if shown["fates"] != fates:
        problems.append(f"packets with fates {shown['fates']}, the JSON has {fates}")
    vanished = [f for f in fates if f in ("lost", "never-sent")]
    if shown["highlighted"] != vanished:
        problems.append(f"highlighted {shown['highlighted']}, want {vanished}")
    if report["verdict"]["evidence"] and (got["evidence_heads"][:3] != ["client packet", "time (s)", "far packet"]
                                          or got["evidence_rows"] != len(report["verdict"]["evidence"])):
        problems.append(f"evidence table {got['evidence_heads']} with {got['evidence_rows']} rows")
    return problems


def expected_ladder(report):
    """(packets drawn, packets cited, number of arrows) of the deciding connection, or None."""
    cited_overall = {e["packet"] for e in report["verdict"]["evidence"]}
    deciding = None
    if "pair" in report:
        # The deciding connection of a pair is the client's attempt that answers, as the client's capture judged it.
        answer = report["pair"]["answer"]
        index = report["pair"]["attempts"][answer]["client_flow"] if answer >= 0 else -1
        deciding = report["flows"][index] if index >= 0 else None
        cited_overall = None
    for f in report["flows"] if cited_overall is not None else []:
        if f["verdict"]["rule"] == report["verdict"]["rule"] and {e["packet"] for e in f["verdict"]["evidence"]} == cited_overall:
            deciding = f  # the latest of equals decides, as the engine chooses
    if deciding is None:
        return None
    timeline = [e["packet"] for e in deciding["timeline"]]
    cited = {e["packet"] for e in deciding["verdict"]["evidence"]}
    return sorted(set(timeline) | cited), sorted(cited), len(timeline) + len(cited - set(timeline))


if __name__ == "__main__":
    sys.exit(main())
