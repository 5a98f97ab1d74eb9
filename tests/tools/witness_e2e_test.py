#!/usr/bin/env python3
"""Witnessing end to end, with the real binaries: two ledgers with the same
key and origin that diverge after a common prefix (a district showing two
histories), two witnesses (a county's and a state's), and the auditor.

  * the first ledger's `evident serve` gets both witnesses' cosignatures on
    its newest checkpoint, and publishes its hash tiles and that cosigned
    checkpoint over HTTPS (never an entry);
  * the second ledger's `evident serve` gets none: both witnesses refuse
    its checkpoints (409 or 422), and nothing is stored beside it;
  * an auditor with a 1-of-1 or 2-of-2 witness policy accepts the first's
    bundle, report and proof, and refuses the second's, naming the witness
    whose cosignature is missing;
  * the cosigned checkpoint verifies with the checker written from the C2SP
    specifications alone (tests/independent/c2sp_witness_check.py).

usage: witness_e2e_test.py --evident BIN --gen-events BIN
Exit status 0 when every check passed, 1 otherwise.
"""

import argparse
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
INDEPENDENT = os.path.join(HERE, "..", "independent", "c2sp_witness_check.py")
failures = []


def check(ok, what):
    print(("ok:   " if ok else "FAIL: ") + what, flush=True)
    if not ok:
        failures.append(what)


def run(args):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True)


def must(args):
    r = run(args)
    if r.returncode != 0:
        sys.exit("%s failed: %s%s" % (" ".join(map(str, args)), r.stdout, r.stderr))
    return r.stdout


def start(args, pattern):
    """Starts a server and waits for the stdout line matching `pattern`."""
    p = subprocess.Popen([str(a) for a in args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    line = p.stdout.readline()
    m = re.search(pattern, line)
    if not m:
        p.kill()
        sys.exit("%s did not start: %r %s" % (args[1], line, p.stderr.read()))
    return p, m


def stop(p):
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()


def eventually(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def fetch(url, cafile):
    context = ssl.create_default_context(cafile=cafile)
    try:
        with urllib.request.urlopen(url, context=context, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--evident", required=True)
    parser.add_argument("--gen-events", required=True)
    args = parser.parse_args()
    ev = args.evident
    work = tempfile.mkdtemp(prefix="evident-witness-e2e-")
    servers = []
    try:
        a, b = os.path.join(work, "a"), os.path.join(work, "b")
        must([ev, "init", "--ledger", a, "--origin", "evident.example/split"])
        events = run([args.gen_events, "--count", "600", "--seed", "5"]).stdout.splitlines(True)
        other = run([args.gen_events, "--count", "600", "--seed", "6"]).stdout.splitlines(True)

        def append(ledger, lines, name):
            path = os.path.join(work, name)
            with open(path, "w") as f:
                f.writelines(lines)
            must([ev, "append", "--ledger", ledger, "--key", os.path.join(ledger, "keys", "admin.pem"), path])

        append(a, events[:300], "common.jsonl")
        shutil.copytree(a, b)  # the same key, the same origin, the same first 302 entries
        append(a, events[300:], "a.jsonl")
        append(b, other[300:], "b.jsonl")
        vkey = must([ev, "pubkey", "--ledger", a]).strip()
        check(vkey == must([ev, "pubkey", "--ledger", b]).strip(), "both ledgers have one key")
        check(must([ev, "checkpoint", "--ledger", a, "--latest"]).split("\n")[2]
              != must([ev, "checkpoint", "--ledger", b, "--latest"]).split("\n")[2],
              "the two ledgers' roots differ at the same size")

        # Two witnesses, each of the log with that key.
        witnesses = []
        for name in ("county.example/witness", "state.example/witness"):
            d = os.path.join(work, name.split(".")[0])
            os.makedirs(d)
            wvkey = must([ev, "keygen", "--cosigner", name, "--out", os.path.join(d, "key.pem")]).strip()
            p, m = start([ev, "witness", "--dir", d, "--name", name, "--key",
                          os.path.join(d, "key.pem"), "--log", vkey, "--listen", "127.0.0.1:0"],
                         r"on (https://\S+)")
            servers.append(p)
            witnesses.append((wvkey, m.group(1), os.path.join(d, "tls-cert.pem")))
        county, state = witnesses[0][0], witnesses[1][0]
        witness_flags = []
        for wvkey, url, cert in witnesses:
            witness_flags += ["--witness", "%s %s %s" % (url, wvkey, cert)]

        # The first ledger: cosigned by both, and published.
        p, m = start([ev, "serve", "--ledger", a, "--listen", "127.0.0.1:0", "--publish",
                      "127.0.0.1:0", "--metrics", "127.0.0.1:0"] + witness_flags,
                     r"metrics on (http://\S+)/metrics; hash tiles on (https://\S+)/checkpoint")
        servers.append(p)
        metrics_url, tiles_url = m.group(1), m.group(2)
        both = ["--witness", county, "--witness", state]
        check(eventually(lambda: run([ev, "checkpoint", "--ledger", a] + both).returncode == 0),
              "the first ledger's checkpoint is cosigned by both witnesses")
        note = must([ev, "checkpoint", "--ledger", a] + both)
        check(note.split("\n")[1] == "602", "the cosigned checkpoint is the newest (602 entries)")
        note_file = os.path.join(work, "a-checkpoint.txt")
        with open(note_file, "w") as f:
            f.write(note)
        r = run([sys.executable, INDEPENDENT, "--verify-note", note_file, "--log-vkey", vkey,
                 "--witness", county, "--witness", state])
        check(r.returncode == 0, "the independent checker verifies both cosignatures: " +
              (r.stdout + r.stderr).strip().replace("\n", " | "))
        cert = os.path.join(a, "keys", "tls-cert.pem")
        # The server marks a size trusted just after storing its second
        # cosignature, which `evident checkpoint` may already have read.
        check(eventually(lambda: fetch(tiles_url + "/checkpoint", cert) == (200, note.encode())),
              "/checkpoint over HTTPS is the cosigned note")
        status, body = fetch(tiles_url + "/tile/0/000.p/255", cert)
        check(status == 200 and len(body) == 255 * 32, "a partial tile over HTTPS")
        status, body = fetch(tiles_url + "/tile/0/001.p/90", cert)
        check(status == 200 and len(body) == 90 * 32, "the right edge's partial tile")
        status, _ = fetch(tiles_url + "/tile/entries/000.p/10", cert)
        check(status == 404, "entries are never served (%d)" % status)
        status, _ = fetch(tiles_url + "/tile/0/003", cert)
        check(status == 404, "a tile past the log is not found")
        def metrics():
            with urllib.request.urlopen(metrics_url + "/metrics", timeout=10) as r:
                return r.read().decode()

        check(eventually(lambda: "evident_cosigning_lag_entries 0\n" in metrics()),
              "the cosigning lag is 0 once cosigned")
        check('evident_witness_up{witness="state.example/witness"} 1' in metrics(),
              "both witnesses up")
        stop(p)
        servers.remove(p)

        # The second ledger: refused by both, so nothing is cosigned.
        p, m = start([ev, "serve", "--ledger", b, "--listen", "127.0.0.1:0", "--metrics",
                      "127.0.0.1:0"] + witness_flags, r"metrics on (http://\S+)/metrics")
        servers.append(p)

        def refused_by_both():
            with urllib.request.urlopen(m.group(1) + "/metrics", timeout=10) as r:
                text = r.read().decode()
            return all('evident_witness_failures_total{witness="%s"} 0' % n not in text
                       for n in ("county.example/witness", "state.example/witness"))

        check(eventually(refused_by_both), "both witnesses refused the second ledger's checkpoint")
        stop(p)
        servers.remove(p)
        r = run([ev, "checkpoint", "--ledger", b, "--witness", county])
        check(r.returncode != 0, "the second ledger has no checkpoint cosigned by the county")
        r = run([ev, "checkpoint", "--ledger", b])
        check(r.returncode == 0 and r.stdout.count("\u2014") == 1,
              "the second ledger's newest checkpoint carries the ledger's signature alone")

        # The auditor: bundles, reports and proofs with 1-of-1 and 2-of-2 policies.
        for ledger, name in ((a, "first"), (b, "second")):
            bundle = os.path.join(work, name + "-bundle")
            must([ev, "export", "--ledger", ledger, "--out", bundle])
            report = os.path.join(work, name + "-report")
            must([ev, "report", "board", "--ledger", ledger, "--fiscal-year", "2025", "--out", report])
            proof = os.path.join(work, name + ".tlog-proof")
            with open(proof, "w") as f:
                f.write(must([ev, "prove", "--ledger", ledger, "--index", "400", "--tlog-proof"]))
            expect_ok = ledger == a
            for policy in (["--witness", county], both):
                label = "%s ledger, %d-of-%d" % (name, len(policy) // 2, len(policy) // 2)
                results = {
                    "bundle": run([ev, "verify", "--bundle", bundle, "--vkey", vkey] + policy),
                    "report": run([ev, "report", "verify", report, "--bundle", bundle, "--vkey", vkey] + policy),
                    "proof": run([ev, "check-proof", "--vkey", vkey] + policy + [proof]),
                }
                for what, r in results.items():
                    said = r.stdout + r.stderr
                    if expect_ok:
                        check(r.returncode == 0, "%s: the %s is accepted: %s" % (label, what, said.strip()[-300:]))
                    else:
                        check(r.returncode != 0 and "no cosignature of county.example/witness" in said,
                              "%s: the %s is refused, naming the county's witness: %s"
                              % (label, what, said.strip()[-300:]))
            # Without a policy the second ledger's artefacts still verify on the
            # ledger key alone: the witnesses are what tells the two apart.
            r = run([ev, "verify", "--bundle", bundle, "--vkey", vkey])
            check(r.returncode == 0, "%s ledger: the bundle verifies on the ledger key alone" % name)
    finally:
        for p in servers:
            p.kill()
        shutil.rmtree(work, ignore_errors=True)
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
