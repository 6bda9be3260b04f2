using System.Security.Cryptography;
using SharpFlow.Onnx;
using SharpFlow.Train;
using static SharpFlow.Binding;

namespace SharpFlow.Cli.Transfer;

/// <summary>
/// Seed §42's "bottleneck" features: grey 28×28 images made RGB, resized to 224×224, scaled to 0..255, run through
/// ResNet18's own preprocessing model and the pretrained ResNet18 (both imported from ONNX, frozen), giving the
/// 512 values of its global average pool per image. Computed features are cached in a safetensors file named by a
/// hash of the images, so a second run reads them back.
/// </summary>
internal sealed class Bottleneck : IDisposable
{
    public const int Size = 512;
    private const int BatchSize = 32;

    private readonly Session _session;
    private readonly Tensor _images;
    private readonly Tensor _features;

    private Bottleneck(Session session, Tensor images, Tensor features)
    {
        _session = session;
        _images = images;
        _features = features;
    }

    /// <summary>Where the NuGet package's models are copied next to the command.</summary>
    public static string DefaultModelDirectory => Path.Combine(AppContext.BaseDirectory, "DnnImageModels");

    /// <summary>Imports the preprocessing model and ResNet18 from <paramref name="modelDirectory"/> into a new graph.</summary>
    public static Bottleneck Create(string modelDirectory, int pixels)
    {
        var resnet = Path.Combine(modelDirectory, "ResNet18Onnx", "ResNet18.onnx");
        var preprocess = Path.Combine(modelDirectory, "ResNetPrepOnnx", "ResNetPreprocess.onnx");
        foreach (var file in new[] { resnet, preprocess })
            if (!File.Exists(file)) throw new NotFoundError($"{file} does not exist (the pretrained ResNet18 of the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18)");
        var side = (int)Math.Round(Math.Sqrt(pixels));
        if (side * side != pixels) throw new InvalidArgumentError($"transfer needs square grey images, got {pixels} pixels");
        var graph = new Graph();
        Tensor images, features;
        using (graph.as_default())
        {
            images = tf.placeholder(tf.float32, new Shape(-1, pixels), name: "images");
            var rgb = tf.image.grayscale_to_rgb(tf.reshape(images, new[] { -1, side, side, 1 }));
            var large = tf.image.resize_images(rgb, [224, 224]) * 255f;
            var prep = OnnxModel.Load(preprocess).Import(new OnnxImportOptions { Nhwc = true, Name = "preprocess", InputMap = new Dictionary<string, Tensor> { ["OriginalInput"] = large } });
            var net = OnnxModel.Load(resnet).Import(new OnnxImportOptions { Nhwc = true, Name = "resnet18", InputMap = new Dictionary<string, Tensor> { ["Input247"] = prep.Outputs["PreprocessedInput"] } });
            features = tf.reshape(net.Outputs["Pooling395_Output_0"], new[] { -1, Size }, name: "bottleneck");
        }
        return new Bottleneck(new Session(graph), images, features);
    }

    /// <summary>
    /// The features of <paramref name="images"/> ([N, pixels]), read from <paramref name="cacheDirectory"/> when
    /// computed before; <paramref name="progress"/> hears (done, total, from cache).
    /// </summary>
    public NDArray Features(NDArray images, string cacheDirectory, Action<int, int, bool> progress)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(images.AsReadOnlySpan<float>())))[..16];
        var file = Path.Combine(cacheDirectory, $"resnet18-bottleneck-{images.shape[0]}-{key}.safetensors");
        if (File.Exists(file))
        {
            var cached = SafeTensors.Read(file).Tensors;
            if (cached.TryGetValue("features", out var value) && value.shape == new Shape(images.shape[0], Size))
            {
                progress(images.shape[0], images.shape[0], true);
                return value;
            }
        }
        var n = images.shape[0];
        var pixels = images.shape[1];
        var all = new float[n * Size];
        var source = images.AsReadOnlySpan<float>();
        for (var start = 0; start < n; start += BatchSize)
        {
            var count = Math.Min(BatchSize, n - start);
            var batch = NDArray.FromFlat(source.Slice(start * pixels, count * pixels).ToArray(), new Shape(count, pixels));
            _session.run(_features, new FeedDict { [_images] = batch }).AsReadOnlySpan<float>().CopyTo(all.AsSpan(start * Size));
            progress(start + count, n, false);
        }
        var result = NDArray.FromFlat(all, new Shape(n, Size));
        Directory.CreateDirectory(cacheDirectory);
        SafeTensors.Write(file, new Dictionary<string, NDArray> { ["features"] = result }, new Dictionary<string, string> { ["model"] = "ResNet18 (Microsoft.ML.DnnImageFeaturizer.ResNet18)" });
        return result;
    }

    public void Dispose() => _session.Dispose();
}
