using SharpFlow.Onnx;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>ONNX's RNN, GRU and LSTM, imported, give ONNX Runtime's outputs over their attributes and optional inputs.</summary>
public sealed class OnnxRecurrentTests
{
    private const int T = 4, B = 3, I = 5, H = 6;

    private static NDArray Lengths(params int[] values) => NDArray.FromFlat(values, new Shape(values.Length));

    /// <summary>
    /// One recurrent node with every combination of its optional inputs that matters; all outputs compared. ONNX
    /// Runtime's CPU kernels take layout 0 only: a layout-1 node is compared with the layout-0 node on the transposed
    /// inputs, its outputs transposed.
    /// </summary>
    private static void Check(string op, int gates, (string, object)[] attributes, int directions, bool bias, bool lengths, bool initial,
        bool peephole = false, int layout = 0, int opset = 14)
    {
        OnnxArg[] Inputs(bool batchMajor)
        {
            NDArray Major(NDArray a) => batchMajor ? OnnxTensors.Permute(a, [1, 0, 2]) : a;
            var inputs = new List<OnnxArg>
            {
                Major(F(1, T, B, I)),
                Const(F(2, directions, gates * H, I)),
                Const(F(3, directions, gates * H, H)),
                bias ? Const(F(4, directions, 2 * gates * H)) : None,
                lengths ? Lengths(4, 2, 3) : None,
                initial ? Major(F(5, directions, B, H)) : None,
            };
            if (op == "LSTM")
            {
                inputs.Add(initial ? Major(F(6, directions, B, H)) : None);
                inputs.Add(peephole ? Const(F(7, directions, 3 * H)) : None);
            }
            while (inputs.Count > 0 && inputs[^1].Value is null) inputs.RemoveAt(inputs.Count - 1);
            return [.. inputs];
        }
        var outputs = op == "LSTM" ? 3 : 2;
        (string, object)[] all = [.. attributes, ("hidden_size", H)];
        if (layout == 0)
        {
            Agrees(op, opset, all, Inputs(false), outputs, tolerance: 1e-5);
            return;
        }
        var names = Enumerable.Range(0, outputs).Select(k => $"out{k}").ToArray();
        static List<(string, NDArray)> Feeds(OnnxArg[] args) => [.. args.Select((a, k) => (Name: $"in{k}", a)).Where(p => p.a.Value is not null && p.a.Fed).Select(p => (p.Name, p.a.Value!))];
        var timeMajor = Inputs(false);
        var batchMajor = Inputs(true);
        var expected = RunOnnxRuntime(Model(op, opset, all, timeMajor, outputs), Feeds(timeMajor), names);
        var actual = RunSharpFlow(Model(op, opset, [.. all, ("layout", 1)], batchMajor, outputs), Feeds(batchMajor), names);
        Same(OnnxTensors.Permute(expected[0], [2, 0, 1, 3]), actual[0], $"{op} layout 1, Y", 1e-5);
        for (var k = 1; k < outputs; k++) Same(OnnxTensors.Permute(expected[k], [1, 0, 2]), actual[k], $"{op} layout 1, output {k}", 1e-5);
    }

    [Theory]
    [InlineData("forward")]
    [InlineData("reverse")]
    [InlineData("bidirectional")]
    public void LstmInEveryDirectionWithAndWithoutItsOptionalInputs(string direction)
    {
        var d = direction == "bidirectional" ? 2 : 1;
        (string, object)[] attributes = [("direction", direction)];
        Check("LSTM", 4, attributes, d, bias: false, lengths: false, initial: false);
        Check("LSTM", 4, attributes, d, bias: true, lengths: false, initial: true);
        Check("LSTM", 4, attributes, d, bias: true, lengths: true, initial: true, peephole: true);
        Check("LSTM", 4, attributes, d, bias: true, lengths: true, initial: false, layout: 1);
    }

    [Fact]
    public void LstmActivationsClipAndInputForget()
    {
        Check("LSTM", 4, [("activations", new[] { "HardSigmoid", "Relu", "LeakyRelu" }), ("activation_alpha", new[] { 0.3f, 0.2f }), ("activation_beta", new[] { 0.4f })], 1, bias: true, lengths: false, initial: true);
        Check("LSTM", 4, [("clip", 0.5f)], 1, bias: true, lengths: true, initial: true);
        Check("LSTM", 4, [("direction", "bidirectional"), ("activations", new[] { "Sigmoid", "Tanh", "Tanh", "Sigmoid", "Softsign", "Tanh" })], 2, bias: true, lengths: false, initial: false);
        Check("LSTM", 4, [("input_forget", 1)], 1, bias: true, lengths: false, initial: true);
        Check("LSTM", 4, [], 1, bias: true, lengths: true, initial: true, opset: 7);
    }

    [Theory]
    [InlineData("forward", 0)]
    [InlineData("reverse", 0)]
    [InlineData("bidirectional", 0)]
    [InlineData("forward", 1)]
    [InlineData("bidirectional", 1)]
    public void GruWithBothResetOrders(string direction, int linearBeforeReset)
    {
        var d = direction == "bidirectional" ? 2 : 1;
        (string, object)[] attributes = [("direction", direction), ("linear_before_reset", linearBeforeReset)];
        Check("GRU", 3, attributes, d, bias: false, lengths: false, initial: false);
        Check("GRU", 3, attributes, d, bias: true, lengths: true, initial: true);
        Check("GRU", 3, attributes, d, bias: true, lengths: false, initial: true, layout: 1);
        Check("GRU", 3, [.. attributes, ("clip", 0.4f)], d, bias: true, lengths: true, initial: false);
    }

    [Theory]
    [InlineData("forward")]
    [InlineData("reverse")]
    [InlineData("bidirectional")]
    public void RnnWithItsActivations(string direction)
    {
        var d = direction == "bidirectional" ? 2 : 1;
        Check("RNN", 1, [("direction", direction)], d, bias: false, lengths: false, initial: false);
        Check("RNN", 1, [("direction", direction)], d, bias: true, lengths: true, initial: true);
        Check("RNN", 1, [("direction", direction), ("activations", Enumerable.Repeat("Relu", d).ToArray())], d, bias: true, lengths: false, initial: true, layout: 1);
        Check("RNN", 1, [("direction", direction), ("activations", Enumerable.Repeat("Sigmoid", d).ToArray()), ("clip", 0.3f)], d, bias: true, lengths: true, initial: false);
    }

    [Fact]
    public void AnUnknownActivationIsUnimplementedAndNamed()
    {
        var model = Model("RNN", 14, [("hidden_size", H), ("activations", new[] { "Gelu" })], [F(1, T, B, I), Const(F(2, 1, H, I)), Const(F(3, 1, H, H))], 2);
        using var g = TestGraph.Enter();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Parse(model, "r.onnx").Import());
        Assert.Equal("r.onnx: node 'RNN_0' (RNN) uses activations=Gelu, which SharpFlow.Onnx does not support.", e.RawMessage);
    }
}
