// Golden values for SharpFlow's image op tests (resize_bilinear and resize_nearest_neighbor with and without
// align_corners and half-pixel centers, flip_left_right, rgb_to_grayscale, crop_and_resize, non_max_suppression),
// computed by TensorFlow.js's CPU backend, which implements TensorFlow's op semantics.
//
// Regenerate with:
//   cd tools/golden && npm install && node generate-tfjs-Images.mjs > ../../tests/SharpFlow.Tests/Golden/tfjs_Images.json
//
// The harness is generate-tfjs.mjs's: inputs from a fixed linear congruential generator, inputs and expected
// outputs both stored, the C# test (tests/SharpFlow.Tests/Ops/Image/GoldenImageTests.cs) only reads them.
import * as tf from '@tensorflow/tfjs';

await tf.setBackend('cpu');

let state = 1717;
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

// Resizes: [batch, h, w, c] to [oh, ow], TF 1.x's legacy rule, align_corners, and half-pixel centers.
for (const [h, w, oh, ow] of [[4, 5, 7, 3], [6, 6, 3, 9], [3, 4, 8, 8], [5, 3, 2, 2]]) {
  for (const [align, half] of [[false, false], [true, false], [false, true]]) {
    const attrs = { size: [oh, ow], align_corners: align, half_pixel_centers: half };
    const tag = `${h}x${w}_to_${oh}x${ow}${align ? '_align' : ''}${half ? '_half' : ''}`;
    add(`resize_bilinear_${tag}`, 'resize_bilinear', [F([2, h, w, 3])], attrs, (x) => tf.image.resizeBilinear(x, [oh, ow], align, half));
    add(`resize_nearest_neighbor_${tag}`, 'resize_nearest_neighbor', [F([2, h, w, 3])], attrs, (x) => tf.image.resizeNearestNeighbor(x, [oh, ow], align, half));
  }
}

// flip_left_right of a batch, rgb_to_grayscale of floats in [0, 1).
add('flip_left_right', 'flip_left_right', [F([2, 3, 4, 2])], {}, (x) => tf.image.flipLeftRight(x));
add('rgb_to_grayscale', 'rgb_to_grayscale', [F([2, 3, 4, 3], 0, 1)], {}, (x) => tf.image.rgbToGrayscale(x));

// crop_and_resize: boxes inside, across and outside the image, both methods, an extrapolation value.
const boxes = { dtype: 'float32', shape: [4, 4], values: [0, 0, 1, 1, 0.1, 0.2, 0.7, 0.85, 0.8, 0.62, 0.2, 0.15, -0.2, 0.32, 1.3, 0.55] };
const boxInd = { dtype: 'int32', shape: [4], values: [0, 1, 1, 0] };
for (const [ch, cw] of [[3, 4], [1, 1], [5, 2]]) {
  for (const method of ['bilinear', 'nearest']) {
    add(`crop_and_resize_${ch}x${cw}_${method}`, 'crop_and_resize', [F([2, 5, 6, 2]), boxes, boxInd], { crop_size: [ch, cw], method, extrapolation_value: -7 },
      (x, b, i) => tf.image.cropAndResize(x, b, i, [ch, cw], method, -7));
  }
}

// non_max_suppression: random boxes and scores, several thresholds.
for (const [n, max, iou, score] of [[20, 10, 0.5, -Infinity], [30, 5, 0.3, -Infinity], [25, 25, 0.7, 0.4], [10, 3, 0.0, -Infinity]]) {
  const corners = floats(n * 4, 0, 1);
  const scores = floats(n, 0, 1);
  add(`non_max_suppression_${n}_max${max}_iou${iou}_score${score}`, 'non_max_suppression',
    [{ dtype: 'float32', shape: [n, 4], values: corners }, { dtype: 'float32', shape: [n], values: scores }],
    { max_output_size: max, iou_threshold: iou, score_threshold: score === -Infinity ? -1e30 : score },
    (b, s) => tf.image.nonMaxSuppression(b, s, max, iou, score));
}

console.log(JSON.stringify({
  generator: 'tools/golden/generate-tfjs-Images.mjs',
  tfjs_version: tf.version.tfjs,
  backend: tf.getBackend(),
  cases,
}, null, 0));
