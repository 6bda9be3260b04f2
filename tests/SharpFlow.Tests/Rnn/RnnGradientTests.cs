using SharpFlow.Rnn;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Rnn;

/// <summary>
/// Gradients through dynamic_rnn with sequence lengths (one sequence of a single step, one cut short, one full),
/// for every cell, with respect to the inputs and to every one of the cell's variables, against central
/// differences (step 1e-3, so within 1e-4) of a weighted sum of the outputs and the final state.
/// </summary>
public class RnnGradientTests
{
    private const int Batch = 3, Time = 4, Depth = 3, Units = 3;
    private const double Delta = 1e-3;

    public static TheoryData<string> Cells() =>
    [
        "BasicRNNCell", "BasicLSTMCell", "LSTMCell peepholes, cell_clip, num_proj, proj_clip", "GRUCell", "MultiRNNCell",
        "LSTMBlockCell peepholes", "ResidualWrapper(GRUCell)", "DropoutWrapper(keep 1)",
    ];

    private static RNNCell Make(string name) => name switch
    {
        "BasicRNNCell" => tf.nn.rnn_cell.BasicRNNCell(Units),
        "BasicLSTMCell" => tf.nn.rnn_cell.BasicLSTMCell(Units),
        "LSTMCell peepholes, cell_clip, num_proj, proj_clip" => tf.nn.rnn_cell.LSTMCell(Units, use_peepholes: true, cell_clip: 0.6, num_proj: 2, proj_clip: 0.5),
        "GRUCell" => tf.nn.rnn_cell.GRUCell(Units),
        "MultiRNNCell" => tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(Units), tf.nn.rnn_cell.GRUCell(2)]),
        "LSTMBlockCell peepholes" => tf.contrib.rnn.LSTMBlockCell(Units, use_peephole: true),
        "ResidualWrapper(GRUCell)" => tf.nn.rnn_cell.ResidualWrapper(tf.nn.rnn_cell.GRUCell(Depth)),
        "DropoutWrapper(keep 1)" => tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicRNNCell(Units), input_keep_prob: 1.0, output_keep_prob: 1.0),
        _ => throw new ArgumentException(name),
    };

    private static NDArray Random(Shape shape, int seed)
    {
        var r = new Random(seed);
        var n = shape.Dims.Aggregate(1, (a, d) => a * d);
        return NDArray.FromFlat(Enumerable.Range(0, n).Select(_ => r.NextDouble() * 2 - 1).ToArray(), shape);
    }

    [Theory, MemberData(nameof(Cells))]
    public void GradientsThroughDynamicRnnWithSequenceLengthsMatchCentralDifferences(string name)
    {
        using var g = TestGraph.Enter();
        tf.set_random_seed(5);
        var x = tf.placeholder(tf.float64, new Shape(Batch, Time, Depth), name: "x");
        var cell = Make(name);
        var (outputs, state) = tf.nn.dynamic_rnn(cell, x, sequence_length: new[] { 1, 3, 4 }, dtype: tf.float64);
        var parts = new List<Tensor> { outputs };
        parts.AddRange(cell.FlattenState(state));
        var loss = tf.add_n([.. parts.Select((t, i) => tf.reduce_sum(t * tf.constant(Random(t.shape, 100 + i))))]);
        var variables = tf.trainable_variables();
        Assert.NotEmpty(variables);
        var grads = tf.gradients(loss, [x, .. variables.Select(v => (Tensor)v)]);
        var values = variables.Select(v => tf.placeholder(tf.float64, v.shape)).ToArray();
        var assigns = variables.Select((v, i) => tf.assign(v, values[i])).ToArray();

        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var xv = Random(new Shape(Batch, Time, Depth), 1);
        var feed = new FeedDict { [x] = xv };
        var theoretical = sess.run(grads.Select(t => t!).ToArray(), feed);
        double Loss() => sess.run(loss, feed).ToArray<double>()[0];

        var maxError = 0.0;
        void Compare(double[] point, double[] analytic, Action<double[]> set)
        {
            for (var c = 0; c < point.Length; c++)
            {
                var p = (double[])point.Clone();
                p[c] += Delta;
                set(p);
                var plus = Loss();
                p[c] -= 2 * Delta;
                set(p);
                var minus = Loss();
                maxError = Math.Max(maxError, Math.Abs((plus - minus) / (2 * Delta) - analytic[c]));
            }
            set(point);
        }
        Compare(xv.ToArray<double>(), theoretical[0].ToArray<double>(), p => feed[x] = NDArray.FromFlat(p, xv.shape));
        for (var i = 0; i < variables.Count; i++)
        {
            var v0 = sess.run(variables[i]);
            var k = i;
            Compare(v0.ToArray<double>(), theoretical[i + 1].ToArray<double>(),
                p => sess.run(assigns[k], new FeedDict { [values[k]] = NDArray.FromFlat(p, v0.shape) }));
        }
        Assert.True(maxError < 1e-4, $"{name}: max error {maxError:G3}");
        // The single-step sequence's outputs past its end are zeros, and take no gradient back to its later inputs.
        var gx = (double[,,])theoretical[0].ToMultiDimArray();
        for (var t = 1; t < Time; t++)
            for (var d = 0; d < Depth; d++) Assert.Equal(0.0, gx[0, t, d]);
    }
}
