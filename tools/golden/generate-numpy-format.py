#!/usr/bin/env python3
"""Golden strings for SharpFlow's NDArray printing: what NumPy's str() prints for many arrays.

Regenerate with Debian's NumPy (apt-get install python3-numpy):
    /usr/bin/python3 tools/golden/generate-numpy-format.py > tests/SharpFlow.Tests/Golden/numpy_format.json

Float values are stored as their IEEE bit patterns (hex), so the C# test rebuilds exactly the same numbers.
"""
import json
import struct

import numpy as np

cases = []


def add(name, array):
    array = np.asarray(array)
    dtype = array.dtype.name
    flat = array.reshape(-1)
    if dtype == 'float32':
        values = [struct.pack('<f', v).hex() for v in flat.tolist()]
    elif dtype == 'float64':
        values = [struct.pack('<d', v).hex() for v in flat.tolist()]
    elif dtype == 'bool':
        values = [bool(v) for v in flat.tolist()]
    else:
        values = [int(v) for v in flat.tolist()]
    text = str(array[()] if array.ndim == 0 else array)
    cases.append({'name': name, 'dtype': dtype, 'shape': list(array.shape), 'values': values, 'str': text})


f32, f64 = np.float32, np.float64
for dt in (f32, f64):
    n = np.dtype(dt).name
    add(f'{n}_simple', np.array([1.0, 2.5], dtype=dt))
    add(f'{n}_tenths', np.array([0.1, 0.2, 0.3], dtype=dt))
    add(f'{n}_integral', np.array([1., 2., 3.], dtype=dt))
    add(f'{n}_zeros', np.zeros(2, dtype=dt))
    add(f'{n}_negzero', np.array([-0.0, 1.0], dtype=dt))
    add(f'{n}_mixed', np.array([-1.5, 2.25, 100.], dtype=dt))
    add(f'{n}_thirds', np.array([1 / 3, 2 / 3], dtype=dt))
    add(f'{n}_ratio1000', np.array([0.001, 1.0], dtype=dt))
    add(f'{n}_ratio_sci', np.array([0.001, 1.1], dtype=dt))
    add(f'{n}_small', np.array([1e-4, 0.1], dtype=dt))
    add(f'{n}_big', np.array([123456789.], dtype=dt))
    add(f'{n}_1e8', np.array([1e8], dtype=dt))
    add(f'{n}_sci', np.array([1e-5, 1.0], dtype=dt))
    add(f'{n}_sci2', np.array([1.5e-5, 1.0], dtype=dt))
    add(f'{n}_sci3', np.array([1e-10, 1.0, 123.456], dtype=dt))
    add(f'{n}_sci_neg', np.array([-1e-5, 1.0], dtype=dt))
    add(f'{n}_nan', np.array([np.nan, 1.0], dtype=dt))
    add(f'{n}_inf', np.array([np.inf, -np.inf, 1.5], dtype=dt))
    add(f'{n}_nan_inf', np.array([np.nan, np.inf], dtype=dt))
    add(f'{n}_nan_mixed', np.array([np.nan, 1.25, -3.5], dtype=dt))
    add(f'{n}_neginf_sci', np.array([-np.inf, 1e-5], dtype=dt))
    add(f'{n}_matrix', np.array([[1.5, 2.0], [3.0, -4.25]], dtype=dt))
    add(f'{n}_matrix2', np.array([[1., 2.], [3., 4.]], dtype=dt))
    add(f'{n}_half_even', np.array([0.001953125, 1.0], dtype=dt))
    add(f'{n}_wrap', (np.arange(40) * 0.5).astype(dt))
    add(f'{n}_3d', np.arange(24, dtype=dt).reshape(2, 3, 4) / 7)
    add(f'{n}_summarized', (np.arange(1200, dtype=dt).reshape(30, 40) / 3))
    rng = np.random.RandomState(7)
    add(f'{n}_random_normal', rng.standard_normal((3, 4)).astype(dt))
    add(f'{n}_random_wide', (rng.standard_normal((2, 12)) * 1000).astype(dt))
    for v in [3.0, 0.1, 1e-5, 0.0001, 2.5e-7, 1e15, 1e16, 1.5e16, 123456789.0, 1 / 3, -0.0, np.nan, np.inf, -np.inf, 0.0, -2.5]:
        add(f'{n}_scalar_{v!r}', np.array(v, dtype=dt))

add('int32_simple', np.array([3, 5], dtype=np.int32))
add('int32_neg', np.array([-1, 10], dtype=np.int32))
add('int32_matrix', np.array([[1, 2], [3, 4]], dtype=np.int32))
add('int32_column', np.array([[1], [2]], dtype=np.int32))
add('int64_wrap', np.arange(100, dtype=np.int64))
add('int64_summarized', np.arange(1001, dtype=np.int64))
add('int32_summarized_2d', np.arange(1200, dtype=np.int32).reshape(30, 40))
add('int32_summarized_3d', np.arange(1100, dtype=np.int32).reshape(11, 10, 10))
add('int32_3d', np.arange(8, dtype=np.int32).reshape(2, 2, 2))
add('int32_4d', np.arange(16, dtype=np.int32).reshape(2, 2, 2, 2))
add('uint8', np.array([0, 7, 255], dtype=np.uint8))
add('int32_scalar', np.array(5, dtype=np.int32))
add('int64_scalar_neg', np.array(-7, dtype=np.int64))
add('bool_vector', np.array([True, False]))
add('bool_matrix', np.array([[True, False], [False, True]]))
add('bool_scalar', np.array(True))
add('empty', np.zeros((0,), dtype=np.float32))
add('empty_2d', np.zeros((0, 3), dtype=np.int32))

print(json.dumps({'generator': 'tools/golden/generate-numpy-format.py', 'numpy_version': np.__version__, 'cases': cases}))
