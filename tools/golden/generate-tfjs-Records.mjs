// Golden values for SharpFlow's sparse and string op tests, computed by TensorFlow.js (its CPU backend runs
// TensorFlow's kernels for sparseToDense and the string ops): SparseToDense with vector and scalar values and
// 1-D to 3-D indices, and StringSplit (tf.string.stringSplit) with its delimiter and skipEmpty.
//
// Regenerate with:
//   cd tools/golden && npm install && node generate-tfjs-Records.mjs > ../../tests/SharpFlow.Tests/Golden/tfjs_Records.json
//
// The harness (fixed linear congruential inputs, the case format) is the one of generate-tfjs.mjs; string values
// are stored as UTF-8 text.
import * as tf from '@tensorflow/tfjs';

await tf.setBackend('cpu');

let state = 12345;
function rand() {
  state = (Math.imul(state, 1103515245) + 12345) >>> 0;
  return state / 4294967296;
}
function floats(n, lo = -3, hi = 3) {
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * rand());
}
function ints(n, lo = -9, hi = 10) {
  return Int32Array.from({ length: n }, () => lo + Math.floor((hi - lo) * rand()));
}
const size = (shape) => shape.reduce((a, b) => a * b, 1);
const decoder = new TextDecoder();

function encode(t) {
  if (t.dtype === 'string') return { dtype: 'string', shape: t.shape, values: t.dataSync().map((v) => (typeof v === 'string' ? v : decoder.decode(v))) };
  const values = Array.from(t.dataSync(), (v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v));
  return { dtype: t.dtype === 'bool' ? 'bool' : t.dtype, shape: t.shape, values };
}

const cases = [];

// SparseToDense: sorted unique positions of a dense shape, vector or scalar values, a default.
function sparseToDense(name, shape, count, dtype, scalar) {
  const total = size(shape);
  const picked = new Set();
  while (picked.size < count) picked.add(Math.floor(rand() * total));
  const flat = [...picked].sort((a, b) => a - b);
  const rows = flat.map((f) => {
    const idx = [];
    for (let k = shape.length - 1; k >= 0; k--) { idx.unshift(f % shape[k]); f = Math.floor(f / shape[k]); }
    return idx;
  });
  const indices = shape.length === 1 ? rows.map((r) => r[0]) : rows;
  const values = scalar ? (dtype === 'float32' ? floats(1)[0] : ints(1)[0]) : (dtype === 'float32' ? Array.from(floats(count)) : Array.from(ints(count)));
  const dflt = dtype === 'float32' ? floats(1)[0] : ints(1)[0];
  const out = tf.sparseToDense(tf.tensor(indices, undefined, 'int32'), tf.tensor(values, undefined, dtype), shape, tf.scalar(dflt, dtype));
  cases.push({
    name, op: 'sparse_to_dense',
    inputs: [
      { dtype: 'int32', shape: shape.length === 1 ? [count] : [count, shape.length], values: indices.flat() },
      { dtype: 'int32', shape: [shape.length], values: shape },
      { dtype, shape: scalar ? [] : [count], values: scalar ? [values] : values },
      { dtype, shape: [], values: [dflt] },
    ],
    attrs: {},
    expected: encode(out),
  });
}
sparseToDense('sparse_to_dense_f32_1d', [10], 4, 'float32', false);
sparseToDense('sparse_to_dense_i32_1d', [7], 3, 'int32', false);
sparseToDense('sparse_to_dense_f32_2d', [4, 5], 6, 'float32', false);
sparseToDense('sparse_to_dense_f32_2d_scalar', [3, 4], 5, 'float32', true);
sparseToDense('sparse_to_dense_i32_3d', [2, 3, 4], 7, 'int32', false);
sparseToDense('sparse_to_dense_f32_3d_scalar', [3, 2, 2], 4, 'float32', true);

// StringSplit: TensorFlow's StringSplit kernel (any byte of the delimiter splits; skip_empty drops empty tokens).
function stringSplit(name, input, delimiter, skipEmpty) {
  const r = tf.string.stringSplit(input, delimiter, skipEmpty);
  cases.push({
    name, op: 'string_split',
    inputs: [{ dtype: 'string', shape: [input.length], values: input }],
    attrs: { delimiter, skip_empty: skipEmpty },
    expected: { indices: encode(r.indices), values: encode(r.values), shape: encode(r.shape) },
  });
}
stringSplit('string_split_space', ['pigs on the wing', 'animals', '', 'a  b'], ' ', true);
stringSplit('string_split_keep_empty', ['#a', 'b#', '#c#', ''], '#', false);
stringSplit('string_split_two_delimiters', ['hello|world', 'hello world', '|x| y'], '| ', true);
stringSplit('string_split_two_delimiters_keep_empty', ['hello|world', '|x| y'], '| ', false);
stringSplit('string_split_chars', ['hello', 'hola', ''], '', true);

console.log(JSON.stringify({
  generator: 'tools/golden/generate-tfjs-Records.mjs',
  tfjs_version: tf.version.tfjs,
  backend: tf.getBackend(),
  cases,
}, null, 0));
