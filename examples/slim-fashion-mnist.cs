#:project ../src/SharpFlow/SharpFlow.csproj
// A small VGG-style network written with TF-Slim on Fashion-MNIST: slim.arg_scope gives every conv2d and
// fully_connected layer relu, l2 weight decay and batch normalization (is_training through a placeholder),
// slim.repeat and slim.max_pool2d build the blocks, slim.losses and slim.learning.create_train_op train it (the
// batch-norm updates run with each step), then the test accuracy with the moving statistics.
// Run: dotnet run examples/slim-fashion-mnist.cs [-- steps]
#pragma warning disable CS8981 // slim is the alias Python programs use
using SharpFlow;
using SharpFlow.Data;
using static SharpFlow.Binding;
using slim = SharpFlow.Binding.tf.contrib.slim;

var steps = args.Length > 0 ? int.Parse(args[0]) : 600;
const int BATCH_SIZE = 64;
var data = FashionMnist.read_data_sets(validation_size: 0, seed: 1);
Console.WriteLine($"data: {data.source}");
tf.set_random_seed(1);

var x = tf.placeholder(tf.float32, new[] { -1, 784 }, name: "x");
var y_ = tf.placeholder(tf.int32, new[] { -1 }, name: "y");
var is_training = tf.placeholder_with_default(false, Shape.Scalar, name: "is_training");

Tensor logits;
using (slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn: tf.nn.relu, weights_regularizer: slim.l2_regularizer(0.0005),
    normalizer_fn: slim.batch_norm, normalizer_params: new Dictionary<string, object?> { ["is_training"] = is_training, ["decay"] = 0.9 }))
using (slim.arg_scope([slim.conv2d], padding: "SAME"))
using (tf.variable_scope("small_vgg"))
{
    var net = tf.reshape(x, new[] { -1, 28, 28, 1 });
    net = slim.repeat(net, 2, slim.conv2d, [16, new[] { 3, 3 }], scope: "conv1");
    net = slim.max_pool2d(net, new[] { 2, 2 }, scope: "pool1");
    net = slim.repeat(net, 2, slim.conv2d, [32, new[] { 3, 3 }], scope: "conv2");
    net = slim.max_pool2d(net, new[] { 2, 2 }, scope: "pool2");
    net = slim.flatten(net, scope: "flatten");
    net = slim.fully_connected(net, 128, scope: "fc3");
    net = slim.dropout(net, 0.5, is_training: is_training, scope: "dropout3");
    logits = slim.fully_connected(net, 10, activation_fn: slim.None, normalizer_fn: slim.None, scope: "fc4");
}
Console.WriteLine($"model variables: {slim.get_model_variables().Count}, parameters: {slim.get_model_variables().Sum(v => v.shape.NumElements)}");
Console.WriteLine($"first: {slim.get_model_variables()[0].op.name}, last: {slim.get_model_variables()[^1].op.name}");

slim.losses.softmax_cross_entropy(logits, tf.one_hot(y_, 10));
var total_loss = slim.losses.get_total_loss();
var train_op = slim.learning.create_train_op(total_loss, tf.train.AdamOptimizer(0.001));
var accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1, output_type: tf.int32), y_), tf.float32));

using var sess = tf.Session();
sess.run(tf.global_variables_initializer());
for (var step = 1; step <= steps; step++)
{
    var (xs, ys) = data.train.next_batch(BATCH_SIZE);
    var loss = (float)sess.run(train_op, new FeedDict { [x] = xs, [y_] = ys, [is_training] = true });
    if (step % 100 == 0 || step == 1) Console.WriteLine($"step {step}: total loss {loss:F4}");
}
var test = (float)sess.run(accuracy, new FeedDict { [x] = data.test.images, [y_] = data.test.labels });
Console.WriteLine($"global step {(long)sess.run(tf.train.get_global_step()!)}: test accuracy {test:F4}");
