// Golden values for SharpFlow's math and activation ops (branch ops-math), computed by TensorFlow.js (its CPU
// backend implements TensorFlow's op semantics).
//
// Regenerate with:
//   cd tools/golden && npm install && node generate-tfjs-Math.mjs > ../../tests/SharpFlow.Tests/Golden/tfjs_Math.json
//
// Inputs come from a fixed linear congruential generator, so the file is reproducible; both inputs and expected
// outputs are stored, the C# test (tests/SharpFlow.Tests/Ops/MathOps/GoldenMathTests.cs) only reads them. NaN and
// infinities are written as the strings "NaN", "Infinity" and "-Infinity", which JSON numbers cannot hold.
import * as tf from '@tensorflow/tfjs';

await tf.setBackend('cpu');

let state = 4242;
function rand() {
  state = (Math.imul(state, 1103515245) + 12345) >>> 0;
  return state / 4294967296;
}
function floats(n, lo = -3, hi = 3) {
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * rand());
}
const size = (shape) => shape.reduce((a, b) => a * b, 1);

function number(v) {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v;
}
function encode(t) {
  return { dtype: t.dtype, shape: t.shape, values: Array.from(t.dataSync(), number) };
}

const cases = [];
function add(name, op, inputs, attrs, compute) {
  const tensors = inputs.map((i) => tf.tensor(i.values, i.shape, i.dtype));
  let out;
  try {
    out = compute(...tensors);
  } catch (e) {
    console.error(`skipped ${name}: ${e.message}`);
    return;
  }
  // TensorFlow.js 4.22 mis-sizes some batch products whose ranks differ: keep only well-formed results.
  if (out.dataSync().length !== size(out.shape)) {
    console.error(`skipped ${name}: ${out.dataSync().length} values for shape ${out.shape}`);
    return;
  }
  cases.push({
    name, op, attrs,
    inputs: inputs.map((i) => ({ dtype: i.dtype, shape: i.shape, values: Array.from(i.values, number) })),
    expected: encode(out),
  });
}
const F = (shape, lo, hi) => ({ dtype: 'float32', shape, values: floats(size(shape), lo, hi) });
const V = (values, shape = [values.length]) => ({ dtype: 'float32', shape, values: Float32Array.from(values) });
const B = (shape) => ({ dtype: 'bool', shape, values: Uint8Array.from({ length: size(shape) }, () => (rand() < 0.5 ? 1 : 0)) });

// Element-wise unary ops, each on a range inside its domain.
const unary = {
  sin: [tf.sin, -6, 6], cos: [tf.cos, -6, 6], tan: [tf.tan, -1.4, 1.4], asin: [tf.asin, -0.99, 0.99], acos: [tf.acos, -0.99, 0.99],
  atan: [tf.atan, -6, 6], sinh: [tf.sinh, -4, 4], cosh: [tf.cosh, -4, 4], rsqrt: [tf.rsqrt, 0.05, 9], reciprocal: [tf.reciprocal, 0.1, 5],
  ceil: [tf.ceil, -4, 4], round: [tf.round, -4, 4], erf: [tf.erf, -3, 3], expm1: [tf.expm1, -2, 2],
  elu: [tf.elu, -4, 4], selu: [tf.selu, -4, 4],
};
for (const [op, [fn, lo, hi]] of Object.entries(unary)) {
  add(`${op}_f32_2x5`, op, [F([2, 5], lo, hi)], {}, fn);
  add(`${op}_f32_7`, op, [F([7], lo, hi)], {}, fn);
}
add('reciprocal_negative', 'reciprocal', [F([6], -5, -0.1)], {}, tf.reciprocal);
add('round_halves', 'round', [V([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, -3.5, 0.49, 2.51])], {}, tf.round);
add('ceil_integers', 'ceil', [V([-2, -1.0001, 0, 0.0001, 3])], {}, tf.ceil);
add('expm1_small', 'expm1', [V([1e-7, -1e-7, 1e-4, -3e-5])], {}, tf.expm1);
const special = V([1, NaN, Infinity, -Infinity, 0, -3.5]);
add('is_nan', 'is_nan', [special], {}, tf.isNaN);
add('is_inf', 'is_inf', [special], {}, tf.isInf);
add('is_finite', 'is_finite', [special], {}, tf.isFinite);
for (const alpha of [0.2, 0.01, 0.5]) add(`leaky_relu_${alpha}`, 'leaky_relu', [F([3, 4])], { alpha }, (x) => tf.leakyRelu(x, alpha));

// atan2 with broadcasting, every quadrant.
add('atan2_2x3_2x3', 'atan2', [F([2, 3]), F([2, 3])], {}, tf.atan2);
add('atan2_2x3_3', 'atan2', [F([2, 3]), F([3])], {}, tf.atan2);
add('atan2_quadrants', 'atan2', [V([1, 1, -1, -1, 0, 0, 2]), V([1, -1, -1, 1, -1, 1, 0])], {}, tf.atan2);

// Reductions.
for (const [axis, keepdims] of [[null, false], [0, false], [1, true], [[0, 2], false], [-1, false]]) {
  const tag = axis === null ? 'all' : Array.isArray(axis) ? axis.join('_') : axis;
  add(`any_${tag}_${keepdims}`, 'any', [B([2, 3, 4])], { axis, keepdims }, (x) => tf.any(x, axis, keepdims));
  add(`all_${tag}_${keepdims}`, 'all', [B([2, 3, 4])], { axis, keepdims }, (x) => tf.all(x, axis, keepdims));
  add(`logsumexp_${tag}_${keepdims}`, 'logsumexp', [F([2, 3, 4], -5, 5)], { axis, keepdims }, (x) => tf.logSumExp(x, axis, keepdims));
}
add('logsumexp_large', 'logsumexp', [V([1000, 999, 998, -1000], [2, 2])], { axis: 1, keepdims: false }, (x) => tf.logSumExp(x, 1));

// top_k: values and indices, with ties.
for (const [shape, k] of [[[7], 3], [[2, 6], 1], [[2, 6], 6], [[2, 3, 5], 2]]) {
  const input = F(shape);
  add(`topk_values_${shape.join('x')}_k${k}`, 'topk_values', [input], { k }, (x) => tf.topk(x, k).values);
  add(`topk_indices_${shape.join('x')}_k${k}`, 'topk_indices', [input], { k }, (x) => tf.topk(x, k).indices);
}
const ties = V([1, 3, 3, 1, 3, 2, 2, 0], [2, 4]);
add('topk_values_ties', 'topk_values', [ties], { k: 3 }, (x) => tf.topk(x, 3).values);
add('topk_indices_ties', 'topk_indices', [ties], { k: 3 }, (x) => tf.topk(x, 3).indices);

// Batched matrix products with transposes and broadcast batch dimensions.
for (const [sa, sb, ta, tb] of [
  [[2, 3, 4], [2, 4, 5], false, false], [[2, 4, 3], [2, 4, 5], true, false], [[2, 3, 4], [2, 5, 4], false, true],
  [[2, 4, 3], [2, 5, 4], true, true], [[2, 1, 3, 4], [3, 4, 2], false, false], [[3, 4], [2, 4, 2], false, false], [[2, 3, 4], [1, 2, 4], false, true], [[1, 4, 3], [2, 4, 2], true, false],
]) {
  add(`matmul_${sa.join('x')}_${sb.join('x')}_${ta}_${tb}`, 'matmul', [F(sa), F(sb)], { transpose_a: ta, transpose_b: tb }, (a, b) => tf.matMul(a, b, ta, tb));
}

// band_part.
for (const [lower, upper] of [[0, 0], [1, 0], [0, -1], [-1, 0], [2, 1], [-1, -1]]) {
  add(`band_part_${lower}_${upper}`, 'band_part', [F([2, 4, 5])], { num_lower: lower, num_upper: upper }, (x) => tf.linalg.bandPart(x, lower, upper));
}

// einsum.
for (const [equation, shapes] of [
  ['ij,jk->ik', [[2, 3], [3, 4]]], ['bij,bjk->bik', [[2, 3, 4], [2, 4, 5]]], ['i,j->ij', [[3], [4]]], ['i,i->', [[5], [5]]],
  ['ij,ij->i', [[3, 4], [3, 4]]], ['ij->ji', [[2, 3]]], ['ij->j', [[2, 3]]], ['bik,bjk->bij', [[2, 3, 4], [2, 5, 4]]],
]) {
  add(`einsum_${equation}`, 'einsum', shapes.map((s) => F(s)), { equation }, (...xs) => tf.einsum(equation, ...xs));
}

console.log(JSON.stringify({
  generator: 'tools/golden/generate-tfjs-Math.mjs',
  tfjs_version: tf.version.tfjs,
  backend: tf.getBackend(),
  cases,
}, null, 0));
