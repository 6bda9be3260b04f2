// Golden values for SharpFlow's slicing and array-op tests, computed by TensorFlow.js (its CPU backend runs
// TensorFlow's semantics for stridedSlice, stack, unstack, split, tile, reverse, gatherND, scatterND,
// spaceToBatchND, batchToSpaceND and depthToSpace), op outputs and, from tf.grads, gradients.
//
// Regenerate with:
//   cd tools/golden && npm install && node generate-tfjs-Array.mjs > ../../tests/SharpFlow.Tests/Golden/tfjs_Array.json
//
// The harness (fixed linear congruential inputs, the case format) is the one of generate-tfjs.mjs.
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

// StridedSlice: begin, end, strides and the five masks (TensorFlow's bit layout).
const slices = [
  ['basic', [3, 4, 5], [1, 0, 1], [3, 4, 4], [1, 1, 1], {}],
  ['negative_indices', [3, 4, 5], [-2, -3, -1], [3, -1, 5], [1, 1, 1], {}],
  ['negative_strides', [3, 4, 5], [2, 3, 4], [0, 0, 0], [-1, -2, -3], {}],
  ['reverse_all', [4, 3], [0, 0], [0, 0], [-1, -1], { begin_mask: 3, end_mask: 3 }],
  ['clamped', [4, 5], [-100, 2], [100, 100], [2, 1], {}],
  ['masks', [3, 4, 5], [1, 0, 1], [0, 3, 0], [1, 2, 2], { begin_mask: 2, end_mask: 5 }],
  ['shrink', [3, 4, 5], [1, 0, 2], [2, 4, 3], [1, 1, 1], { shrink_axis_mask: 5 }],
  ['shrink_negative', [3, 4], [-1, 0], [0, 0], [1, 1], { end_mask: 2, shrink_axis_mask: 1 }],
  ['new_axis', [3, 4], [0, 1, 0], [0, 3, 0], [1, 1, 1], { new_axis_mask: 1, begin_mask: 4, end_mask: 4 }],
  ['ellipsis', [2, 3, 4, 5], [1, 0, 1], [2, 0, 4], [1, 1, 2], { ellipsis_mask: 2 }],
  ['ellipsis_shrink', [2, 3, 4], [0, 2], [0, 3], [1, 1], { ellipsis_mask: 1, shrink_axis_mask: 2 }],
  ['empty', [4, 5], [2, 0], [2, 5], [1, 1], {}],
];
for (const [name, shape, begin, end, strides, m] of slices) {
  const masks = { begin_mask: 0, end_mask: 0, ellipsis_mask: 0, new_axis_mask: 0, shrink_axis_mask: 0, ...m };
  const attrs = { begin, end, strides, ...masks };
  const f = (t) => tf.stridedSlice(t, begin, end, strides, masks.begin_mask, masks.end_mask, masks.ellipsis_mask, masks.new_axis_mask, masks.shrink_axis_mask);
  add(`strided_slice_${name}`, 'strided_slice', [F(shape)], attrs, f);
  // TensorFlow.js has no StridedSlice gradient; the central-difference checks cover it.
}
add('strided_slice_i32', 'strided_slice', [I([4, 5])], { begin: [3, 1], end: [0, 5], strides: [-2, 2], begin_mask: 0, end_mask: 0, ellipsis_mask: 0, new_axis_mask: 0, shrink_axis_mask: 0 },
  (t) => tf.stridedSlice(t, [3, 1], [0, 5], [-2, 2]));

// Stack and unstack.
for (const axis of [0, 1, 2, -1]) {
  add(`stack_axis${axis}`, 'stack', [F([2, 3]), F([2, 3]), F([2, 3])], { axis }, (a, b, c) => tf.stack([a, b, c], axis));
  addGrad(`stack_axis${axis}`, 'stack', { axis }, [F([2, 3]), F([2, 3])], (a, b) => tf.stack([a, b], axis));
}
for (const axis of [0, 1, -1]) {
  for (const piece of [0, 2]) add(`unstack_axis${axis}_${piece}`, 'unstack', [F([3, 3, 3])], { axis, piece }, (t) => tf.unstack(t, axis)[piece]);
}
add('stack_i32', 'stack', [I([4]), I([4])], { axis: 1 }, (a, b) => tf.stack([a, b], 1));

// Split: equal pieces and sizes with -1.
for (const [name, splits, axis, shape] of [['3_axis1', 3, 1, [2, 6, 2]], ['2_axis0', 2, 0, [4, 3]], ['sizes', [1, -1, 2], -1, [3, 6]], ['sizes_axis0', [3, 1], 0, [4, 2]]]) {
  const count = typeof splits === 'number' ? splits : splits.length;
  for (let piece = 0; piece < count; piece++) add(`split_${name}_${piece}`, 'split', [F(shape)], { splits, axis, piece }, (t) => tf.split(t, splits, axis)[piece]);
}

// Tile.
for (const [shape, reps] of [[[2, 3], [1, 2]], [[2, 3], [3, 1]], [[2, 1, 3], [2, 3, 2]], [[3], [4]]]) {
  add(`tile_${shape.join('x')}_${reps.join('x')}`, 'tile', [F(shape)], { multiples: reps }, (t) => tf.tile(t, reps));
  addGrad(`tile_${shape.join('x')}_${reps.join('x')}`, 'tile', { multiples: reps }, [F(shape)], (t) => tf.tile(t, reps));
}
add('tile_i32', 'tile', [I([2, 2])], { multiples: [2, 2] }, (t) => tf.tile(t, [2, 2]));

// Reverse.
for (const axis of [[0], [1], [-1], [0, 2], [0, 1, 2]]) {
  add(`reverse_${axis.join('_')}`, 'reverse', [F([2, 3, 4])], { axis }, (t) => tf.reverse(t, axis));
  addGrad(`reverse_${axis.join('_')}`, 'reverse', { axis }, [F([2, 3, 4])], (t) => tf.reverse(t, axis));
}

// GatherND and ScatterND (the indices are attributes).
for (const [name, shape, indices, ishape] of [
  ['scalars', [3, 4], [0, 1, 2, 3, 1, 1], [3, 2]], ['rows', [3, 4], [2, 0, 2], [3, 1]],
  ['nested', [2, 3, 4], [1, 2, 0, 0, 1, 1, 0, 2], [2, 2, 2]], ['slices', [2, 3, 4], [1, 0, 1], [3, 1]],
]) {
  const attrs = { indices, indices_shape: ishape };
  const f = (t) => tf.gatherND(t, tf.tensor(indices, ishape, 'int32'));
  add(`gather_nd_${name}`, 'gather_nd', [F(shape)], attrs, f);
  // TensorFlow.js has no GatherNd gradient; the central-difference checks cover it.
}
for (const [name, shape, indices, ishape, ushape] of [
  ['1d', [8], [4, 3, 1, 7], [4, 1], [4]], ['repeated', [5, 2], [3, 1, 3], [3, 1], [3, 2]],
  ['2d_index', [3, 3, 2], [0, 1, 2, 2, 0, 1], [3, 2], [3, 2]],
]) {
  const attrs = { indices, indices_shape: ishape, shape };
  const f = (u) => tf.scatterND(tf.tensor(indices, ishape, 'int32'), u, shape);
  add(`scatter_nd_${name}`, 'scatter_nd', [F(ushape)], attrs, f);
}

// SpaceToBatchND, BatchToSpaceND, DepthToSpace.
for (const [name, shape, block, paddings] of [
  ['2x2', [1, 4, 4, 1], [2, 2], [[0, 0], [0, 0]]], ['padded', [2, 2, 4, 3], [2, 2], [[0, 0], [2, 0]]],
  ['1d_block', [2, 5, 2], [3], [[1, 0]]], ['3d', [1, 2, 4, 3, 2], [2, 2, 3], [[0, 0], [1, 1], [0, 0]]],
]) {
  const attrs = { block_shape: block, paddings };
  add(`space_to_batch_nd_${name}`, 'space_to_batch_nd', [F(shape)], attrs, (t) => tf.spaceToBatchND(t, block, paddings));
}
for (const [name, shape, block, crops] of [
  ['2x2', [4, 2, 2, 1], [2, 2], [[0, 0], [0, 0]]], ['cropped', [8, 1, 3, 2], [2, 2], [[0, 0], [2, 0]]],
  ['1d_block', [6, 2, 2], [3], [[1, 0]]],
]) {
  const attrs = { block_shape: block, crops };
  add(`batch_to_space_nd_${name}`, 'batch_to_space_nd', [F(shape)], attrs, (t) => tf.batchToSpaceND(t, block, crops));
}
for (const [shape, bs] of [[[1, 1, 1, 4], 2], [[2, 2, 3, 8], 2], [[1, 2, 1, 18], 3]]) {
  add(`depth_to_space_${shape.join('x')}_${bs}`, 'depth_to_space', [F(shape)], { block_size: bs }, (t) => tf.depthToSpace(t, bs, 'NHWC'));
}

console.log(JSON.stringify({
  generator: 'tools/golden/generate-tfjs-Array.mjs',
  tfjs_version: tf.version.tfjs,
  backend: tf.getBackend(),
  cases,
}, null, 0));
