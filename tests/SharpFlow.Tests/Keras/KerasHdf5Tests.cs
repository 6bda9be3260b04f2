using System.Diagnostics;
using System.Text.Json;
using SharpFlow.Keras.Engine;

namespace SharpFlow.Tests.Keras;

/// <summary>
/// Keras's HDF5 files (PureHDF): save_weights / load_weights and save / load_model with .h5, round trips, by_name,
/// Keras's error texts, a golden file written by h5py in Keras's layout, and SharpFlow's file read back by h5py.
/// </summary>
public sealed class KerasHdf5Tests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sharpflow-keras-h5-" + Guid.NewGuid().ToString("N"));

    public KerasHdf5Tests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    private static NDArray Random(int seed, params int[] shape)
    {
        var r = new Random(seed);
        var n = shape.Aggregate(1, (a, b) => a * b);
        return NDArray.FromFlat(Enumerable.Range(0, n).Select(_ => (float)r.NextDouble() - 0.5f).ToArray(), new Shape(shape));
    }

    private static Sequential Mlp(int seed)
    {
        tf.set_random_seed(seed);
        return tf.keras.Sequential([
            tf.keras.layers.Dense(3, activation: "relu", input_shape: [4]),
            tf.keras.layers.Dropout(0.5),
            tf.keras.layers.Dense(2, name: "out"),
        ]);
    }

    private static void AssertBitwise(List<NDArray> expected, List<NDArray> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].shape, actual[i].shape);
            Assert.Equal(expected[i].ToArray<float>(), actual[i].ToArray<float>());
        }
    }

    [Fact]
    public void SequentialWeightsRoundTripBitwiseThroughAnH5File()
    {
        var x = Random(3, 5, 4);
        var path = Path.Combine(_dir, "w.h5");
        List<NDArray> saved;
        NDArray expected;
        using (TestGraph.Enter())
        {
            var model = Mlp(1);
            saved = model.get_weights();
            expected = model.predict(x);
            model.save_weights(path);
        }
        var head = File.ReadAllBytes(path).Take(8).ToArray();
        Assert.Equal(new byte[] { 0x89, (byte)'H', (byte)'D', (byte)'F', 13, 10, 0x1a, 10 }, head);
        using (TestGraph.Enter())
        {
            var model = Mlp(7);
            Assert.NotEqual(saved[0].ToArray<float>(), model.get_weights()[0].ToArray<float>());
            model.load_weights(path);
            AssertBitwise(saved, model.get_weights());
            AssertArray.Close(expected, model.predict(x), 0);
        }
    }

    [Fact]
    public void SaveFormatH5WithoutAnExtensionWritesHdf5AndLoadWeightsRecognisesItsSignature()
    {
        var path = Path.Combine(_dir, "weights");
        List<NDArray> saved;
        using (TestGraph.Enter())
        {
            var model = Mlp(1);
            saved = model.get_weights();
            model.save_weights(path, save_format: "h5");
            Assert.Throws<ValueError>(() => model.save_weights(path, overwrite: false, save_format: "h5"));
            var bad = Assert.Throws<ValueError>(() => model.save_weights(path, save_format: "hdf"));
            Assert.Contains("Unknown format \"hdf\"", bad.Message);
        }
        Assert.True(File.Exists(path));
        Assert.False(File.Exists(path + ".index"));
        using (TestGraph.Enter())
        {
            var model = Mlp(2);
            model.load_weights(path);
            AssertBitwise(saved, model.get_weights());
        }
    }

    [Fact]
    public void AFunctionalModelSavesToH5AndLoadModelRebuildsItWithWeightsAndCompileConfig()
    {
        var x = Random(5, 16, 4);
        var y = NDArray.FromFlat(Enumerable.Range(0, 16).Select(i => i % 3).ToArray(), new Shape(16));
        var path = Path.Combine(_dir, "sub", "m.h5");
        NDArray expected;
        List<NDArray> saved;
        string json;
        using (TestGraph.Enter())
        {
            tf.set_random_seed(3);
            var input = tf.keras.Input(shape: [4], name: "features");
            var hidden = tf.keras.layers.Dense(8, activation: "tanh", name: "hidden").Apply(input);
            var output = tf.keras.layers.Dense(3, activation: "softmax", name: "probs").Apply(hidden);
            var model = tf.keras.Model(input, output);
            model.compile(tf.keras.optimizers.Adam(lr: 0.01, beta_1: 0.8), "sparse_categorical_crossentropy", metrics: ["accuracy"]);
            model.fit(x, y, batch_size: 8, epochs: 2, verbose: 0);
            expected = model.predict(x);
            saved = model.get_weights();
            json = model.to_json();
            model.save(path);
        }
        using (TestGraph.Enter())
        {
            var loaded = tf.keras.models.load_model(path);
            Assert.Equal(new[] { "features", "hidden", "probs" }, loaded.layers.Select(l => l.name));
            Assert.Equal(json, loaded.to_json());
            AssertBitwise(saved, loaded.get_weights());
            AssertArray.Close(expected, loaded.predict(x), 0);
            Assert.IsType<SharpFlow.Keras.Adam>(loaded.optimizer);
            Assert.Equal(new[] { "loss", "acc" }, loaded.metrics_names);
            loaded.fit(x, y, batch_size: 8, epochs: 1, verbose: 0);
        }
        using (TestGraph.Enter())
        {
            // load_model(compile: false) leaves it uncompiled; load_weights reads a whole-model file's model_weights group.
            var uncompiled = tf.keras.models.load_model(path, compile: false);
            Assert.Null(uncompiled.optimizer);
            var input = tf.keras.Input(shape: [4]);
            var other = tf.keras.Model(input, tf.keras.layers.Dense(3, activation: "softmax").Apply(tf.keras.layers.Dense(8, activation: "tanh").Apply(input)));
            other.load_weights(path);
            AssertBitwise(saved, other.get_weights());
        }
    }

    [Fact]
    public void ByNameLoadsTheLayersWithTheSameNameOnly()
    {
        var path = Path.Combine(_dir, "w.h5");
        List<NDArray> saved;
        using (TestGraph.Enter())
        {
            var model = Mlp(1);
            saved = model.get_weights();
            model.save_weights(path);
        }
        using (TestGraph.Enter())
        {
            tf.set_random_seed(9);
            var model = tf.keras.Sequential([
                tf.keras.layers.Dense(3, input_shape: [4], name: "other"),
                tf.keras.layers.Dense(2, name: "out"),
                tf.keras.layers.Dense(5, name: "extra"),
            ]);
            var before = model.get_weights();
            model.load_weights(path, by_name: true);
            var after = model.get_weights();
            Assert.Equal(before[0].ToArray<float>(), after[0].ToArray<float>()); // "other" is not in the file
            Assert.Equal(saved[2].ToArray<float>(), after[2].ToArray<float>());  // out/kernel
            Assert.Equal(saved[3].ToArray<float>(), after[3].ToArray<float>());  // out/bias
            Assert.Equal(before[4].ToArray<float>(), after[4].ToArray<float>());
            // By order, three layers with weights do not fit a file with two.
            var ex = Assert.Throws<ValueError>(() => model.load_weights(path));
            Assert.Equal("You are trying to load a weight file containing 2 layers into a model with 3 layers.", ex.Message);
        }
        using (TestGraph.Enter())
        {
            var model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape: [3], name: "out", use_bias: false)]);
            var ex = Assert.Throws<ValueError>(() => model.load_weights(path, by_name: true));
            Assert.Equal("Layer #2 (named \"out\") expects 1 weight(s), but the saved weights have 2 element(s).", ex.Message);
            model.load_weights(path, by_name: true, skip_mismatch: true);
            var wide = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape: [5], name: "out")]);
            ex = Assert.Throws<ValueError>(() => wide.load_weights(path, by_name: true));
            Assert.StartsWith("Layer #2 (named \"out\"), weight ", ex.Message);
            Assert.EndsWith("has shape (5, 2), but the saved weight has shape (3, 2).", ex.Message);
            Assert.Throws<ValueError>(() => wide.load_weights(path, skip_mismatch: true));
        }
    }

    [Fact]
    public void LoadingByOrderNamesTheMismatchedLayerAndShape()
    {
        var path = Path.Combine(_dir, "w.h5");
        using (TestGraph.Enter()) Mlp(1).save_weights(path);
        using (TestGraph.Enter())
        {
            var one = tf.keras.Sequential([tf.keras.layers.Dense(3, input_shape: [4])]);
            var ex = Assert.Throws<ValueError>(() => one.load_weights(path));
            Assert.Equal("You are trying to load a weight file containing 2 layers into a model with 1 layers.", ex.Message);
            var noBias = tf.keras.Sequential([tf.keras.layers.Dense(3, input_shape: [4], use_bias: false), tf.keras.layers.Dense(2)]);
            ex = Assert.Throws<ValueError>(() => noBias.load_weights(path));
            Assert.Equal("Layer #0 (named \"dense_1\" in the current model) was found to correspond to layer dense in the save file. "
                + "However the new layer dense_1 expects 1 weights, but the saved weights have 2 elements.", ex.Message);
            var wide = tf.keras.Sequential([tf.keras.layers.Dense(4, input_shape: [4]), tf.keras.layers.Dense(2)]);
            var shape = Assert.Throws<InvalidArgumentError>(() => wide.load_weights(path));
            Assert.StartsWith($"Assign requires shapes of both tensors to match. lhs shape= {new Shape(4, 4)} rhs shape= {new Shape(4, 3)}", shape.Message);
            Assert.Throws<IOException>(() => wide.load_weights(Path.Combine(_dir, "missing.h5")));
        }
    }

    private static string GoldenPath(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "SharpFlow.Tests", "Golden", file);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"tests/SharpFlow.Tests/Golden/{file} was not found in the repository");
    }

    private static float[] Formula(int n, double start, double step) => [.. Enumerable.Range(0, n).Select(i => (float)(i * step + start))];

    [Fact]
    public void AFileWrittenByH5pyInKerasLayoutLoadsWithItsValues()
    {
        // tools/golden/generate-keras-h5.py: fixed-length byte-string attributes and an empty float64 weight_names, as Keras writes them.
        using var g = TestGraph.Enter();
        var model = Mlp(4);
        model.load_weights(GoldenPath("keras_weights.h5"));
        var w = model.get_weights();
        Assert.Equal(new Shape(4, 3), w[0].shape);
        Assert.Equal(Formula(12, -1.5, 0.25), w[0].ToArray<float>());
        Assert.Equal(Formula(3, 0.125, 0.5), w[1].ToArray<float>());
        Assert.Equal(Formula(6, 8.5, 0.25), w[2].ToArray<float>());
        Assert.Equal(Formula(2, 10.125, 0.5), w[3].ToArray<float>());
        // The prediction against a plain loop: relu(x W0 + b0) W1 + b1.
        var x = Random(11, 2, 4);
        var xs = x.ToArray<float>();
        var got = model.predict(x).ToArray<float>();
        var (k0, b0, k1, b1) = (w[0].ToArray<float>(), w[1].ToArray<float>(), w[2].ToArray<float>(), w[3].ToArray<float>());
        for (var r = 0; r < 2; r++)
        {
            var h = new double[3];
            for (var j = 0; j < 3; j++)
            {
                double s = b0[j];
                for (var i = 0; i < 4; i++) s += xs[r * 4 + i] * k0[i * 3 + j];
                h[j] = Math.Max(0, s);
            }
            for (var j = 0; j < 2; j++)
            {
                double s = b1[j];
                for (var i = 0; i < 3; i++) s += h[i] * k1[i * 2 + j];
                Assert.Equal(s, got[r * 2 + j], 1e-4);
            }
        }
        // By name, too: the file's "out" goes to the layer named out.
        using var g2 = TestGraph.Enter();
        var single = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape: [3], name: "out")]);
        single.load_weights(GoldenPath("keras_weights.h5"), by_name: true);
        Assert.Equal(Formula(2, 10.125, 0.5), single.get_weights()[1].ToArray<float>());
    }

    private static readonly Lazy<string?> PythonWithH5py = new(() =>
    {
        // Debian's python3-h5py installs into the system python3, which a PATH python (pyenv, venv) may not be.
        foreach (var python in new[] { "python3", "/usr/bin/python3" })
        {
            try
            {
                using var p = Process.Start(new ProcessStartInfo(python, ["-c", "import h5py"]) { RedirectStandardError = true, RedirectStandardOutput = true });
                if (p is null) continue;
                p.WaitForExit();
                if (p.ExitCode == 0) return python;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // not installed: try the next
            }
        }
        return null;
    });

    private const string H5pyDump = """
import h5py, json, sys
def s(v):
    return v.decode("utf8") if isinstance(v, bytes) else str(v)
f = h5py.File(sys.argv[1], "r")
out = {"root": {k: s(f.attrs[k]) for k in f.attrs if k not in ("layer_names",)}}
g = f["model_weights"] if "model_weights" in f else f
out["layer_names"] = [s(n) for n in g.attrs["layer_names"]]
out["backend"] = s(g.attrs["backend"])
out["keras_version"] = s(g.attrs["keras_version"])
out["layers"] = {}
for name in out["layer_names"]:
    names = [s(n) for n in g[name].attrs["weight_names"]]
    out["layers"][name] = {n: {"shape": list(g[name][n].shape), "dtype": str(g[name][n].dtype), "values": [float(v) for v in g[name][n][()].ravel()]} for n in names}
print(json.dumps(out))
""";

    [SkippableFact]
    public void H5pyReadsSharpFlowsFileInKerasLayout()
    {
        Skip.If(PythonWithH5py.Value is null, "h5py is not installed (apt-get install python3-h5py): the independent HDF5 check is skipped");
        var path = Path.Combine(_dir, "m.h5");
        List<NDArray> saved;
        string json;
        using (TestGraph.Enter())
        {
            var model = Mlp(1);
            model.compile("sgd", "mean_squared_error");
            saved = model.get_weights();
            json = model.to_json();
            model.save(path);
        }
        var start = new ProcessStartInfo(PythonWithH5py.Value!, ["-c", H5pyDump, path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(new[] { "dense", "dropout", "out" }, root.GetProperty("layer_names").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("tensorflow", root.GetProperty("backend").GetString());
        Assert.Equal("2.2.4-tf", root.GetProperty("keras_version").GetString());
        var attrs = root.GetProperty("root");
        Assert.Equal(json, attrs.GetProperty("model_config").GetString());
        Assert.Equal("tensorflow", attrs.GetProperty("backend").GetString());
        using var training = JsonDocument.Parse(attrs.GetProperty("training_config").GetString()!);
        Assert.Equal("mean_squared_error", training.RootElement.GetProperty("loss").GetString());
        Assert.Equal("SGD", training.RootElement.GetProperty("optimizer_config").GetProperty("class_name").GetString());
        var layers = root.GetProperty("layers");
        Assert.Empty(layers.GetProperty("dropout").EnumerateObject());
        var dense = layers.GetProperty("dense");
        Assert.Equal(new[] { "dense/kernel:0", "dense/bias:0" }, dense.EnumerateObject().Select(o => o.Name));
        var kernel = dense.GetProperty("dense/kernel:0");
        Assert.Equal("[4,3]", kernel.GetProperty("shape").GetRawText().Replace(" ", ""));
        Assert.Equal("float32", kernel.GetProperty("dtype").GetString());
        Assert.Equal(saved[0].ToArray<float>(), kernel.GetProperty("values").EnumerateArray().Select(v => (float)v.GetDouble()));
        var outBias = layers.GetProperty("out").GetProperty("out/bias:0");
        Assert.Equal(saved[3].ToArray<float>(), outBias.GetProperty("values").EnumerateArray().Select(v => (float)v.GetDouble()));
    }
}
