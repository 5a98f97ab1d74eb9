#!/usr/bin/env python3
"""Erasure on request (DESIGN.md invariant 10, docs/pages.md).

With the real `evident demo` district and `evident serve --pages`, the office
erases a named member of staff on their page. Afterwards no page, no CSV, no
board report, no line of the server's log, no file of the directory and no
backup taken afterwards holds their name or work email; their session has
ended and their account is gone; and `evident verify` and the proofs of their
entries still pass, since the log never held the name.

Before the erasure the same searches find the name (so they can fail).
Run: erasure_test.py --evident BIN [--work DIR]
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pages_fixture as fx  # noqa: E402


check = fx.check


def files_holding(root, needles):
    """Every file under `root` holding any of `needles` (bytes)."""
    found = []
    for dirpath, _, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            try:
                with open(path, "rb") as f:
                    data = f.read()
            except OSError:
                continue
            if any(n in data for n in needles):
                found.append(os.path.relpath(path, root))
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--evident", required=True)
    ap.add_argument("--work")
    args = ap.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="evident-erasure-")
    d = fx.District(args.evident, work)
    ev = args.evident
    staff = d.accounts["staff"]
    person = staff["person"]
    name = d.names[person]
    with open(os.path.join(d.dir, "hr-staff.jsonl"), encoding="utf-8") as f:
        email = next(json.loads(l)["electronicMailAddress"] for l in f
                     if json.loads(l)["personReference"]["personId"] == person)
    needles = [name.encode(), email.encode()]
    directory = os.path.join(d.ledger, "directory")

    # Before: the directory and the pages hold the name (the searches can find it).
    check(files_holding(directory, needles) != [], f"before: the directory's files hold {name}")
    d.issue_codes()
    d.start()
    try:
        s = d.signed_in("staff")
        o = d.signed_in("office")
        check(o.get(f"/people/{person}") == 200 and name in o.last_body,
              "before: the office sees the name on the person's page")
        o.get("/worklist.csv")
        check(name in o.last_body or person not in o.last_body,
              "before: the worklist's CSV names the person wherever it lists them")

        # The erasure, through the office's form.
        o.get(f"/people/{person}")
        token = o.hidden("csrf")
        check(o.post(f"/people/{person}/erase", {"confirm": "wrong", "csrf": token}) == 400,
              "an erasure without the typed confirmation is refused")
        check(o.post(f"/people/{person}/erase", {"confirm": person, "csrf": token}) == 303,
              "the office erases the person")

        # After: no page and no CSV shows the name.
        pages = [f"/people/{person}", "/people", "/worklist", "/worklist.csv", "/compliance",
                 f"/people/{person}?again", "/reports", "/reports/report/report.html"]
        site = d.accounts["site-leader"]["sites"][0]
        pages.append(f"/sites/{site}")
        o.get(f"/people/{person}")
        pages += sorted(set(re.findall(r'href="(/programs/[^"]+)"', o.last_body)))[:3]
        for path in pages:
            status = o.get(path)
            check(status == 200 and name not in o.last_body and email not in o.last_body,
                  f"after: {path} ({status}) shows neither the name nor the email")
        o.get(f"/people/{person}")
        check(person in o.last_body, "after: the person shows as their id")
        check(s.get("/me") == 303, "after: the erased person's session has ended")
        check(s.sign_in(staff["login"], fx.PASSWORD) == 401, "after: their account is gone")
    finally:
        d.stop()

    # The server's log, the directory's files, and what the CLI shows.
    with open(d.log_path, "rb") as f:
        log = f.read()
    check(not any(n in log for n in needles), "the server's log never held the name or email")
    check(files_holding(directory, needles) == [],
          f"no file of the directory holds the name or email: {files_holding(directory, needles)}")
    listed = fx.run([ev, "people", "list", "--ledger", d.ledger])
    check(name not in listed and person in listed and "erased" in listed,
          "`evident people list` shows the id as erased, without the name")
    r = subprocess.run([ev, "people", "set", "--ledger", d.ledger, person, "--name", name],
                       capture_output=True, text=True)
    check(r.returncode != 0, "an erased id cannot be given a name again")

    # A backup taken afterwards, a new report and a bundle hold no name.
    backup = os.path.join(work, "backup-after")
    fx.run([ev, "backup", backup, "--ledger", d.ledger])
    check(os.path.isdir(os.path.join(backup, "directory")), "the backup holds the directory")
    check(files_holding(backup, needles) == [],
          f"the backup taken afterwards holds no name: {files_holding(backup, needles)}")
    report = os.path.join(work, "report-after")
    fx.run([ev, "report", "board", "--ledger", d.ledger, "--fiscal-year", "2026", "--out", report])
    bundle = os.path.join(work, "bundle-after")
    fx.run([ev, "export", "--ledger", d.ledger, "--out", bundle])
    check(files_holding(report, needles) == [] and files_holding(bundle, needles) == [],
          "a board report and a bundle made afterwards hold no name")
    ledger_files = [f for f in files_holding(d.ledger, needles)]
    check(ledger_files == [], f"no file of the ledger's folder holds the name: {ledger_files}")

    # Every proof still passes: the log never held the name.
    out = fx.run([ev, "verify", "--ledger", d.ledger])
    check(out.startswith("ok"), "evident verify passes: " + out.strip()[:100])
    vkey = fx.run([ev, "pubkey", "--ledger", d.ledger]).split()[0]
    proof = os.path.join(work, "proof.json")
    entry = first_entry_of(ev, d.ledger, person)
    with open(proof, "w") as f:
        f.write(fx.run([ev, "prove", "--ledger", d.ledger, "--index", str(entry)]))
    out = fx.run([ev, "check-proof", "--vkey", vkey, proof])
    check(out.startswith("ok"), f"the proof of their entry {entry} still checks: {out.strip()[:100]}")

    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return fx.exit_code()


def first_entry_of(ev, ledger, person):
    out = fx.run([ev, "log", "--ledger", ledger])
    for i, line in enumerate(out.splitlines()):
        if f'"person_id":"{person}"' in line.replace(" ", ""):
            m = re.search(r'"(?:position|sequence|index)":\s*(\d+)', line)
            return int(m.group(1)) if m else i
    raise RuntimeError("no entry about " + person)


if __name__ == "__main__":
    sys.exit(main())
