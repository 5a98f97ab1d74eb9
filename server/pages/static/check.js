// check.js: checks, in the reader's own browser, that one entry is in the ledger.
//
// For every <section class="proof-check" data-proof-url="..."> on the page it fetches the proof
// JSON ({"index", "size", "leaf_hash", "entry" (base64), "proof" (hex), "checkpoint" (signed
// note), "log_key" (vkey)}) and checks, with WebCrypto only, in this order:
//   1. the vkey "name+hexkeyid+base64(0x01 || pubkey)" parses and its key id is
//      SHA-256(name || "\n" || 0x01 || pubkey)[:4]                            (C2SP signed-note)
//   2. the checkpoint note carries a signature line by that name and key id, and its Ed25519
//      signature verifies over the note's text
//   3. the text is a checkpoint (origin, size, root, extension lines) for the key's name, at the
//      proof's size                                                       (C2SP tlog-checkpoint)
//   4. SHA-256(0x00 || entry) is the leaf hash
//   5. the inclusion proof leads from that leaf to the checkpoint's root        (RFC 9162 2.1.3.2)
// It writes the outcome into the section's role="status" element and sets data-result to "ok",
// "failed" or "unsupported" (no Ed25519 in this browser). No dependencies, no eval, no inline
// script: the pages are served with Content-Security-Policy script-src 'self'.
'use strict';

(function () {
  // A failed check: `plain` is for anyone, `technical` says exactly what did not hold.
  class CheckFailure extends Error {
    constructor(plain, technical) {
      super(technical);
      Object.assign(this, { plain: plain, technical: technical });
    }
  }
  function fail(plain, technical) {
    throw new CheckFailure(plain, technical);
  }

  const utf8 = new TextEncoder();
  function concat(...parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
  function equal(a, b) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  function hex(bytes) {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }
  // Returns null for anything that is not lowercase or uppercase hex of whole bytes.
  function unhex(s) {
    if (typeof s !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(s)) return null;
    return Uint8Array.from(s.match(/../g) || [], (h) => parseInt(h, 16));
  }
  // Strict base64 (standard alphabet, padded), as signed notes and the proof JSON use; null if not.
  function unbase64(s) {
    if (typeof s !== 'string' || s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
    try {
      return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
    } catch (e) {
      return null;
    }
  }
  async function sha256(...parts) {
    return new Uint8Array(await crypto.subtle.digest('SHA-256', concat(...parts)));
  }

  // 1. The verifier key: name "+" hex(key id) "+" base64(0x01 || 32-byte Ed25519 public key).
  async function parseVkey(vkey) {
    const bad = (why) => fail("the ledger's public key given with this proof is not usable.", why);
    if (typeof vkey !== 'string') bad('the proof has no "log_key"');
    // Split at the first two '+' only: the base64 key may hold '+' too.
    const m = /^([^+\s]+)\+([^+]*)\+(.*)$/.exec(vkey.trim());
    if (!m) bad('the key is not NAME+KEYID+KEY');
    const [, name, idHex, keyB64] = m;
    const id = /^[0-9a-f]{8}$/.test(idHex) ? unhex(idHex) : null;
    const key = unbase64(keyB64);
    if (!id) bad('the key id "' + idHex + '" is not 8 lowercase hex digits');
    if (!key || key.length !== 33 || key[0] !== 0x01) {
      bad('the key is not base64(0x01 || 32-byte Ed25519 public key)');
    }
    const expected = (await sha256(utf8.encode(name + '\n'), key)).subarray(0, 4);
    if (!equal(id, expected)) {
      bad('the key id ' + idHex + ' is not SHA-256(name || "\\n" || key)[:4] = ' + hex(expected));
    }
    return { name: name, id: id, idHex: idHex, publicKey: key.subarray(1) };
  }

  // 2. The signed note: text, a blank line, then lines "\u2014 NAME base64(sig)". Lines by other
  // keys (a witness's cosignature) are skipped, as signed-note readers do.
  async function verifyNote(note, vkey) {
    const notSigned = (why) => fail('the checkpoint is not signed by the ledger.', why);
    if (typeof note !== 'string') notSigned('the proof has no "checkpoint"');
    const split = note.indexOf('\n\n');
    if (split < 0 || !note.endsWith('\n')) notSigned('the checkpoint is not a signed note');
    const text = note.slice(0, split + 1); // up to and including the newline before the blank line
    const mine = [];
    for (const line of note.slice(split + 2, -1).split('\n')) {
      const m = /^\u2014 (\S+) (\S+)$/.exec(line);
      if (!m) notSigned('"' + line + '" is not a signature line');
      const sig = unbase64(m[2]);
      if (m[1] === vkey.name && sig && sig.length === 68 && equal(sig.subarray(0, 4), vkey.id)) {
        mine.push(sig.subarray(4));
      }
    }
    if (mine.length === 0) {
      notSigned('no signature line by ' + vkey.name + ' with key id ' + vkey.idHex);
    }
    let key;
    try {
      key = await crypto.subtle.importKey('raw', vkey.publicKey, { name: 'Ed25519' }, false, ['verify']);
    } catch (e) {
      // Either this browser has no Ed25519, or the 32 bytes are not a point on the curve.
      if (e && e.name === 'NotSupportedError') throw e;
      fail("the ledger's public key given with this proof is not usable.", 'Ed25519 import: ' + e);
    }
    for (const sig of mine) {
      if (!(await crypto.subtle.verify('Ed25519', key, sig, utf8.encode(text)))) {
        notSigned('the Ed25519 signature by ' + vkey.name + ' does not verify over the checkpoint');
      }
    }
    return text;
  }

  // 3. The checkpoint: origin, decimal size (no leading zeros), base64 root, extension lines.
  function parseCheckpoint(text, vkey, size) {
    const bad = (why) => fail('the checkpoint is not one this proof can use.', why);
    const lines = text.slice(0, -1).split('\n');
    if (lines.length < 3) bad('a checkpoint needs three lines: origin, size, root hash');
    if (lines.slice(3).some((l) => l === '')) bad("a checkpoint's extension line is empty");
    const root = unbase64(lines[2]);
    if (!/^(0|[1-9][0-9]*)$/.test(lines[1])) bad('the size "' + lines[1] + '" is not a number');
    if (!root || root.length !== 32) bad('the root is not the base64 of 32 bytes');
    // The key name is the log's origin (docs/format.md, Checkpoints).
    if (lines[0] !== vkey.name) bad('the checkpoint is for "' + lines[0] + '", not ' + vkey.name);
    if (BigInt(lines[1]) !== size) {
      bad('the checkpoint is at size ' + lines[1] + ', the proof at size ' + size);
    }
    return root;
  }

  // 5. RFC 9162 section 2.1.3.2, step for step. BigInt: the shifts must work past 2^32.
  async function rootFromPath(leaf, index, size, path) {
    if (index >= size) return null;
    let fn = index;
    let sn = size - 1n;
    let r = leaf;
    for (const p of path) {
      if (sn === 0n) return null;
      if (fn % 2n === 1n || fn === sn) {
        r = await sha256(Uint8Array.of(1), p, r);
        while (fn % 2n === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      } else {
        r = await sha256(Uint8Array.of(1), r, p);
      }
      fn >>= 1n;
      sn >>= 1n;
    }
    return sn === 0n ? r : null;
  }

  async function check(proof) {
    const notAProof = (why) => fail('the proof sent to this page is incomplete.', why);
    if (!proof || typeof proof !== 'object') notAProof('the answer is not a JSON object');
    if (!Number.isSafeInteger(proof.index) || proof.index < 0) notAProof('"index" is not a number');
    if (!Number.isSafeInteger(proof.size) || proof.size < 1) notAProof('"size" is not a number');
    const index = BigInt(proof.index);
    const size = BigInt(proof.size);
    const leafHash = unhex(proof.leaf_hash);
    const entry = unbase64(proof.entry);
    const path = Array.isArray(proof.proof) ? proof.proof.map(unhex) : [null];
    if (!leafHash || leafHash.length !== 32) notAProof('"leaf_hash" is not 32 bytes of hex');
    if (!entry) notAProof('"entry" is not base64');
    if (path.some((h) => !h || h.length !== 32)) notAProof('"proof" is not a list of 32-byte hex hashes');

    const vkey = await parseVkey(proof.log_key);
    const text = await verifyNote(proof.checkpoint, vkey);
    const root = parseCheckpoint(text, vkey, size);
    const leaf = await sha256(Uint8Array.of(0), entry);
    if (!equal(leaf, leafHash)) {
      fail('the entry is not the one the proof is for: it has been changed.',
        'SHA-256(0x00 || entry) is ' + hex(leaf) + ', not leaf_hash ' + hex(leafHash));
    }
    const computed = await rootFromPath(leaf, index, size, path);
    if (!computed || !equal(computed, root)) {
      fail('the entry is not in the log the checkpoint describes.',
        'the inclusion proof of index ' + index + ' in size ' + size + ' gives ' +
          (computed ? 'root ' + hex(computed) : 'no root (the path has the wrong length)') +
          ', the checkpoint root is ' + hex(root));
    }
    return 'Checked in your browser: entry ' + index + ' is in the log at size ' + size +
      ', signed by ' + vkey.name + ' (key id ' + vkey.idHex + ')';
  }

  async function run(section, output, button) {
    section.setAttribute('data-result', 'checking');
    output.textContent = "Checking this entry's proof\u2026";
    if (button) button.disabled = true; // one check at a time: the last to finish would win
    let result, message;
    try {
      if (!window.crypto || !crypto.subtle) {
        throw new DOMException('no crypto.subtle (the page is not a secure context)', 'NotSupportedError');
      }
      const url = section.getAttribute('data-proof-url');
      let response;
      try {
        response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      } catch (e) {
        fail('the proof could not be fetched.', String(e));
      }
      if (!response.ok) fail('the proof could not be fetched.', 'HTTP ' + response.status + ' from ' + url);
      let proof;
      try {
        proof = await response.json();
      } catch (e) {
        fail('the proof sent to this page is incomplete.', 'the answer is not JSON: ' + e.message);
      }
      message = await check(proof);
      result = 'ok';
    } catch (e) {
      if (e instanceof CheckFailure) {
        result = 'failed';
        message = "This entry's proof did NOT check: " + e.plain + ' (' + e.technical + ')';
      } else if (e && e.name === 'NotSupportedError') {
        result = 'unsupported';
        message = 'This browser cannot check the proof itself: its WebCrypto lacks Ed25519. Use a ' +
          'current browser, or check it with "evident check-proof". (' + e.message + ')';
      } else {
        result = 'failed';
        message = "This entry's proof did NOT check: something unexpected went wrong. (" + e + ')';
      }
    }
    output.textContent = message;
    section.setAttribute('data-result', result);
    if (button) button.disabled = false;
  }

  function setUp(section) {
    let output = section.querySelector('[role="status"]');
    if (!output) {
      output = section.appendChild(document.createElement('p'));
      output.setAttribute('role', 'status');
      output.setAttribute('aria-live', 'polite');
    }
    const button = section.querySelector('button');
    if (button) button.addEventListener('click', () => run(section, output, button));
    run(section, output, button);
  }

  function start() {
    document.querySelectorAll('section.proof-check[data-proof-url]').forEach(setUp);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
