using SharpFlow.Onnx;
using SharpFlow.Onnx.Proto;
using SharpFlow.Ops.Rnn;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// The gradients of TensorFlow's fused LSTM exported to ONNX: tf.gradients of a loss through LSTMBlockCell networks
/// (static_rnn and dynamic_rnn: LSTMBlockCellGrad) and LSTMBlockFusedCell (BlockLSTM as a Loop of its steps giving
/// every output, BlockLSTMGrad as a Loop from the last step back), with peepholes on and off, forget_bias, cell_clip
/// and sequence lengths fed at run time; each runs in ONNX Runtime against SharpFlow's gradients within 1e-5, at
/// opsets 13 and 17 (16 and 17 with sequence lengths, whose final state's gradient is a ScatterNd adding up), and LSTMBlockCellGrad against a plain evaluation of TensorFlow's formula.
/// </summary>
public sealed class OnnxLstmGradientExportTests
{
    private static Dictionary<string, Tensor> In(params Tensor[] xs) => xs.ToDictionary(x => x.op.name, x => x);

    private static IEnumerable<NodeProto> AllNodes(GraphProto graph) =>
        graph.Node.SelectMany(n => new[] { n }.Concat(n.Attribute.Where(a => a.G is not null).SelectMany(a => AllNodes(a.G))));

    /// <summary>Sets the peephole weights away from their initial values, so that their terms show.</summary>
    private static void SpreadPeepholes(Session sess)
    {
        var k = 0;
        foreach (var v in tf.global_variables().Where(v => v.op.name.EndsWith("_diag", StringComparison.Ordinal)))
            sess.run(v.assign(tf.constant(Uniform(20 + k++, -1, 1, v.shape.Dims.ToArray()))));
    }

    /// <summary>A loss reading every output and the final state, weighted so that each element's gradient differs.</summary>
    private static Tensor Loss(Tensor outputs, Tensor c, Tensor h, int seed)
    {
        var weights = tf.constant(Uniform(seed, -1, 1, outputs.shape.Dims.ToArray()));
        return tf.reduce_sum(outputs * weights) + tf.reduce_sum(c * c) * 0.5f + tf.reduce_sum(tf.sin(h));
    }

    /// <summary>The model's gradients of the loss against SharpFlow's: returns the exported model.</summary>
    private static ModelProto Agrees(Session sess, Dictionary<string, Tensor> inputs, Tensor[] grads, (string, NDArray)[] feed, int opset)
    {
        ExportAgrees(sess, inputs, grads, feed, opset, tolerance: 1e-5, reimport: false);
        return OnnxModel.Export(sess, inputs, grads.Select((t, i) => ($"y{i}", t)).ToDictionary(p => p.Item1, p => p.t), opset).Proto;
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void GradientsThroughLstmBlockCellsExport(int opset)
    {
        foreach (var (peephole, clip, forgetBias) in new[] { (false, (double?)null, 1.0), (true, 0.6, 0.5), (true, (double?)null, -0.25) })
        {
            using var g = TestGraph.Enter();
            tf.set_random_seed(7);
            var x = tf.placeholder(tf.float32, new Shape(4, 3, 2), name: "x");
            var c0 = tf.placeholder(tf.float32, new Shape(3, 5), name: "c0");
            var h0 = tf.placeholder(tf.float32, new Shape(3, 5), name: "h0");
            var cell = tf.contrib.rnn.LSTMBlockCell(5, forget_bias: forgetBias, cell_clip: clip, use_peephole: peephole);
            var (outputs, state) = tf.nn.static_rnn(cell, tf.unstack(x, axis: 0), initial_state: new SharpFlow.Rnn.LSTMStateTuple(c0, h0));
            var final = (SharpFlow.Rnn.LSTMStateTuple)state;
            var loss = Loss(tf.stack(outputs), final.c, final.h, 3);
            Tensor[] wrt = [x, c0, h0, .. tf.trainable_variables().Select(v => v.value())];
            var grads = tf.gradients(loss, wrt).Select(t => t!).ToArray();
            Assert.Contains(g.Graph.get_operations(), o => o.type == "LSTMBlockCellGrad");
            using var sess = tf.Session();
            sess.run(tf.global_variables_initializer());
            SpreadPeepholes(sess);
            var feed = new (string, NDArray)[] { ("x", Uniform(1, -2, 2, 4, 3, 2)), ("c0", Uniform(2, -1.5, 1.5, 3, 5)), ("h0", F(3, 3, 5)) };
            var model = Agrees(sess, In(x, c0, h0), grads, feed, opset);
            Assert.DoesNotContain(AllNodes(model.Graph), n => n.OpType == "Loop");
        }
    }

    [Fact]
    public void GradientsThroughADynamicRnnOfLstmBlockCellsExport()
    {
        foreach (var (peephole, clip) in new[] { (false, (double?)null), (true, 0.4) })
        {
            using var g = TestGraph.Enter();
            tf.set_random_seed(5);
            var x = tf.placeholder(tf.float32, new Shape(3, 4, 2), name: "x");
            var cell = tf.contrib.rnn.LSTMBlockCell(5, forget_bias: 0.5, cell_clip: clip, use_peephole: peephole);
            var (outputs, state) = tf.nn.dynamic_rnn(cell, x, dtype: tf.float32);
            var final = (SharpFlow.Rnn.LSTMStateTuple)state;
            var loss = Loss(outputs, final.c, final.h, 4);
            Tensor[] wrt = [x, .. tf.trainable_variables().Select(v => v.value())];
            var grads = tf.gradients(loss, wrt).Select(t => t!).ToArray();
            using var sess = tf.Session();
            sess.run(tf.global_variables_initializer());
            SpreadPeepholes(sess);
            Agrees(sess, In(x), grads, [("x", Uniform(8, -2, 2, 3, 4, 2))], 13);
        }
    }

    [Theory]
    [InlineData(13)]
    [InlineData(16)]
    [InlineData(17)]
    public void GradientsThroughLstmBlockFusedCellsExport(int opset)
    {
        foreach (var (peephole, clip, forgetBias, lengths) in new[]
        {
            (false, (double?)null, 1.0, false), (true, 0.7, 0.5, false), (true, (double?)null, 1.0, true), (false, 0.5, -0.5, true),
        })
        {
            using var g = TestGraph.Enter();
            tf.set_random_seed(11);
            var x = tf.placeholder(tf.float32, new Shape(5, 3, 2), name: "x");
            var c0 = tf.placeholder(tf.float32, new Shape(3, 4), name: "c0");
            var h0 = tf.placeholder(tf.float32, new Shape(3, 4), name: "h0");
            var seq = tf.placeholder(tf.int32, new Shape(3), name: "seq");
            var fused = tf.contrib.rnn.LSTMBlockFusedCell(4, forget_bias: forgetBias, cell_clip: clip, use_peephole: peephole);
            var (outputs, final) = fused.__call__(x, initial_state: new SharpFlow.Rnn.LSTMStateTuple(c0, h0), sequence_length: lengths ? seq : null);
            var loss = Loss(outputs, final.c, final.h, 6);
            Tensor[] wrt = [x, c0, h0, .. tf.trainable_variables().Select(v => v.value())];
            var grads = tf.gradients(loss, wrt).Select(t => t!).ToArray();
            Assert.Contains(g.Graph.get_operations(), o => o.type == "BlockLSTMGrad");
            using var sess = tf.Session();
            sess.run(tf.global_variables_initializer());
            SpreadPeepholes(sess);
            Dictionary<string, Tensor> inputs = lengths ? In(x, c0, h0, seq) : In(x, c0, h0);
            var feed = new List<(string, NDArray)> { ("x", Uniform(12, -2, 2, 5, 3, 2)), ("c0", Uniform(13, -1.5, 1.5, 3, 4)), ("h0", F(14, 3, 4)) };
            // The longest sequence shorter than the input: the steps from seq_len_max on run neither way.
            if (lengths) feed.Add(("seq", NDArray.FromFlat(new[] { 3, 1, 4 }, new Shape(3))));
            if (lengths && opset < 16)
            {
                // The final state's GatherNd has a ScatterNd gradient, whose adding reduction ONNX gained at opset 16.
                var refusal = Assert.Throws<UnimplementedError>(() => Agrees(sess, inputs, grads, [.. feed], opset));
                Assert.Contains($"ScatterNd \"gradients/lstm_fused_cell/GatherNd", refusal.Message);
                Assert.Contains($"at opset {opset}: its mapping needs opset 16", refusal.Message);
                continue;
            }
            var model = Agrees(sess, inputs, grads, [.. feed], opset);
            Assert.Equal(2, AllNodes(model.Graph).Count(n => n.OpType == "Loop"));
            Assert.DoesNotContain(AllNodes(model.Graph), n => n.OpType == "LSTM");
        }
    }

    [Fact]
    public void BlockLstmWhoseHiddenStatesAloneAreReadStaysOnnxLstm()
    {
        using var g = TestGraph.Enter();
        tf.set_random_seed(2);
        var x = tf.placeholder(tf.float32, new Shape(5, 3, 2), name: "x");
        var (outputs, _) = tf.contrib.rnn.LSTMBlockFusedCell(4).__call__(x, dtype: tf.float32);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        ExportAgrees(sess, In(x), [outputs], [("x", F(1, 5, 3, 2))], 13, tolerance: 1e-5, reimport: false);
        var model = OnnxModel.Export(sess, In(x), new Dictionary<string, Tensor> { ["y"] = outputs }).Proto;
        Assert.Contains(AllNodes(model.Graph), n => n.OpType == "LSTM");
        Assert.DoesNotContain(AllNodes(model.Graph), n => n.OpType == "Loop");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LstmBlockCellGradComputesTensorFlowsFormula(bool peephole)
    {
        using var g = TestGraph.Enter();
        const int batch = 2, cell = 3;
        var names = new[] { "x", "cs_prev", "h_prev", "w", "wci", "wcf", "wco", "b", "i", "cs", "f", "o", "ci", "co", "cs_grad", "h_grad" };
        int[][] shapes = [[batch, 2], [batch, cell], [batch, cell], [2 + cell, 4 * cell], [cell], [cell], [cell], [4 * cell], .. Enumerable.Repeat(new[] { batch, cell }, 8)];
        var ph = names.Select((n, k) => tf.placeholder(tf.float64, new Shape(shapes[k]), name: n)).ToArray();
        var (csPrevGrad, dicfo, wciGrad, wcfGrad, wcoGrad) = LSTMBlockCellGrad.Build(ph[0], ph[1], ph[2], ph[3], ph[4], ph[5], ph[6], ph[7],
            ph[8], ph[9], ph[10], ph[11], ph[12], ph[13], ph[14], ph[15], peephole);
        // Gates in (0, 1), tanh values in (-1, 1): the values a forward step gives.
        var values = names.Select((n, k) => n is "i" or "f" or "o" ? Uniform(k, 0.05, 0.95, shapes[k]) : n is "ci" or "co" ? Uniform(k, -0.9, 0.9, shapes[k]) : Uniform(k, -1.5, 1.5, shapes[k]))
            .Select(v => v.Cast(DType.float64)).ToArray();
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, In(ph), [csPrevGrad, dicfo, wciGrad, wcfGrad, wcoGrad], [.. names.Select((n, k) => (n, values[k]))], 17, tolerance: 1e-12, reimport: false);
        double V(int k, int r, int j) => values[k].ToArray<double>()[r * (shapes[k].Length == 1 ? 0 : cell) + j];
        var (wci, wcf, wco) = (new double[cell], new double[cell], new double[cell]);
        for (var r = 0; r < batch; r++)
            for (var j = 0; j < cell; j++)
            {
                var (cp, i, cs, f, o, ci, co, csg, hg) = (V(1, r, j), V(8, r, j), V(9, r, j), V(10, r, j), V(11, r, j), V(12, r, j), V(13, r, j), V(14, r, j), V(15, r, j));
                var dO = o * (1 - o) * hg * co;
                var dcs = (1 - co * co) * hg * o + csg + (peephole ? dO * V(6, 0, j) : 0);
                var dci = (1 - ci * ci) * dcs * i;
                var df = f * (1 - f) * dcs * cp;
                var di = i * (1 - i) * dcs * ci;
                double[] gates = [di, dci, df, dO];
                for (var q = 0; q < 4; q++) Assert.Equal(gates[q], ours[1].ToArray<double>()[r * 4 * cell + q * cell + j], 12);
                Assert.Equal(dcs * f + (peephole ? di * V(4, 0, j) + df * V(5, 0, j) : 0), ours[0].ToArray<double>()[r * cell + j], 12);
                if (!peephole) continue;
                wci[j] += di * cp;
                wcf[j] += df * cp;
                wco[j] += dO * cs;
            }
        double[][] peepholes = [wci, wcf, wco];
        for (var k = 0; k < 3; k++)
            for (var j = 0; j < cell; j++) Assert.Equal(peepholes[k][j], ours[2 + k].ToArray<double>()[j], 12);
    }
}
