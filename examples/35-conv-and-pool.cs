#:project ../src/SharpFlow/SharpFlow.csproj
// Seed §34–§36: a convolutional layer slides one shared filter over the image (so the filter's parameters do not
// grow with the image), a pooling layer shrinks it; §35's output sizes with and without zero padding.
using SharpFlow;
using static SharpFlow.Binding;

// The book's example: a 3×3 single-channel image, one 2×2 filter [[1, -1], [0, 2]] with bias 1, stride 2.
var M = tf.constant(new float[,] { { 1, -1, 0 }, { -1, 2, 1 }, { 0, 2, -2 } });
var image = tf.reshape(M, new[] { 1, 3, 3, 1 });
var filter = tf.get_variable("weights", new[] { 2, 2, 1, 1 }, initializer: tf.constant_initializer(new float[] { 1, -1, 0, 2 }));
var biases = tf.get_variable("biases", new[] { 1 }, initializer: tf.constant_initializer(1));
var same = tf.nn.bias_add(tf.nn.conv2d(image, filter, strides: [1, 2, 2, 1], padding: "SAME"), biases);
var valid = tf.nn.bias_add(tf.nn.conv2d(image, filter, strides: [1, 2, 2, 1], padding: "VALID"), biases);
var pooled = tf.nn.max_pool(image, ksize: [1, 2, 2, 1], strides: [1, 1, 1, 1], padding: "VALID");
var averaged = tf.nn.avg_pool(image, ksize: [1, 2, 2, 1], strides: [1, 2, 2, 1], padding: "SAME");

using (var sess = tf.Session())
{
    sess.run(tf.global_variables_initializer());
    Console.WriteLine($"convolution, SAME padding:\n{sess.run(tf.squeeze(same))}");
    Console.WriteLine($"convolution, VALID padding:\n{sess.run(tf.squeeze(valid))}");
    Console.WriteLine($"2x2 max pooling, stride 1:\n{sess.run(tf.squeeze(pooled))}");
    Console.WriteLine($"2x2 average pooling, stride 2, SAME (padding not counted):\n{sess.run(tf.squeeze(averaged))}");
}

// §35: output height = ceil(in / stride) with zero padding, ceil((in - filter + 1) / stride) without.
var input = tf.placeholder(tf.float32, new[] { -1, 32, 32, 3 }, name: "input");
foreach (var (k, s) in new[] { (5, 1), (5, 2), (3, 3) })
{
    var w = tf.zeros(new[] { k, k, 3, 16 });
    var withPadding = tf.nn.conv2d(input, w, [1, s, s, 1], "SAME");
    var without = tf.nn.conv2d(input, w, [1, s, s, 1], "VALID");
    Console.WriteLine($"32x32x3 input, {k}x{k} filter of depth 16, stride {s}: SAME {withPadding.shape}, VALID {without.shape}");
}
// §36: the filter's parameters do not depend on the image size.
Console.WriteLine($"a 5x5x3x16 filter has {5 * 5 * 3 * 16 + 16} parameters for any image size");
