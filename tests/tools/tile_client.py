#!/usr/bin/env python3
"""A tlog-tiles client, written from the C2SP tlog-tiles and tlog-checkpoint
specifications and RFC 6962 / RFC 9162 section 2.1 alone, standard library
only. It shares no code with Evident and reads nothing but a published
directory: DIR/checkpoint and DIR/tile/<L>/<N>[.p/<W>].

From the tiles it computes the tree's root (and checks it against the
checkpoint's), inclusion proofs and consistency proofs, and checks each proof
with the RFC 9162 verification algorithms.

usage:
  tile_client.py root DIR
  tile_client.py inclusion DIR INDEX [--size N] [--entry FILE]
  tile_client.py consistency DIR --old CHECKPOINT_FILE

root prints "SIZE HEXROOT". inclusion and consistency print JSON
{"index", "size", "leaf_hash", "proof"} and {"size1", "size2", "proof"},
hashes in hex. With --entry, the leaf hash is computed from the entry's
bytes (what a person holding their own entry does) and must equal the
tiles'. --old takes the checkpoint of the older tree (a file, or a
directory holding one). The signatures on checkpoints are not checked here:
that needs Ed25519, which the standard library does not have.

Exit status: 0 when everything checks, 1 when something does not (the
reason on stderr), 2 for bad usage.
"""

import base64
import hashlib
import json
import os
import sys

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT
HASH_SIZE = 32


class Mismatch(Exception):
    """The tiles, the checkpoint or a proof do not agree."""


def sha256(data):
    return hashlib.sha256(data).digest()


# RFC 6962 section 2.1.
def leaf_hash(entry):
    return sha256(b"\x00" + entry)


def node_hash(left, right):
    return sha256(b"\x01" + left + right)


def split_point(n):
    """The largest power of two smaller than n (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


# tlog-checkpoint: origin, decimal size, base64 root; then the signatures
# after the last blank line.
def parse_checkpoint(text):
    if "\n\n" not in text:
        raise Mismatch("the checkpoint has no signature block")
    body = text[: text.rindex("\n\n") + 1]
    lines = body.split("\n")
    if len(lines) < 4 or not lines[0]:
        raise Mismatch("the checkpoint has too few lines")
    size_text, root_text = lines[1], lines[2]
    if not size_text.isdigit() or (len(size_text) > 1 and size_text[0] == "0"):
        raise Mismatch("the checkpoint's size is not a decimal: %r" % size_text)
    root = base64.b64decode(root_text, validate=True)
    if len(root) != HASH_SIZE:
        raise Mismatch("the checkpoint's root is not 32 bytes")
    return lines[0], int(size_text), root


def read_checkpoint(path):
    if os.path.isdir(path):
        path = os.path.join(path, "checkpoint")
    with open(path, "r", encoding="utf-8") as f:
        return parse_checkpoint(f.read())


# tlog-tiles: "tile/<L>/<N>[.p/<W>]", N in zero-padded 3-digit elements, all
# but the last prefixed with "x".
def tile_path(level, index, width):
    groups = ["%03d" % (index % 1000)]
    index //= 1000
    while index > 0:
        groups.insert(0, "x%03d" % (index % 1000))
        index //= 1000
    path = "tile/%d/%s" % (level, "/".join(groups))
    if width < TILE_WIDTH:
        path += ".p/%d" % width
    return path


class TiledTree:
    """The tree of the size DIR/checkpoint names, read from DIR's tiles."""

    def __init__(self, directory):
        self.directory = directory
        self.origin, self.size, self.root = read_checkpoint(directory)
        self._tiles = {}
        self._ranges = {}

    def _tile(self, level, n):
        # The partial tile at level l of a tree of size s has
        # floor(s / 256**l) mod 256 hashes.
        at_level = self.size // (TILE_WIDTH**level)
        if n < at_level // TILE_WIDTH:
            width = TILE_WIDTH
        elif n == at_level // TILE_WIDTH and at_level % TILE_WIDTH:
            width = at_level % TILE_WIDTH
        else:
            raise Mismatch("tile %d/%d is beyond the tree of size %d" % (level, n, self.size))
        key = (level, n)
        if key not in self._tiles:
            path = os.path.join(self.directory, tile_path(level, n, width))
            try:
                with open(path, "rb") as f:
                    data = f.read()
            except OSError as e:
                raise Mismatch("cannot read %s: %s" % (path, e.strerror))
            if len(data) != width * HASH_SIZE:
                raise Mismatch("%s is %d bytes, not %d" % (path, len(data), width * HASH_SIZE))
            self._tiles[key] = [data[i : i + HASH_SIZE] for i in range(0, len(data), HASH_SIZE)]
        return self._tiles[key]

    def _tile_hash(self, level, j):
        """Hash j of tile level `level`: MTH(D[j * 256**level : (j+1) * 256**level])."""
        return self._tile(level, j // TILE_WIDTH)[j % TILE_WIDTH]

    def _perfect(self, height, k):
        """MTH of leaves [k * 2**height, (k+1) * 2**height): the tile hashes at
        level height // 8 below it, hashed up the levels a tile leaves out."""
        level, rest = divmod(height, TILE_HEIGHT)
        hashes = [self._tile_hash(level, (k << rest) + i) for i in range(1 << rest)]
        while len(hashes) > 1:
            hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
        return hashes[0]

    def mth(self, begin, end):
        """MTH(D[begin:end]) by RFC 6962's recursion."""
        n = end - begin
        if n == 0:
            return sha256(b"")
        if end > self.size:
            raise Mismatch("range %d..%d is beyond the tree of size %d" % (begin, end, self.size))
        if n & (n - 1) == 0 and begin % n == 0:
            return self._perfect(n.bit_length() - 1, begin // n)
        key = (begin, end)
        if key not in self._ranges:
            k = split_point(n)
            self._ranges[key] = node_hash(self.mth(begin, begin + k), self.mth(begin + k, end))
        return self._ranges[key]

    def leaf(self, index):
        return self._perfect(0, index)

    # RFC 6962 section 2.1.1: PATH(m, D[begin:end]).
    def inclusion(self, m, begin, end):
        n = end - begin
        if n == 1:
            return []
        k = split_point(n)
        if m < k:
            return self.inclusion(m, begin, begin + k) + [self.mth(begin + k, end)]
        return self.inclusion(m - k, begin + k, end) + [self.mth(begin, begin + k)]

    # RFC 6962 section 2.1.2: SUBPROOF(m, D[begin:end], b).
    def subproof(self, m, begin, end, b):
        n = end - begin
        if m == n:
            return [] if b else [self.mth(begin, end)]
        k = split_point(n)
        if m <= k:
            return self.subproof(m, begin, begin + k, b) + [self.mth(begin + k, end)]
        return self.subproof(m - k, begin + k, end, False) + [self.mth(begin, begin + k)]

    def consistency(self, m, n):
        if not 0 < m <= n:
            return []
        return self.subproof(m, 0, n, True)


# RFC 9162 section 2.1.3.2.
def verify_inclusion(index, size, leaf, proof, root):
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


# RFC 9162 section 2.1.4.2.
def verify_consistency(size1, size2, root1, root2, proof):
    if size1 == size2:
        return not proof and root1 == root2
    if size1 == 0:
        return not proof
    if size1 > size2 or not proof:
        return False
    if size1 & (size1 - 1) == 0:
        proof = [root1] + proof
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == root1 and sr == root2 and sn == 0


def hexes(hashes):
    return [h.hex() for h in hashes]


def checked_root(tree):
    root = tree.mth(0, tree.size)
    if root != tree.root:
        raise Mismatch(
            "the tiles give root %s at size %d, the checkpoint says %s"
            % (root.hex(), tree.size, tree.root.hex())
        )
    return root


def run_root(directory):
    tree = TiledTree(directory)
    print("%d %s" % (tree.size, checked_root(tree).hex()))


def run_inclusion(directory, index, size, entry_path):
    tree = TiledTree(directory)
    checked_root(tree)
    size = tree.size if size is None else size
    if not 0 <= index < size <= tree.size:
        raise Mismatch("need 0 <= index < size <= %d" % tree.size)
    leaf = tree.leaf(index)
    if entry_path is not None:
        with open(entry_path, "rb") as f:
            mine = leaf_hash(f.read())
        if mine != leaf:
            raise Mismatch("the entry hashes to %s, the tiles hold %s" % (mine.hex(), leaf.hex()))
    proof = tree.inclusion(index, 0, size)
    if not verify_inclusion(index, size, leaf, proof, tree.mth(0, size)):
        raise Mismatch("the inclusion proof does not verify")
    print(json.dumps({"index": index, "size": size, "leaf_hash": leaf.hex(), "proof": hexes(proof)}))


def run_consistency(directory, old):
    tree = TiledTree(directory)
    root2 = checked_root(tree)
    origin1, size1, root1 = read_checkpoint(old)
    if origin1 != tree.origin:
        raise Mismatch("the old checkpoint is of %s, not %s" % (origin1, tree.origin))
    if size1 > tree.size:
        raise Mismatch("the old checkpoint (%d) is larger than the new (%d)" % (size1, tree.size))
    if tree.mth(0, size1) != root1:
        raise Mismatch("the tiles give a different root at the old size %d" % size1)
    proof = tree.consistency(size1, tree.size)
    if not verify_consistency(size1, tree.size, root1, root2, proof):
        raise Mismatch("the consistency proof does not verify")
    print(json.dumps({"size1": size1, "size2": tree.size, "proof": hexes(proof)}))


def main(argv):
    args = list(argv)
    flags = {}
    for name in ("--size", "--entry", "--old"):
        if name in args:
            at = args.index(name)
            if at + 1 >= len(args):
                raise SystemExit(__doc__)
            flags[name] = args[at + 1]
            del args[at : at + 2]
    try:
        if len(args) == 2 and args[0] == "root":
            run_root(args[1])
        elif len(args) == 3 and args[0] == "inclusion":
            size = int(flags["--size"]) if "--size" in flags else None
            run_inclusion(args[1], int(args[2]), size, flags.get("--entry"))
        elif len(args) == 2 and args[0] == "consistency" and "--old" in flags:
            run_consistency(args[1], flags["--old"])
        else:
            sys.stderr.write(__doc__)
            return 2
    except (Mismatch, ValueError, OSError) as e:
        sys.stderr.write("tile_client: %s\n" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
