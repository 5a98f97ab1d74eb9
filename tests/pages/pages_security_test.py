#!/usr/bin/env python3
"""The pages against someone who holds a real account (docs/pages.md).

With the real `evident demo` district and `evident serve --pages`:
  * each role reaches exactly what its role allows, and no more;
  * a staff member asking for another's record gets 403, and the attempt is
    in that person's access log, which they read on their own page;
  * wrong passwords back off (429 with Retry-After, even for the right one);
  * a session of one person cannot read another's record or proof;
  * a form without its CSRF token, with another session's token, or from
    another origin is refused and changes nothing;
  * a board member or an auditor changes nothing;
  * pages are never served over plain HTTP;
  * session cookies are __Host-, Secure, HttpOnly, SameSite=Strict, and
    every page carries a Content-Security-Policy.
Run: pages_security_test.py --evident BIN [--work DIR]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pages_fixture as fx  # noqa: E402


check = fx.check


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--evident", required=True)
    ap.add_argument("--work")
    args = ap.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="evident-pages-")
    d = fx.District(args.evident, work)
    d.issue_codes()
    d.start()
    try:
        run_checks(d)
    finally:
        d.stop()
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return fx.exit_code()


def run_checks(d):
    staff, leader, office = (d.accounts[r] for r in ("staff", "site-leader", "office"))

    # Plain HTTP gets no page, and --pages with --plaintext is refused.
    answer = fx.plain_http_answer(d.port)
    check(not answer.startswith(b"HTTP/"), "a plain-HTTP request to the pages gets no HTTP answer")
    r = subprocess.run([d.evident, "serve", "--ledger", d.ledger, "--plaintext", "--listen",
                        "127.0.0.1:0", "--pages", "127.0.0.1:0", "--check-config"],
                       capture_output=True, text=True)
    check(r.returncode != 0 and "HTTPS only" in r.stderr,
          "serve --plaintext --pages is refused: " + r.stderr.strip()[:120])

    # Before signing in: every page sends you to sign in.
    anon = d.visitor()
    check(anon.get("/me") == 303 and anon.last_headers.get("location", "").startswith("/sign-in"),
          "without a session /me redirects to the sign-in page")
    check(anon.get("/proof/0") == 303, "without a session a proof is not served")

    # Wrong passwords back off, even for the right password.
    v = d.visitor()
    statuses = [v.sign_in(staff["login"], "not the password!") for _ in range(4)]
    check(statuses == [401, 401, 401, 401], f"four wrong passwords: {statuses}")
    status = v.sign_in(staff["login"], "not the password!")
    wait = int(v.last_headers.get("retry-after", "0"))
    check(status == 429 and wait >= 1, f"the next attempt waits (429, Retry-After {wait})")
    status = v.sign_in(staff["login"], fx.PASSWORD)  # right, but inside the wait
    check(status == 429, "inside the wait even the right password is refused (429)")
    time.sleep(int(v.last_headers.get("retry-after", "1")) + 0.2)

    # First sign-in by one-time code, for every role.
    visitors = {role: d.signed_in(role) for role in d.accounts}
    s = visitors["staff"]
    cookie = [c for c in s.last_set_cookies if c.startswith("__Host-evident_session=")]
    check(len(cookie) == 1 and all(a in cookie[0] for a in
                                   ("Secure", "HttpOnly", "SameSite=Strict", "Path=/")),
          "the session cookie is __Host-, Secure, HttpOnly, SameSite=Strict")
    check(s.get("/me") == 200, "a staff member reads their own record")
    csp = s.last_headers.get("content-security-policy", "")
    check("script-src 'self'" in csp and "frame-ancestors 'none'" in csp,
          "pages carry a Content-Security-Policy")
    check("strict-transport-security" in s.last_headers, "pages carry Strict-Transport-Security")
    check("tree size" in s.last_body, "the record names its checkpoint")

    # What each role reaches.
    reach = {
        "staff": {"/me": 200, "/reports": 200, "/worklist": 403, "/people": 403, "/sites": 403,
                  "/compliance": 403, f"/people/{leader['person']}": 403,
                  f"/people/{staff['person']}": 200},
        "site-leader": {"/me": 200, "/reports": 200, "/worklist": 200, "/people": 200,
                        "/compliance": 403, f"/people/{staff['person']}": 200,
                        f"/people/{office['person']}": 403, "/entries/0": 403,
                        "/proof/0": 403},
        "office": {"/me": 200, "/worklist": 200, "/worklist.csv": 200, "/people": 200,
                   "/sites": 200, "/entries/0": 200, "/people/e-99999999": 404,
                   "/compliance": 200, f"/people/{staff['person']}": 200},
        "board": {"/reports": 200, "/me": 404, "/worklist": 403, "/people": 403,
                  "/compliance": 403, f"/people/{staff['person']}": 403, "/entries/0": 403},
        "auditor": {"/compliance": 200, "/entries/0": 200, "/proof/0": 200, "/reports": 200,
                    "/worklist": 403, f"/people/{staff['person']}": 403},
    }
    for role, pages in reach.items():
        got = {p: visitors[role].get(p) for p in pages}
        check(got == pages, f"{role} reaches exactly what the role allows: {got}")
    leader_site = leader["sites"][0] if leader.get("sites") else None
    if leader_site:
        check(visitors["site-leader"].get(f"/sites/{leader_site}") == 200,
              "a site leader sees their site")

    # A staff member's attempt on another's record is refused and recorded.
    check(s.get(f"/people/{leader['person']}") == 403, "staff asking for another's record: 403")
    lv = visitors["site-leader"]
    lv.get("/me")
    staff_name = s_name(d, staff)
    check("Who looked at your record" in lv.last_body and staff_name in lv.last_body
          and "no, refused" in lv.last_body,
          "the refused attempt is in the other person's access log, by name")
    # One person's session cannot read another's proof or entries.
    other_entry = find_entry_of(visitors["office"], leader["person"])
    if other_entry is not None:
        check(s.get(f"/proof/{other_entry}") == 403, "a staff session cannot fetch another's proof")
        check(s.get(f"/entries/{other_entry}") == 403, "a staff session cannot open another's entry")

    # A proof carries the entry: fetching one is a view of the person's record.
    staff_entry = find_entry_of(visitors["office"], staff["person"])
    check(visitors["auditor"].get(f"/proof/{staff_entry}") == 200, "the auditor fetches a proof")
    s.get("/me")
    check(f"/proof/{staff_entry}" in s.last_body,
          "the proof fetched is in the person's access log")

    # A correction or void is about the person of the entry it amends: a site
    # leader sees those of their sites' people only.
    o = visitors["office"]
    o.get("/compliance")
    section = o.last_body.split('id="kind-amendment"', 1)[-1].split("<h2", 1)[0]
    amendments = sorted({int(n) for n in re.findall(r'href="/entries/(\d+)"', section)})
    checked = 0
    for position in amendments:
        o.get(f"/entries/{position}")
        m = re.search(r"\(<code>(e-\d+)</code>\)", o.last_body)
        if not m or "<dt>Amends</dt>" not in o.last_body:
            continue
        person = m.group(1)
        o.get(f"/people/{person}")
        site = re.search(r"<dt>Site</dt><dd>([^<]*)</dd>", o.last_body)
        mine = site is not None and site.group(1) in leader["sites"]
        got = visitors["site-leader"].get(f"/entries/{position}")
        check(got == (200 if mine else 403),
              f"the site leader {'may' if mine else 'may not'} open amendment {position} "
              f"of {person}'s entry: {got}")
        checked += 1
    check(checked > 0, f"amendments about people were found to check ({checked})")

    # The forms sent before a session: only this server's tokens, from this site.
    v = d.visitor()
    v.get("/sign-in?next=%2F%09%2Fevil.example%2Fx")
    check(v.hidden("next") == "/", f"a next with a control character becomes / ({v.hidden('next')!r})")
    token = v.hidden("form_token")
    check(v.post("/sign-in", {"form_token": token, "login": staff["login"], "password": "x"},
                 headers={"Origin": "https://evil.example"}) == 403,
          "a sign-in form from another origin is refused")
    forged = d.visitor()
    forged.cookies["__Host-evident_form"] = "attacker-chosen"
    check(forged.post("/sign-in", {"form_token": "attacker-chosen", "login": staff["login"],
                                   "password": fx.PASSWORD}) == 403,
          "a form token the server did not make is refused, even with a matching cookie")

    # CSRF: the office's correction form.
    o = visitors["office"]
    person = staff["person"]
    o.get(f"/people/{person}")
    name_before = s_name(d, staff)
    token = o.hidden("csrf")
    check(token is not None, "the office's correction form carries a CSRF token")
    form = {"name": "Changed By Forgery", "email": "", "title": ""}
    check(o.post(f"/people/{person}", form) == 403, "a form without its CSRF token is refused")
    check(o.post(f"/people/{person}", dict(form, csrf=visitors["board"].csrf())) == 403,
          "a form with another session's CSRF token is refused")
    check(o.post(f"/people/{person}", dict(form, csrf=token),
                 headers={"Origin": "https://evil.example"}) == 403,
          "a form from another origin is refused")
    o.get(f"/people/{person}")
    check(name_before in o.last_body and "Changed By Forgery" not in o.last_body,
          "the refused forms changed nothing")
    check(anon.post("/sign-in", {"login": staff["login"], "password": fx.PASSWORD}) == 403,
          "the sign-in form without its token is refused")

    # A board member and an auditor change nothing.
    for role in ("board", "auditor"):
        b = visitors[role]
        t = b.csrf()
        check(b.post(f"/people/{person}", dict(form, csrf=t)) == 403,
              f"a {role} cannot correct the directory")
        check(b.post(f"/people/{person}/erase", {"confirm": person, "csrf": t}) == 403,
              f"a {role} cannot erase")
    o.get(f"/people/{person}")
    check(name_before in o.last_body, "their attempts changed nothing")

    # The office's correction, with its token, does change the entry.
    check(o.post(f"/people/{person}", {"name": name_before + " Jr", "email": "",
                                       "title": "Teacher", "csrf": token}) == 303,
          "the office corrects a directory entry with the form's token")
    o.get(f"/people/{person}")
    check(name_before + " Jr" in o.last_body, "the correction shows")
    o.post(f"/people/{person}", {"name": name_before, "email": "", "title": "Teacher",
                                 "csrf": token})

    # Sign-out ends the session.
    check(s.post("/sign-out", {"csrf": s.csrf("/me")}) == 303, "sign-out")
    check(s.get("/me") == 303, "after sign-out the old session reaches nothing")

    # The log names no one.
    with open(d.log_path, encoding="utf-8", errors="replace") as f:
        log = f.read()
    check(name_before not in log and staff["login"] not in log,
          "the server's log names no person and no sign-in name")


def s_name(d, account):
    return d.names[account["person"]]


def find_entry_of(visitor, person):
    visitor.get(f"/people/{person}")
    m = re.search(r'href="/entries/(\d+)"', visitor.last_body)
    return int(m.group(1)) if m else None


if __name__ == "__main__":
    sys.exit(main())
