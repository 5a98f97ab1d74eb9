#!/usr/bin/env python3
"""Independent checker for Evident's C2SP witness and cosigned checkpoints.

Written from the specifications alone (no code shared with Evident):
  - RFC 6962 s2.1 (Merkle hash tree), s2.1.2 (consistency proofs) and the
    iterative consistency verifier of RFC 9162 s2.1.4.2;
  - c2sp.org/signed-note   (note format, key IDs, Ed25519 type 0x01, vkeys);
  - c2sp.org/tlog-checkpoint (checkpoint note text);
  - c2sp.org/tlog-cosignature (timestamped Ed25519 cosignature, type 0x04);
  - c2sp.org/tlog-witness  (POST <prefix>/add-checkpoint and its status codes).

Modes:
  --self-test
      Offline checks of this file's own code against the specifications'
      examples (no witness needed).
  --evident PATH [--keep-temp] [--verbose]
      Self-test, then run `PATH keygen` and `PATH witness` and drive the
      witness over HTTPS with a log made here; one line per check.
  --verify-note FILE --log-vkey VKEY [--witness VKEY ...]
      Verify a cosigned checkpoint note: the log's signature and one valid
      cosignature from each listed witness. Exit 0 if all verify, else 1.

Requires Python 3 and the `cryptography` package (Ed25519 only; 38+).
"""

import argparse
import base64
import binascii
import hashlib
import http.client
import os
import re
import select
import shutil
import signal
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

EM_DASH = "\u2014"  # signed-note: signature lines start with U+2014 then U+0020
SIG_TYPE_ED25519 = 0x01  # signed-note "Signature types"
SIG_TYPE_COSIG_V1 = 0x04  # tlog-cosignature, Ed25519 timestamped cosignature


class FormatError(Exception):
    """Input that does not follow the specification's grammar."""


class VerifyError(Exception):
    """Well-formed input whose signature or proof does not verify."""


# ---------------------------------------------------------------------------
# RFC 6962 s2.1: Merkle hash trees.
# ---------------------------------------------------------------------------

def sha256(data):
    return hashlib.sha256(data).digest()


def leaf_hash(data):
    """MTH({d0}) = SHA-256(0x00 || d0)."""
    return sha256(b"\x00" + data)


def node_hash(left, right):
    """MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n]))."""
    return sha256(b"\x01" + left + right)


EMPTY_ROOT = sha256(b"")  # MTH({}) = SHA-256()


def split_point(n):
    """k: the largest power of two smaller than n (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(hashes):
    """Root over a list of leaf hashes, literally as RFC 6962 s2.1 defines it."""
    n = len(hashes)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return hashes[0]
    k = split_point(n)
    return node_hash(mth(hashes[:k]), mth(hashes[k:]))


def subproof(m, hashes, complete):
    """SUBPROOF(m, D[n], b) of RFC 6962 s2.1.2."""
    n = len(hashes)
    if m == n:
        return [] if complete else [mth(hashes)]
    k = split_point(n)
    if m <= k:
        return subproof(m, hashes[:k], complete) + [mth(hashes[k:])]
    return subproof(m - k, hashes[k:], False) + [mth(hashes[:k])]


def consistency_proof(m, hashes):
    """PROOF(m, D[n]) = SUBPROOF(m, D[n], true), for 0 < m <= n (s2.1.2)."""
    if not 0 < m <= len(hashes):
        raise ValueError("consistency proof needs 0 < m <= n")
    return subproof(m, hashes, True)


def verify_consistency(first, second, first_hash, second_hash, proof):
    """RFC 9162 s2.1.4.2, step by step. Raises VerifyError on failure."""
    if first > second:
        raise VerifyError("first size larger than second")
    if first == second:
        if proof or first_hash != second_hash:
            raise VerifyError("equal sizes need an empty proof and equal roots")
        return
    if first == 0:
        raise VerifyError("no consistency proof from the empty tree")
    if not proof:  # step 1
        raise VerifyError("empty proof")
    path = list(proof)
    if first & (first - 1) == 0:  # step 2: first is an exact power of 2
        path.insert(0, first_hash)
    fn, sn = first - 1, second - 1  # step 3
    while fn & 1:  # step 4
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]  # step 5
    for c in path[1:]:  # step 6
        if sn == 0:
            raise VerifyError("proof too long")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn != 0 and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:  # step 7
        raise VerifyError("proof too short")
    if fr != first_hash:
        raise VerifyError("old root does not match")
    if sr != second_hash:
        raise VerifyError("new root does not match")


class Tree:
    """A log's leaves and the RFC 6962 roots and proofs over any prefix."""

    def __init__(self, leaves):
        self.hashes = [leaf_hash(d) for d in leaves]

    def root(self, size):
        return mth(self.hashes[:size])

    def proof(self, old, new):
        if old == 0 or old == new:
            return []
        return consistency_proof(old, self.hashes[:new])


# ---------------------------------------------------------------------------
# c2sp.org/signed-note: key IDs, verifier keys, notes.
# ---------------------------------------------------------------------------

def key_id(name, sig_type, pub):
    """key ID = SHA-256(key name || 0x0A || signature type || public key)[:4]."""
    return sha256(name.encode() + b"\n" + bytes([sig_type]) + pub)[:4]


def check_key_name(name):
    """signed-note Format: non-empty, no Unicode spaces, no '+'."""
    if not name or "+" in name or any(ch.isspace() for ch in name):
        raise FormatError("bad key name %r" % name)


def b64decode_strict(text):
    """Standard base64 (RFC 4648 s4), padding required, no stray bytes."""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as e:
        raise FormatError("bad base64 %r: %s" % (text, e))


class VerifierKey:
    """A vkey `<name>+<hex key ID>+base64(type || pubkey)` (signed-note)."""

    def __init__(self, name, sig_type, pub):
        check_key_name(name)
        if len(pub) != 32:
            raise FormatError("Ed25519 public key must be 32 bytes")
        self.name, self.sig_type, self.pub = name, sig_type, pub
        self.id = key_id(name, sig_type, pub)
        self.key = Ed25519PublicKey.from_public_bytes(pub)

    @classmethod
    def parse(cls, text, want_type):
        parts = text.strip().split("+", 2)  # base64 may itself contain "+"
        if len(parts) != 3:
            raise FormatError("vkey must be name+id+key: %r" % text)
        name, hex_id, b64 = parts
        if not re.fullmatch(r"[0-9a-f]{8}", hex_id):
            raise FormatError("vkey key ID must be 8 lowercase hex digits")
        raw = b64decode_strict(b64)
        if not raw or raw[0] != want_type:
            raise FormatError("vkey type is not 0x%02x" % want_type)
        vk = cls(name, raw[0], raw[1:])
        if vk.id.hex() != hex_id:
            raise FormatError("vkey key ID %s != computed %s" % (hex_id, vk.id.hex()))
        return vk

    def text(self):
        blob = base64.b64encode(bytes([self.sig_type]) + self.pub).decode()
        return "%s+%s+%s" % (self.name, self.id.hex(), blob)


class NoteSigner:
    """An Ed25519 note signer (type 0x01), made here for this checker's log."""

    def __init__(self, name, private=None):
        self.private = private or Ed25519PrivateKey.generate()
        pub = self.private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.vkey = VerifierKey(name, SIG_TYPE_ED25519, pub)

    def sig_line(self, text):
        """`— <name> base64(key ID || Ed25519(text))\n`."""
        sig = self.private.sign(text)
        blob = base64.b64encode(self.vkey.id + sig).decode()
        return ("%s %s %s\n" % (EM_DASH, self.vkey.name, blob)).encode()


def check_note_chars(data):
    """Valid UTF-8 and no ASCII control characters other than newline."""
    try:
        s = data.decode("utf-8")
    except UnicodeDecodeError:
        raise FormatError("note is not valid UTF-8")
    if any(ord(ch) < 0x20 and ch != "\n" for ch in s):
        raise FormatError("note has a control character")


def parse_sig_line(line):
    """One signature line (bytes without '\n') -> (name, key id, sig bytes)."""
    s = line.decode("utf-8")
    prefix = EM_DASH + " "
    if not s.startswith(prefix):
        raise FormatError("signature line must start with em dash and space: %r" % s)
    rest = s[len(prefix):].split(" ")
    if len(rest) != 2:
        raise FormatError("signature line must be '— name base64': %r" % s)
    name, b64 = rest
    check_key_name(name)
    blob = b64decode_strict(b64)
    if len(blob) < 5:
        raise FormatError("signature too short")
    return name, blob[:4], blob[4:]


def parse_note(data):
    """Split a note at its last blank line -> (text incl. final \\n, sigs)."""
    check_note_chars(data)
    if not data.endswith(b"\n"):
        raise FormatError("note must end with a newline")
    cut = data.rfind(b"\n\n")
    if cut < 0:
        raise FormatError("note has no blank line before its signatures")
    text, sig_block = data[:cut + 1], data[cut + 2:]
    lines = sig_block[:-1].split(b"\n") if sig_block else []
    if not lines:
        raise FormatError("note has no signature lines")
    return text, [parse_sig_line(l) for l in lines]


def matching_sigs(sigs, vkey):
    """Signatures whose (name, key ID) both match; others MUST be ignored."""
    return [sig for (name, kid, sig) in sigs if name == vkey.name and kid == vkey.id]


def verify_log_signature(text, sigs, vkey):
    """signed-note Ed25519: some known-key signature verifies; none fails."""
    found = matching_sigs(sigs, vkey)
    if not found:
        raise VerifyError("no signature by %s" % vkey.name)
    for sig in found:
        try:
            vkey.key.verify(sig, text)
        except InvalidSignature:
            raise VerifyError("bad signature by %s" % vkey.name)


# ---------------------------------------------------------------------------
# c2sp.org/tlog-checkpoint: the note text.
# ---------------------------------------------------------------------------

def checkpoint_text(origin, size, root, extensions=()):
    """origin \\n size \\n base64(root) \\n then optional extension lines."""
    lines = [origin, str(size), base64.b64encode(root).decode()] + list(extensions)
    return "".join(l + "\n" for l in lines).encode()


def parse_checkpoint(text):
    """-> (origin, size, root hash). Checks the three mandatory lines."""
    lines = text.decode("utf-8").split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise FormatError("checkpoint needs at least three lines")
    origin, size_s, root_s = lines[0], lines[1], lines[2]
    if not origin:
        raise FormatError("empty origin")
    if not re.fullmatch(r"0|[1-9][0-9]*", size_s):
        raise FormatError("bad tree size %r" % size_s)
    root = b64decode_strict(root_s)
    if len(root) != 32:
        raise FormatError("root hash is not 32 bytes")
    if any(l == "" for l in lines[3:-1]):
        raise FormatError("empty extension line")
    return origin, int(size_s), root


def sign_checkpoint(signers, origin, size, root, extensions=()):
    """A whole checkpoint note signed by each signer, in order."""
    text = checkpoint_text(origin, size, root, extensions)
    return text + b"\n" + b"".join(s.sig_line(text) for s in signers)


# ---------------------------------------------------------------------------
# c2sp.org/tlog-cosignature: Ed25519 timestamped cosignature (type 0x04).
# ---------------------------------------------------------------------------

def cosignature_message(timestamp, text):
    """`cosignature/v1\\n` `time <ts>\\n` then the checkpoint text."""
    return b"cosignature/v1\ntime %d\n" % timestamp + text


def verify_cosignature(text, sig, vkey):
    """sig = u64 big-endian timestamp || Ed25519 sig[64]. Returns timestamp."""
    if len(sig) != 8 + 64:
        raise VerifyError("cosignature must be 72 bytes, got %d" % len(sig))
    (timestamp,) = struct.unpack(">Q", sig[:8])
    if timestamp > 2 ** 63 - 1:
        raise VerifyError("cosignature timestamp exceeds 2^63-1")
    try:
        vkey.key.verify(sig[8:], cosignature_message(timestamp, text))
    except InvalidSignature:
        raise VerifyError("bad cosignature by %s" % vkey.name)
    return timestamp


def verify_cosigned(text, sigs, vkey):
    """Every (name, ID)-matching cosignature verifies; at least one exists."""
    found = matching_sigs(sigs, vkey)
    if not found:
        raise VerifyError("no cosignature by %s (key ID %s)" % (vkey.name, vkey.id.hex()))
    return [verify_cosignature(text, sig, vkey) for sig in found]


def verify_note_file(data, log_vkey, witness_vkeys):
    """Whole-note check used by --verify-note. Returns a list of messages."""
    text, sigs = parse_note(data)
    origin, size, root = parse_checkpoint(text)
    verify_log_signature(text, sigs, log_vkey)
    msgs = ["log signature by %s verifies: origin %s, size %d, root %s"
            % (log_vkey.name, origin, size, base64.b64encode(root).decode())]
    if origin != log_vkey.name:
        msgs.append("note: origin %r differs from the log key name %r (SHOULD match)"
                    % (origin, log_vkey.name))
    for w in witness_vkeys:
        stamps = verify_cosigned(text, sigs, w)
        msgs.append("cosignature by %s verifies, time %s" % (w.name, stamps))
    return msgs


# ---------------------------------------------------------------------------
# c2sp.org/tlog-witness: the add-checkpoint request body.
# ---------------------------------------------------------------------------

def add_checkpoint_body(old, proof, note):
    """`old N\\n`, proof hashes one per line in base64, `\\n`, checkpoint."""
    lines = b"old %d\n" % old
    lines += b"".join(base64.b64encode(h) + b"\n" for h in proof)
    return lines + b"\n" + note


# ---------------------------------------------------------------------------
# Offline self-test against the specifications' examples.
# ---------------------------------------------------------------------------

# tlog-checkpoint example as summarised in the project's transparency-formats
# reference (tessera test log, 15 leaves one..fivten).
TESSERA_VKEY = "example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx"
TESSERA_NOTE = (
    "example.com/log/testdata\n15\nrKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja/1nk427v383cs=\n\n"
    "\u2014 example.com/log/testdata M9e0luh4jTG+UMBqOUo9/q+yAEvx1ilBEniMvjf1zfc"
    "BOhg+CKubMt53MvIt/uEWP6zdkdIQzd/fmwlM/dlPWF74ewI=\n").encode()
TESSERA_LEAVES = ("one two three four five six seven eit nain ten ileven twelf "
                  "threeten fourten fivten").split()
# signed-note example vkey (key ID must recompute).
SIGNED_NOTE_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"


class Report:
    """Prints one line per check and remembers failures."""

    def __init__(self):
        self.failures = []
        self.count = 0

    def check(self, name, ok, detail=""):
        self.count += 1
        print("%s %s%s" % ("PASS" if ok else "FAIL", name,
                           (": " + detail) if detail else ""), flush=True)
        if not ok:
            self.failures.append(name)
        return ok

    def raises(self, name, exc_types, fn):
        """Check that fn() raises one of exc_types."""
        try:
            fn()
        except exc_types as e:
            return self.check(name, True, "rejected (%s)" % e)
        return self.check(name, False, "accepted")


def self_test_merkle(r):
    ok = True
    for n in range(1, 33):
        leaves = [b"leaf %d" % i for i in range(n)]
        tree = Tree(leaves)
        for m in range(1, n + 1):
            p = tree.proof(m, n)
            try:
                verify_consistency(m, n, tree.root(m), tree.root(n), p)
            except VerifyError as e:
                ok = r.check("merkle: proof %d->%d verifies" % (m, n), False, str(e))
            if p:  # every single-bit change, and every truncation, must fail
                bad = [p[:-1], p + [EMPTY_ROOT]] + [
                    p[:i] + [bytes([p[i][0] ^ 1]) + p[i][1:]] + p[i + 1:]
                    for i in range(len(p))]
                for q in bad:
                    try:
                        verify_consistency(m, n, tree.root(m), tree.root(n), q)
                        ok = r.check("merkle: tampered proof %d->%d fails" % (m, n), False)
                    except VerifyError:
                        pass
    r.check("merkle: proofs 1..32 verify and every tampered proof fails", ok)


def self_test(r):
    vk = VerifierKey.parse(SIGNED_NOTE_VKEY, SIG_TYPE_ED25519)
    r.check("signed-note: example vkey key ID recomputes", vk.id.hex() == "530d903a")
    log = VerifierKey.parse(TESSERA_VKEY, SIG_TYPE_ED25519)
    r.check("signed-note: tessera vkey key ID recomputes", log.id.hex() == "33d7b496")
    try:
        msgs = verify_note_file(TESSERA_NOTE, log, [])
        r.check("checkpoint: tessera example verifies", True, msgs[0])
    except (FormatError, VerifyError) as e:
        r.check("checkpoint: tessera example verifies", False, str(e))
    root = Tree([w.encode() for w in TESSERA_LEAVES]).root(15)
    r.check("rfc6962: tessera root over one..fivten",
            base64.b64encode(root).decode() == "rKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja/1nk427v383cs=")
    r.raises("signed-note: one byte changed in example text fails", (VerifyError,),
             lambda: verify_note_file(TESSERA_NOTE.replace(b"\n15\n", b"\n16\n"), log, []))
    r.raises("signed-note: wrong key ID in vkey rejected", (FormatError,),
             lambda: VerifierKey.parse(TESSERA_VKEY.replace("33d7b496", "33d7b497"), 1))
    r.raises("signed-note: note without blank line rejected", (FormatError,),
             lambda: parse_note(TESSERA_NOTE.replace(b"\n\n", b"\n")))
    self_test_merkle(r)
    self_test_cosignature(r)


def self_test_cosignature(r):
    """Round trip through a cosigner made here; every alteration must fail."""
    cosigner = Ed25519PrivateKey.generate()
    pub = cosigner.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    vk = VerifierKey("witness.test/self", SIG_TYPE_COSIG_V1, pub)
    text = checkpoint_text("example.test/self", 5, sha256(b"x"))
    ts = 1679315147
    sig = struct.pack(">Q", ts) + cosigner.sign(cosignature_message(ts, text))
    r.check("cosignature: own round trip verifies", verify_cosignature(text, sig, vk) == ts)
    altered = bytearray(text)
    altered[len(altered) // 2] ^= 0x01
    r.raises("cosignature: checkpoint text altered by one byte fails", (VerifyError,),
             lambda: verify_cosignature(bytes(altered), sig, vk))
    r.raises("cosignature: timestamp altered fails", (VerifyError,),
             lambda: verify_cosignature(text, struct.pack(">Q", ts + 1) + sig[8:], vk))
    wrong = VerifierKey("witness.test/self", SIG_TYPE_ED25519, pub)
    r.check("cosignature: key ID depends on type 0x04", wrong.id != vk.id)


# ---------------------------------------------------------------------------
# Driving `evident witness` over HTTPS.
# ---------------------------------------------------------------------------

class Witness:
    """An `evident witness` child process and an HTTPS client to it."""

    LISTEN_RE = re.compile(r"witnessing (\d+) logs as (\S+) on https://([^:/\s]+):(\d+)\s*$")

    def __init__(self, evident, state_dir, name, key_file, log_vkeys, verbose):
        self.args = [evident, "witness", "--dir", state_dir, "--name", name,
                     "--key", key_file, "--listen", "127.0.0.1:0"]
        for v in log_vkeys:
            self.args += ["--log", v]
        self.state_dir, self.verbose = state_dir, verbose
        self.proc = self.conn = None
        self.ctx = None
        self.stderr_path = os.path.join(os.path.dirname(state_dir), "witness-stderr.txt")

    def start(self, timeout=20):
        """Start it and wait for its one listening line; returns that line."""
        err = open(self.stderr_path, "ab")
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=err)
        err.close()
        line = self._read_line(timeout)
        m = self.LISTEN_RE.match(line)
        if not m:
            raise RuntimeError("unexpected witness stdout %r" % line)
        self.count, self.name = int(m.group(1)), m.group(2)
        self.host, self.port = m.group(3), int(m.group(4))
        return line

    def _read_line(self, timeout):
        deadline = time.time() + timeout
        buf = b""
        fd = self.proc.stdout.fileno()
        while not buf.endswith(b"\n"):
            left = deadline - time.time()
            if left <= 0 or self.proc.poll() is not None and not select.select([fd], [], [], 0)[0]:
                raise RuntimeError("no listening line from witness (exit %s), stderr: %s"
                                   % (self.proc.poll(), self.stderr_tail()))
            if select.select([fd], [], [], min(left, 0.2))[0]:
                chunk = os.read(fd, 1)
                if not chunk:
                    raise RuntimeError("witness closed stdout, stderr: %s" % self.stderr_tail())
                buf += chunk
        return buf.decode("utf-8", "replace").rstrip("\n")

    def stderr_tail(self):
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read()[-1500:].decode("utf-8", "replace")
        except OSError:
            return ""

    def tls_context(self, check_hostname):
        """Trust exactly DIR/tls-cert.pem."""
        ctx = ssl.create_default_context(cafile=os.path.join(self.state_dir, "tls-cert.pem"))
        ctx.check_hostname = check_hostname
        return ctx

    def connect(self):
        self.conn = http.client.HTTPSConnection(self.host, self.port, context=self.ctx,
                                                timeout=15)

    def post(self, body, path="/add-checkpoint"):
        """POST on the kept-alive connection; reconnect once if it was closed."""
        for attempt in (0, 1):
            if self.conn is None:
                self.connect()
            try:
                self.conn.request("POST", path, body=body)
                resp = self.conn.getresponse()
                data = resp.read()
                if resp.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                if self.verbose:
                    print("    > %r\n    < %d %r" % (body[:200], resp.status, data[:300]))
                return resp.status, resp.getheader("Content-Type", ""), data
            except (http.client.RemoteDisconnected, ConnectionResetError,
                    BrokenPipeError, http.client.CannotSendRequest):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def second_client(self):
        """Another connection to the same witness (for concurrent requests)."""
        other = Witness.__new__(Witness)
        other.host, other.port, other.ctx = self.host, self.port, self.ctx
        other.conn, other.verbose = None, False
        return other

    def stop(self, timeout=10):
        """SIGTERM our child; returns its exit code or None if it hung."""
        if self.conn:
            self.conn.close()
            self.conn = None
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None


class Log:
    """A log made by this checker: origin, signing key, leaves, checkpoints."""

    def __init__(self, origin, leaves, signer=None):
        self.origin = origin
        self.signer = signer or NoteSigner(origin)
        self.leaves = list(leaves)
        self.tree = Tree(self.leaves)

    def checkpoint(self, size, signers=None, extensions=()):
        return sign_checkpoint(signers or [self.signer], self.origin, size,
                               self.tree.root(size), extensions)

    def text(self, size, extensions=()):
        return checkpoint_text(self.origin, size, self.tree.root(size), extensions)

    def body(self, old, size, signers=None, extensions=()):
        return add_checkpoint_body(old, self.tree.proof(old, size),
                                   self.checkpoint(size, signers, extensions))


class LiveCheck:
    """The witness checks of the brief, in order; state lives in the witness."""

    def __init__(self, r, witness, cosigner_vkey, logs, t0):
        self.r, self.w, self.vk = r, witness, cosigner_vkey
        self.a, self.b, self.c = logs  # c only takes malformed checkpoints
        self.last_ts = t0 - 2  # cosignature time must not precede the run
        self.cosigned = []  # (text, response) of accepted checkpoints

    def status(self, name, body, want):
        """POST body; pass if the status is in `want` (never 200 here)."""
        st, ct, data = self.w.post(body)
        detail = "got %d, want %s; body %r" % (st, "/".join(map(str, sorted(want))), data[:120])
        self.r.check(name, st in want and st != 200, detail)
        return st, ct, data

    def accepted(self, name, log, old, size, signers=None, extensions=()):
        """Expect 200 and a valid, fresh cosignature over log's checkpoint."""
        st, ct, data = self.w.post(log.body(old, size, signers, extensions))
        if not self.r.check(name + " -> 200", st == 200, "got %d %r" % (st, data[:200])):
            return None
        return self.check_cosignature(name, log.text(size, extensions), data)

    def check_cosignature(self, name, text, data):
        """200 body: note signature lines; ours verifies with the keygen vkey."""
        try:
            s = data.decode("utf-8")
            if not s or not s.endswith("\n"):
                raise FormatError("response must be newline-terminated lines")
            sigs = [parse_sig_line(l.encode()) for l in s[:-1].split("\n")]
            stamps = verify_cosigned(text, sigs, self.vk)
        except (FormatError, VerifyError, UnicodeDecodeError) as e:
            self.r.check(name + ": cosignature verifies", False, "%s; body %r" % (e, data[:200]))
            return None
        ts = stamps[0]
        now = time.time()
        sane = self.last_ts <= ts <= now + 2
        self.r.check(name + ": cosignature verifies, time sane", sane,
                     "time %d (previous %d, now %d)" % (ts, self.last_ts, int(now)))
        self.last_ts = max(self.last_ts, ts)
        self.cosigned.append((text, data))
        return ts

    def conflict(self, name, body, want_size):
        """Expect 409, body `<size>\\n`, Content-Type text/x.tlog.size."""
        st, ct, data = self.w.post(body)
        self.r.check(name + " -> 409", st == 409, "got %d %r" % (st, data[:120]))
        if st == 409:
            self.r.check(name + ": body is the witness size", data == b"%d\n" % want_size,
                         "got %r, want %r" % (data, b"%d\n" % want_size))
            media = ct.split(";")[0].strip().lower()
            self.r.check(name + ": Content-Type text/x.tlog.size",
                         media == "text/x.tlog.size", "got %r" % ct)

    def run(self):
        """Each phase in turn; a network error fails that phase, not the run."""
        self.b_size = None
        for phase in (self.empty_state, self.malformed_checkpoints, self.growth, self.wrong_old_size, self.bad_proofs,
                      self.split_view, self.per_log_state, self.concurrent,
                      self.extension_line, self.cosignature_tamper,
                      self.verify_note_roundtrip):
            try:
                phase()
            except (OSError, http.client.HTTPException) as e:
                self.r.check("phase %s completes without a network error" % phase.__name__,
                             False, "%s: %s" % (type(e).__name__, e))
                if self.w.conn:
                    self.w.conn.close()
                self.w.conn = None

    def empty_state(self):
        """Rejections before the witness has seen anything."""
        a = self.a
        good = a.checkpoint(3)
        for label, body in [
                ("empty body", b""),
                ("garbage", b"hello witness\n"),
                ("old size with a leading zero", b"old 00\n\n" + good),
                ("negative old size", b"old -1\n\n" + good),
                ("no blank line after old", b"old 0\n" + good),
                ("proof line not base64", b"old 0\n!!!!\n\n" + good),
                ("no checkpoint after blank line", b"old 0\n\n"),
                ("checkpoint without its final newline", b"old 0\n\n" + good[:-1])]:
            self.status("malformed body (%s) -> 400" % label, body, {400})
        self.status("old size > checkpoint size -> 400", add_checkpoint_body(5, [], good), {400})
        stranger = Log("example.test/indep-unknown", a.leaves)
        self.status("unknown origin -> 404", stranger.body(0, 3), {404})
        impostor = NoteSigner(a.origin)  # same name, another key: an unknown key
        self.status("checkpoint signed by another key -> 403", a.body(0, 3, [impostor]), {403})
        self.status("forged signature with the log's key ID -> 403",
                    add_checkpoint_body(0, [], self.forged(a, 3)), {403})
        wrong_root = sign_checkpoint([a.signer], a.origin, 0, sha256(b"not empty"))
        self.status("size 0 with a non-empty-tree root -> 409/422",
                    add_checkpoint_body(0, [], wrong_root), {409, 422})
        self.status("old 0 with proof lines -> rejected (4xx)",
                    add_checkpoint_body(0, [EMPTY_ROOT], good), {400, 422})

    def malformed_checkpoints(self):
        """Validly signed by the log, but not checkpoints (tlog-checkpoint "Note
        text", signed-note "Format"); sent for the third log so that a wrong
        200 cannot shift the first two logs' sizes."""
        c = self.c
        root = base64.b64encode(c.tree.root(3)).decode()

        def signed(text):
            return add_checkpoint_body(0, [], text.encode() + b"\n" +
                                       c.signer.sig_line(text.encode()))
        for label, body in [
                ("tree size with a leading zero", signed("%s\n03\n%s\n" % (c.origin, root))),
                ("root hash not 32 bytes", signed("%s\n3\nAAAA\n" % c.origin)),
                ("control character in the text", signed("%s\n3\n%s\na\tb\n" % (c.origin, root))),
                ("CRLF line endings", c.body(0, 3).replace(b"\n", b"\r\n")),
                ("empty extension line", signed("%s\n3\n%s\n\nx\n" % (c.origin, root)))]:
            self.status("malformed checkpoint (%s) -> 400" % label, body, {400})

    def forged(self, log, size):
        """A note whose signature line has the log's name and ID but bad bytes."""
        note = log.checkpoint(size)
        text, sigs = parse_note(note)
        name, kid, sig = sigs[0]
        bad = base64.b64encode(kid + bytes([sig[0] ^ 0xFF]) + sig[1:]).decode()
        return text + b"\n" + ("%s %s %s\n" % (EM_DASH, name, bad)).encode()

    def growth(self):
        a = self.a
        self.accepted("first checkpoint (old 0, size 3)", a, 0, 3)
        self.accepted("same checkpoint again (old 3, size 3)", a, 3, 3)
        prev = 3
        for size in (7, 8, 16, 17):
            self.accepted("grow %d -> %d with proof" % (prev, size), a, prev, size)
            prev = size
        # signed-note: verifiers MUST accept at least 16 signatures and MUST
        # ignore unknown keys, even one sharing the log's name.
        unknown = [NoteSigner(a.origin)] + [NoteSigner("example.test/other-%d" % i)
                                            for i in range(14)]
        self.accepted("grow 17 -> 20, 16 signatures of which 15 unknown", a, 17, 20,
                      signers=unknown[:8] + [a.signer] + unknown[8:])

    def wrong_old_size(self):
        a = self.a
        self.conflict("wrong old size (old 17, witness at 20)", a.body(17, 20), 20)
        self.conflict("old 0 after state (witness at 20)", a.body(0, 20), 20)
        self.conflict("old size ahead of the witness (old 22 -> 25)", a.body(22, 25), 20)

    def bad_proofs(self):
        a = self.a
        proof = a.tree.proof(20, 25)
        note = a.checkpoint(25)
        flipped = [proof[0][:5] + bytes([proof[0][5] ^ 0x10]) + proof[0][6:]] + proof[1:]
        for label, p, want in [
                ("one bit flipped", flipped, {422}),
                ("last hash dropped", proof[:-1], {422}),
                ("extra hash appended", proof + [proof[-1]], {422}),
                ("empty proof", [], {422}),
                ("64 proof lines", proof + [EMPTY_ROOT] * (64 - len(proof)), {400, 422})]:
            self.status("bad proof 20 -> 25 (%s) -> %s" % (label, "/".join(map(str, sorted(want)))),
                        add_checkpoint_body(20, p, note), want)
        self.status("rollback: old 20 with a size-17 checkpoint -> 400",
                    add_checkpoint_body(20, [], a.checkpoint(17)), {400})
        self.conflict("after rejections the witness is still at 20", a.body(0, 20), 20)

    def split_view(self):
        """Same key and origin, leaves diverging after a common prefix of 10."""
        a = self.a
        fork = Log(a.origin, a.leaves[:10] + [b"fork %d" % i for i in range(10, 40)],
                   signer=a.signer)
        self.status("split view: fork at size 20 (old 20, other root) -> 409",
                    fork.body(20, 20), {409})
        self.status("split view: fork 20 -> 25 with the fork's own proof -> 422",
                    fork.body(20, 25), {422})
        # A proof from the honest 20 can't exist; try the honest proof with the fork's root.
        self.status("split view: fork size 25 with the honest 20 -> 25 proof -> 422",
                    add_checkpoint_body(20, a.tree.proof(20, 25), fork.checkpoint(25)), {422})
        self.conflict("split view: fork from old 0 -> 409", fork.body(0, 25), 20)
        self.accepted("honest log continues after split attempts (20 -> 25)", a, 20, 25)

    def per_log_state(self):
        b = self.b
        self.accepted("second log: empty tree (old 0, size 0)", b, 0, 0)
        self.accepted("second log: old 0 -> size 5", b, 0, 5)
        self.conflict("second log keeps its own size", b.body(25, 30), 5)
        self.conflict("first log keeps its own size", self.a.body(5, 30), 25)

    def concurrent(self):
        """tlog-witness: size check and persist are atomic; one of N racers wins."""
        b, results = self.b, {}

        def one(size):
            w = self.w.second_client()
            try:
                results[size] = w.post(b.body(5, size))
            except (OSError, http.client.HTTPException) as e:
                results[size] = (-1, "", str(e).encode())
            finally:
                if w.conn:
                    w.conn.close()
        threads = [threading.Thread(target=one, args=(s,)) for s in range(6, 14)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        winners = [s for s, (st, _, _) in results.items() if st == 200]
        codes = sorted(st for (st, _, _) in results.values())
        ok = len(winners) == 1 and all(c in (200, 409) for c in codes)
        self.r.check("8 concurrent requests from old 5: exactly one 200, rest 409", ok,
                     "codes %s" % codes)
        if len(winners) == 1:
            self.check_cosignature("concurrent winner", b.text(winners[0]),
                                   results[winners[0]][2])
            self.conflict("state is the concurrent winner's size", b.body(0, 30), winners[0])
            self.b_size = winners[0]

    def extension_line(self):
        """tlog-cosignature: extension lines, if present, are in the cosigned message."""
        if self.b_size is None:
            return
        old, new = self.b_size, self.b_size + 1
        ts = self.accepted("second log: checkpoint with an extension line (%d -> %d)" % (old, new),
                           self.b, old, new, extensions=["indep-extension 1"])
        if ts is not None:
            self.b_size = new

    def cosignature_tamper(self):
        """The verifier must be able to fail: alter the witnessed text by a byte."""
        if not self.cosigned:
            self.r.check("cosignature tamper test has a cosignature", False)
            return
        text, data = self.cosigned[-1]
        sigs = [parse_sig_line(l.encode()) for l in data.decode()[:-1].split("\n")]
        for i in (0, len(text) - 3):
            altered = bytearray(text)
            altered[i] ^= 0x01
            self.r.raises("witness cosignature over text altered at byte %d fails" % i,
                          (VerifyError,), lambda: verify_cosigned(bytes(altered), sigs, self.vk))
        other = VerifierKey(self.vk.name, SIG_TYPE_COSIG_V1,
                            NoteSigner("x").vkey.pub)
        self.r.raises("witness cosignature under another key fails", (VerifyError,),
                      lambda: verify_cosigned(text, sigs, other))

    def verify_note_roundtrip(self):
        """The --verify-note code path on a note assembled per tlog-witness."""
        text, data = self.cosigned[-1] if self.cosigned else (None, None)
        if text is None:
            return
        origin = parse_checkpoint(text)[0]
        log = self.a if origin == self.a.origin else self.b
        note = text + b"\n" + log.signer.sig_line(text) + data
        try:
            msgs = verify_note_file(note, log.signer.vkey, [self.vk])
            self.r.check("checkpoint + witness response verifies as a cosigned note", True,
                         "; ".join(msgs))
        except (FormatError, VerifyError) as e:
            self.r.check("checkpoint + witness response verifies as a cosigned note", False, str(e))


def keygen(r, evident, name, out):
    """`evident keygen --cosigner NAME --out FILE`: one stdout line, a 0x04 vkey."""
    p = subprocess.run([evident, "keygen", "--cosigner", name, "--out", out],
                       capture_output=True, timeout=30)
    lines = p.stdout.decode("utf-8", "replace").splitlines()
    if not r.check("keygen exits 0 with one stdout line", p.returncode == 0 and len(lines) == 1,
                   "exit %d, stdout %r, stderr %r" % (p.returncode, p.stdout[:300], p.stderr[:300])):
        return None
    try:
        vk = VerifierKey.parse(lines[0], SIG_TYPE_COSIG_V1)
    except FormatError as e:
        r.check("keygen prints a type 0x04 vkey", False, str(e))
        return None
    r.check("keygen prints a type 0x04 vkey named %s" % name, vk.name == name, lines[0])
    try:
        with open(out, "rb") as f:
            key = serialization.load_pem_private_key(f.read(), password=None)
        pub = key.public_key().public_bytes(serialization.Encoding.Raw,
                                            serialization.PublicFormat.Raw)
        r.check("keygen key file is a PEM PKCS#8 Ed25519 key matching the vkey",
                isinstance(key, Ed25519PrivateKey) and pub == vk.pub)
    except (OSError, ValueError, TypeError) as e:
        r.check("keygen key file is a PEM PKCS#8 Ed25519 key matching the vkey", False, str(e))
    return vk


def start_and_connect(r, w, label):
    """Start the witness, check its line, open TLS trusting DIR/tls-cert.pem."""
    try:
        line = w.start()
    except (RuntimeError, OSError) as e:
        r.check(label + ": witness starts and prints its listening line", False, str(e))
        return False
    r.check(label + ": witness starts and prints its listening line", True, line)
    w.ctx = w.tls_context(check_hostname=True)
    try:
        w.connect()
        w.conn.connect()
        r.check(label + ": TLS verifies against DIR/tls-cert.pem incl. host name", True)
    except ssl.SSLCertVerificationError as e:
        r.check(label + ": TLS verifies against DIR/tls-cert.pem incl. host name", False, str(e))
        w.ctx = w.tls_context(check_hostname=False)  # go on with the chain check only
        w.conn = None
    return True


def live(r, evident, keep_temp, verbose):
    tmp = tempfile.mkdtemp(prefix="c2sp-witness-check-")
    name = "witness.test/indep"
    state = os.path.join(tmp, "state")
    os.mkdir(state)
    w = None
    try:
        vk = keygen(r, evident, name, os.path.join(tmp, "cosigner.pem"))
        if vk is None:
            return
        log_a = Log("example.test/indep-log-a", [b"a leaf %d" % i for i in range(40)])
        log_b = Log("example.test/indep-log-b", [b"b leaf %d" % i for i in range(40)])
        log_c = Log("example.test/indep-log-c", [b"c leaf %d" % i for i in range(40)])
        logs = (log_a, log_b, log_c)
        vkeys = [l.signer.vkey.text() for l in logs]
        w = Witness(evident, state, name, os.path.join(tmp, "cosigner.pem"), vkeys, verbose)
        t0 = int(time.time())
        if not start_and_connect(r, w, "start"):
            return
        r.check("listening line names 3 logs and the cosigner", w.count == 3 and w.name == name,
                "%d logs as %s" % (w.count, w.name))
        lc = LiveCheck(r, w, vk, logs, t0)
        lc.run()
        restart(r, w, lc)
    finally:
        if w is not None and w.proc is not None and w.proc.poll() is None:
            w.stop()
        if r.failures and w is not None:
            print("witness stderr (tail):\n" + w.stderr_tail())
        if keep_temp:
            print("kept temporary directory " + tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def restart(r, w, lc):
    """SIGTERM stops it; the state survives a restart (MUST persist)."""
    with open(os.path.join(w.state_dir, "tls-cert.pem"), "rb") as f:
        cert = f.read()
    code = w.stop()
    r.check("witness stops on SIGTERM", code is not None, "exit code %s" % code)
    if not start_and_connect(r, w, "restart"):
        return
    with open(os.path.join(w.state_dir, "tls-cert.pem"), "rb") as f:
        r.check("restart keeps DIR/tls-cert.pem", f.read() == cert)
    lc.conflict("restart: first log state persisted", lc.a.body(0, 30), 25)
    if lc.b_size:
        lc.conflict("restart: second log state persisted", lc.b.body(0, 30), lc.b_size)
    lc.accepted("restart: first log grows 25 -> 26", lc.a, 25, 26)
    code = w.stop()
    r.check("witness stops on SIGTERM after restart", code is not None, "exit code %s" % code)


# ---------------------------------------------------------------------------
# Command line.
# ---------------------------------------------------------------------------

def cmd_verify_note(args):
    try:
        log = VerifierKey.parse(args.log_vkey, SIG_TYPE_ED25519)
        wits = [VerifierKey.parse(v, SIG_TYPE_COSIG_V1) for v in args.witness]
        with open(args.verify_note, "rb") as f:
            data = f.read()
        for m in verify_note_file(data, log, wits):
            print("OK " + m)
    except (FormatError, VerifyError, OSError) as e:
        print("FAIL %s: %s" % (args.verify_note, e))
        return 1
    print("OK %s: log signature and %d cosignature(s) verify" % (args.verify_note, len(wits)))
    return 0


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--evident", help="path to the evident binary (live witness checks)")
    ap.add_argument("--self-test", action="store_true", help="offline checks only")
    ap.add_argument("--verify-note", metavar="FILE", help="verify a cosigned checkpoint note")
    ap.add_argument("--log-vkey", help="log's Ed25519 note vkey (type 0x01)")
    ap.add_argument("--witness", action="append", default=[], metavar="VKEY",
                    help="cosigner vkey (type 0x04); repeatable")
    ap.add_argument("--keep-temp", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    if args.verify_note:
        if not args.log_vkey:
            ap.error("--verify-note needs --log-vkey")
        return cmd_verify_note(args)
    if not args.evident and not args.self_test:
        ap.error("give --evident PATH, --self-test or --verify-note FILE")
    r = Report()
    self_test(r)
    if args.evident:
        live(r, args.evident, args.keep_temp, args.verbose)
    if r.failures:
        print("FAILED %d of %d checks: %s" % (len(r.failures), r.count, "; ".join(r.failures)))
        return 1
    print("ALL %d CHECKS PASSED" % r.count)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
