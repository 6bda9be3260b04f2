// Golden values for SharpFlow's NN-area op tests (conv1d, separable_conv2d, local_response_normalization,
// max_pool_with_argmax, conv3d, max_pool3d, avg_pool3d), computed by TensorFlow.js's CPU backend, which implements TensorFlow's op semantics.
//
// Regenerate with:
//   cd tools/golden && npm install && node generate-tfjs-NN.mjs > ../../tests/SharpFlow.Tests/Golden/tfjs_NN.json
//
// The harness is generate-tfjs.mjs's: inputs from a fixed linear congruential generator, inputs and expected
// outputs both stored, the C# test (tests/SharpFlow.Tests/Ops/NN/GoldenNNTests.cs) only reads them.
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
  const outs = Array.isArray(out) ? out : [out];
  cases.push({
    name, op, attrs,
    inputs: inputs.map((i) => ({ dtype: i.dtype, shape: i.shape, values: Array.from(i.values) })),
    expected: outs.map(encode),
  });
}
const F = (shape, lo, hi) => ({ dtype: 'float32', shape, values: floats(size(shape), lo, hi) });

// conv1d: [batch, width, in] with [k, in, out] filters.
for (const [width, k, stride, pad, dilation] of [
  [9, 3, 1, 'same', 1], [9, 3, 1, 'valid', 1], [10, 4, 2, 'same', 1], [11, 3, 3, 'valid', 1], [9, 3, 1, 'same', 2], [12, 2, 1, 'valid', 3],
]) {
  const attrs = { stride, padding: pad.toUpperCase(), dilation };
  add(`conv1d_w${width}_k${k}_s${stride}_${pad}_d${dilation}`, 'conv1d', [F([2, width, 3]), F([k, 3, 4])], attrs,
    (x, f) => tf.conv1d(x, f, stride, pad, 'NWC', dilation));
}

// separable_conv2d: depthwise [h, w, in, multiplier] then pointwise [1, 1, in * multiplier, out].
for (const [h, w, k, mult, out, stride, pad, rate] of [
  [6, 5, 3, 2, 3, 1, 'same', 1], [7, 7, 3, 1, 4, 2, 'valid', 1], [8, 6, 2, 2, 2, 2, 'same', 1], [7, 6, 3, 1, 2, 1, 'same', 2],
]) {
  const attrs = { strides: [1, stride, stride, 1], padding: pad.toUpperCase(), rate: [rate, rate] };
  add(`separable_conv2d_${h}x${w}_k${k}_m${mult}_s${stride}_${pad}_r${rate}`, 'separable_conv2d', [F([2, h, w, 2]), F([k, k, 2, mult]), F([1, 1, 2 * mult, out])], attrs,
    (x, d, p) => tf.separableConv2d(x, d, p, stride, pad, rate));
}

// local_response_normalization over the last axis.
for (const [depthRadius, bias, alpha, beta, channels] of [
  [5, 1, 1, 0.5, 7], [2, 2, 1e-4, 0.75, 6], [1, 1, 0.5, 1, 3], [0, 0.5, 0.3, 0.25, 4], [3, 1.5, 0.2, 0.6, 9],
]) {
  const attrs = { depth_radius: depthRadius, bias, alpha, beta };
  add(`lrn_r${depthRadius}_b${bias}_a${alpha}_beta${beta}_c${channels}`, 'lrn', [F([2, 3, 2, channels])], attrs,
    (x) => tf.localResponseNormalization(x, depthRadius, bias, alpha, beta));
}

// max_pool_with_argmax: the maxima and their flattened indexes.
for (const [h, w, k, stride, pad, includeBatch] of [
  [5, 5, 2, 2, 'same', false], [6, 5, 3, 2, 'valid', false], [4, 6, 3, 1, 'same', true], [7, 7, 2, 3, 'valid', true],
]) {
  const attrs = { ksize: [1, k, k, 1], strides: [1, stride, stride, 1], padding: pad.toUpperCase(), include_batch_in_index: includeBatch };
  add(`max_pool_with_argmax_${h}x${w}_k${k}_s${stride}_${pad}_${includeBatch ? 'batch' : 'image'}`, 'max_pool_with_argmax', [F([2, h, w, 3])], attrs,
    (x) => {
      const { result, indexes } = tf.maxPoolWithArgmax(x, k, stride, pad, includeBatch);
      return [result, indexes];
    });
}

// conv3d: NDHWC volumes with [kd, kh, kw, in, out] filters.
for (const [d, h, w, k, stride, pad, dilation] of [
  [4, 5, 4, 2, 1, 'same', 1], [5, 4, 4, 3, 1, 'valid', 1], [5, 6, 5, 2, 2, 'same', 1], [6, 5, 6, 3, 2, 'valid', 1], [5, 5, 5, 2, 1, 'same', 2],
]) {
  const attrs = { strides: [1, stride, stride, stride, 1], padding: pad.toUpperCase(), dilations: [1, dilation, dilation, dilation, 1] };
  add(`conv3d_${d}x${h}x${w}_k${k}_s${stride}_${pad}_d${dilation}`, 'conv3d', [F([2, d, h, w, 2]), F([k, k, k, 2, 3])], attrs,
    (x, f) => tf.conv3d(x, f, stride, pad, 'NDHWC', dilation));
}

// max_pool3d and avg_pool3d.
for (const [d, h, w, k, stride, pad] of [
  [4, 4, 4, 2, 2, 'same'], [5, 4, 6, 2, 1, 'valid'], [5, 5, 5, 3, 2, 'same'], [6, 5, 4, 3, 3, 'valid'],
]) {
  const attrs = { ksize: [1, k, k, k, 1], strides: [1, stride, stride, stride, 1], padding: pad.toUpperCase() };
  const name = `${d}x${h}x${w}_k${k}_s${stride}_${pad}`;
  add(`max_pool3d_${name}`, 'max_pool3d', [F([2, d, h, w, 3])], attrs, (x) => tf.maxPool3d(x, k, stride, pad));
  add(`avg_pool3d_${name}`, 'avg_pool3d', [F([2, d, h, w, 3])], attrs, (x) => tf.avgPool3d(x, k, stride, pad));
}

console.log(JSON.stringify({
  generator: 'tools/golden/generate-tfjs-NN.mjs',
  tfjs_version: tf.version.tfjs,
  backend: tf.getBackend(),
  cases,
}, null, 0));
