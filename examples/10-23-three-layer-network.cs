#:project ../src/SharpFlow/SharpFlow.csproj
// Seed §10 and §23: the book's complete program. A 2-3-1 network (weights drawn with seed 1) learns whether
// x1 + x2 < 1 on 128 generated points, with a sigmoid cross-entropy loss and Adam (lr 0.001), in mini-batches
// of 8. The loss falls and the final accuracy is printed. The book's layers have no biases, which makes the
// network a line through the origin that cannot separate x1 + x2 < 1; the biases here let it.
using SharpFlow;
using static SharpFlow.Binding;

const int batchSize = 8;
const int datasetSize = 128;

var w1 = tf.Variable(tf.random_normal((2, 3), stddev: 1, seed: 1));
var w2 = tf.Variable(tf.random_normal((3, 1), stddev: 1, seed: 1));
var x = tf.placeholder(tf.float32, shape: (-1, 2), name: "x-input");
var y_ = tf.placeholder(tf.float32, shape: (-1, 1), name: "y-input");

var b1 = tf.Variable(tf.zeros(new Shape(3)));
var b2 = tf.Variable(tf.zeros(new Shape(1)));

var a = tf.matmul(x, w1) + b1;
var logits = tf.matmul(a, w2) + b2;
var y = tf.sigmoid(logits);
var cross_entropy = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels: y_, logits: logits));
// The book's hand-written form (§21): clip_by_value keeps log away from 0; it agrees with the fused loss.
var hand_written = -tf.reduce_mean(
    y_ * tf.log(tf.clip_by_value(y, 1e-10, 1.0)) + (1 - y_) * tf.log(tf.clip_by_value(1 - y, 1e-10, 1.0)));
var train_step = tf.train.AdamOptimizer(0.001).minimize(cross_entropy);
var correct = tf.equal(tf.cast(y > 0.5, tf.float32), y_);
var accuracy = tf.reduce_mean(tf.cast(correct, tf.float32));

// The data: x uniform in [0, 1)², label 1 when x1 + x2 < 1 (a fixed generator seed, as the book's RandomState(1)).
var rdm = new Random(1);
var X = new float[datasetSize, 2];
var Y = new float[datasetSize, 1];
for (var i = 0; i < datasetSize; i++)
{
    X[i, 0] = (float)rdm.NextDouble();
    X[i, 1] = (float)rdm.NextDouble();
    Y[i, 0] = X[i, 0] + X[i, 1] < 1 ? 1 : 0;
}
NDArray allX = X;
NDArray allY = Y;

using var sess = tf.Session();
sess.run(tf.global_variables_initializer());
Console.WriteLine($"w1 before training:\n{sess.run(w1)}");
const int steps = 5000;
for (var i = 0; i < steps; i++)
{
    var start = i * batchSize % datasetSize;
    var end = Math.Min(start + batchSize, datasetSize);
    sess.run(train_step, new FeedDict { [x] = allX[start..end], [y_] = allY[start..end] });
    if (i % 1000 == 0)
        Console.WriteLine($"After {i} training step(s), cross entropy on all data is {sess.run(cross_entropy, new FeedDict { [x] = allX, [y_] = allY })}");
}
Console.WriteLine($"After {steps} training step(s), cross entropy on all data is {sess.run(cross_entropy, new FeedDict { [x] = allX, [y_] = allY })}");
Console.WriteLine($"hand-written cross entropy with clip_by_value: {sess.run(hand_written, new FeedDict { [x] = allX, [y_] = allY })}");
Console.WriteLine($"w1 after training:\n{sess.run(w1)}");
Console.WriteLine($"accuracy: {sess.run(accuracy, new FeedDict { [x] = allX, [y_] = allY })}");
