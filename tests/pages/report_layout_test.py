#!/usr/bin/env python3
"""The board report's HTML laid out by headless Chromium at a desktop's width
(1280 px), a phone's (390 px) and on paper (print media, US letter).

Builds a sample district with the real binaries (`evident init`, `evident
demo-data`, `evident append`), renders its report (`evident report board`) and
checks:
- at 1280 px and in print, every table fits its container (table.scrollWidth
  <= the container's clientWidth) and nothing needs a horizontal scroll;
- at 390 px the page itself does not scroll sideways
  (document.documentElement.scrollWidth <= 390), nothing outside a table's
  scroll region reaches past the screen's edge, and every table either fits
  or sits in a horizontally scrollable, labelled, focusable region
  (div.table-scroll, role="region", aria-labelledby, tabindex="0",
  overflow-x auto) that itself fits the screen;
- the report stays self-contained: no script, no outside resource.

usage: report_layout_test.py --evident BIN [--sites N] [--report DIR] [--chromedriver BIN]

--report DIR checks an existing report folder instead of making one.
Exit status 0 when every check passed, 1 otherwise.
"""

import argparse
import os
import subprocess
import sys
import tempfile


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pages_fixture as fx  # noqa: E402

failures = fx.failures
check = fx.check
must = fx.run


def make_report(evident, sites, work):
    ledger = os.path.join(work, "district")
    events = os.path.join(work, "district.jsonl")
    out = os.path.join(work, "board")
    must(evident, "init", "--ledger", ledger, "--origin", "evident.example/sample-district")
    must(evident, "demo-data", "--sites", sites, "--out", events)
    must(evident, "append", "--ledger", ledger, "--key", os.path.join(ledger, "keys", "admin.pem"), events)
    must(evident, "report", "board", "--ledger", ledger, "--fiscal-year", "2026",
         "--as-of-date", "2026-06-30", "--out", out)
    return out


# Measures every table in the page as laid out now. A table's container is its
# scroll region when it has one, else its parent.
MEASURE = """
const vw = document.documentElement.clientWidth;
const tables = Array.from(document.querySelectorAll('table')).map((t) => {
  const box = t.closest('.table-scroll') || t.parentElement;
  const style = getComputedStyle(box);
  const label = box.getAttribute('aria-labelledby');
  const labelEl = label ? document.getElementById(label) : null;
  return {
    id: t.id,
    tableWidth: t.scrollWidth,
    boxClient: box.clientWidth,
    boxScroll: box.scrollWidth,
    boxRight: box.getBoundingClientRect().right,
    region: box.classList.contains('table-scroll'),
    role: box.getAttribute('role'),
    tabindex: box.getAttribute('tabindex'),
    label: labelEl ? labelEl.textContent.trim() : '',
    overflowX: style.overflowX,
  };
});
// Anything (outside a table's scroll region and outside drawings) past the screen's right edge.
const past = [];
for (const el of document.body.querySelectorAll('*')) {
  if (el.closest('.table-scroll') || el.closest('svg')) continue;
  const r = el.getBoundingClientRect();
  if (r.width > 0 && r.right > vw + 0.5) past.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' + Math.round(r.right));
}
return {
  viewport: vw,
  pageScroll: document.documentElement.scrollWidth,
  htmlOverflow: getComputedStyle(document.documentElement).overflowX,
  bodyOverflow: getComputedStyle(document.body).overflowX,
  tables: tables,
  past: past.slice(0, 10),
};
"""


def measure(driver, width, mobile, media=""):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": mobile})
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": media})
    return driver.execute_script(MEASURE)


def check_fits(m, where):
    check(m["pageScroll"] <= m["viewport"], "%s: the page scrolls sideways (%d > %d)" % (
        where, m["pageScroll"], m["viewport"]))
    check(not m["past"], "%s: past the right edge: %s" % (where, ", ".join(m["past"])))
    for t in m["tables"]:
        check(t["tableWidth"] <= t["boxClient"], "%s: table %s is %d px wide in a %d px container" % (
            where, t["id"], t["tableWidth"], t["boxClient"]))
        check(t["boxScroll"] <= t["boxClient"], "%s: table %s's container scrolls (%d > %d)" % (
            where, t["id"], t["boxScroll"], t["boxClient"]))


def check_phone(m, where):
    check(m["pageScroll"] <= m["viewport"], "%s: the page scrolls sideways (%d > %d)" % (
        where, m["pageScroll"], m["viewport"]))
    check(m["htmlOverflow"] != "hidden" and m["bodyOverflow"] != "hidden",
          "%s: the page hides what overflows instead of letting it scroll" % where)
    check(not m["past"], "%s: past the right edge: %s" % (where, ", ".join(m["past"])))
    scrolled = 0
    for t in m["tables"]:
        if t["tableWidth"] <= t["boxClient"]:
            continue
        scrolled += 1
        what = "%s: table %s (%d px, %d px shown)" % (where, t["id"], t["tableWidth"], t["boxClient"])
        check(t["region"], what + " overflows and is in no table-scroll region")
        check(t["overflowX"] in ("auto", "scroll"), what + ": its region does not scroll (overflow-x %s)"
              % t["overflowX"])
        check(t["role"] == "region" and t["tabindex"] == "0",
              what + ": its region is not a focusable role=region (keyboard users scroll it)")
        check(t["label"] != "", what + ": its region has no label (aria-labelledby)")
        check(t["boxRight"] <= m["viewport"] + 0.5, what + ": its region reaches past the screen")
    return scrolled


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--evident")
    parser.add_argument("--sites", default="6")
    parser.add_argument("--report")
    parser.add_argument("--chromedriver", default="chromedriver")
    args = parser.parse_args()
    if not args.report and not args.evident:
        parser.error("give --evident BIN (or --report DIR)")

    with tempfile.TemporaryDirectory() as work:
        report = args.report or make_report(args.evident, args.sites, work)
        html_path = os.path.join(os.path.abspath(report), "report.html")
        with open(html_path, encoding="utf-8") as f:
            html = f.read()
        check("<script" not in html and "<link" not in html and 'src="' not in html,
              "report.html is not self-contained")

        driver = fx.chromium(args.chromedriver)
        try:
            driver.get("file://" + html_path)
            desktop = measure(driver, 1280, False)
            check(len(desktop["tables"]) >= 5, "the report has only %d tables" % len(desktop["tables"]))
            check_fits(desktop, "1280 px")
            # US letter less the report's print margins: 8.5in - 28mm is about 710 CSS px.
            check_fits(measure(driver, 710, False, "print"), "print")
            phone = measure(driver, 390, True)
            scrolled = check_phone(phone, "390 px")
            print("%d tables; at 1280 px the widest is %d px in %d px; at 390 px %d scroll in their "
                  "region, the page is %d px wide" % (
                      len(desktop["tables"]), max(t["tableWidth"] for t in desktop["tables"]),
                      desktop["tables"][0]["boxClient"], scrolled, phone["pageScroll"]))
        finally:
            driver.quit()

    if failures:
        print("%d check(s) failed" % len(failures), file=sys.stderr)
        return 1
    print("ok: every table fits at 1280 px and in print, and fits or scrolls in its region at 390 px")
    return 0


if __name__ == "__main__":
    sys.exit(main())
