#:project ../src/SharpFlow/SharpFlow.csproj
// Seed §26 and §27: L2 regularization through a collection. Each layer's weights add their penalty to the
// "losses" collection; the total loss is tf.add_n of the collection. A 5-layer network fits noisy points with
// and without the penalty: the regularized fit has much smaller weights.
using SharpFlow;
using static SharpFlow.Binding;

// The regularizers on the seed's 2x2 example: l1 = 0.5 * (1+2+3+4) = 5, l2 = 0.5 * (1+4+9+16) / 2 = 7.5.
{
    var weights = tf.constant(new[,] { { 1.0f, -2.0f }, { -3.0f, 4.0f } });
    using var s = tf.Session();
    Console.WriteLine($"l1_regularizer(0.5) = {s.run(tf.contrib.layers.l1_regularizer(0.5)(weights)!)}");
    Console.WriteLine($"l2_regularizer(0.5) = {s.run(tf.contrib.layers.l2_regularizer(0.5)(weights)!)}");
}

// Data: 200 points around the unit circle boundary, label 1 inside, with noise.
var random = new Random(1);
var points = new float[200, 2];
var labels = new float[200, 1];
for (var i = 0; i < 200; i++)
{
    var (x1, x2) = (random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1);
    points[i, 0] = (float)x1;
    points[i, 1] = (float)x2;
    labels[i, 0] = x1 * x1 + x2 * x2 + (random.NextDouble() - 0.5) * 0.4 < 0.5 ? 1 : 0;
}

(float DataLoss, float WeightNorm) Train(double lambda)
{
    var graph = new Graph();
    using var scope = graph.as_default();
    tf.set_random_seed(1);
    var x = tf.placeholder(tf.float32, new Shape(-1, 2), name: "x");
    var y_ = tf.placeholder(tf.float32, new Shape(-1, 1), name: "y");
    Variable GetWeight(Shape shape)
    {
        var var = tf.Variable(tf.random_normal(shape), dtype: tf.float32);
        // The penalty of each layer joins the "losses" collection.
        if (lambda > 0) tf.add_to_collection("losses", tf.contrib.layers.l2_regularizer(lambda)(var)!);
        return var;
    }
    int[] layers = [2, 10, 10, 10, 1];
    Tensor cur = x;
    var weights = new List<Variable>();
    for (var i = 1; i < layers.Length; i++)
    {
        var w = GetWeight(new Shape(layers[i - 1], layers[i]));
        weights.Add(w);
        var b = tf.Variable(tf.constant(0.1, shape: new Shape(layers[i])));
        cur = i < layers.Length - 1 ? tf.nn.relu(tf.matmul(cur, w) + b) : tf.matmul(cur, w) + b;
    }
    var mse = tf.reduce_mean(tf.square(y_ - cur));
    tf.add_to_collection("losses", mse);
    var loss = tf.add_n(tf.get_collection("losses"));
    var train = tf.train.AdamOptimizer(0.001).minimize(loss);
    using var sess = tf.Session();
    sess.run(tf.global_variables_initializer());
    var feed = new FeedDict { [x] = points, [y_] = labels };
    for (var i = 0; i < 4000; i++) sess.run(train, feed);
    var norm = weights.Sum(w => sess.run(tf.reduce_sum(tf.square(w))).item<float>());
    return (sess.run(mse, feed).item<float>(), norm);
}

var (plainLoss, plainNorm) = Train(0);
var (regLoss, regNorm) = Train(0.003);
Console.WriteLine($"without regularization: data loss {plainLoss:F4}, sum of squared weights {plainNorm:F2}");
Console.WriteLine($"with l2_regularizer(0.003): data loss {regLoss:F4}, sum of squared weights {regNorm:F2}");
Console.WriteLine($"regularized weights are smaller: {regNorm < plainNorm}");
