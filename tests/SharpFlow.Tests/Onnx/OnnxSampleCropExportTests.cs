using Microsoft.ML.OnnxRuntime;
using SharpFlow.Onnx;
using SharpFlow.Onnx.Proto;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// SampleDistortedBoundingBoxV2 exported as an ONNX Loop of RandomUniform draws, run in ONNX Runtime. The crops
/// cannot be SharpFlow's draws, so each test checks every crop of many runs against the op's contract (the checker
/// below, itself run on SharpFlow's crops): begin + size inside the image, the crop's area and aspect ratio within
/// the ranges, a box covered by at least min_object_covered, bboxes [1, 1, 4] the crop's corners over the image
/// size, the whole image when no attempt can be kept; the frequencies of the crops are SharpFlow's; and where the
/// ranges and boxes leave one answer, the crop is SharpFlow's. Opsets 13 and 17.
/// </summary>
public sealed class OnnxSampleCropExportTests
{
    private sealed record Settings(int Height, int Width, float[] Boxes, float MinCovered, float[] Aspect, float[] Area, int MaxAttempts, bool UseImage = false)
    {
        public NDArray ImageSize => NDArray.FromFlat(new[] { Height, Width, 3 }, new Shape(3));

        public NDArray BoxArray => NDArray.FromFlat(Boxes, new Shape(1, Boxes.Length / 4, 4));
    }

    private readonly record struct Crop(int Top, int Left, int H, int W, float[] Bbox)
    {
        public override string ToString() => $"begin [{Top}, {Left}, 0], size [{H}, {W}, -1], bboxes [{string.Join(", ", Bbox)}]";
    }

    // Two boxes, half of one to cover, crops of 10% to 80% of the image: most runs keep a crop, none the whole image.
    private static readonly Settings TwoBoxes = new(40, 60, [0.1f, 0.2f, 0.5f, 0.9f, 0.6f, 0.1f, 0.95f, 0.4f], 0.5f, [0.75f, 1.33f], [0.1f, 0.8f], 100);

    private static (Tensor ImageSize, Tensor Boxes, Tensor[] Outputs) Build(Settings s, int? seed, DType? sizeType = null)
    {
        var imageSize = tf.placeholder(sizeType ?? tf.int32, new Shape(3), name: "image_size");
        var boxes = tf.placeholder(tf.float32, new Shape(1, -1, 4), name: "boxes");
        var (begin, size, bboxes) = tf.image.sample_distorted_bounding_box(imageSize, boxes, seed, seed is null ? null : seed + 1, s.MinCovered, s.Aspect, s.Area,
            s.MaxAttempts, s.UseImage, name: "distort");
        return (imageSize, boxes, [begin, size, bboxes]);
    }

    private static byte[] Export(Session sess, Tensor imageSize, Tensor boxes, Tensor[] outputs, int opset)
    {
        var model = OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["image_size"] = imageSize, ["boxes"] = boxes },
            new Dictionary<string, Tensor> { ["begin"] = outputs[0], ["size"] = outputs[1], ["bboxes"] = outputs[2] }, opset);
        // One Loop over max_attempts, whose body draws from RandomUniform.
        var loop = Assert.Single(model.Proto.Graph.Node, n => n.OpType == "Loop");
        Assert.Contains(loop.Attribute.Single(a => a.Name == "body").G.Node, n => n.OpType == "RandomUniform");
        return model.ToByteArray();
    }

    private static Crop CropOf(NDArray begin, NDArray size, NDArray bboxes)
    {
        Assert.Equal([3], begin.shape.Dims);
        Assert.Equal([3], size.shape.Dims);
        Assert.Equal([1, 1, 4], bboxes.shape.Dims);
        Assert.Equal(DType.float32, bboxes.dtype);
        var (b, s) = (begin.Cast(DType.int64).ToArray<long>(), size.Cast(DType.int64).ToArray<long>());
        Assert.Equal(0, b[2]);
        Assert.Equal(-1, s[2]);
        return new Crop((int)b[0], (int)b[1], (int)s[0], (int)s[1], bboxes.ToArray<float>());
    }

    /// <summary>Many runs of one ONNX Runtime session (each draws anew) on int32 image sizes.</summary>
    private static List<Crop> RunMany(byte[] model, Settings s, int runs)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        using var run = new RunOptions();
        var crops = new List<Crop>();
        for (var i = 0; i < runs; i++)
        {
            using var size = OrtValue.CreateTensorValueFromMemory(new[] { s.Height, s.Width, 3 }, [3]);
            using var boxes = OrtValue.CreateTensorValueFromMemory(s.Boxes, [1, s.Boxes.Length / 4, 4]);
            using var results = session.Run(run, ["image_size", "boxes"], [size, boxes], ["begin", "size", "bboxes"]);
            var (b, z) = (results[0].GetTensorDataAsSpan<int>().ToArray(), results[1].GetTensorDataAsSpan<int>().ToArray());
            Assert.Equal([1L, 1, 4], results[2].GetTensorTypeAndShape().Shape);
            Assert.Equal(0, b[2]);
            Assert.Equal(-1, z[2]);
            crops.Add(new Crop(b[0], b[1], z[0], z[1], results[2].GetTensorDataAsSpan<float>().ToArray()));
        }
        return crops;
    }

    private static List<Crop> RunSharpFlow(Session sess, Tensor imageSize, Tensor boxes, Tensor[] outputs, Settings s, int runs) =>
        [.. Enumerable.Range(0, runs).Select(_ =>
        {
            var v = sess.run(outputs, new FeedDict { [imageSize] = s.ImageSize, [boxes] = s.BoxArray });
            return CropOf(v[0], v[1], v[2]);
        })];

    private static bool IsWholeImage(Crop c, Settings s) => c.Top == 0 && c.Left == 0 && c.H == s.Height && c.W == s.Width;

    /// <summary>
    /// Checks one crop against the op's contract and returns whether it is the whole image (for these tests' ranges,
    /// which never allow the whole image as a crop: the fallback when no attempt is kept).
    /// </summary>
    private static bool Check(Crop c, Settings s, string what)
    {
        Assert.True(c.Top >= 0 && c.Left >= 0 && c.H > 0 && c.W > 0 && c.Top + c.H <= s.Height && c.Left + c.W <= s.Width, $"{what}: {c} is not inside {s.Height}x{s.Width}");
        Assert.Equal([c.Top / (float)s.Height, c.Left / (float)s.Width, (c.Top + c.H) / (float)s.Height, (c.Left + c.W) / (float)s.Width], c.Bbox);
        if (IsWholeImage(c, s)) return true;
        // The area (in pixels, as the kernel compares it) within area_range of the image's.
        var (minArea, maxArea) = (s.Area[0] * s.Width * s.Height, s.Area[1] * s.Width * s.Height);
        Assert.True(c.H * c.W >= minArea && c.H * c.W <= maxArea, $"{what}: {c} has area {c.H * c.W}, outside [{minArea}, {maxArea}]");
        // The width is round(height · aspect) for an aspect ratio in the range.
        var ratio = c.W / (double)c.H;
        Assert.True(ratio >= s.Aspect[0] - 0.5 / c.H - 1e-6 && ratio <= s.Aspect[1] + 0.5 / c.H + 1e-6, $"{what}: {c} has aspect ratio {ratio}, outside [{s.Aspect[0]}, {s.Aspect[1]}] up to rounding");
        // At least min_object_covered of one box (the whole image when there are none and use_image_if_no_bounding_boxes).
        var boxes = s.Boxes.Length == 0 && s.UseImage ? [0f, 0, 1, 1] : s.Boxes;
        var covered = Enumerable.Range(0, boxes.Length / 4).Select(k =>
        {
            var (y1, x1, y2, x2) = (boxes[4 * k] * s.Height, boxes[4 * k + 1] * s.Width, boxes[4 * k + 2] * s.Height, boxes[4 * k + 3] * s.Width);
            var overlap = System.Math.Max(0, System.Math.Min(y2, c.Top + c.H) - System.Math.Max(y1, c.Top)) * System.Math.Max(0, System.Math.Min(x2, c.Left + c.W) - System.Math.Max(x1, c.Left));
            return overlap / ((y2 - y1) * (x2 - x1));
        }).DefaultIfEmpty(0).Max();
        Assert.True(covered >= s.MinCovered, $"{what}: {c} covers {covered} of the best box, below {s.MinCovered}");
        return false;
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void EveryCropIsInsideTheImageWithinTheRangesAndCoversABox(int opset)
    {
        using var g = TestGraph.Enter();
        var (imageSize, boxes, outputs) = Build(TwoBoxes, seed: null);
        using var sess = tf.Session();
        // The checker holds for SharpFlow's own crops.
        Assert.All(RunSharpFlow(sess, imageSize, boxes, outputs, TwoBoxes, 200), c => Check(c, TwoBoxes, "SharpFlow"));
        var model = Export(sess, imageSize, boxes, outputs, opset);
        // Unseeded (seed and seed2 0): ONNX Runtime seeds the draws itself.
        Assert.DoesNotContain(OnnxModelProto(model).Graph.Node.Single(n => n.OpType == "Loop").Attribute.Single(a => a.Name == "body").G.Node.Single(n => n.OpType == "RandomUniform").Attribute, a => a.Name == "seed");
        var crops = RunMany(model, TwoBoxes, 400);
        var wholes = crops.Count(c => Check(c, TwoBoxes, $"ONNX Runtime, opset {opset}"));
        Assert.True(wholes < 40, $"{wholes} of 400 runs kept no crop");
        Assert.True(crops.Select(c => c.ToString()).Distinct().Count() > 100, "the crops hardly vary between runs");
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void ASeededModelDrawsTheSameCropsInANewSessionAndAnotherSeedOthers(int opset)
    {
        byte[] Model(int seed)
        {
            using var g = TestGraph.Enter();
            var (imageSize, boxes, outputs) = Build(TwoBoxes, seed);
            using var sess = tf.Session();
            return Export(sess, imageSize, boxes, outputs, opset);
        }
        var (first, other) = (Model(7), Model(8));
        var runs = RunMany(first, TwoBoxes, 20);
        Assert.All(runs, c => Check(c, TwoBoxes, "seed 7"));
        Assert.Equal(runs.Select(c => c.ToString()), RunMany(first, TwoBoxes, 20).Select(c => c.ToString()));
        Assert.NotEqual(runs.Select(c => c.ToString()), RunMany(other, TwoBoxes, 20).Select(c => c.ToString()));
        // Each run of a session draws anew.
        Assert.True(runs.Select(c => c.ToString()).Distinct().Count() > 10);
        var seed = OnnxModelProto(first).Graph.Node.Single(n => n.OpType == "Loop").Attribute.Single(a => a.Name == "body").G.Node.Single(n => n.OpType == "RandomUniform").Attribute.Single(a => a.Name == "seed");
        Assert.Equal((float)((7 * 1_000_003 + 8) % (1 << 24)), seed.F);
    }

    private static ModelProto OnnxModelProto(byte[] bytes) => ModelProto.Parser.ParseFrom(bytes);

    /// <summary>
    /// Few attempts and a box hard to cover: many runs keep no crop. Over 2000 runs each, ONNX Runtime gives the
    /// whole image, and crops of each height, width and corner, as often as SharpFlow does (within 5 standard errors).
    /// </summary>
    [Fact]
    public void TheCropsFollowTheKernelsDistribution()
    {
        var s = new Settings(30, 30, [0.2f, 0.2f, 0.6f, 0.5f], 0.8f, [0.5f, 2f], [0.05f, 0.7f], 3);
        using var g = TestGraph.Enter();
        var (imageSize, boxes, outputs) = Build(s, seed: null);
        using var sess = tf.Session();
        const int runs = 2000;
        var ours = RunSharpFlow(sess, imageSize, boxes, outputs, s, runs);
        var theirs = RunMany(Export(sess, imageSize, boxes, outputs, 13), s, runs);
        var (ourWholes, theirWholes) = (ours.Count(c => Check(c, s, "SharpFlow")), theirs.Count(c => Check(c, s, "ONNX Runtime")));
        var p = ourWholes / (double)runs;
        Assert.InRange(p, 0.1, 0.9);
        Assert.True(System.Math.Abs(theirWholes / (double)runs - p) <= 5 * System.Math.Sqrt(2 * p * (1 - p) / runs),
            $"no crop kept in {theirWholes} of {runs} runs in ONNX Runtime, {ourWholes} in SharpFlow");
        foreach (var (name, of) in new (string, Func<Crop, double>)[] { ("height", c => c.H), ("width", c => c.W), ("top", c => c.Top), ("left", c => c.Left) })
        {
            var (a, b) = (ours.Where(c => !IsWholeImage(c, s)).Select(of).ToList(), theirs.Where(c => !IsWholeImage(c, s)).Select(of).ToList());
            var sd = System.Math.Sqrt(a.Select(v => (v - a.Average()) * (v - a.Average())).Average());
            var se = sd * System.Math.Sqrt(1.0 / a.Count + 1.0 / b.Count);
            Assert.True(System.Math.Abs(a.Average() - b.Average()) <= 5 * se, $"mean {name}: {b.Average()} in ONNX Runtime, {a.Average()} in SharpFlow (standard error {se})");
        }
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void WhereTheRangesLeaveOneCropItIsSharpFlows(int opset)
    {
        // A 10x20 image, crops of a quarter of it with aspect ratio 0.5 (10 rows, 5 columns: any of 16 left corners),
        // the whole of the box over the first 5 columns to cover: only the crop at column 0 is kept.
        var s = new Settings(10, 20, [0f, 0f, 1f, 0.25f], 1f, [0.5f, 0.5f], [0.25f, 0.25f], 500);
        foreach (var sizeType in new[] { tf.int32, tf.int64 })
        {
            using var g = TestGraph.Enter();
            var (imageSize, boxes, outputs) = Build(s, seed: null, sizeType);
            using var sess = tf.Session();
            var feed = new[] { ("image_size", s.ImageSize.Cast(sizeType)), ("boxes", s.BoxArray) };
            var expected = new Crop(0, 0, 10, 5, [0f, 0f, 1f, 0.25f]).ToString();
            var ours = sess.run(outputs, new FeedDict { [imageSize] = s.ImageSize.Cast(sizeType), [boxes] = s.BoxArray });
            Assert.Equal(expected, CropOf(ours[0], ours[1], ours[2]).ToString());
            var model = Export(sess, imageSize, boxes, outputs, opset);
            var theirs = RunOnnxRuntime(model, feed, ["begin", "size", "bboxes"]);
            Assert.Equal(sizeType, theirs[0].dtype);
            Assert.Equal(sizeType, theirs[1].dtype);
            Assert.True(ours[0].ValueEquals(theirs[0]) && ours[1].ValueEquals(theirs[1]) && ours[2].ValueEquals(theirs[2]), $"{sizeType.name}: {CropOf(theirs[0], theirs[1], theirs[2])}, SharpFlow's {expected}");
            // Every run of a session draws anew, and finds the same crop.
            if (sizeType == tf.int32) Assert.All(RunMany(model, s, 50), c => Assert.Equal(expected, c.ToString()));
        }
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void TheCropOfAnImagePipelineIsTheSliceAtTheSampledBox(int opset)
    {
        // tf.image's pipeline: the size from tf.shape of the image, the boxes a constant (not frozen: drawn on every
        // run), the crop a tf.slice at begin and size.
        using var g = TestGraph.Enter();
        var image = tf.placeholder(tf.float32, new Shape(-1, -1, 3), name: "image");
        var (begin, size, bboxes) = tf.image.sample_distorted_bounding_box(tf.shape(image), tf.constant(TwoBoxes.Boxes, shape: new Shape(1, 2, 4)), min_object_covered: TwoBoxes.MinCovered,
            aspect_ratio_range: TwoBoxes.Aspect, area_range: TwoBoxes.Area, max_attempts: TwoBoxes.MaxAttempts);
        var crop = tf.slice(image, begin, size);
        using var sess = tf.Session();
        var model = OnnxModel.Export(sess, new Dictionary<string, Tensor> { ["image"] = image }, new Dictionary<string, Tensor> { ["crop"] = crop, ["bboxes"] = bboxes }, opset);
        Assert.Single(model.Proto.Graph.Node, n => n.OpType == "Loop");
        var pixels = NDArray.FromFlat(Enumerable.Range(0, 40 * 60 * 3).Select(v => (float)v).ToArray(), new Shape(40, 60, 3));
        var crops = new HashSet<string>();
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model.ToByteArray(), options);
        using var runOptions = new RunOptions();
        for (var run = 0; run < 20; run++)
        {
            using var input = OrtValue.CreateTensorValueFromMemory(pixels.ToArray<float>(), [40, 60, 3]);
            using var outputs = session.Run(runOptions, ["image"], [input], ["crop", "bboxes"]);
            var box = outputs[1].GetTensorDataAsSpan<float>().ToArray();
            var cropShape = outputs[0].GetTensorTypeAndShape().Shape;
            var (top, left) = ((int)System.Math.Round(box[0] * 40), (int)System.Math.Round(box[1] * 60));
            var (h, w) = ((int)System.Math.Round(box[2] * 40) - top, (int)System.Math.Round(box[3] * 60) - left);
            Assert.False(Check(new Crop(top, left, h, w, box), TwoBoxes, $"opset {opset}"));
            Assert.Equal([h, w, 3L], cropShape);
            var values = outputs[0].GetTensorDataAsSpan<float>().ToArray();
            for (var i = 0; i < h; i++)
                for (var j = 0; j < w; j++)
                    Assert.Equal(((top + i) * 60 + left + j) * 3f, values[(i * w + j) * 3]);
            crops.Add(string.Join(",", box));
        }
        Assert.True(crops.Count > 5, "the crops hardly vary between runs");
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void WhereTheWidthLimitsTheHeightOneAttemptAlwaysKeepsACrop(int opset)
    {
        // A 20x10 image, square crops of 30% to 90% of it: heights 8 (round √60) to 13 (round √180), but a crop 13
        // wide does not fit, so the kernel lowers the highest height to (10 + 0.5) / 1, truncated: 10. Every height
        // drawn from 8, 9 and 10 fits and covers 30% of the image, so a single attempt always keeps a crop.
        var s = new Settings(20, 10, [0f, 0f, 1f, 1f], 0.3f, [1f, 1f], [0.3f, 0.9f], 1);
        using var g = TestGraph.Enter();
        var (imageSize, boxes, outputs) = Build(s, seed: null);
        using var sess = tf.Session();
        foreach (var (crops, what) in new[] { (RunSharpFlow(sess, imageSize, boxes, outputs, s, 100), "SharpFlow"), (RunMany(Export(sess, imageSize, boxes, outputs, opset), s, 300), $"ONNX Runtime, opset {opset}") })
        {
            Assert.All(crops, c => Assert.False(Check(c, s, what), $"{what}: no crop kept"));
            Assert.Equal([8, 9, 10], crops.Select(c => c.H).Distinct().Order());
            Assert.All(crops, c => Assert.Equal(c.H, c.W));
        }
    }

    public static TheoryData<int, string> NothingToKeep() => new()
    {
        { 13, "min_object_covered above 1" }, { 17, "min_object_covered above 1" },
        { 13, "no crop in the area range" }, { 17, "no crop in the area range" },
        { 13, "no boxes" }, { 17, "no boxes" },
    };

    [Theory]
    [MemberData(nameof(NothingToKeep))]
    public void WithNothingToKeepTheCropIsTheWholeImage(int opset, string reason)
    {
        var s = reason switch
        {
            // No crop covers more than all of a box.
            "min_object_covered above 1" => TwoBoxes with { MinCovered = 1.5f },
            // On a 3x3 image a crop of 1% of it has 0.09 pixels: one attempt, never kept.
            "no crop in the area range" => new Settings(3, 3, [0f, 0f, 1f, 1f], 0f, [1f, 1f], [0.01f, 0.01f], 1),
            // No boxes with use_image_if_no_bounding_boxes false: the kernel fails, the model (which does not check) keeps no crop.
            _ => TwoBoxes with { Boxes = [] },
        };
        using var g = TestGraph.Enter();
        var (imageSize, boxes, outputs) = Build(s, seed: null);
        using var sess = tf.Session();
        var whole = new Crop(0, 0, s.Height, s.Width, [0f, 0f, 1f, 1f]).ToString();
        if (reason == "no boxes")
            Assert.Contains("use_image_if_no_bounding_boxes", Assert.Throws<InvalidArgumentError>(() => RunSharpFlow(sess, imageSize, boxes, outputs, s, 1)).Message);
        else
            Assert.All(RunSharpFlow(sess, imageSize, boxes, outputs, s, 20), c => Assert.Equal(whole, c.ToString()));
        Assert.All(RunMany(Export(sess, imageSize, boxes, outputs, opset), s, 50), c => Assert.Equal(whole, c.ToString()));
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void WithoutBoxesUseImageIfNoBoundingBoxesCoversTheImage(int opset)
    {
        // Crops of 30% to 60% of the image that must cover half of it: only those of half the image or more are kept.
        var s = new Settings(20, 20, [], 0.5f, [0.75f, 1.33f], [0.3f, 0.6f], 100, UseImage: true);
        using var g = TestGraph.Enter();
        var (imageSize, boxes, outputs) = Build(s, seed: null);
        using var sess = tf.Session();
        Assert.All(RunSharpFlow(sess, imageSize, boxes, outputs, s, 50), c => Assert.False(Check(c, s, "SharpFlow")));
        var crops = RunMany(Export(sess, imageSize, boxes, outputs, opset), s, 200);
        Assert.All(crops, c => Assert.False(Check(c, s, $"ONNX Runtime, opset {opset}"), $"{c}: no crop kept"));
        Assert.All(crops, c => Assert.True(c.H * c.W >= 200, $"{c} covers less than half of the image"));
        Assert.True(crops.Select(c => c.ToString()).Distinct().Count() > 20);
    }
}
