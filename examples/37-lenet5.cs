#:project ../src/SharpFlow/SharpFlow.csproj
// Seed §37–§38: LeNet-5 written with tf.nn ops and get_variable scopes, as the book's mnist_inference does
// (layer1-conv1 … layer6-fc2), with dropout on the fully connected layer while training, trained on
// Fashion-MNIST (28×28 images padded to 32×32). `sharpflow train lenet5` runs the full 20-epoch training.
// Run: dotnet run examples/37-lenet5.cs [-- steps]
using SharpFlow;
using SharpFlow.Data;
using static SharpFlow.Binding;

const int NUM_CHANNELS = 1, NUM_LABELS = 10, CONV1_DEEP = 6, CONV1_SIZE = 5, CONV2_DEEP = 16, CONV2_SIZE = 5;
const int FC1_SIZE = 120, FC2_SIZE = 84, BATCH_SIZE = 64;
var TRAINING_STEPS = args.Length > 0 ? int.Parse(args[0]) : 3000;

var data = FashionMnist.read_data_sets(validation_size: 5000, seed: 1);
Console.WriteLine($"data: {data.source} ({data.train.num_examples} training examples)");

Tensor Inference(Tensor input_tensor, Tensor keep_prob)
{
    var padded = tf.pad(tf.reshape(input_tensor, new[] { -1, 28, 28, 1 }), new[,] { { 0, 0 }, { 2, 2 }, { 2, 2 }, { 0, 0 } });
    Tensor relu1, pool1, relu2, pool2, fc1, fc2, logit;
    using (tf.variable_scope("layer1-conv1"))
    {
        var conv1_weights = tf.get_variable("weight", new[] { CONV1_SIZE, CONV1_SIZE, NUM_CHANNELS, CONV1_DEEP }, initializer: tf.truncated_normal_initializer(stddev: 0.1));
        var conv1_biases = tf.get_variable("bias", new[] { CONV1_DEEP }, initializer: tf.constant_initializer(0.0));
        var conv1 = tf.nn.conv2d(padded, conv1_weights, strides: [1, 1, 1, 1], padding: "VALID");
        relu1 = tf.nn.relu(tf.nn.bias_add(conv1, conv1_biases));
    }
    using (tf.name_scope("layer2-pool1"))
        pool1 = tf.nn.max_pool(relu1, ksize: [1, 2, 2, 1], strides: [1, 2, 2, 1], padding: "SAME");
    using (tf.variable_scope("layer3-conv2"))
    {
        var conv2_weights = tf.get_variable("weight", new[] { CONV2_SIZE, CONV2_SIZE, CONV1_DEEP, CONV2_DEEP }, initializer: tf.truncated_normal_initializer(stddev: 0.1));
        var conv2_biases = tf.get_variable("bias", new[] { CONV2_DEEP }, initializer: tf.constant_initializer(0.0));
        var conv2 = tf.nn.conv2d(pool1, conv2_weights, strides: [1, 1, 1, 1], padding: "VALID");
        relu2 = tf.nn.relu(tf.nn.bias_add(conv2, conv2_biases));
    }
    using (tf.name_scope("layer4-pool2"))
        pool2 = tf.nn.max_pool(relu2, ksize: [1, 2, 2, 1], strides: [1, 2, 2, 1], padding: "SAME");
    var pool_shape = pool2.shape;
    var nodes = pool_shape[1] * pool_shape[2] * pool_shape[3];
    var reshaped = tf.reshape(pool2, new[] { -1, nodes });
    using (tf.variable_scope("layer5-fc1"))
    {
        var fc1_weights = tf.get_variable("weight", new[] { nodes, FC1_SIZE }, initializer: tf.truncated_normal_initializer(stddev: 0.1));
        var fc1_biases = tf.get_variable("bias", new[] { FC1_SIZE }, initializer: tf.constant_initializer(0.1));
        fc1 = tf.nn.dropout(tf.nn.relu(tf.matmul(reshaped, fc1_weights) + fc1_biases), keep_prob);
    }
    using (tf.variable_scope("layer6-fc2"))
    {
        var fc2_weights = tf.get_variable("weight", new[] { FC1_SIZE, FC2_SIZE }, initializer: tf.truncated_normal_initializer(stddev: 0.1));
        var fc2_biases = tf.get_variable("bias", new[] { FC2_SIZE }, initializer: tf.constant_initializer(0.1));
        fc2 = tf.nn.relu(tf.matmul(fc1, fc2_weights) + fc2_biases);
    }
    using (tf.variable_scope("layer7-fc3"))
    {
        var fc3_weights = tf.get_variable("weight", new[] { FC2_SIZE, NUM_LABELS }, initializer: tf.truncated_normal_initializer(stddev: 0.1));
        var fc3_biases = tf.get_variable("bias", new[] { NUM_LABELS }, initializer: tf.constant_initializer(0.1));
        logit = tf.matmul(fc2, fc3_weights) + fc3_biases;
    }
    return logit;
}

tf.set_random_seed(1);
var x = tf.placeholder(tf.float32, new[] { -1, 784 }, name: "x-input");
var y_ = tf.placeholder(tf.int32, new[] { -1 }, name: "y-input");
var keep_prob = tf.placeholder_with_default(1.0f, Shape.Scalar, name: "keep_prob");
var y = Inference(x, keep_prob);
foreach (var v in tf.trainable_variables()) Console.WriteLine($"{v.name} {v.shape}");
Console.WriteLine($"parameters: {tf.trainable_variables().Sum(v => v.shape.NumElements)}");

var loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: y_, logits: y));
var global_step = tf.train.get_or_create_global_step();
var train_step = tf.train.AdamOptimizer(0.001).minimize(loss, global_step: global_step);
var accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.cast(tf.argmax(y, 1), tf.int32), y_), tf.float32));

using var session = tf.Session();
session.run(tf.global_variables_initializer());
var clock = System.Diagnostics.Stopwatch.StartNew();
for (var i = 1; i <= TRAINING_STEPS; i++)
{
    var (xs, ys) = data.train.next_batch(BATCH_SIZE);
    var (_, loss_value) = session.run((train_step, loss), new FeedDict { [x] = xs, [y_] = ys, [keep_prob] = 0.8f });
    if (i % 500 == 0 || i == TRAINING_STEPS)
        Console.WriteLine($"After {i} training step(s), loss on training batch is {(float)loss_value:F4}");
}
var images_per_second = TRAINING_STEPS * BATCH_SIZE / clock.Elapsed.TotalSeconds;
var validation = (float)session.run(accuracy, new FeedDict { [x] = data.validation.images, [y_] = data.validation.labels });
var test = (float)session.run(accuracy, new FeedDict { [x] = data.test.images, [y_] = data.test.labels });
Console.WriteLine($"validation accuracy {validation:F4}, test accuracy {test:F4} after {TRAINING_STEPS} steps (training: {images_per_second:F0} images/s)");
