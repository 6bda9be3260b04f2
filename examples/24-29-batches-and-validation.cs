#:project ../src/SharpFlow/SharpFlow.csproj
// Seed §24 and §29: full-batch, stochastic (batch 1) and mini-batch gradient descent over the same data, then a
// held-out validation set that reports accuracy after each epoch and picks the best epoch.
using SharpFlow;
using SharpFlow.Data;
using static SharpFlow.Binding;

// Two Gaussian blobs, 600 points; the label says which.
var random = new Random(3);
var points = new float[600 * 2];
var classes = new int[600];
for (var i = 0; i < 600; i++)
{
    classes[i] = i % 2;
    var center = classes[i] == 0 ? -1.0 : 1.0;
    points[2 * i] = (float)(center + Normal(random));
    points[2 * i + 1] = (float)(center + Normal(random));
}
static double Normal(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

var all = new DataSet(NDArray.FromFlat(points, new Shape(600, 2)), NDArray.FromFlat(classes, new Shape(600)), seed: 1);
var (train, validation) = all.Split(100, seed: 1);

foreach (var (name, batch) in new[] { ("full batch", train.num_examples), ("SGD (batch 1)", 1), ("mini-batch 32", 32) })
{
    var graph = new Graph();
    using var scope = graph.as_default();
    var x = tf.placeholder(tf.float32, new Shape(-1, 2), name: "x");
    var y_ = tf.placeholder(tf.int32, new Shape(-1), name: "y");
    var w = tf.Variable(tf.zeros((2, 2)), name: "w");
    var b = tf.Variable(tf.zeros(new Shape(2)), name: "b");
    var logits = tf.matmul(x, w) + b;
    var loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: y_, logits: logits));
    var train_step = tf.train.GradientDescentOptimizer(batch == 1 ? 0.01 : 0.5).minimize(loss);
    var accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.cast(tf.argmax(logits, 1), tf.int32), y_), tf.float32));
    using var sess = tf.Session();
    sess.run(tf.global_variables_initializer());
    var validate_feed = new FeedDict { [x] = validation.images, [y_] = validation.labels };
    var (bestEpoch, bestAccuracy) = (0, 0f);
    var updates = 0;
    for (var epoch = 1; epoch <= 5; epoch++)
    {
        foreach (var (xs, ys) in train.Batches(batch))
        {
            sess.run(train_step, new FeedDict { [x] = xs, [y_] = ys });
            updates++;
        }
        var acc = (float)sess.run(accuracy, validate_feed);
        if (acc > bestAccuracy) (bestEpoch, bestAccuracy) = (epoch, acc);
        Console.WriteLine($"{name}: epoch {epoch}, {updates} updates, validation accuracy {acc:F3}");
    }
    Console.WriteLine($"{name}: best validation accuracy {bestAccuracy:F3} after epoch {bestEpoch}");
}
