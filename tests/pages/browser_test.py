#!/usr/bin/env python3
"""The pages in a real browser (Debian's chromium and chromedriver, driven by
Debian's python3-selenium), as each of their readers would use them.

With the real `evident demo` district and `evident serve --pages`:
  * every role sets its password with its one-time code, signs in, and
    reaches exactly the pages its role allows; a staff member asking for
    another's record gets 403, and the attempt appears in that person's
    access log on their own page;
  * the in-page proof check passes on a real entry, and fails when one byte
    of the proof is changed on its way to the page;
  * every page has no accessibility violation (axe-core, WCAG 2.1 A and AA),
    and is readable at a phone's width (390 px) and at 1280 px: the page
    never scrolls sideways and no table is cut off (a wide table scrolls in
    its own region; at 1280 px the board report's tables fit their column);
  * with --screenshots DIR, the pages as drawn (docs/pages-*.png).
Run: browser_test.py --evident BIN [--axe FILE] [--screenshots DIR] [--work DIR]
"""

import argparse
import os
import re
import shutil
import sys
import tempfile
import time

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pages_fixture as fx  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

check = fx.check


class Reader:
    """One browser, signed in as one role."""

    def __init__(self, d, role, axe_source):
        self.d = d
        self.role = role
        self.base = f"https://127.0.0.1:{d.port}"
        self.axe = axe_source
        self.driver = fx.chromium(insecure_certs=True)
        self.driver.set_window_size(1280, 900)

    def quit(self):
        self.driver.quit()

    def go(self, path):
        self.driver.get(self.base + path)

    def status_of_page(self):
        """The status the page says it is (error pages name theirs), else 200."""
        m = re.search(r"Error (\d{3}):", self.driver.find_element(By.TAG_NAME, "body").text)
        return int(m.group(1)) if m else 200

    def first_sign_in(self):
        a = self.d.accounts[self.role]
        self.go("/setup")
        self.driver.find_element(By.ID, "login").send_keys(a["login"])
        self.driver.find_element(By.ID, "code").send_keys(self.d.codes[self.role])
        self.driver.find_element(By.ID, "password").send_keys(fx.PASSWORD)
        self.driver.find_element(By.ID, "password2").send_keys(fx.PASSWORD)
        self.driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        WebDriverWait(self.driver, 30).until(lambda d: "/setup" not in d.current_url)

    def sign_in(self):
        a = self.d.accounts[self.role]
        self.go("/sign-in")
        self.driver.find_element(By.ID, "login").send_keys(a["login"])
        self.driver.find_element(By.ID, "password").send_keys(fx.PASSWORD)
        self.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        WebDriverWait(self.driver, 30).until(lambda d: "/sign-in" not in d.current_url)

    def axe_violations(self):
        self.driver.execute_script(self.axe)
        self.driver.set_script_timeout(60)
        result = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
            ".then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' (' +"
            " v.nodes.length + ' nodes: ' + v.nodes.slice(0, 3).map(n => n.target.join(' '))"
            ".join(', ') + ')')))"
            ".catch(e => done(['axe failed: ' + e]));")
        return result

    def layout_problems(self):
        """Sideways scrolling of the page, and tables cut off."""
        return self.driver.execute_script("""
          const problems = [];
          const doc = document.documentElement;
          if (doc.scrollWidth > window.innerWidth + 1)
            problems.push('the page scrolls sideways: ' + doc.scrollWidth + ' > ' + window.innerWidth);
          document.querySelectorAll('table').forEach((t, i) => {
            const box = t.parentElement;
            const style = getComputedStyle(box);
            const scrolls = style.overflowX === 'auto' || style.overflowX === 'scroll';
            if (t.getBoundingClientRect().right > window.innerWidth + 1 && !scrolls)
              problems.push('table ' + i + ' runs past the window and does not scroll');
            if (!scrolls && t.scrollWidth > box.clientWidth + 1)
              problems.push('table ' + i + ' is wider than its column (' + t.scrollWidth + ' > ' + box.clientWidth + ')');
          });
          return problems;""")

    def check_page(self, path, name, shots, expect=200):
        """Loads `path` at 1280 and 390 px: status, accessibility, layout."""
        for width in (1280, 390):
            self.driver.set_window_size(width, 900)
            self.go(path)
            status = self.status_of_page()
            check(status == expect, f"{self.role} {path} at {width}px: {status}")
            violations = self.axe_violations()
            check(not violations, f"{self.role} {path} at {width}px: no accessibility "
                                  f"violations {violations}")
            problems = self.layout_problems()
            check(not problems, f"{self.role} {path} at {width}px: readable {problems}")
            if shots and name:
                shoot(self.driver, os.path.join(shots, f"pages-{name}-{width}.png"), width)
        self.driver.set_window_size(1280, 900)


def shoot(driver, path, width):
    """The whole page (up to 3,000 px tall) as its reader scrolls through it."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max(height, 600), 3000))
    driver.save_screenshot(path)
    driver.set_window_size(width, 900)


def proof_result(reader, timeout=30):
    sel = "section.proof-check"
    try:
        WebDriverWait(reader.driver, timeout).until(
            lambda d: d.find_element(By.CSS_SELECTOR, sel).get_attribute("data-result")
            in ("ok", "failed", "unsupported"))
    except TimeoutException:
        pass
    section = reader.driver.find_element(By.CSS_SELECTOR, sel)
    return section.get_attribute("data-result"), section.text


# A fetch that flips one byte of the first proof hash on its way to the page,
# as a man in the middle or a lying server would.
TAMPER = """
  const original = window.fetch;
  window.fetch = async (...args) => {
    const response = await original(...args);
    const proof = await response.json();
    const h = proof.proof[0];
    proof.proof[0] = (h[0] === '0' ? '1' : '0') + h.slice(1);
    return new Response(JSON.stringify(proof), {status: 200, headers: {'Content-Type': 'application/json'}});
  };
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--evident", required=True)
    ap.add_argument("--axe", default=os.path.join(HERE, "node_modules/axe-core/axe.min.js"))
    ap.add_argument("--screenshots")
    ap.add_argument("--work")
    args = ap.parse_args()
    with open(args.axe, encoding="utf-8") as f:
        axe = f.read()
    work = args.work or tempfile.mkdtemp(prefix="evident-browser-")
    if args.screenshots:
        os.makedirs(args.screenshots, exist_ok=True)
    d = fx.District(args.evident, work)
    d.issue_codes()
    d.start()
    readers = []
    try:
        run_checks(d, axe, args.screenshots, readers)
    finally:
        for r in readers:
            r.quit()
        d.stop()
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return fx.exit_code()


def run_checks(d, axe, shots, readers):
    staff, leader, office = (d.accounts[r] for r in ("staff", "site-leader", "office"))
    site = leader["sites"][0]

    # The sign-in pages themselves, before anyone signs in.
    anon = Reader(d, "staff", axe)
    readers.append(anon)
    anon.check_page("/sign-in", "sign-in", shots)
    anon.check_page("/setup", None, shots)

    pages = {
        "staff": [("/me", "my-record", 200), ("/reports", None, 200),
                  (f"/people/{leader['person']}", None, 403), ("/worklist", None, 403),
                  ("/compliance", None, 403)],
        "site-leader": [(f"/sites/{site}", "site", 200), ("/me", None, 200),
                        (f"/people/{staff['person']}", None, 200), ("/worklist", None, 200),
                        (f"/people/{office['person']}", None, 403), ("/compliance", None, 403)],
        "office": [("/worklist", "worklist", 200), ("/people", "people", 200),
                   ("/sites", "sites", 200), ("/no-such-page", None, 404),
                   (f"/people/{staff['person']}", None, 200), ("/compliance", None, 200)],
        "board": [("/reports", "reports", 200), ("/reports/report/", "board-report", 200),
                  ("/me", None, 404), ("/worklist", None, 403), ("/compliance", None, 403),
                  (f"/people/{staff['person']}", None, 403)],
        "auditor": [("/compliance", "compliance", 200), ("/entries/0", None, 200),
                    ("/worklist", None, 403), (f"/people/{staff['person']}", None, 403)],
    }
    homes = {"staff": "/me", "site-leader": f"/sites/{site}", "office": "/worklist",
             "board": "/reports", "auditor": "/compliance"}
    by_role = {}
    for role, visits in pages.items():
        r = Reader(d, role, axe)
        readers.append(r)
        by_role[role] = r
        r.first_sign_in()
        check(r.driver.current_url.endswith(homes[role]),
              f"{role} lands on {homes[role]} after the first sign-in ({r.driver.current_url})")
        for path, name, expect in visits:
            r.check_page(path, name, shots, expect)

    # A programme page, reached from the record as the office would.
    o = by_role["office"]
    o.go(f"/people/{staff['person']}")
    links = [a.get_attribute("href") for a in o.driver.find_elements(By.CSS_SELECTOR,
                                                                      "a[href*='/programs/']")]
    if links:
        o.check_page(links[0].replace(o.base, ""), "programme", shots)
    # The worklist filters.
    o.go("/worklist")
    o.driver.find_element(By.CSS_SELECTOR, "#side option[value=district]").click()
    o.driver.find_element(By.CSS_SELECTOR, "form.filters button").click()
    WebDriverWait(o.driver, 30).until(lambda drv: "side=district" in drv.current_url)
    sides = {td.text for td in o.driver.find_elements(By.CSS_SELECTOR, "tbody tr td:first-child")}
    check(sides <= {"District"}, f"the worklist filtered to the district's side shows only it {sides}")

    # Signing out and in again with the password just set.
    s = by_role["staff"]
    s.driver.find_element(By.CSS_SELECTOR, "form.signout button").click()
    WebDriverWait(s.driver, 30).until(lambda drv: "/sign-in" in drv.current_url)
    s.sign_in()
    check(s.driver.current_url.endswith("/me"), "the staff member signs in again with the password")

    # The refused look at another's record is in that person's access log.
    s.go(f"/people/{leader['person']}")
    check(s.status_of_page() == 403, "a staff member asking for another's record gets 403")
    lr = by_role["site-leader"]
    lr.go("/me")
    body = lr.driver.find_element(By.TAG_NAME, "body").text
    check(d.names[staff["person"]] in body and "no, refused" in body,
          "the attempt appears in the other person's access log, by name")

    # The in-page proof check: passes on a real entry, fails on a flipped byte.
    s.go("/me")
    entry = s.driver.find_element(By.CSS_SELECTOR, "#events + ul a, ul.events a").get_attribute("href")
    s.driver.get(entry)
    result, text = proof_result(s)
    check(result == "ok", f"the proof of {entry} checks in the browser: {result}: {text[-200:]}")
    if shots:
        shoot(s.driver, os.path.join(shots, "pages-entry-1280.png"), 1280)
    s.check_page(entry.replace(s.base, ""), None, None)
    s.driver.get(entry)
    proof_result(s)
    s.driver.execute_script(TAMPER)
    s.driver.find_element(By.CSS_SELECTOR, "section.proof-check button").click()
    time.sleep(0.05)
    result, text = proof_result(s)
    check(result == "failed", f"with one byte of the proof changed the check fails: {result}: "
                              f"{text[-200:]}")

    # The board report inside the page, and the report itself at both widths.
    b = by_role["board"]
    b.go("/reports/report/")
    frames = b.driver.find_elements(By.CSS_SELECTOR, "iframe.report")
    check(len(frames) == 1, "the board report is shown in the page")
    pdf = b.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch('/reports/report/report.pdf').then(r => r.arrayBuffer().then(b => done("
        "[r.status, r.headers.get('content-type'), new TextDecoder().decode(b.slice(0, 5))])));")
    check(pdf == [200, "application/pdf", "%PDF-"], f"the PDF downloads: {pdf}")
    for width in (1280, 390):
        b.driver.set_window_size(width, 900)
        b.go("/reports/report/report.html")
        problems = b.layout_problems()
        check(not problems, f"the board report at {width}px: no table cut off {problems}")
        violations = b.axe_violations()
        check(not violations, f"the board report at {width}px: no accessibility violations "
                              f"{violations}")
        if shots and width == 1280:
            shoot(b.driver, os.path.join(shots, "pages-board-report-html-1280.png"), 1280)


if __name__ == "__main__":
    sys.exit(main())
