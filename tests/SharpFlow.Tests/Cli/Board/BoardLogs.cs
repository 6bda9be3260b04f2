using SharpFlow.FileIO;
using SharpFlow.Summaries;

namespace SharpFlow.Tests.Cli.Board;

/// <summary>
/// A log directory for the board's tests: two runs (<c>run_a</c>, <c>run_b</c>) with a known scalar curve, run_a also
/// with histograms, images, a text, the graph (name scope <c>layer1</c> holding a MatMul) and a traced RunMetadata.
/// </summary>
public static class BoardLogs
{
    public const int Steps = 40;

    /// <summary>run_a's loss at a step.</summary>
    public static float LossA(int step) => (float)(Math.Exp(-step / 15.0) + 0.05 * Math.Sin(step * 1.7));

    /// <summary>run_b's loss at a step.</summary>
    public static float LossB(int step) => (float)(1.2 * Math.Exp(-step / 10.0) + 0.05 * Math.Cos(step * 1.3));

    /// <summary>The values of run_a's weights histogram at a step (a spreading bell around step/40).</summary>
    public static double[] Weights(int step)
    {
        var values = new double[200];
        var random = new Random(step);
        for (var i = 0; i < values.Length; i++)
        {
            // Box-Muller from a seeded generator: the same values every run.
            var (u, v) = (1 - random.NextDouble(), random.NextDouble());
            values[i] = step / 40.0 + (0.2 + step / 80.0) * Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
        }
        return values;
    }

    /// <summary>Writes both runs under <paramref name="logdir"/>.</summary>
    public static void Write(string logdir)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 3), name: "x");
        Tensor y;
        using (tf.name_scope("layer1"))
        {
            var w = tf.constant(new float[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }, name: "w");
            y = tf.nn.relu(tf.matmul(x, w, name: "MatMul"), name: "Relu");
        }
        var loss = tf.reduce_sum(y, name: "loss");
        using var sess = tf.Session();
        var metadata = new tf.RunMetadata();
        sess.run(loss, new FeedDict { [x] = new float[,] { { 1, 0, -1 } } }, new tf.RunOptions(trace_level: tf.RunOptions.FULL_TRACE), metadata);

        using (var a = tf.summary.FileWriter(Path.Combine(logdir, "run_a"), g.Graph))
        {
            for (var step = 0; step < Steps; step++)
            {
                a.add_summary(new SharpFlow.Summaries.Summary(SummaryValue.FromScalar("loss", LossA(step)), SummaryValue.FromScalar("accuracy", 1 - 0.6 * LossA(step))), step);
                if (step % 4 == 0)
                {
                    var weights = Weights(step);
                    a.add_summary(new SharpFlow.Summaries.Summary(SummaryValue.FromHistogram("layer1/weights", NDArray.FromFlat(weights, new Shape(weights.Length)))), step);
                }
            }
            for (var step = 0; step < 3; step++) a.add_summary(new SharpFlow.Summaries.Summary(SummaryValue.FromImage("pictures", Picture(step))), step * 10);
            a.add_summary(new SharpFlow.Summaries.Summary(SummaryValue.FromText("note", "hello **board**")), 5);
            a.add_run_metadata(metadata, "step0", 0);
        }
        using var b = tf.summary.FileWriter(Path.Combine(logdir, "run_b"));
        for (var step = 0; step < Steps; step++)
            b.add_summary(new SharpFlow.Summaries.Summary(SummaryValue.FromScalar("loss", LossB(step)), SummaryValue.FromScalar("accuracy", 1 - 0.6 * LossB(step))), step);
    }

    /// <summary>A 16x16 RGB picture: a gradient whose red channel grows with the step.</summary>
    public static NDArray Picture(int step)
    {
        var pixels = new float[16 * 16 * 3];
        for (var r = 0; r < 16; r++)
            for (var c = 0; c < 16; c++)
            {
                pixels[(r * 16 + c) * 3] = step / 2f;
                pixels[(r * 16 + c) * 3 + 1] = r / 15f;
                pixels[(r * 16 + c) * 3 + 2] = c / 15f;
            }
        return NDArray.FromFlat(pixels, new Shape(16, 16, 3));
    }

    /// <summary>Appends events to an event file the way a FileWriter does (one TFRecord per Event).</summary>
    public static void Append(string path, params Event[] events)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        foreach (var e in events) TFRecord.Write(file, e.SerializeToString());
    }

    /// <summary>A scalar event.</summary>
    public static Event Scalar(string tag, long step, float value) =>
        new() { wall_time = 1_700_000_000 + step, step = step, summary = new SharpFlow.Summaries.Summary(SummaryValue.FromScalar(tag, value)) };
}
