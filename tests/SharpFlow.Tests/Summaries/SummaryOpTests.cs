using SharpFlow.Summaries;

namespace SharpFlow.Tests.Summaries;

/// <summary>tf.summary.scalar/histogram/image/text, merge and merge_all, run in a session and written by a FileWriter.</summary>
public sealed class SummaryOpTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-summary-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void SummaryOpsRunInASessionAndReachTheEventFile()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1), name: "x");
        Tensor loss;
        using (tf.name_scope("layer1"))
        {
            loss = tf.reduce_mean(tf.square(x));
            tf.summary.scalar("loss", loss);
            tf.summary.histogram("x", x);
        }
        tf.summary.scalar("loss", loss * 2);
        var third = tf.summary.scalar("loss", loss * 3);
        tf.summary.image("pictures", tf.reshape(tf.range(0, 12, dtype: tf.float32) / 11.0f, new[] { 2, 2, 3, 1 }), max_outputs: 2);
        tf.summary.text("note", "hello TensorBoard");
        var merged = tf.summary.merge_all()!;
        Assert.Equal("loss_1:0", third.name); // a second "loss" in one scope gets a unique name, and that tag
        Assert.Equal(tf.@string, merged.dtype);
        Assert.Equal(Shape.Scalar, merged.shape);

        using var sess = tf.Session();
        var result = sess.run(merged, new FeedDict { [x] = new[] { 1f, 2f, 3f } });
        Assert.StartsWith("b'\\n", result.ToString());
        var summary = SharpFlow.Summaries.Summary.FromString(result.StringBytes());
        var byTag = summary.value.ToDictionary(v => v.tag);
        Assert.Equal(14f / 3, byTag["layer1/loss"].simple_value!.Value, 1e-5);
        Assert.Equal(28f / 3, byTag["loss"].simple_value!.Value, 1e-5);
        Assert.Equal(14f, byTag["loss_1"].simple_value!.Value, 1e-5);
        Assert.Equal((1.0, 3.0, 3.0), (byTag["layer1/x"].histo!.min, byTag["layer1/x"].histo!.max, byTag["layer1/x"].histo!.num));
        Assert.Equal((2, 3, 1), (byTag["pictures/image/0"].image!.height, byTag["pictures/image/0"].image!.width, byTag["pictures/image/0"].image!.colorspace));
        Assert.Contains("pictures/image/1", byTag.Keys);
        Assert.Equal("hello TensorBoard", byTag["note"].text);

        string path;
        using (var writer = tf.summary.FileWriter(_dir, g.Graph))
        {
            writer.add_summary(result, global_step: 3);
            path = writer.path;
        }
        var events = tf.train.summary_iterator(path).ToList();
        Assert.NotNull(events[1].graph_def); // the graph, with its string constants, encodes
        Assert.Equal(3, events[2].step);
        Assert.Equal(summary.value.Select(v => v.tag), events[2].summary!.value.Select(v => v.tag));
    }

    [Fact]
    public void BadSummariesAreClearErrors()
    {
        using var g = TestGraph.Enter();
        Assert.Contains("must be a scalar", Assert.Throws<ValueError>(() => tf.summary.scalar("v", tf.constant(new[] { 1f, 2f }))).Message);
        Assert.Null(tf.summary.merge_all());
        var a = tf.summary.scalar("same", 1f);
        var dup = tf.summary.merge([a, a]);
        Assert.Contains("Duplicate tag same", Assert.Throws<InvalidArgumentError>(() => g.Eval(dup)).Message);
        var nan = tf.summary.histogram("weights", tf.constant(new[] { 1f, float.NaN }));
        Assert.Contains("Nan in summary histogram for: weights", Assert.Throws<InvalidArgumentError>(() => g.Eval(nan)).Message);
        Assert.Contains("1, 3 or 4 channels", Assert.Throws<ValueError>(() => tf.summary.image("i", tf.zeros(new Shape(1, 2, 2, 2)))).Message);
    }

    [Fact]
    public void ImagesFollowTensorFlowsTagsAndScaling()
    {
        using var g = TestGraph.Enter();
        // One image asked with the default max_outputs=3: still numbered, as TensorFlow numbers whenever max > 1.
        var one = tf.summary.image("one", tf.constant(new float[] { 0f, 0.25f, 0.5f, float.NaN }, shape: new Shape(1, 2, 2, 1)));
        var signed = tf.summary.image("signed", tf.constant(new float[] { -2f, 0f, 1f, 2f }, shape: new Shape(1, 2, 2, 1)), max_outputs: 1);
        using var sess = tf.Session();
        var first = SharpFlow.Summaries.Summary.FromString(sess.run(one).StringBytes()).value.Single();
        Assert.Equal("one/image/0", first.tag);
        // Per image: scaled by 255/max over the finite pixels, truncated; NaN takes the bad color (255 in grey).
        Assert.Equal(new byte[] { 0, 127, 255, 255 }, GreyPixels(first.image!));
        var second = SharpFlow.Summaries.Summary.FromString(sess.run(signed).StringBytes()).value.Single();
        Assert.Equal("signed/image", second.tag);
        // With negative values: 127/max|v| around 128.
        Assert.Equal(new byte[] { 1, 128, 191, 255 }, GreyPixels(second.image!));
    }

    [Fact]
    public void FamiliesPrefixTheTagOnceMoreAsTensorFlowDoes()
    {
        using var g = TestGraph.Enter();
        var s = tf.summary.scalar("loss", 1f, family: "train");
        var value = SharpFlow.Summaries.Summary.FromString(g.Eval(s).StringBytes()).value.Single();
        Assert.Equal("train/train/loss", value.tag);
        Assert.Equal("train/loss:0", s.name);
        var inf = tf.summary.histogram("h", tf.constant(new[] { float.PositiveInfinity }));
        Assert.Contains("Infinity in summary histogram for: h", Assert.Throws<InvalidArgumentError>(() => g.Eval(inf)).Message);
    }

    [Fact]
    public void StringTensorsReachOnlyTheOpsThatTakeThem()
    {
        using var g = TestGraph.Enter();
        var text = tf.constant(NDArray.FromStrings(["a", "b"]));
        Assert.Equal("[b'a' b'b']", g.Eval(tf.identity(text)).ToString());
        var e = Assert.Throws<TypeError>(() => tf.transpose(text));
        Assert.Contains("Transpose", e.Message);
        Assert.Contains("string tensors are not supported", e.Message);
        Assert.Throws<TypeError>(() => tf.concat([text, text], 0));
    }

    [Fact]
    public void TwoWritersInOneSecondWriteTwoFilesAndACutTailReadsAsTheEnd()
    {
        using var a = tf.summary.FileWriter(_dir);
        using var b = tf.summary.FileWriter(_dir);
        Assert.NotEqual(a.path, b.path);
        a.add_summary(tf.Summary(SummaryValue.FromScalar("x", 1)), 1);
        a.add_summary(tf.Summary(SummaryValue.FromScalar("x", 2)), 2);
        a.close();
        var bytes = File.ReadAllBytes(a.path);
        File.WriteAllBytes(a.path, bytes[..^5]);
        Assert.Throws<DataLossError>(() => FileWriter.Read(a.path).ToList());
        var events = FileWriter.Read(a.path, truncatedTailIsEnd: true).ToList();
        Assert.Equal(2, events.Count); // the version record and the first scalar; the cut one is dropped
        Assert.Equal(1, events[1].step);
    }

    // Decoded by StbImageSharp, a PNG reader independent of SharpFlow's encoder.
    private static byte[] GreyPixels(SummaryImage image)
    {
        var decoded = StbImageSharp.ImageResult.FromMemory(image.encoded_image_string, StbImageSharp.ColorComponents.Grey);
        Assert.Equal((image.width, image.height), (decoded.Width, decoded.Height));
        return decoded.Data;
    }
}
