#!/usr/bin/env python3
"""`evident tiles` end to end: builds a ledger whose checkpoints fall on and
off tile boundaries (up to 65,539 entries, so that level-1 and level-2 tiles
appear), publishes its tiles at each checkpointed size, and checks that the
independent client (tile_client.py, which reads only the published
directory) computes the checkpoint's root and exactly the inclusion and
consistency proofs `evident prove` gives, for many indices and size pairs.
Also: re-running into one directory for growing sizes, refusals, that no
entry is ever written, and that a flipped byte in a tile is caught.

usage: tiles_cli_test.py --evident BIN --gen-events BIN [--small] [--flip TILE]

--small stops at 513 entries. --flip TILE flips a byte of that tile (a path
such as tile/0/000) in every directory before the comparisons, which must
then fail: the script exits 1, as a test that the comparison can fail.
Exit status 0 when every check passed, 1 otherwise.
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENT = os.path.join(HERE, "tile_client.py")
TILE_PATH = re.compile(r"^tile/[0-9]+/(x[0-9]{3}/)*[0-9]{3}(\.p/[0-9]+)?$")

failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL: " + what, file=sys.stderr)


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


class Evident:
    def __init__(self, binary, ledger):
        self.binary, self.ledger = binary, ledger

    def __call__(self, *args):
        return run([self.binary] + list(args))

    def must(self, *args):
        r = self(*args)
        if r.returncode != 0:
            sys.exit("evident %s failed: %s" % (" ".join(args), r.stderr))
        return r.stdout


def client(*args):
    return run([sys.executable, CLIENT] + [str(a) for a in args])


def build_ledger(evident, gen_events, work, targets):
    """A ledger with a checkpoint at each of `targets` (after `init`'s 2)."""
    evident.must("init", "--ledger", evident.ledger, "--origin", "evident.example/tiles")
    events = run([gen_events, "--count", str(targets[-1] - 2), "--seed", "11"]).stdout.splitlines(
        keepends=True
    )
    size = 2
    for target in targets:
        chunk = os.path.join(work, "events-%d.jsonl" % target)
        with open(chunk, "w") as f:
            f.writelines(events[size - 2 : target - 2])
        key = os.path.join(evident.ledger, "keys", "admin.pem")
        evident.must("append", "--ledger", evident.ledger, "--key", key, chunk)
        size = target
    listed = [int(s) for s in evident.must("checkpoint", "--ledger", evident.ledger, "--list").split()]
    for target in targets:
        check(target in listed, "no checkpoint at size %d" % target)


def published_files(directory):
    files = []
    for root, _, names in os.walk(directory):
        for name in names:
            files.append(os.path.relpath(os.path.join(root, name), directory))
    return sorted(files)


def flip(directory, tile):
    path = os.path.join(directory, tile)
    if os.path.exists(path):
        with open(path, "r+b") as f:
            byte = f.read(1)
            f.seek(0)
            f.write(bytes([byte[0] ^ 0x01]))


def proof_fields(text, fields):
    data = json.loads(text)
    return {k: data[k] for k in fields}


def check_directory(evident, out, size, flip_tile):
    files = published_files(out)
    check("checkpoint" in files, "%s has no checkpoint" % out)
    for f in files:
        check(f == "checkpoint" or TILE_PATH.match(f), "unexpected file %s in %s" % (f, out))
        check("entries" not in f, "an entries file was published: " + f)
    with open(os.path.join(out, "checkpoint")) as f:
        check(
            f.read() == evident.must("checkpoint", "--ledger", evident.ledger, "--size", str(size)),
            "checkpoint file at %d is not the ledger's" % size,
        )
    if flip_tile:
        flip(out, flip_tile)
    r = client("root", out)
    check(r.returncode == 0, "client root at %d: %s" % (size, r.stderr.strip()))


def check_inclusion(evident, out, size):
    rng = random.Random(size)
    indices = {0, 1, size - 1, size // 2, 255, 256, 257, 511, 512, 65535, 65536}
    indices |= {rng.randrange(size) for _ in range(4)}
    fields = ("index", "size", "leaf_hash", "proof")
    for index in sorted(i for i in indices if 0 <= i < size):
        ours = client("inclusion", out, index)
        theirs = evident("prove", "--ledger", evident.ledger, "--index", str(index), "--size", str(size))
        what = "inclusion of %d in %d" % (index, size)
        check(ours.returncode == 0, what + ": client: " + ours.stderr.strip())
        check(theirs.returncode == 0, what + ": evident: " + theirs.stderr.strip())
        if ours.returncode == 0 and theirs.returncode == 0:
            check(proof_fields(ours.stdout, fields) == proof_fields(theirs.stdout, fields),
                  what + ": the client's proof differs from evident prove's")


def check_consistency(evident, new_dir, old_checkpoint, size1, size2):
    ours = client("consistency", new_dir, "--old", old_checkpoint)
    theirs = evident("prove", "--ledger", evident.ledger, "--consistency", str(size1), str(size2))
    what = "consistency %d -> %d" % (size1, size2)
    check(ours.returncode == 0, what + ": client: " + ours.stderr.strip())
    check(theirs.returncode == 0, what + ": evident: " + theirs.stderr.strip())
    if ours.returncode == 0 and theirs.returncode == 0:
        fields = ("size1", "size2", "proof")
        check(proof_fields(ours.stdout, fields) == proof_fields(theirs.stdout, fields),
              what + ": the client's proof differs from evident prove's")


def check_incremental(evident, work, targets, fresh):
    """One directory re-published at each size in turn equals the fresh ones."""
    out = os.path.join(work, "incremental")
    first_tile_inode = None
    for size in targets:
        old = os.path.join(work, "old-checkpoint")
        had = os.path.exists(os.path.join(out, "checkpoint"))
        if had:
            shutil.copyfile(os.path.join(out, "checkpoint"), old)
        evident.must("tiles", "--ledger", evident.ledger, "--out", out, "--size", str(size))
        for f in published_files(fresh[size]):
            with open(os.path.join(fresh[size], f), "rb") as a, open(os.path.join(out, f), "rb") as b:
                check(a.read() == b.read(), "incremental %s at %d differs from a fresh run" % (f, size))
        check(not any(f.endswith(".tmp") for f in published_files(out)), "a temporary file was left")
        full = os.path.join(out, "tile/0/000")
        if os.path.exists(full):
            inode = os.stat(full).st_ino
            check(first_tile_inode in (None, inode), "a full tile was rewritten at %d" % size)
            first_tile_inode = inode
        if had:
            old_size = int(open(old).read().split("\n")[1])
            check_consistency(evident, out, old, old_size, size)
    return out


def check_refusals(evident, work, incremental, targets):
    def refused(args, words, what):
        r = evident(*args)
        check(r.returncode == 1 and words in r.stderr, "%s: exit %d, %r" % (what, r.returncode, r.stderr))

    out = os.path.join(work, "refused")
    refused(["tiles", "--ledger", evident.ledger, "--out", out, "--size", str(targets[0] - 1)],
            "checkpoint --list", "a size with no checkpoint")
    refused(["tiles", "--ledger", evident.ledger, "--out", incremental, "--size", str(targets[0])],
            "never rolled back", "a smaller size into a published directory")
    refused(["tiles", "--ledger", evident.ledger], "--out", "no --out")
    other = Evident(evident.binary, os.path.join(work, "other-ledger"))
    other.must("init", "--ledger", other.ledger, "--origin", "evident.example/other")
    refused(["tiles", "--ledger", other.ledger, "--out", incremental], "not of this ledger",
            "another log's directory")


def check_tampering_is_caught(work, directory):
    """Flipped bytes in a copy: the client must disagree."""
    # The first hash of each tile; what reads it: the root reads the top
    # tile, a proof for an entry reads the tiles its path crosses.
    for tile, asks, says in (
        (None, ["root"], ""),
        ("tile/0/000", ["inclusion", 0], "does not verify"),
        ("tile/1/000", ["inclusion", 300], "does not verify"),
        ("tile/2/000.p/1", ["root"], "checkpoint says"),
        ("checkpoint", ["root"], ""),
    ):
        if tile and not os.path.exists(os.path.join(directory, tile)):
            continue
        copy = os.path.join(work, "tampered")
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(directory, copy)
        if tile == "checkpoint":  # the root line's first character
            with open(os.path.join(copy, tile)) as f:
                lines = f.read().split("\n")
            lines[2] = ("B" if lines[2][0] == "A" else "A") + lines[2][1:]
            with open(os.path.join(copy, tile), "w") as f:
                f.write("\n".join(lines))
            says = "checkpoint says"
        elif tile:
            flip(copy, tile)
        r = client(*([asks[0], copy] + asks[1:]))
        if tile is None:
            check(r.returncode == 0, "the untouched copy fails: " + r.stderr)
        else:
            check(r.returncode == 1 and says in r.stderr,
                  "a flipped byte in %s went unnoticed: %r" % (tile, r.stderr))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--evident", required=True)
    parser.add_argument("--gen-events", required=True)
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--flip")
    args = parser.parse_args()
    targets = [255, 256, 257, 511, 512, 513]
    if not args.small:
        targets += [1000, 65535, 65536, 65539]
    work = tempfile.mkdtemp(prefix="tiles-test-")
    try:
        evident = Evident(args.evident, os.path.join(work, "ledger"))
        build_ledger(evident, args.gen_events, work, targets)
        sizes = [2] + targets
        fresh = {}
        for size in sizes:
            fresh[size] = os.path.join(work, "at-%d" % size)
            evident.must("tiles", "--ledger", evident.ledger, "--out", fresh[size], "--size", str(size))
            check_directory(evident, fresh[size], size, args.flip)
            check_inclusion(evident, fresh[size], size)
        for i, size1 in enumerate(sizes):
            for size2 in sizes[i:]:
                old = os.path.join(fresh[size1], "checkpoint")
                check_consistency(evident, fresh[size2], old, size1, size2)
        if not args.flip:
            incremental = check_incremental(evident, work, sizes, fresh)
            check_refusals(evident, work, incremental, targets)
            check_tampering_is_caught(work, fresh[sizes[-1]])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("%d checks failed" % len(failures), file=sys.stderr)
        return 1
    print("ok: tiles at sizes %s agree with evident prove" % ", ".join(map(str, [2] + targets)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
