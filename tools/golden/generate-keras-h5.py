#!/usr/bin/env python3
"""Writes tests/SharpFlow.Tests/Golden/keras_weights.h5: a weights file in Keras 2.2.4 / tf.keras 1.15's HDF5 layout
(keras/engine/saving.py save_weights_to_hdf5_group), written by h5py as Keras does, for a model

    Sequential([Dense(3, input_shape=[4]), Dropout(0.5), Dense(2, name="out")])

with the weights kernel = (arange(n) * 0.25 - 1.5).reshape(shape), bias = arange(n) * 0.5 + 0.125 (float32) for
layer `dense`, and the same formulas plus 10 for layer `out`; KerasHdf5Tests recomputes them. The file is written with
libver="earliest" (h5py's default, as Keras writes it). Run with Debian's python3-h5py:
    apt-get install -y python3-h5py && python3 tools/golden/generate-keras-h5.py
"""
import os

import h5py
import numpy as np


def kernel(shape, offset=0.0):
    return (np.arange(np.prod(shape)) * 0.25 - 1.5 + offset).reshape(shape).astype(np.float32)


def bias(n, offset=0.0):
    return (np.arange(n) * 0.5 + 0.125 + offset).astype(np.float32)


layers = [
    ("dense", [("dense/kernel:0", kernel((4, 3))), ("dense/bias:0", bias(3))]),
    ("dropout", []),
    ("out", [("out/kernel:0", kernel((3, 2), 10.0)), ("out/bias:0", bias(2, 10.0))]),
]

path = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "SharpFlow.Tests", "Golden", "keras_weights.h5")
with h5py.File(path, "w") as f:
    # save_weights_to_hdf5_group: byte strings, as Keras 2.2.4 encodes them.
    f.attrs["layer_names"] = np.asarray([name.encode("utf8") for name, _ in layers])
    f.attrs["backend"] = np.bytes_("tensorflow")
    f.attrs["keras_version"] = np.bytes_("2.2.4-tf")
    for name, weights in layers:
        g = f.create_group(name)
        # save_attributes_to_hdf5_group writes np.asarray(data): an empty float64 array for a layer without weights.
        g.attrs["weight_names"] = np.asarray([w.encode("utf8") for w, _ in weights])
        for weight_name, value in weights:
            dset = g.create_dataset(weight_name, value.shape, dtype=value.dtype)
            if not value.shape:
                dset[()] = value
            else:
                dset[:] = value
print("wrote", os.path.normpath(path))
