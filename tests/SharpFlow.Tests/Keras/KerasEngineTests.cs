using SharpFlow.Keras;
using SharpFlow.Keras.Engine;
using KL = SharpFlow.Keras.Layers;

namespace SharpFlow.Tests.Keras;

/// <summary>tf.keras's engine in graph mode: names, weights, Sequential and functional models, the summary table.</summary>
public class KerasEngineTests
{
    private static string Row(string a, string b, string c) => $"{a,-29}{b,-26}{c,-10}";

    [Fact]
    public void SequentialNamesLayersAndWeightsAsKerasAndPrintsItsSummary()
    {
        using var g = TestGraph.Enter();
        var model = tf.keras.Sequential([
            tf.keras.layers.Dense(32, activation: "relu", input_shape: [784]),
            tf.keras.layers.Dropout(0.2),
            tf.keras.layers.Dense(10, activation: "softmax"),
        ]);
        Assert.Equal(new[] { "dense", "dropout", "dense_1" }, model.layers.Select(l => l.name));
        Assert.Equal(new[] { "dense/kernel:0", "dense/bias:0", "dense_1/kernel:0", "dense_1/bias:0" }, model.weights.Select(w => w.name));
        Assert.Equal("dense_input:0", model.inputs[0].name);
        Assert.Equal("dense_1/Softmax:0", model.outputs[0].name);
        Assert.Equal(new Shape(-1, 10), model.output_shape);
        var expected = string.Join("\n",
            new string('_', 65),
            Row("Layer (type)", "Output Shape", "Param #"),
            new string('=', 65),
            Row("dense (Dense)", "(None, 32)", "25120"),
            new string('_', 65),
            Row("dropout (Dropout)", "(None, 32)", "0"),
            new string('_', 65),
            Row("dense_1 (Dense)", "(None, 10)", "330"),
            new string('=', 65),
            "Total params: 25,450",
            "Trainable params: 25,450",
            "Non-trainable params: 0",
            new string('_', 65)) + "\n";
        Assert.Equal(expected, model.summary_text());
        var lines = new List<string>();
        model.summary(print_fn: lines.Add);
        Assert.Equal(expected, string.Join("\n", lines) + "\n");
    }

    [Fact]
    public void LayerNamesAreUniquePerGraphAndWeightsAreMadeOnFirstCall()
    {
        using var g = TestGraph.Enter();
        var a = new KL.Dense(3);
        var b = new KL.Dense(2);
        var conv = new KL.Conv2D(4, 3);
        Assert.Equal(("dense", "dense_1", "conv2d"), (a.name, b.name, conv.name));
        Assert.Equal("conv2d_transpose", Backend.ToSnakeCase("Conv2DTranspose"));
        Assert.Equal("global_average_pooling2d", Backend.ToSnakeCase("GlobalAveragePooling2D"));
        Assert.False(a.built);
        Assert.Empty(a.weights);
        var x = tf.keras.Input(shape: [5]);
        Assert.Equal("input_1:0", x.name);
        var y = b.Apply(a.Apply(x));
        Assert.True(a.built);
        Assert.Equal(new[] { "dense/kernel:0", "dense/bias:0" }, a.weights.Select(w => w.name));
        Assert.Equal(new Shape(5, 3), a.weights[0].shape);
        Assert.Equal(new Shape(-1, 2), y.shape);
        // A second call shares the weights and names its ops in a new scope.
        var y2 = a.Apply(tf.keras.Input(shape: [5]));
        Assert.Equal("dense_2/MatMul:0", y2.op.inputs[0].name);
        Assert.Equal(2, a.weights.Count);
        Assert.Throws<AttributeError>(() => a.output);
    }

    [Fact]
    public void FunctionalModelWithTwoInputsAndSharedLayerRunsAndPrintsConnections()
    {
        using var g = TestGraph.Enter();
        var left = tf.keras.Input(shape: [4], name: "left");
        var right = tf.keras.Input(shape: [4], name: "right");
        var shared = tf.keras.layers.Dense(3, activation: "relu", name: "shared");
        var merged = tf.keras.layers.concatenate([shared.Apply(left), shared.Apply(right)]);
        var outA = tf.keras.layers.Dense(1, activation: "sigmoid", name: "out_a").Apply(merged);
        var outB = tf.keras.layers.Dense(2, activation: "softmax", name: "out_b").Apply(merged);
        var model = tf.keras.Model([left, right], [outA, outB]);
        Assert.Equal(new[] { "left", "right", "shared", "concatenate", "out_a", "out_b" }, model.layers.Select(l => l.name));
        Assert.Equal(15 + 7 + 14, (int)model.count_params());
        var text = model.summary_text();
        var lines = text.Split('\n');
        Assert.Equal(new string('_', 98), lines[0]);
        Assert.Equal($"{"Layer (type)",-32}{"Output Shape",-21}{"Param #",-12}{"Connected to",-33}", lines[1]);
        Assert.Contains($"{"shared (Dense)",-32}{"(None, 3)",-21}{"15",-12}{"left[0][0]",-33}", lines);
        Assert.Contains($"{"",-32}{"",-21}{"",-12}{"right[0][0]",-33}", lines);
        Assert.Contains($"{"concatenate (Concatenate)",-32}{"(None, 6)",-21}{"0",-12}{"shared[0][0]",-33}", lines);
        Assert.Contains($"{"",-32}{"",-21}{"",-12}{"shared[1][0]",-33}", lines);
        Assert.Contains("Total params: 36", text);

        // The model is itself a layer: called on new inputs it reuses its weights.
        var a2 = tf.keras.Input(shape: [4]);
        var b2 = tf.keras.Input(shape: [4]);
        var outs = model.Apply([a2, b2]);
        Assert.Equal(2, outs.Length);
        var outer = tf.keras.Model([a2, b2], outs);
        Assert.Equal(model.weights.Select(w => w.name), outer.weights.Select(w => w.name));

        var xa = NDArray.FromFlat(Enumerable.Range(0, 32).Select(i => (float)Math.Sin(i)).ToArray(), new Shape(8, 4));
        var xb = NDArray.FromFlat(Enumerable.Range(0, 32).Select(i => (float)Math.Cos(i)).ToArray(), new Shape(8, 4));
        var p1 = model.predict([xa, xb]);
        var p2 = outer.predict([xa, xb]);
        AssertArray.Close(p1[0], p2[0]);
        AssertArray.Close(p1[1], p2[1]);
        Assert.Equal(new Shape(8, 1), p1[0].shape);
    }

    private sealed class TwoLayerModel : Model
    {
        private readonly KL.Dense _hidden = new(4, activation: "relu");
        private readonly KL.Dense _out = new(2, activation: "softmax");

        public override Tensor call(Tensor inputs) => _out.Apply(_hidden.Apply(inputs));
    }

    [Fact]
    public void SubclassedModelTracksItsLayersAndTrains()
    {
        using var g = TestGraph.Enter();
        tf.set_random_seed(1);
        var model = new TwoLayerModel();
        model.compile("sgd", "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        var x = NDArray.FromFlat(Enumerable.Range(0, 60).Select(i => (float)(i % 7) / 7).ToArray(), new Shape(20, 3));
        var y = NDArray.FromFlat(Enumerable.Range(0, 20).Select(i => i % 2).ToArray(), new Shape(20));
        var h = model.fit(x, y, epochs: 2, batch_size: 5, verbose: 0);
        Assert.Equal(new[] { "loss", "acc" }, h.history.Keys);
        Assert.Equal(2, h.history["loss"].Count);
        Assert.Equal(4, model.weights.Count);
        Assert.Equal("two_layer_model", model.name);
        Assert.Equal(new[] { "loss", "acc" }, model.metrics_names);
    }

    [Fact]
    public void SetWeightsChecksShapesAndGetWeightsReadsTheSession()
    {
        using var g = TestGraph.Enter();
        var layer = new KL.Dense(2, input_shape: [3]);
        var model = tf.keras.Sequential([layer]);
        var kernel = NDArray.FromFlat(new float[] { 1, 2, 3, 4, 5, 6 }, new Shape(3, 2));
        layer.set_weights([kernel, NDArray.FromFlat(new float[] { 0.5f, -0.5f }, new Shape(2))]);
        AssertArray.Close(kernel, layer.get_weights()[0]);
        var e = Assert.Throws<ValueError>(() => layer.set_weights([kernel]));
        Assert.Contains("was expecting 2 weights", e.Message);
        var e2 = Assert.Throws<ValueError>(() => layer.set_weights([kernel, kernel]));
        Assert.Equal("Layer weight shape (2,) not compatible with provided weight shape (3, 2)", e2.Message);
        var p = model.predict(NDArray.FromFlat(new float[] { 1, 1, 1 }, new Shape(1, 3)));
        AssertArray.Close(NDArray.FromFlat(new float[] { 9.5f, 11.5f }, new Shape(1, 2)), p);
    }

    [Fact]
    public void ConvolutionalSequentialHasLeNetParameterCounts()
    {
        using var g = TestGraph.Enter();
        var model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(6, 5, padding: "same", activation: "relu", input_shape: [28, 28, 1]),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(16, 5, activation: "relu"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(120, activation: "relu"),
            tf.keras.layers.Dense(84, activation: "relu"),
            tf.keras.layers.Dense(10, activation: "softmax"),
        ]);
        Assert.Equal(61706, model.count_params());
        Assert.Equal(new[] { "conv2d/kernel:0", "conv2d/bias:0", "conv2d_1/kernel:0" }, model.weights.Take(3).Select(w => w.name));
        Assert.Equal(new Shape(-1, 5, 5, 16), model.layers[3].output_shape);
        Assert.Equal(new Shape(-1, 400), model.layers[4].output_shape);
        Assert.Contains(Row("max_pooling2d (MaxPooling2D)", "(None, 14, 14, 6)", "0"), model.summary_text());
    }

    [Fact]
    public void OtherLayersComputeKerasValues()
    {
        using var g = TestGraph.Enter();
        var x = tf.keras.Input(shape: [2, 2, 1]);
        var up = tf.keras.layers.UpSampling2D(2).Apply(x);
        var pad = tf.keras.layers.ZeroPadding2D(1).Apply(x);
        var gap = tf.keras.layers.GlobalAveragePooling2D().Apply(x);
        var model = tf.keras.Model([x], [up, pad, gap]);
        var input = NDArray.FromFlat(new float[] { 1, 2, 3, 4 }, new Shape(1, 2, 2, 1));
        var outs = model.predict([input]);
        Assert.Equal(new Shape(1, 4, 4, 1), outs[0].shape);
        Assert.Equal(new float[] { 1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4 }, outs[0].ToArray<float>());
        Assert.Equal(new Shape(1, 4, 4, 1), outs[1].shape);
        Assert.Equal(2.5f, outs[2].ToArray<float>()[0]);

        var ids = tf.keras.Input(shape: [3], dtype: tf.int32);
        var emb = new KL.Embedding(10, 4);
        var e = emb.Apply(ids);
        Assert.Equal(new Shape(-1, 3, 4), e.shape);
        Assert.Equal("embedding/embeddings:0", emb.weights[0].name);
    }

    [Fact]
    public void UtilsMatchKeras()
    {
        var hot = KerasUtils.to_categorical(NDArray.FromFlat(new[] { 0, 2, 1 }, new Shape(3)), 3);
        Assert.Equal(new float[] { 1, 0, 0, 0, 0, 1, 0, 1, 0 }, hot.ToArray<float>());
        Assert.Equal(new Shape(3, 3), hot.shape);
        var padded = KerasUtils.pad_sequences([[1, 2, 3], [4], [5, 6, 7, 8, 9]], maxlen: 4);
        Assert.Equal(new[] { 0, 1, 2, 3, 0, 0, 0, 4, 6, 7, 8, 9 }, padded.ToArray<int>());
        var post = KerasUtils.pad_sequences([[1, 2, 3], [5, 6, 7, 8, 9]], maxlen: 4, padding: "post", truncating: "post");
        Assert.Equal(new[] { 1, 2, 3, 0, 5, 6, 7, 8 }, post.ToArray<int>());
        var ((xTrain, yTrain), (xTest, _)) = Datasets.fashion_mnist_load_data();
        Assert.Equal(DType.uint8, xTrain.dtype);
        Assert.Equal(3, xTrain.ndim);
        Assert.Equal(new[] { 28, 28 }, xTrain.shape.Dims[1..]);
        Assert.Equal(xTrain.shape[0], yTrain.shape[0]);
        Assert.Equal(DType.uint8, xTest.dtype);
    }
}
