// Golden values for SharpFlow's op tests, computed by TensorFlow.js (the CPU backend runs TensorFlow's op
// semantics: broadcasting, reductions, matmul, one_hot, ...).
//
// Regenerate with:
//   cd tools/golden && npm install && node generate-tfjs.mjs > ../../tests/SharpFlow.Tests/Golden/tfjs_ops.json
//
// Inputs come from a fixed linear congruential generator, so the file is reproducible; both inputs and
// expected outputs are stored, the C# test only reads them.
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

function encode(t) {
  const values = Array.from(t.dataSync(), (v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v));
  return { dtype: t.dtype === 'bool' ? 'bool' : t.dtype, shape: t.shape, values };
}
function input(values, shape, dtype) {
  return tf.tensor(values, shape, dtype);
}

const cases = [];
function add(name, op, inputs, attrs, compute) {
  const tensors = inputs.map((i) => input(i.values, i.shape, i.dtype));
  const out = compute(...tensors);
  cases.push({
    name, op, attrs,
    inputs: inputs.map((i) => ({ dtype: i.dtype, shape: i.shape, values: Array.from(i.values, (v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)) })),
    expected: encode(out),
  });
}
const F = (shape, lo, hi) => ({ dtype: 'float32', shape, values: floats(size(shape), lo, hi) });
const I = (shape, lo, hi) => ({ dtype: 'int32', shape, values: ints(size(shape), lo, hi) });
const B = (shape) => ({ dtype: 'bool', shape, values: Uint8Array.from({ length: size(shape) }, () => (rand() < 0.5 ? 1 : 0)) });

// Binary element-wise ops with broadcasting.
const broadcastShapes = [
  [[2, 3], [2, 3]], [[2, 3], [3]], [[2, 3], []], [[], [2, 3]], [[2, 1], [1, 3]],
  [[4, 1, 3], [2, 1]], [[3, 1, 2, 1], [1, 4, 1, 5]], [[5], [1]],
];
const binary = { add: tf.add, sub: tf.sub, mul: tf.mul, maximum: tf.maximum, minimum: tf.minimum };
for (const [op, fn] of Object.entries(binary)) {
  for (const [sa, sb] of broadcastShapes) add(`${op}_f32_${sa.join('x')}_${sb.join('x')}`, op, [F(sa), F(sb)], {}, fn);
  add(`${op}_i32`, op, [I([2, 3]), I([3])], {}, fn);
}
for (const [sa, sb] of broadcastShapes.slice(0, 5)) add(`div_f32_${sa.join('x')}_${sb.join('x')}`, 'div', [F(sa), F(sb, 0.5, 3)], {}, tf.div);
add('floordiv_i32', 'floordiv', [I([12]), { dtype: 'int32', shape: [12], values: Int32Array.from([3, -3, 2, -2, 5, -5, 7, 1, -1, 4, -4, 6]) }], {}, tf.floorDiv);
// TensorFlow.js returns int32 from floorDiv of floats; TensorFlow keeps float32 (same values).
add('floordiv_f32', 'floordiv', [F([2, 3]), F([3], 0.5, 2)], {}, (a, b) => tf.cast(tf.floorDiv(a, b), 'float32'));
add('mod_i32', 'mod', [I([12]), { dtype: 'int32', shape: [12], values: Int32Array.from([3, -3, 2, -2, 5, -5, 7, 1, -1, 4, -4, 6]) }], {}, tf.mod);
add('mod_f32', 'mod', [F([2, 3]), F([3], -2, 2)], {}, tf.mod);
add('pow_f32', 'pow', [F([2, 3], 0.1, 3), F([3], -2, 2)], {}, tf.pow);
add('pow_i32', 'pow', [I([6], -3, 4), { dtype: 'int32', shape: [6], values: Int32Array.from([0, 1, 2, 3, 4, 5]) }], {}, tf.pow);

// Comparisons and logic.
const comparisons = { equal: tf.equal, not_equal: tf.notEqual, less: tf.less, less_equal: tf.lessEqual, greater: tf.greater, greater_equal: tf.greaterEqual };
for (const [op, fn] of Object.entries(comparisons)) {
  add(`${op}_i32`, op, [I([2, 3], -2, 3), I([3], -2, 3)], {}, fn);
  add(`${op}_f32`, op, [F([4, 1]), F([1, 3])], {}, fn);
}
add('logical_and', 'logical_and', [B([2, 3]), B([3])], {}, tf.logicalAnd);
add('logical_or', 'logical_or', [B([2, 3]), B([2, 1])], {}, tf.logicalOr);
add('logical_not', 'logical_not', [B([5])], {}, tf.logicalNot);

// Unary ops.
add('neg_f32', 'neg', [F([2, 3])], {}, tf.neg);
add('neg_i32', 'neg', [I([5])], {}, tf.neg);
add('abs_f32', 'abs', [F([2, 3])], {}, tf.abs);
add('abs_i32', 'abs', [I([5])], {}, tf.abs);
add('square_f32', 'square', [F([2, 3])], {}, tf.square);
add('sqrt_f32', 'sqrt', [F([7], 0, 9)], {}, tf.sqrt);
add('exp_f32', 'exp', [F([7], -5, 5)], {}, tf.exp);
add('log_f32', 'log', [F([7], 0.01, 20)], {}, tf.log);

// Matrix multiplication.
for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
  const a = F(ta ? [5, 3] : [3, 5]);
  const b = F(tb ? [4, 5] : [5, 4]);
  add(`matmul_${ta}_${tb}`, 'matmul', [a, b], { transpose_a: ta, transpose_b: tb }, (x, y) => tf.matMul(x, y, ta, tb));
}
add('matmul_large', 'matmul', [F([33, 70]), F([70, 17])], { transpose_a: false, transpose_b: false }, (x, y) => tf.matMul(x, y));

// Reductions.
const reductions = { sum: tf.sum, mean: tf.mean, max: tf.max, min: tf.min, prod: tf.prod };
for (const [op, fn] of Object.entries(reductions)) {
  const range = op === 'prod' ? [0.5, 1.5] : [-3, 3];
  for (const axis of [null, 0, 1, -1, [0, 2], [1, 2], [0, 1, 2]]) {
    for (const keepdims of [false, true]) {
      const x = F([2, 3, 4], ...range);
      add(`${op}_axis${JSON.stringify(axis)}_keep${keepdims}`, op, [x], { axis, keepdims }, (t) => fn(t, axis, keepdims));
    }
  }
  // TensorFlow.js's mean of integers is a float; TensorFlow's truncates (tested on its own in C#).
  if (op !== 'mean') add(`${op}_i32`, op, [I([3, 4], op === 'prod' ? -2 : -9, op === 'prod' ? 3 : 10)], { axis: [1], keepdims: false }, (t) => fn(t, 1, false));
}
for (const [op, fn] of [['argmax', tf.argMax], ['argmin', tf.argMin]]) {
  for (const axis of [0, 1, 2, -1]) add(`${op}_axis${axis}`, op, [F([3, 4, 5])], { axis }, (t) => fn(t, axis));
  add(`${op}_i32`, op, [I([6, 2], -2, 2)], { axis: 0 }, (t) => fn(t, 0));
}

// Array ops.
add('reshape', 'reshape', [F([2, 6])], { shape: [3, -1, 2] }, (t) => tf.reshape(t, [3, -1, 2]));
for (const perm of [[1, 0, 2], [2, 0, 1], [0, 2, 1], [2, 1, 0]]) add(`transpose_${perm.join('')}`, 'transpose', [F([2, 3, 4])], { perm }, (t) => tf.transpose(t, perm));
add('transpose_default', 'transpose', [I([2, 3, 4])], { perm: null }, (t) => tf.transpose(t));
for (const axis of [0, 1, -1]) add(`concat_axis${axis}`, 'concat', [F([2, 3]), F([2, 3])], { axis }, (a, b) => tf.concat([a, b], axis));
add('concat_three', 'concat', [I([2, 1]), I([2, 3]), I([2, 2])], { axis: 1 }, (a, b, c) => tf.concat([a, b, c], 1));
add('one_hot', 'one_hot', [{ dtype: 'int32', shape: [5], values: Int32Array.from([0, 3, 1, -1, 7]) }], { depth: 4, on_value: 1, off_value: 0 }, (t) => tf.cast(tf.oneHot(t, 4), 'float32')); // TensorFlow's default dtype is float32
add('one_hot_values', 'one_hot', [{ dtype: 'int32', shape: [2, 2], values: Int32Array.from([2, 0, 1, 2]) }], { depth: 3, on_value: 5, off_value: -1 }, (t) => tf.cast(tf.oneHot(t, 3, 5, -1), 'float32'));
add('select', 'select', [B([2, 3]), F([2, 3]), F([2, 3])], {}, (c, a, b) => tf.where(c, a, b));
add('select_rows', 'select', [B([3]), F([3, 2]), F([3, 2])], {}, (c, a, b) => tf.where(tf.reshape(c, [3, 1]).tile([1, 2]), a, b));
add('zeros_like', 'zeros_like', [F([2, 3])], {}, tf.zerosLike);
add('ones_like', 'ones_like', [I([2, 2])], {}, tf.onesLike);
add('cast_f32_i32', 'cast', [F([8], -5, 5)], { dtype: 'int32' }, (t) => tf.cast(t, 'int32'));
add('cast_i32_f32', 'cast', [I([5])], { dtype: 'float32' }, (t) => tf.cast(t, 'float32'));
add('cast_f32_bool', 'cast', [{ dtype: 'float32', shape: [4], values: Float32Array.from([0, 1.5, -2, 0]) }], { dtype: 'bool' }, (t) => tf.cast(t, 'bool'));

// Generators.
for (const [start, limit, delta] of [[0, 10, 1], [3, 18, 3], [10, 2, -2], [0.5, 3.2, 0.7]]) {
  add(`range_${start}_${limit}_${delta}`, 'range', [], { start, limit, delta }, () => tf.range(start, limit, delta, Number.isInteger(start) && Number.isInteger(delta) ? 'int32' : 'float32'));
}
add('linspace', 'linspace', [], { start: 10, stop: 12, num: 3 }, () => tf.linspace(10, 12, 3));
add('linspace_7', 'linspace', [], { start: -1, stop: 2.5, num: 7 }, () => tf.linspace(-1, 2.5, 7));
add('fill', 'fill', [], { dims: [2, 3], value: 9 }, () => tf.fill([2, 3], 9, 'float32'));

// Activations and other ops of the training toolkit.
add('relu', 'relu', [F([2, 5])], {}, tf.relu);
add('relu6', 'relu6', [F([2, 5], -3, 9)], {}, tf.relu6);
add('softplus', 'softplus', [F([2, 5], -30, 30)], {}, tf.softplus);
add('sigmoid', 'sigmoid', [F([2, 5], -10, 10)], {}, tf.sigmoid);
add('tanh', 'tanh', [F([2, 5], -4, 4)], {}, tf.tanh);
add('sign', 'sign', [{ dtype: 'float32', shape: [5], values: Float32Array.from([-2, 0, 3.5, -0.1, 0]) }], {}, tf.sign);
add('log1p', 'log1p', [{ dtype: 'float32', shape: [5], values: Float32Array.from([1e-7, -0.5, 0, 3, 1e-3]) }], {}, tf.log1p);
add('floor', 'floor', [F([2, 4])], {}, tf.floor);
add('squared_difference', 'squared_difference', [F([2, 3]), F([3])], {}, tf.squaredDifference);
add('softmax', 'softmax', [F([3, 4], -5, 5)], {}, (t) => tf.softmax(t));
add('softmax_rank3', 'softmax', [F([2, 2, 3], -5, 5)], {}, (t) => tf.softmax(t));
add('log_softmax', 'log_softmax', [F([3, 4], -5, 5)], {}, (t) => tf.logSoftmax(t));
add('slice', 'slice', [F([3, 4, 2])], { begin: [1, 0, 1], size: [2, -1, 1] }, (t) => tf.slice(t, [1, 0, 1], [2, -1, 1]));
add('pad', 'pad', [F([2, 3])], { paddings: [[1, 2], [0, 1]] }, (t) => tf.pad(t, [[1, 2], [0, 1]]));
add('broadcast_to', 'broadcast_to', [F([3, 1])], { shape: [2, 3, 4] }, (t) => tf.broadcastTo(t, [2, 3, 4]));
for (const [exclusive, reverse] of [[false, false], [true, false], [false, true], [true, true]]) {
  add(`cumsum_${exclusive}_${reverse}`, 'cumsum', [F([3, 4])], { axis: 1, exclusive, reverse }, (t) => tf.cumsum(t, 1, exclusive, reverse));
}

// Gradients (vector-Jacobian products with a random dy), from tf.grads.
function addGrad(name, op, attrs, inputs, f) {
  const tensors = inputs.map((i) => input(i.values, i.shape, i.dtype));
  const y = f(...tensors);
  const dy = F(y.shape);
  const grads = tf.grads(f)(tensors, input(dy.values, dy.shape, dy.dtype));
  grads.forEach((g, k) => {
    cases.push({
      name: `grad_${name}_${k}`, op: 'grad', attrs: { ...attrs, of: op, wrt: k },
      inputs: [...inputs, dy].map((i) => ({ dtype: i.dtype, shape: i.shape, values: Array.from(i.values) })),
      expected: encode(g),
    });
  });
}
addGrad('add_broadcast', 'add', {}, [F([2, 3]), F([3])], tf.add);
addGrad('sub_broadcast', 'sub', {}, [F([2, 1]), F([1, 3])], tf.sub);
addGrad('mul_broadcast', 'mul', {}, [F([2, 3]), F([2, 1])], tf.mul);
addGrad('div_broadcast', 'div', {}, [F([2, 3]), F([3], 0.5, 2)], tf.div);
addGrad('maximum', 'maximum', {}, [F([2, 3]), F([2, 3])], tf.maximum);
// TensorFlow.js's Minimum and SquaredDifference gradients do not un-broadcast: those cases keep equal shapes.
addGrad('minimum', 'minimum', {}, [F([2, 3]), F([2, 3])], tf.minimum);
addGrad('pow', 'pow', {}, [F([2, 3], 0.5, 2), F([2, 3], -2, 2)], tf.pow);
addGrad('squared_difference', 'squared_difference', {}, [F([2, 3]), F([2, 3])], tf.squaredDifference);
for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
  addGrad(`matmul_${ta}_${tb}`, 'matmul', { transpose_a: ta, transpose_b: tb }, [F(ta ? [4, 3] : [3, 4]), F(tb ? [2, 4] : [4, 2])], (a, b) => tf.matMul(a, b, ta, tb));
}
for (const [op, fn] of [['neg', tf.neg], ['abs', tf.abs], ['square', tf.square], ['exp', tf.exp], ['relu', tf.relu], ['sigmoid', tf.sigmoid], ['tanh', tf.tanh], ['softplus', tf.softplus]]) {
  addGrad(op, op, {}, [F([2, 4])], fn);
}
addGrad('sqrt', 'sqrt', {}, [F([2, 4], 0.2, 4)], tf.sqrt);
addGrad('log', 'log', {}, [F([2, 4], 0.2, 4)], tf.log);
addGrad('log1p', 'log1p', {}, [F([2, 4], -0.5, 4)], tf.log1p);
addGrad('relu6', 'relu6', {}, [F([2, 4], -3, 9)], tf.relu6);
addGrad('softmax', 'softmax', {}, [F([3, 4])], (t) => tf.softmax(t));
addGrad('log_softmax', 'log_softmax', {}, [F([3, 4])], (t) => tf.logSoftmax(t));
for (const axis of [null, 1, [0, 2]]) {
  for (const [op, fn] of [['sum', tf.sum], ['mean', tf.mean], ['max', tf.max], ['prod', tf.prod]]) {
    addGrad(`${op}_axis${JSON.stringify(axis)}`, op, { axis, keepdims: false }, [F([2, 3, 4], 0.5, 1.5)], (t) => fn(t, axis));
  }
}
addGrad('transpose', 'transpose', { perm: [2, 0, 1] }, [F([2, 3, 4])], (t) => tf.transpose(t, [2, 0, 1]));
addGrad('reshape', 'reshape', { shape: [4, 3] }, [F([2, 6])], (t) => tf.reshape(t, [4, 3]));
addGrad('concat', 'concat', { axis: 1 }, [F([2, 3]), F([2, 1])], (a, b) => tf.concat([a, b], 1));
addGrad('slice', 'slice', { begin: [1, 0, 1], size: [2, -1, 1] }, [F([3, 4, 2])], (t) => tf.slice(t, [1, 0, 1], [2, -1, 1]));
addGrad('pad', 'pad', { paddings: [[1, 2], [0, 1]] }, [F([2, 3])], (t) => tf.pad(t, [[1, 2], [0, 1]]));
addGrad('cumsum', 'cumsum', { axis: 1, exclusive: true, reverse: false }, [F([3, 4])], (t) => tf.cumsum(t, 1, true, false));

// Convolutions and pooling (NHWC input, HWIO filter), forward and both gradients: odd sizes, strides 1, 2 and 3,
// SAME and VALID, dilations.
const s4 = (s) => [1, s, s, 1];
for (const [h, w, k, s, pad, d] of [[7, 7, 3, 1, 'valid', 1], [7, 7, 3, 1, 'same', 1], [7, 8, 3, 2, 'same', 1], [9, 7, 2, 2, 'valid', 1],
  [8, 8, 3, 3, 'same', 1], [10, 11, 5, 3, 'valid', 1], [7, 7, 3, 1, 'same', 2], [9, 9, 2, 1, 'valid', 3], [5, 5, 1, 2, 'same', 1]]) {
  const attrs = { strides: s4(s), padding: pad.toUpperCase(), dilations: s4(d) };
  const name = `${h}x${w}_k${k}_s${s}_${pad}_d${d}`;
  const conv = (x, f) => tf.conv2d(x, f, s, pad, 'NHWC', d);
  add(`conv2d_${name}`, 'conv2d', [F([2, h, w, 3]), F([k, k, 3, 4])], attrs, conv);
  // TensorFlow.js has no gradient for dilated convolutions; the central-difference checks cover those.
  if (d === 1) addGrad(`conv2d_${name}`, 'conv2d', attrs, [F([2, h, w, 3]), F([k, k, 3, 4])], conv);
  const dw = (x, f) => tf.depthwiseConv2d(x, f, s, pad, 'NHWC', d);
  add(`depthwise_${name}`, 'depthwise_conv2d', [F([2, h, w, 3]), F([k, k, 3, 2])], attrs, dw);
  if (d === 1) addGrad(`depthwise_${name}`, 'depthwise_conv2d', attrs, [F([2, h, w, 3]), F([k, k, 3, 2])], dw);
  if (d === 1) {
    const pattrs = { ksize: s4(k), strides: s4(s), padding: pad.toUpperCase() };
    const mp = (x) => tf.maxPool(x, k, s, pad);
    const ap = (x) => tf.avgPool(x, k, s, pad);
    add(`max_pool_${name}`, 'max_pool', [F([2, h, w, 3])], pattrs, mp);
    addGrad(`max_pool_${name}`, 'max_pool', pattrs, [F([2, h, w, 3])], mp);
    add(`avg_pool_${name}`, 'avg_pool', [F([2, h, w, 3])], pattrs, ap);
    // TensorFlow.js's AvgPool gradient divides by the whole window even where SAME padding cuts it, unlike its own
    // forward pass and TensorFlow's AvgPoolGrad (which divide by the elements inside): only VALID gradients here.
    if (pad === 'valid') addGrad(`avg_pool_${name}`, 'avg_pool', pattrs, [F([2, h, w, 3])], ap);
  }
}
// Rectangular windows and strides.
{
  const attrs = { strides: [1, 2, 1, 1], padding: 'SAME', dilations: s4(1) };
  const conv = (x, f) => tf.conv2d(x, f, [2, 1], 'same');
  add('conv2d_rect', 'conv2d', [F([1, 6, 5, 2]), F([3, 2, 2, 3])], attrs, conv);
  addGrad('conv2d_rect', 'conv2d', attrs, [F([1, 6, 5, 2]), F([3, 2, 2, 3])], conv);
  const pattrs = { ksize: [1, 3, 2, 1], strides: [1, 2, 1, 1], padding: 'SAME' };
  add('max_pool_rect', 'max_pool', [F([1, 6, 5, 2])], pattrs, (x) => tf.maxPool(x, [3, 2], [2, 1], 'same'));
  add('avg_pool_rect', 'avg_pool', [F([1, 6, 5, 2])], pattrs, (x) => tf.avgPool(x, [3, 2], [2, 1], 'same'));
}
// Gather and its gradient (repeated indices sum), unsorted segment sums. The indices are attributes, so the
// gradients are taken with respect to the values only.
{
  const gathers = [
    ['axis0', [5, 3], [4, 0, 4, 2], [4], 0],
    ['axis1_2d', [2, 5, 3], [1, 4, 1, 0], [2, 2], 1],
    ['axis_last', [3, 4], [3, 3, 0], [3], -1],
  ];
  for (const [name, shape, indices, ishape, axis] of gathers) {
    const g = (p) => tf.gather(p, tf.tensor(indices, ishape, 'int32'), axis);
    const attrs = { indices, indices_shape: ishape, axis };
    add(`gather_${name}`, 'gather', [F(shape)], attrs, g);
    addGrad(`gather_${name}`, 'gather', attrs, [F(shape)], g);
  }
  const segments = [2, 0, 2, 3, 0];
  const s = (d) => tf.unsortedSegmentSum(d, tf.tensor1d(segments, 'int32'), 5);
  const attrs = { segment_ids: segments, num_segments: 5 };
  add('unsorted_segment_sum', 'unsorted_segment_sum', [F([5, 3])], attrs, s);
  addGrad('unsorted_segment_sum', 'unsorted_segment_sum', attrs, [F([5, 3])], s);
}

console.log(JSON.stringify({
  generator: 'tools/golden/generate-tfjs.mjs',
  tfjs_version: tf.version.tfjs,
  backend: tf.getBackend(),
  cases,
}, null, 0));
