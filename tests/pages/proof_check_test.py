#!/usr/bin/env python3
"""server/pages/static/check.js in a real browser: builds a small ledger with
the real binaries, takes `evident prove` for a few entries and `evident
pubkey`'s verifier key, serves them beside check.js from a local HTTP server
(loopback http is a secure context, so WebCrypto works) under
Content-Security-Policy script-src 'self', and loads one page per case in
headless Chromium. The genuine proofs must check (data-result="ok", also when
re-run with the button); each tampered one must fail (data-result="failed")
with a message that says what did not hold: one byte of the entry, of a proof
hash or of the ledger's signature changed, another ledger's key, the index off
by one. A browser without Ed25519 must say so (data-result="unsupported").

usage: proof_check_test.py --evident BIN --gen-events BIN [--mutate NAME] [--chromedriver BIN]

--mutate NAME serves a check.js with one check taken out (skip-signature,
skip-leaf, skip-path); some tampered case must then pass, so the script must
exit 1: a test that the test can fail.
Exit status 0 when every check passed, 1 otherwise.
"""

import argparse
import base64
import functools
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

HERE = os.path.dirname(os.path.abspath(__file__))
CHECK_JS = os.path.join(HERE, "..", "..", "server", "pages", "static", "check.js")
ORIGIN = "evident.example/browser-check"

# Each mutation takes one check out of check.js: (text to find, replacement).
MUTATIONS = {
    "skip-signature": ("if (!(await crypto.subtle.verify(", "if (false && !(await crypto.subtle.verify("),
    "skip-leaf": ("if (!equal(leaf, leafHash)) {", "if (false) {"),
    "skip-path": ("if (!computed || !equal(computed, root)) {", "if (false) {"),
}

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pages_fixture as fx  # noqa: E402

failures = fx.failures
check = fx.check
must = fx.run


def make_ledger(evident, gen_events, work, name, count, plus_in_key=False):
    """With plus_in_key, a ledger whose vkey's base64 key holds a '+' (one in two do), so that
    the checker's split of NAME+KEYID+KEY is tested on one."""
    for attempt in range(20):
        ledger = os.path.join(work, "%s-%d" % (name, attempt))
        must(evident, "init", "--ledger", ledger, "--origin", ORIGIN)
        if not plus_in_key or "+" in must(evident, "pubkey", "--ledger", ledger).split("+", 2)[2]:
            break
    events = os.path.join(work, name + ".jsonl")
    with open(events, "w") as f:
        f.write(must(gen_events, "--count", count, "--seed", "7"))
    must(evident, "append", "--ledger", ledger, "--key", os.path.join(ledger, "keys", "admin.pem"), events)
    return ledger


def flip_b64(text, at):
    raw = bytearray(base64.b64decode(text))
    raw[at] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


def flip_hex(text, at):
    raw = bytearray(bytes.fromhex(text))
    raw[at] ^= 0x01
    return raw.hex()


def flip_signature(note, name):
    """One byte of the ledger's Ed25519 signature (after the 4-byte key id) changed."""
    lines = note.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("\u2014 " + name + " "):
            head, sig = line.rsplit(" ", 1)
            lines[i] = head + " " + flip_b64(sig, 4 + 10)
            return "\n".join(lines)
    sys.exit("no signature line by %s in %r" % (name, note))


class Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        # As the pages are served: no inline script, no eval.
        self.send_header("Content-Security-Policy", "default-src 'self'; script-src 'self'")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args):
        pass


# Loaded before check.js on one page: a browser whose WebCrypto has no Ed25519.
NO_ED25519 = """
const importKey = crypto.subtle.importKey.bind(crypto.subtle);
crypto.subtle.importKey = function (format, key, algorithm, ...rest) {
  if ((algorithm && algorithm.name) === 'Ed25519' || algorithm === 'Ed25519') {
    return Promise.reject(new DOMException('Algorithm: Unrecognized name', 'NotSupportedError'));
  }
  return importKey(format, key, algorithm, ...rest);
};
"""

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{case}</title>
{before}<script src="/static/check.js" defer></script></head>
<body><section class="proof-check" data-proof-url="/proof/{case}.json">
<button type="button">Check this entry's proof</button>
<p class="proof-result" role="status" aria-live="polite"></p>
</section></body></html>
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--evident", required=True)
    parser.add_argument("--gen-events", required=True)
    parser.add_argument("--mutate", choices=sorted(MUTATIONS))
    parser.add_argument("--chromedriver", default="chromedriver")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as work:
        ledger = make_ledger(args.evident, args.gen_events, work, "ledger", 20, plus_in_key=True)
        # Another ledger with the same origin: its key has the same name but another id.
        other = make_ledger(args.evident, args.gen_events, work, "other", 3)
        vkey = must(args.evident, "pubkey", "--ledger", ledger).strip()
        other_vkey = must(args.evident, "pubkey", "--ledger", other).strip()
        check(vkey != other_vkey, "the two ledgers have the same key")

        def prove(index):
            proof = json.loads(must(args.evident, "prove", "--ledger", ledger, "--index", index))
            proof["log_key"] = vkey
            return proof

        size = prove(0)["size"]
        cases = {}  # name -> (proof, expected result, words the message must hold)
        for index in (0, size // 2, size - 1):
            want = "entry %d is in the log at size %d, signed by %s (key id %s)" % (
                index, size, ORIGIN, vkey.split("+")[1])
            cases["genuine-%d" % index] = (prove(index), "ok", ["Checked in your browser", want])
        middle = prove(size // 2)
        # A witness's cosignature line, by a key the reader does not hold, is passed over.
        cosigned = middle["checkpoint"] + "\u2014 witness.example/w1 %s\n" % base64.b64encode(
            bytes(range(76))).decode()
        cases["genuine-cosigned"] = (dict(middle, checkpoint=cosigned), "ok", ["Checked in your browser"])
        bad = dict(middle, entry=flip_b64(middle["entry"], len(base64.b64decode(middle["entry"])) // 2))
        cases["entry-byte"] = (bad, "failed", ["has been changed", "leaf_hash"])
        bad = dict(middle, proof=[flip_hex(middle["proof"][0], 5)] + middle["proof"][1:])
        cases["proof-byte"] = (bad, "failed", ["not in the log", "inclusion proof"])
        bad = dict(middle, checkpoint=flip_signature(middle["checkpoint"], ORIGIN))
        cases["signature-byte"] = (bad, "failed", ["not signed by the ledger", "does not verify"])
        bad = dict(middle, log_key=other_vkey)
        cases["other-key"] = (bad, "failed", ["not signed by the ledger", other_vkey.split("+")[1]])
        bad = dict(middle, index=middle["index"] + 1)
        cases["index-off-by-one"] = (bad, "failed", ["not in the log", "index %d" % (size // 2 + 1)])
        cases["no-ed25519"] = (middle, "unsupported", ["cannot check the proof", "lacks Ed25519"])

        site = os.path.join(work, "site")
        for d in ("static", "proof"):
            os.makedirs(os.path.join(site, d))
        with open(CHECK_JS) as f:
            script = f.read()
        if args.mutate:
            old, new = MUTATIONS[args.mutate]
            check(old in script, "check.js no longer holds the text --mutate %s changes" % args.mutate)
            script = script.replace(old, new)
        with open(os.path.join(site, "static", "check.js"), "w") as f:
            f.write(script)
        with open(os.path.join(site, "static", "no-ed25519.js"), "w") as f:
            f.write(NO_ED25519)
        open(os.path.join(site, "favicon.ico"), "w").close()
        for name, (proof, _, _) in cases.items():
            with open(os.path.join(site, "proof", name + ".json"), "w") as f:
                json.dump(proof, f)
            with open(os.path.join(site, name + ".html"), "w") as f:
                before = '<script src="/static/no-ed25519.js"></script>' if name == "no-ed25519" else ""
                f.write(PAGE.format(case=name, before=before))

        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Handler, directory=site))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = "http://127.0.0.1:%d/" % server.server_address[1]

        driver = fx.chromium(args.chromedriver, logs=True)
        try:
            for name, (_, expected, words) in cases.items():
                result, message = load(driver, base + name + ".html")
                print("%-18s %-8s %s" % (name, result, message))
                check(result == expected, "%s: data-result is %r, expected %r (%s)" % (
                    name, result, expected, message))
                for w in words:
                    check(w in message, "%s: the message does not say %r: %s" % (name, w, message))
                if expected == "failed":
                    check(message.startswith("This entry's proof did NOT check: "),
                          "%s: the message does not start as a failure's must" % name)
                for entry in driver.get_log("browser"):
                    # A refused inline script or eval would show here (CSP).
                    check(entry["level"] != "SEVERE", "%s: console: %s" % (name, entry["message"]))
            # The button runs the check again.
            load(driver, base + "genuine-0.html")
            driver.find_element(By.CSS_SELECTOR, "section.proof-check button").click()
            result, message = wait_result(driver)
            check(result == "ok", "genuine-0 after the button: %s %s" % (result, message))
        finally:
            driver.quit()
            server.shutdown()

    if failures:
        print("%d check(s) failed" % len(failures), file=sys.stderr)
        return 1
    print("ok: %d pages checked in the browser" % len(cases))
    return 0


def wait_result(driver):
    section = driver.find_element(By.CSS_SELECTOR, "section.proof-check")
    WebDriverWait(driver, 20).until(
        lambda d: section.get_attribute("data-result") in ("ok", "failed", "unsupported"))
    status = section.find_element(By.CSS_SELECTOR, '[role="status"]')
    return section.get_attribute("data-result"), status.text


def load(driver, url):
    driver.get(url)
    return wait_result(driver)


if __name__ == "__main__":
    sys.exit(main())
