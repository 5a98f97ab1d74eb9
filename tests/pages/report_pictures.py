#!/usr/bin/env python3
"""Pictures of sections of a board report, as a board member's browser draws
them: headless Chromium at 1000 px, one PNG per section.

usage: report_pictures.py --report DIR --out PREFIX SECTION_ID...

Writes PREFIX-SECTION_ID.png for each section (the report's <section id=...>).
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pages_fixture as fx  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--report", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    ap.add_argument("sections", nargs="+")
    args = ap.parse_args()
    from selenium.webdriver.common.by import By
    browser = fx.chromium(args.chromedriver)
    try:
        browser.set_window_size(1000, 1400)
        browser.get("file://" + os.path.abspath(os.path.join(args.report, "report.html")))
        for section in args.sections:
            element = browser.find_element(By.ID, section)
            # The whole section in one picture: a window as tall as it is.
            height = browser.execute_script(
                "return Math.ceil(arguments[0].getBoundingClientRect().height)", element)
            browser.set_window_size(1000, max(1400, height + 200))
            path = f"{args.out}-{section}.png"
            element.screenshot(path)
            print("wrote", path)
    finally:
        browser.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
