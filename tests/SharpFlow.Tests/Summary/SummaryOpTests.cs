using SharpFlow.Summaries;

namespace SharpFlow.Tests.Summary;

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
        Assert.Equal(14f / 3, byTag["layer1/loss"].simple_value!.Value, 5);
        Assert.Equal(28f / 3, byTag["loss"].simple_value!.Value, 5);
        Assert.Equal(14f, byTag["loss_1"].simple_value!.Value, 5);
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
}
