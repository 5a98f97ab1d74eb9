"""A small demo district served with its pages, for the page tests.

Runs the real binaries only: `evident demo` (a district of a few sites, with
names in its directory and one account of each role), `evident accounts code`
for a fresh one-time code per account, then `evident serve --pages`. The
`Visitor` class is a minimal browser over the standard library: it keeps
cookies, follows nothing by itself, and reads forms' hidden fields, so the
tests see every status and header as sent.
"""

import http.client
import os
import re
import signal
import socket
import ssl
import subprocess
import time
import urllib.parse

PASSWORD = "a long test password 42"

# Every check of a test script, in order; the failed ones here.
failures = []


def check(cond, what):
    """Prints one check's outcome and keeps the failures for the exit code."""
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)
    return cond


def exit_code():
    print(f"{len(failures)} failed" if failures else "all passed")
    return 1 if failures else 0


def run(*cmd, **kw):
    """Runs a command (a list, or its parts) and returns its standard output;
    RuntimeError with both outputs if it fails."""
    if len(cmd) == 1 and isinstance(cmd[0], (list, tuple)):
        cmd = cmd[0]
    cmd = [str(c) for c in cmd]
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r.stdout


def chromium(chromedriver="/usr/bin/chromedriver", extra=(), insecure_certs=False, logs=False):
    """Debian's headless Chromium under Selenium, at 1 device pixel per CSS pixel."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--hide-scrollbars", "--force-device-scale-factor=1", "--lang=en-US", *extra):
        options.add_argument(flag)
    if insecure_certs:
        options.set_capability("acceptInsecureCerts", True)  # the demo's self-signed certificate
    if logs:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(chromedriver), options=options)


class District:
    """The demo district in `work`/demo, its accounts, and its server."""

    def __init__(self, evident, work, sites=4):
        self.evident = evident
        self.work = work
        self.dir = os.path.join(work, "demo")
        self.ledger = os.path.join(self.dir, "ledger")
        self.server = None
        self.port = None
        self.log_path = os.path.join(work, "serve.log")
        if not os.path.exists(os.path.join(self.ledger, "directory")):
            run([evident, "demo", "--dir", self.dir, "--sites", str(sites), "--plain"])
        self.accounts = self.read_accounts()
        self.names = self.read_names()
        self.codes = {}
        self.passwords_set = set()

    def read_names(self):
        """{person id: name} from the HR export the demo imported."""
        import json
        names = {}
        with open(os.path.join(self.dir, "hr-staff.jsonl"), encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                names[r["personReference"]["personId"]] = r["firstName"] + " " + r["lastSurname"]
        return names

    def read_accounts(self):
        """{role: {"login", "person", "sites"}} from `evident accounts list`
        (login, role, person, sites and state, tab-separated)."""
        out = run([self.evident, "accounts", "list", "--ledger", self.ledger])
        accounts = {}
        for line in out.splitlines():
            fields = line.split("\t")
            if len(fields) < 4:
                continue
            accounts[fields[1]] = {"login": fields[0], "role": fields[1], "person": fields[2],
                                   "sites": [s for s in fields[3].split(",") if s]}
        return accounts

    def issue_codes(self):
        """A fresh one-time code for every account (the server must be stopped)."""
        for role, a in self.accounts.items():
            out = run([self.evident, "accounts", "code", "--ledger", self.ledger,
                       "--login", a["login"]])
            m = re.search(r"\b([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\b", out)
            if not m:
                raise RuntimeError("no one-time code in: " + out)
            self.codes[role] = m.group(1)

    def start(self, extra=()):
        self.log = open(self.log_path, "a")
        self.server = subprocess.Popen(
            [self.evident, "serve", "--ledger", self.ledger, "--listen", "127.0.0.1:0",
             "--pages", "127.0.0.1:0", "--reports", self.dir, *extra],
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.server.stdout.readline()
        m = re.search(r"pages on https://127\.0\.0\.1:(\d+)/", line)
        if not m:
            self.stop()
            raise RuntimeError("serve did not print its pages' port: " + line)
        self.port = int(m.group(1))

    def stop(self):
        if self.server and self.server.poll() is None:
            self.server.send_signal(signal.SIGTERM)
            self.server.wait(timeout=60)
        self.server = None
        if getattr(self, "log", None):
            self.log.close()

    def visitor(self):
        return Visitor(self.port, os.path.join(self.ledger, "keys", "tls-cert.pem"))

    def signed_in(self, role):
        """A visitor signed in as `role`, setting its password on first use."""
        v = self.visitor()
        a = self.accounts[role]
        if role in self.passwords_set:
            status = v.sign_in(a["login"], PASSWORD)
        else:
            status = v.setup(a["login"], self.codes[role], PASSWORD)
            self.passwords_set.add(role)
        if status != 303:
            raise RuntimeError(f"could not sign in as {role}: {status} {v.last_body[:300]}")
        return v


class Visitor:
    def __init__(self, port, ca_file):
        self.port = port
        self.context = ssl.create_default_context(cafile=ca_file)
        self.context.check_hostname = False
        self.cookies = {}
        self.last_headers = {}
        self.last_body = ""

    def request(self, method, path, form=None, headers=None):
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context,
                                           timeout=60)
        h = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            h["Content-Type"] = "application/x-www-form-urlencoded"
        h.update(headers or {})
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        data = r.read()
        self.last_headers = {k.lower(): v for k, v in r.getheaders()}
        self.last_set_cookies = r.headers.get_all("Set-Cookie") or []
        for c in self.last_set_cookies:
            name, _, rest = c.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in c:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        conn.close()
        try:
            self.last_body = data.decode("utf-8")
        except UnicodeDecodeError:
            self.last_body = ""
        self.last_bytes = data
        return r.status

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, form, headers=None):
        return self.request("POST", path, form=form, headers=headers)

    def hidden(self, name):
        m = re.search(r'name="%s" value="([^"]*)"' % re.escape(name), self.last_body)
        return m.group(1) if m else None

    def sign_in(self, login, password):
        self.get("/sign-in")
        return self.post("/sign-in", {"form_token": self.hidden("form_token"), "next": "/",
                                      "login": login, "password": password})

    def setup(self, login, code, password):
        self.get("/setup")
        return self.post("/setup", {"form_token": self.hidden("form_token"), "login": login,
                                    "code": code, "password": password, "password2": password})

    def csrf(self, page="/reports"):
        self.get(page)
        return self.hidden("csrf")


def plain_http_answer(port):
    """What a plain-HTTP request to `port` gets back (bytes, at most 4 KiB)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    data = b""
    try:
        while len(data) < 4096:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    s.close()
    return data
