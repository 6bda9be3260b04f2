#:project ../src/SharpFlow/SharpFlow.csproj
// Seed §30: the complete recipe of the book's mnist_train: a 784-500-10 network with relu, an exponentially
// decaying learning rate, L2 regularization and a moving-average model, here on Fashion-MNIST. It reports the
// validation accuracy of the averaged model as it trains and the test accuracy at the end.
// Run: dotnet run examples/30-fashion-mnist-mlp.cs [-- steps]
// With Debian's dataset-fashion-mnist installed it reads the full data set; otherwise an embedded sample.
using SharpFlow;
using SharpFlow.Data;
using static SharpFlow.Binding;

const int INPUT_NODE = 784, OUTPUT_NODE = 10, LAYER1_NODE = 500, BATCH_SIZE = 100;
const double LEARNING_RATE_BASE = 0.1, LEARNING_RATE_DECAY = 0.99, REGULARIZATION_RATE = 0.0001, MOVING_AVERAGE_DECAY = 0.99;
var TRAINING_STEPS = args.Length > 0 ? int.Parse(args[0]) : 10000;

var data = FashionMnist.read_data_sets(validation_size: 5000, seed: 1);
Console.WriteLine($"data: {data.source} ({data.train.num_examples} training, {data.validation.num_examples} validation, {data.test.num_examples} test examples)");

// The forward pass, with or without the moving averages of the parameters.
Tensor Inference(Tensor input, SharpFlow.Train.ExponentialMovingAverage? avg, Variable w1, Variable b1, Variable w2, Variable b2)
{
    Tensor W(Variable v) => avg is null ? v : avg.average(v)!;
    var layer1 = tf.nn.relu(tf.matmul(input, W(w1)) + W(b1));
    return tf.matmul(layer1, W(w2)) + W(b2);
}

tf.set_random_seed(1);
var x = tf.placeholder(tf.float32, new Shape(-1, INPUT_NODE), name: "x-input");
var y_ = tf.placeholder(tf.int32, new Shape(-1), name: "y-input");
var weights1 = tf.Variable(tf.truncated_normal((INPUT_NODE, LAYER1_NODE), stddev: 0.1), name: "weights1");
var biases1 = tf.Variable(tf.constant(0.1, shape: new Shape(LAYER1_NODE)), name: "biases1");
var weights2 = tf.Variable(tf.truncated_normal((LAYER1_NODE, OUTPUT_NODE), stddev: 0.1), name: "weights2");
var biases2 = tf.Variable(tf.constant(0.1, shape: new Shape(OUTPUT_NODE)), name: "biases2");

var y = Inference(x, null, weights1, biases1, weights2, biases2);
var global_step = tf.Variable(0, trainable: false, name: "global_step");
var variable_averages = tf.train.ExponentialMovingAverage(MOVING_AVERAGE_DECAY, global_step);
var variables_averages_op = variable_averages.apply(tf.trainable_variables());
var average_y = Inference(x, variable_averages, weights1, biases1, weights2, biases2);

var cross_entropy_mean = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: y_, logits: y));
var regularizer = tf.contrib.layers.l2_regularizer(REGULARIZATION_RATE);
var loss = cross_entropy_mean + regularizer(weights1)! + regularizer(weights2)!;
var learning_rate = tf.train.exponential_decay(LEARNING_RATE_BASE, global_step,
    data.train.num_examples / BATCH_SIZE, LEARNING_RATE_DECAY, staircase: true);
var train_step = tf.train.MomentumOptimizer(learning_rate, 0.9).minimize(loss, global_step: global_step);
var train_op = tf.group(new ITensorOrOperation[] { train_step, variables_averages_op }, name: "train");

var correct_prediction = tf.equal(tf.cast(tf.argmax(average_y, 1), tf.int32), y_);
var accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32));

using var sess = tf.Session();
sess.run(tf.global_variables_initializer());
var validate_feed = new FeedDict { [x] = data.validation.images, [y_] = data.validation.labels };
var test_feed = new FeedDict { [x] = data.test.images, [y_] = data.test.labels };
var best = 0f;
var clock = System.Diagnostics.Stopwatch.StartNew();
for (var i = 0; i < TRAINING_STEPS; i++)
{
    if (i % 1000 == 0)
    {
        var validate_acc = (float)sess.run(accuracy, validate_feed);
        best = Math.Max(best, validate_acc);
        Console.WriteLine($"After {i} training step(s), validation accuracy using average model is {validate_acc:F4}");
    }
    var (xs, ys) = data.train.next_batch(BATCH_SIZE);
    sess.run(train_op, new FeedDict { [x] = xs, [y_] = ys });
}
var final_validation = (float)sess.run(accuracy, validate_feed);
var test_acc = (float)sess.run(accuracy, test_feed);
Console.WriteLine($"After {TRAINING_STEPS} training step(s), validation accuracy using average model is {final_validation:F4}");
Console.WriteLine($"After {TRAINING_STEPS} training step(s), test accuracy using average model is {test_acc:F4}");
Console.WriteLine($"training time: {clock.Elapsed.TotalSeconds:F1} s ({TRAINING_STEPS / clock.Elapsed.TotalSeconds:F0} steps/s)");
