namespace SharpFlow.Tests.Keras;

/// <summary>fit against a hand-written SharpFlow loop, Keras's input checks, the TensorBoard callback.</summary>
public class KerasFitTests
{
    private static NDArray Data(int n, int d, int seed)
    {
        var r = new Random(seed);
        return NDArray.FromFlat(Enumerable.Range(0, n * d).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray(), new Shape(n, d));
    }

    [Fact]
    public void FitGivesTheBatchLossesOfAHandWrittenLoop()
    {
        var x = Data(20, 3, 1);
        var labels = Enumerable.Range(0, 20).Select(i => i % 2).ToArray();
        var w1 = Data(3, 4, 2);
        var w2 = Data(4, 2, 3);
        var kerasLosses = new List<double>();
        using (TestGraph.Enter())
        {
            var model = tf.keras.Sequential([
                tf.keras.layers.Dense(4, activation: "relu", input_shape: [3]),
                tf.keras.layers.Dense(2, activation: "softmax"),
            ]);
            model.compile(tf.keras.optimizers.SGD(lr: 0.1), "sparse_categorical_crossentropy");
            model.set_weights([w1, NDArray.Zeros(DType.float32, new Shape(4)), w2, NDArray.Zeros(DType.float32, new Shape(2))]);
            model.fit(x, NDArray.FromFlat(labels, new Shape(20)), batch_size: 5, epochs: 3, verbose: 0, shuffle: false,
                callbacks: [tf.keras.callbacks.LambdaCallback(on_batch_end: (_, logs) => kerasLosses.Add(logs["loss"]))]);
        }
        var handLosses = new List<double>();
        using (var g = TestGraph.Enter())
        {
            var xs = tf.placeholder(tf.float32, new Shape(-1, 3));
            var ys = tf.placeholder(tf.int32, new Shape(-1));
            var k1 = tf.Variable(w1);
            var b1 = tf.Variable(tf.zeros(new Shape(4)));
            var k2 = tf.Variable(w2);
            var b2 = tf.Variable(tf.zeros(new Shape(2)));
            var logits = tf.matmul(tf.nn.relu(tf.matmul(xs, k1) + b1), k2) + b2;
            var loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: ys, logits: logits));
            var train = tf.train.GradientDescentOptimizer(0.1).minimize(loss);
            using var sess = tf.Session();
            sess.run(tf.global_variables_initializer());
            for (var epoch = 0; epoch < 3; epoch++)
                for (var start = 0; start < 20; start += 5)
                {
                    var feed = new FeedDict { [xs] = x[start..(start + 5)], [ys] = NDArray.FromFlat(labels[start..(start + 5)], new Shape(5)) };
                    var (_, l) = sess.run((train, loss), feed);
                    handLosses.Add(l.item<float>());
                }
        }
        Assert.Equal(12, kerasLosses.Count);
        for (var i = 0; i < 12; i++) Assert.Equal(handLosses[i], kerasLosses[i], 1e-5);
    }

    [Fact]
    public void WrongInputShapesGetKerasMessages()
    {
        using var g = TestGraph.Enter();
        var model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape: [3])]);
        model.compile("sgd", "mse");
        var e = Assert.Throws<ValueError>(() => model.predict(Data(2, 4, 1)));
        Assert.Equal("Error when checking input: expected dense_input to have shape (3,) but got array with shape (4,)", e.Message);
        var e2 = Assert.Throws<ValueError>(() => model.fit(NDArray.FromFlat(new float[] { 1, 2, 3 }, new Shape(3)), Data(3, 2, 1), verbose: 0));
        Assert.Equal("Error when checking input: expected dense_input to have 2 dimensions, but got array with shape (3,)", e2.Message);
        var e3 = Assert.Throws<ValueError>(() => model.compile("nope", "mse"));
        Assert.Equal("Unknown optimizer: nope", e3.Message);
        var e4 = Assert.Throws<ValueError>(() => model.compile("sgd", "nope"));
        Assert.Equal("Unknown loss function:nope", e4.Message);
    }

    [Fact]
    public void TensorBoardCallbackWritesTheGraphAndEpochScalars()
    {
        using var g = TestGraph.Enter();
        var dir = Directory.CreateTempSubdirectory("keras-tb");
        try
        {
            var model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape: [2])]);
            model.compile("sgd", "mse");
            model.fit(Data(8, 2, 1), Data(8, 1, 2), epochs: 2, verbose: 0, validation_split: 0.25,
                callbacks: [tf.keras.callbacks.TensorBoard(log_dir: dir.FullName, histogram_freq: 1)]);
            var file = Directory.GetFiles(dir.FullName, "events.out.tfevents.*").Single();
            var events = tf.train.summary_iterator(file).ToList();
            Assert.Contains(events, e => e.graph_def is not null);
            var scalars = events.Where(e => e.summary is not null).SelectMany(e => e.summary!.value.Select(v => (e.step, v.tag, v.simple_value))).ToList();
            Assert.Contains(scalars, s => s.step == 0 && s.tag == "loss");
            Assert.Contains(scalars, s => s.step == 1 && s.tag == "val_loss");
            Assert.Contains(scalars, s => s.step == 1 && s.tag == "dense/kernel_0" && s.simple_value is null);
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void SampleWeightsAreRenormalizedByTheShareOfNonzeroWeightsAsKerasDoes()
    {
        using var g = TestGraph.Enter();
        var model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape: [1], use_bias: false)]);
        model.compile(tf.keras.optimizers.SGD(lr: 0), "mse");
        model.set_weights([NDArray.FromFlat(new float[] { 2 }, new Shape(1, 1))]);
        var x = NDArray.FromFlat(new float[] { 1, 3 }, new Shape(2, 1));
        var y = NDArray.FromFlat(new float[] { 0, 0 }, new Shape(2, 1));
        // Squared errors 4 and 36: weights (1, 0) give (4·1 + 0) / 2 / 0.5 = 4; weights (1, 3) give (4 + 108) / 2 = 56.
        Assert.Equal(4, model.train_on_batch(x, y, sample_weight: NDArray.FromFlat(new float[] { 1, 0 }, new Shape(2)))[0], 1e-5);
        Assert.Equal(56, model.train_on_batch(x, y, sample_weight: NDArray.FromFlat(new float[] { 1, 3 }, new Shape(2)))[0], 1e-5);
        Assert.Equal(20, model.train_on_batch(x, y)[0], 1e-5);
        var yc = NDArray.FromFlat(new float[] { 0, 1 }, new Shape(2, 1));
        Assert.Equal((4 * 2.0 + 25 * 5.0) / 2, model.train_on_batch(x, yc, class_weight: new Dictionary<int, double> { [0] = 2, [1] = 5 })[0], 1e-5);
        var e = Assert.Throws<ValueError>(() => model.train_on_batch(x, yc, class_weight: new Dictionary<int, double> { [0] = 2 }));
        Assert.Equal("`class_weight` must contain all classes in the data. The classes {1} exist in the data but not in `class_weight`.", e.Message);
    }

    [Fact]
    public void LayerNormalizationNormalizesEachSample()
    {
        using var g = TestGraph.Enter();
        var model = tf.keras.Sequential([tf.keras.layers.LayerNormalization(epsilon: 0, input_shape: [4])]);
        var y = model.predict(NDArray.FromFlat(new float[] { 1, 2, 3, 4, 10, 10, 10, 14 }, new Shape(2, 4)));
        var s = Math.Sqrt(1.25);
        AssertArray.Close(NDArray.FromFlat(new[] { -1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s, -1 / Math.Sqrt(3), -1 / Math.Sqrt(3), -1 / Math.Sqrt(3), Math.Sqrt(3) }
            .Select(v => (float)v).ToArray(), new Shape(2, 4)), y, 1e-5);
        Assert.Equal(new[] { "layer_normalization/gamma:0", "layer_normalization/beta:0" }, model.weights.Select(w => w.name));
    }
}
