using SharpFlow.Onnx;
using SharpFlow.Onnx.Proto;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>ONNX Scan, Unique and Det imported, checked against ONNX Runtime over their attribute combinations.</summary>
public sealed class OnnxScanUniqueDetTests
{
    private static ValueInfoProto Info(string name) =>
        new() { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } } };

    /// <summary>A float32 body graph of the given nodes.</summary>
    private static GraphProto Body(string[] inputs, string[] outputs, params (string Op, string[] In, string Out)[] nodes)
    {
        var g = new GraphProto { Name = "body" };
        foreach (var i in inputs) g.Input.Add(Info(i));
        for (var k = 0; k < nodes.Length; k++) g.Node.Add(OnnxNodes.Create(nodes[k].Op, k, nodes[k].In, [nodes[k].Out], []));
        foreach (var o in outputs) g.Output.Add(Info(o));
        return g;
    }

    // s' = s + x; y = s' * x: one state, one scan input, one scan output.
    private static GraphProto Accumulate() =>
        Body(["s", "x"], ["s2", "y"], ("Add", ["s", "x"], "s2"), ("Mul", ["s2", "x"], "y"));

    [Theory]
    [InlineData(9)]
    [InlineData(11)]
    [InlineData(16)]
    public void ScanOverTheFirstAxis(int opset)
    {
        foreach (var dynamicBatch in new[] { false, true })
            Agrees("Scan", opset, [("body", Accumulate()), ("num_scan_inputs", 1L)], [F(1, 2), F(2, 5, 2)], outputs: 2, dynamicBatch: dynamicBatch);
    }

    [Theory]
    [InlineData(0L, 0L, 0L, 0L)]
    [InlineData(1L, 0L, 0L, 0L)]
    [InlineData(0L, 1L, 0L, 0L)]
    [InlineData(1L, 1L, 1L, 1L)]
    [InlineData(1L, 0L, 1L, 0L)]
    [InlineData(0L, 1L, 0L, 1L)]
    public void ScanAxesAndDirections(long inAxis, long inDirection, long outAxis, long outDirection)
    {
        var x = inAxis == 0 ? F(3, 4, 3) : F(3, 3, 4);
        Agrees("Scan", 11,
            [("body", Accumulate()), ("num_scan_inputs", 1L), ("scan_input_axes", new[] { inAxis }), ("scan_input_directions", new[] { inDirection }),
             ("scan_output_axes", new[] { outAxis }), ("scan_output_directions", new[] { outDirection })],
            [F(4, 3), x], outputs: 2, dynamicBatch: false);
    }

    [Fact]
    public void ScanWithTwoScanInputsOfTheirOwnAxesAndDirectionsNegativeAxesAndTwoStates()
    {
        // s' = s + x - z; t' = t * 0.5 + s'; outputs s', t', and the scan outputs s' * z and t'.
        var body = Body(["s", "t", "x", "z"], ["s2", "t2", "y", "w"],
            ("Add", ["s", "x"], "a"), ("Sub", ["a", "z"], "s2"), ("Mul", ["t", "half"], "b"), ("Add", ["b", "s2"], "t2"),
            ("Mul", ["s2", "z"], "y"), ("Identity", ["t2"], "w"));
        body.Initializer.Add(OnnxTensors.FromNDArray(NDArray.Scalar(0.5f), "half"));
        Agrees("Scan", 16,
            [("body", body), ("num_scan_inputs", 2L), ("scan_input_axes", new[] { 0L, -1L }), ("scan_input_directions", new[] { 0L, 1L }),
             ("scan_output_axes", new[] { -1L, 0L }), ("scan_output_directions", new[] { 1L, 0L })],
            [F(5, 2), F(6, 2), F(7, 4, 2), F(8, 2, 4)], outputs: 4, dynamicBatch: false);
    }

    private static NDArray Repeats() => NDArray.FromFlat(new[] { 2f, 1f, 1f, 3f, 4f, 3f, -1f, 2f, 0f, 2f, -1f, 5f }, new Shape(3, 4));

    [Theory]
    [InlineData(1L)]
    [InlineData(0L)]
    public void UniqueOfAFlattenedInputSortedAndInOrderOfFirstOccurrence(long sorted)
    {
        Agrees("Unique", 11, [("sorted", sorted)], [Repeats()], outputs: 4);
        Agrees("Unique", 11, [("sorted", sorted)], [L(5, -3, 5, 7, -3, -3, 0)], outputs: 4);
        Agrees("Unique", 11, [("sorted", sorted), ("axis", 0L)], [L(5, -3, 5, 7, -3, -3, 0)], outputs: 4);
        Agrees("Unique", 11, [("sorted", sorted), ("axis", -1L)], [NDArray.FromFlat(new[] { 0.5f, -2f, 0.5f, 0.5f }, new Shape(4))], outputs: 4);
    }

    [Fact]
    public void UniqueWithOnlyItsFirstOutputs()
    {
        Agrees("Unique", 11, [], [Repeats()], outputs: 1);
        Agrees("Unique", 11, [("sorted", 0L)], [Repeats()], outputs: 3);
    }

    [Fact]
    public void UniqueSlicesAlongAnAxisAreRefusedNamingTheNodeAndAttribute()
    {
        var model = Model("Unique", 11, [("axis", 1L)], [Repeats()], 4);
        var e = Assert.Throws<UnimplementedError>(() => RunSharpFlow(model, [("in0", Repeats())], ["out0"]));
        Assert.Contains("'Unique_0' (Unique)", e.Message, StringComparison.Ordinal);
        Assert.Contains("axis=1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DetOfMatricesAndBatchesOfThemIncludingSingularOnesAndRowSwaps()
    {
        Agrees("Det", 11, [], [F(1, 3, 3)], tolerance: 1e-5);
        Agrees("Det", 11, [], [F(2, 1, 1)], tolerance: 1e-5);
        Agrees("Det", 11, [], [Uniform(3, -2, 2, 6, 6)], tolerance: 1e-4);
        Agrees("Det", 11, [], [F(4, 2, 3, 4, 4)], tolerance: 1e-4);
        Agrees("Det", 11, [], [Const(F(5, 5, 2, 2))], tolerance: 1e-5);
        // Singular, and a zero leading entry (a row swap is needed).
        Agrees("Det", 11, [], [NDArray.FromFlat(new[] { 1f, 2f, 2f, 4f }, new Shape(2, 2))]);
        Agrees("Det", 11, [], [NDArray.FromFlat(new[] { 0f, 2f, 1f, 3f, 1f, 0f, 1f, 1f, 5f }, new Shape(3, 3))]);
        Agrees("Det", 11, [], [NDArray.FromFlat(new[] { 0f, 0f, 1f, 0f, 1f, 0f, 1f, 0f, 0f }, new Shape(3, 3))]);
    }

    [Fact]
    public void DetOfANonSquareInputIsRefusedNamingTheNode()
    {
        var model = Model("Det", 11, [], [F(1, 2, 3)], 1);
        var e = Assert.Throws<UnimplementedError>(() => RunSharpFlow(model, [("in0", F(1, 2, 3))], ["out0"], dynamicBatch: false));
        Assert.Contains("'Det_0' (Det)", e.Message, StringComparison.Ordinal);
    }
}
