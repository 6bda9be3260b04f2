#!/usr/bin/env python3
"""Writes the Fashion-MNIST sample embedded in SharpFlow (used when the full data set is not installed).

Source: the Debian package dataset-fashion-mnist (/usr/share/datasets/fashion-mnist). The sample is the first
TRAIN examples of the training set and the first TEST examples of the test set, in the same gzipped IDX format.
Regenerate: python3 tools/data/make-fashion-mnist-sample.py
"""
import gzip, os, struct

SRC = "/usr/share/datasets/fashion-mnist"
DST = os.path.join(os.path.dirname(__file__), "..", "..", "src", "SharpFlow", "Data", "Samples")
TRAIN, TEST = 2000, 500

def subset(name, count):
    with gzip.open(os.path.join(SRC, name), "rb") as f:
        data = f.read()
    rank = data[3]
    dims = list(struct.unpack(">" + "i" * rank, data[4:4 + 4 * rank]))
    row = 1
    for d in dims[1:]:
        row *= d
    dims[0] = count
    body = data[4 + 4 * rank:4 + 4 * rank + count * row]
    out = data[:4] + struct.pack(">" + "i" * rank, *dims) + body
    with gzip.GzipFile(os.path.join(DST, name), "wb", mtime=0) as f:
        f.write(out)

for name, count in [("train-images-idx3-ubyte.gz", TRAIN), ("train-labels-idx1-ubyte.gz", TRAIN),
                    ("t10k-images-idx3-ubyte.gz", TEST), ("t10k-labels-idx1-ubyte.gz", TEST)]:
    subset(name, count)
