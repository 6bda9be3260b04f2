using SharpFlow.Onnx;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// The export of MatrixDiagV2/V3, MatrixDiagPartV2/V3 and MatrixSetDiagV2/V3 (constant k, matrices of known size)
/// as Gather of constant indices and Where of a constant mask: bands, single diagonals, every alignment and a
/// padding value, run in ONNX Runtime against SharpFlow's own run (itself checked against TensorFlow's test values,
/// MatrixDiagBandTests) at opsets 13 and 17; a run-time k is refused with a message naming the op.
/// </summary>
public sealed class OnnxMatrixDiagExportTests
{
    private static Dictionary<string, Tensor> In(params Tensor[] xs) => xs.ToDictionary(x => x.op.name, x => x);

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void BandsInEveryAlignmentAgreeWithOnnxRuntime(int opset)
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(-1, 4, 3), name: "x");
        var band = tf.placeholder(tf.float32, new Shape(-1, 3, 3), name: "band");
        var one = tf.placeholder(tf.float32, new Shape(-1, 2), name: "one");
        var ys = new List<Tensor>();
        foreach (var align in new[] { null, "RIGHT_LEFT", "LEFT_RIGHT", "LEFT_LEFT", "RIGHT_RIGHT" })
        {
            ys.Add(tf.linalg.diag_part(x, k: new[] { -2, 0 }, padding_value: 9f, align: align));
            ys.Add(tf.linalg.diag_part(x, k: 1, align: align));
            ys.Add(tf.linalg.diag(band, k: new[] { -1, 1 }, num_rows: 4, align: align));
            ys.Add(tf.linalg.diag(one, k: -2, padding_value: -1f, align: align));
            ys.Add(tf.linalg.set_diag(x, band, k: new[] { -2, 0 }, align: align));
            ys.Add(tf.linalg.set_diag(x, one, k: 1, align: align));
        }
        using var sess = tf.Session();
        var ours = ExportAgrees(sess, In(x, band, one), [.. ys], [("x", F(1, 2, 4, 3)), ("band", F(2, 2, 3, 3)), ("one", F(3, 2, 2))], opset);
        Assert.Equal(30, ours.Length);
        Assert.Equal(new Shape(2, 4, 3), ours[2].shape); // num_rows 4, columns the smallest that fit
    }

    [Fact]
    public void ARunTimeKIsRefusedNamingTheOp()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, new Shape(3, 3), name: "x");
        var k = tf.placeholder(tf.int32, name: "k");
        var y = tf.linalg.diag_part(x, k: k, align: "RIGHT_LEFT");
        using var sess = tf.Session();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Export(sess, In(x, k), new Dictionary<string, Tensor> { ["y"] = y }, 13));
        Assert.Equal($"Cannot export MatrixDiagPartV3 \"{y.op.name}\" to ONNX: its k depends on the inputs.", e.RawMessage);
    }
}
