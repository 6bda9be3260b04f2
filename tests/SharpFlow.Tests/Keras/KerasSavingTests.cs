using System.Text.Json;
using SharpFlow.Checkpoints;
using SharpFlow.Keras.Engine;

namespace SharpFlow.Tests.Keras;

/// <summary>model.save / load_model, save_weights / load_weights in TensorFlow's checkpoint format, to_json / model_from_json.</summary>
public sealed class KerasSavingTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sharpflow-keras-save-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    private static NDArray Random(int seed, params int[] shape)
    {
        var r = new Random(seed);
        var n = shape.Aggregate(1, (a, b) => a * b);
        return NDArray.FromFlat(Enumerable.Range(0, n).Select(_ => (float)r.NextDouble()).ToArray(), new Shape(shape));
    }

    private static NDArray Labels(int seed, int n, int classes)
    {
        var r = new Random(seed);
        return NDArray.FromFlat(Enumerable.Range(0, n).Select(_ => r.Next(classes)).ToArray(), new Shape(n));
    }

    [Fact]
    public void ASavedSequentialCnnLoadsInAFreshGraphWithIdenticalPredictionsAndItsCompileConfig()
    {
        var x = Random(1, 16, 8, 8, 1);
        var y = Labels(2, 16, 3);
        NDArray expected;
        string json;
        var path = Path.Combine(_dir, "cnn");
        using (TestGraph.Enter())
        {
            tf.set_random_seed(1);
            var model = tf.keras.Sequential([
                tf.keras.layers.Conv2D(4, (3, 3), activation: "relu", input_shape: [8, 8, 1]),
                tf.keras.layers.MaxPooling2D(),
                tf.keras.layers.Flatten(),
                tf.keras.layers.Dropout(0.25),
                tf.keras.layers.Dense(3, activation: "softmax", kernel_regularizer: tf.keras.regularizers.l2(0.001)),
            ]);
            model.compile(tf.keras.optimizers.Adam(lr: 0.01, beta_1: 0.8), "sparse_categorical_crossentropy", metrics: ["accuracy"]);
            model.fit(x, y, batch_size: 8, epochs: 2, verbose: 0);
            expected = model.predict(x);
            json = model.to_json();
            model.save(path);
        }
        Assert.True(File.Exists(Path.Combine(path, "keras_model.json")));
        Assert.True(File.Exists(Path.Combine(path, "variables", "variables.index")));
        using (TestGraph.Enter())
        {
            var loaded = tf.keras.models.load_model(path);
            Assert.Equal(new[] { "conv2d", "max_pooling2d", "flatten", "dropout", "dense" }, loaded.layers.Select(l => l.name));
            AssertArray.Close(expected, loaded.predict(x), 0);
            Assert.Equal(json, loaded.to_json());
            // Compiled from the training config: Adam with beta_1 0.8, the loss and the metric.
            Assert.IsType<SharpFlow.Keras.Adam>(loaded.optimizer);
            var scores = loaded.evaluate(x, y, verbose: 0);
            Assert.Equal(new[] { "loss", "acc" }, loaded.metrics_names);
            Assert.Equal(2, scores.Length);
            loaded.fit(x, y, batch_size: 8, epochs: 1, verbose: 0);
        }
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("Sequential", root.GetProperty("class_name").GetString());
        Assert.Equal("tensorflow", root.GetProperty("backend").GetString());
        Assert.StartsWith("2.", root.GetProperty("keras_version").GetString());
        var layers = root.GetProperty("config").GetProperty("layers");
        Assert.Equal(5, layers.GetArrayLength());
        var conv = layers[0];
        Assert.Equal("Conv2D", conv.GetProperty("class_name").GetString());
        var convConfig = conv.GetProperty("config");
        Assert.Equal(4, convConfig.GetProperty("filters").GetInt32());
        Assert.Equal("[3,3]", convConfig.GetProperty("kernel_size").GetRawText());
        Assert.Equal("relu", convConfig.GetProperty("activation").GetString());
        Assert.Equal("[null,8,8,1]", convConfig.GetProperty("batch_input_shape").GetRawText());
        Assert.Equal("GlorotUniform", convConfig.GetProperty("kernel_initializer").GetProperty("class_name").GetString());
        var dense = layers[4].GetProperty("config");
        Assert.Equal(3, dense.GetProperty("units").GetInt32());
        Assert.Equal("L1L2", dense.GetProperty("kernel_regularizer").GetProperty("class_name").GetString());
        Assert.Equal(0.001, dense.GetProperty("kernel_regularizer").GetProperty("config").GetProperty("l2").GetDouble(), 1e-9);
        Assert.Equal(0.25, layers[3].GetProperty("config").GetProperty("rate").GetDouble());
    }

    [Fact]
    public void AFunctionalModelWithASharedLayerRoundTripsThroughJsonAndItsWeights()
    {
        var a = Random(3, 5, 6);
        var b = Random(4, 5, 6);
        NDArray[] expected;
        string json;
        var weights = Path.Combine(_dir, "functional", "weights");
        using (TestGraph.Enter())
        {
            var left = tf.keras.Input(shape: [6], name: "left");
            var right = tf.keras.Input(shape: [6], name: "right");
            var shared = tf.keras.layers.Dense(4, activation: "tanh", name: "shared");
            var merged = tf.keras.layers.concatenate([shared.Apply(left), shared.Apply(right)]);
            var cls = tf.keras.layers.Dense(3, activation: "softmax", name: "cls").Apply(merged);
            var reg = tf.keras.layers.Dense(1, name: "reg").Apply(tf.keras.layers.Add().Apply([shared.Apply(left), shared.Apply(right)])[0]);
            var model = tf.keras.Model([left, right], [cls, reg]);
            expected = model.predict([a, b]);
            json = model.to_json();
            model.save_weights(weights);
        }
        // The checkpoint is a TensorFlow checkpoint keyed by variable names.
        var reader = new CheckpointReader(weights);
        Assert.Equal(new[] { "cls/bias", "cls/kernel", "reg/bias", "reg/kernel", "shared/bias", "shared/kernel" }, reader.Names.Order(StringComparer.Ordinal));
        using (TestGraph.Enter())
        {
            var rebuilt = tf.keras.models.model_from_json(json);
            rebuilt.load_weights(weights);
            var got = rebuilt.predict([a, b]);
            AssertArray.Close(expected[0], got[0], 0);
            AssertArray.Close(expected[1], got[1], 0);
            Assert.Equal(json, rebuilt.to_json());
        }
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("Model", root.GetProperty("class_name").GetString());
        var config = root.GetProperty("config");
        Assert.Equal("[[\"left\",0,0],[\"right\",0,0]]", config.GetProperty("input_layers").GetRawText());
        Assert.Equal("[[\"cls\",0,0],[\"reg\",0,0]]", config.GetProperty("output_layers").GetRawText());
        var layers = config.GetProperty("layers").EnumerateArray().ToDictionary(l => l.GetProperty("name").GetString()!);
        Assert.Equal("InputLayer", layers["left"].GetProperty("class_name").GetString());
        Assert.Equal(0, layers["left"].GetProperty("inbound_nodes").GetArrayLength());
        // The shared layer was called four times: four nodes, one on each input, twice.
        Assert.Equal("[[[\"left\",0,0,{}]],[[\"right\",0,0,{}]],[[\"left\",0,0,{}]],[[\"right\",0,0,{}]]]", layers["shared"].GetProperty("inbound_nodes").GetRawText());
        Assert.Equal("[[[\"shared\",0,0,{}],[\"shared\",1,0,{}]]]", layers["concatenate"].GetProperty("inbound_nodes").GetRawText());
        Assert.Equal("[[[\"shared\",2,0,{}],[\"shared\",3,0,{}]]]", layers["add"].GetProperty("inbound_nodes").GetRawText());
    }

    [Fact]
    public void RecurrentModelsRoundTripWithMasksBidirectionalAndTimeDistributed()
    {
        var ids = NDArray.FromFlat(new[] { 0, 0, 3, 1, 2, 4, 2, 1, 0, 3 }, new Shape(2, 5));
        NDArray expected;
        string json;
        var path = Path.Combine(_dir, "rnn");
        using (TestGraph.Enter())
        {
            var model = tf.keras.Sequential([
                tf.keras.layers.Embedding(5, 3, mask_zero: true, input_length: 5),
                tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(4, return_sequences: true), merge_mode: "sum"),
                tf.keras.layers.GRU(3, return_sequences: true, go_backwards: true, reset_after: true),
                tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(2)),
                tf.keras.layers.SimpleRNN(2),
            ]);
            expected = model.predict(ids);
            json = model.to_json();
            model.save(path);
        }
        using (TestGraph.Enter())
        {
            var loaded = tf.keras.models.load_model(path);
            Assert.Equal(new[] { "embedding", "bidirectional", "gru", "time_distributed", "simple_rnn" }, loaded.layers.Select(l => l.name));
            Assert.Contains("bidirectional/forward_lstm/kernel:0", loaded.weights.Select(w => w.name));
            AssertArray.Close(expected, loaded.predict(ids), 0);
            Assert.Equal(json, loaded.to_json());
        }
        using var doc = JsonDocument.Parse(json);
        var layers = doc.RootElement.GetProperty("config").GetProperty("layers");
        Assert.True(layers[0].GetProperty("config").GetProperty("mask_zero").GetBoolean());
        var bi = layers[1].GetProperty("config");
        Assert.Equal("sum", bi.GetProperty("merge_mode").GetString());
        Assert.Equal("LSTM", bi.GetProperty("layer").GetProperty("class_name").GetString());
        Assert.Equal("hard_sigmoid", bi.GetProperty("layer").GetProperty("config").GetProperty("recurrent_activation").GetString());
        Assert.Equal("Orthogonal", bi.GetProperty("layer").GetProperty("config").GetProperty("recurrent_initializer").GetProperty("class_name").GetString());
        Assert.True(layers[2].GetProperty("config").GetProperty("reset_after").GetBoolean());
        Assert.Equal("Dense", layers[3].GetProperty("config").GetProperty("layer").GetProperty("class_name").GetString());
    }

    [Fact]
    public void LambdaAndMissingWeightsAreRefusedClearly()
    {
        using var g = TestGraph.Enter();
        var model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape: [3])]);
        Assert.Throws<IOException>(() => tf.keras.models.load_model(Path.Combine(_dir, "m.h5")));
        var withLambda = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape: [3]), tf.keras.layers.Lambda(t => t * 2)]);
        var ex = Assert.Throws<NotImplementedException>(() => withLambda.to_json());
        Assert.Contains("is a Lambda layer", ex.Message);
        var weights = Path.Combine(_dir, "w");
        model.save_weights(weights);
        var other = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape: [3])]); // dense_1 in the same graph
        var nf = Assert.Throws<NotFoundError>(() => other.load_weights(weights));
        Assert.Matches(@"Key dense_\d/kernel not found in checkpoint", nf.Message);
        Assert.Throws<IOException>(() => tf.keras.models.load_model(Path.Combine(_dir, "nothing")));
    }
}
