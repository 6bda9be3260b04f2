using Google.Protobuf;
using SharpFlow.Onnx;
using SharpFlow.Onnx.Proto;
using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>
/// ScatterND and ScatterElements without reduction, imported, give ONNX Runtime's outputs where ONNX leaves them
/// undefined: a location written more than once keeps the last update (ONNX Runtime writes the updates in order);
/// for floats, int64 and bool, with the shapes known only at run time (GatherND too); a reduction over booleans is refused.
/// </summary>
public sealed class OnnxScatterTests
{
    private static NDArray Bools(params bool[] values) => NDArray.FromFlat(values, new Shape(values.Length));

    private static NDArray Bools(bool[] values, params int[] shape) => NDArray.FromFlat(values, new Shape(shape));

    [Fact]
    public void ScatterNDRepeatedIndicesKeepTheLastUpdate()
    {
        var data = F(1, 4, 3);
        // Whole rows: row 1 written three times, row 3 once.
        Agrees("ScatterND", 13, [], [data, L([1, 3, 1, -3], 4, 1), F(2, 4, 3)]);
        // Single elements, with (2, 1) written twice and (0, 0) three times.
        Agrees("ScatterND", 13, [], [data, L([2, 1, 0, 0, 2, 1, 0, 0, 3, 2, 0, 0], 6, 2), F(3, 6)]);
        // Index rows of rank 2 (a batch of 2×2 updates), repeats across the batch rows.
        Agrees("ScatterND", 16, [("reduction", "none")], [data, L([0, 2, 2, 0], 2, 2, 1), F(4, 2, 2, 3)]);
        // No update at all: the data unchanged.
        Agrees("ScatterND", 13, [], [data, L(Array.Empty<long>(), 0, 1), F(5, 0, 3)]);
    }

    [Fact]
    public void ScatterNDOfInt64AndBoolWritesWithoutAdding()
    {
        var ints = L([1, 2, 3, 4, 5, 6, 7, 8], 2, 4);
        Agrees("ScatterND", 13, [], [ints, L([1, 0, 1], 3, 1), L([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120], 3, 4)]);
        Agrees("ScatterND", 13, [], [ints, L([0, 3, 0, 3, 1, 1], 3, 2), L(-1, -2, -3)]);
        var bools = Bools([true, false, true, false, false, true], 2, 3);
        Agrees("ScatterND", 13, [], [bools, L([0, 1, 0, 1, 1, 2, 0, 0], 4, 2), Bools(true, false, false, true)]);
        Agrees("ScatterND", 13, [], [bools, L([1, 1], 2, 1), Bools([true, true, true, false, true, false], 2, 3)]);
    }

    [Fact]
    public void ScatterElementsRepeatedIndicesKeepTheLastUpdate()
    {
        var data = F(6, 3, 4);
        Agrees("ScatterElements", 13, [("axis", 1)], [data, L([0, 2, 0, -4, 3, 3, 1, 3], 2, 4), F(7, 2, 4)]);
        Agrees("ScatterElements", 13, [("axis", 0)], [data, L([2, 0, 2, 1, 2, 1, 0, 1], 2, 4), F(8, 2, 4)]);
        Agrees("ScatterElements", 16, [("axis", -1), ("reduction", "none")], [L([1, 2, 3, 4, 5, 6], 2, 3), L([2, 2, 0, 1, 1, 1], 2, 3), L([7, 8, 9, 10, 11, 12], 2, 3)]);
        Agrees("ScatterElements", 13, [("axis", 1)], [Bools([false, false, true, true], 2, 2), L([1, 1, 0, 0], 2, 2), Bools([true, false, false, true], 2, 2)]);
        // The deprecated Scatter: the same rule.
        Agrees("Scatter", 9, [("axis", 1)], [data, L([3, 3, 3], 1, 3), F(9, 1, 3)]);
    }

    [Fact]
    public void ScattersAndGatherNDWithEveryDimensionKnownOnlyAtRunTime()
    {
        Check("ScatterND", 13, [], [F(10, 5, 2, 3), L([4, 0, 4, 1, 0, 0], 3, 2), F(11, 3, 3)]);
        Check("ScatterND", 13, [], [Bools([true, false, true, false, true, false], 3, 2), L([2, 2, 0], 3, 1), Bools([false, true, true, true, false, false], 3, 2)]);
        // GatherND reads index rows whose length is known only at run time the same way.
        Check("GatherND", 13, [], [F(12, 3, 2, 2), L([2, 1, 0, 0, 1, 1], 3, 2)]);
        Check("GatherND", 13, [], [F(13, 3, 2, 2), L([2, 1, 0, 0, 1, 1], 2, 3)]);
        Check("ScatterElements", 13, [("axis", 2)], [L([1, 2, 3, 4, 5, 6, 7, 8], 2, 2, 2), L([1, 1, 0, 0, 1, 0, 1, 1], 2, 2, 2), L([9, 10, 11, 12, 13, 14, 15, 16], 2, 2, 2)]);

        static void Check(string op, int opset, (string, object)[] attributes, NDArray[] inputs)
        {
            var proto = ModelProto.Parser.ParseFrom(Model(op, opset, attributes, [.. inputs.Select(i => (OnnxArg)i)], 1));
            foreach (var input in proto.Graph.Input)
            {
                var dims = input.Type.TensorType.Shape.Dim;
                for (var d = 0; d < dims.Count; d++) dims[d] = new TensorShapeProto.Types.Dimension { DimParam = $"{input.Name}_{d}" };
            }
            var model = proto.ToByteArray();
            var feeds = inputs.Select((v, i) => ($"in{i}", v)).ToList();
            using (var g = TestGraph.Enter())
            {
                var net = OnnxModel.Parse(model, "runtime.onnx").Import();
                Assert.All(net.Inputs.Values, t => Assert.All(t.shape.Dims, d => Assert.Equal(-1, d)));
            }
            Same(RunOnnxRuntime(model, feeds, ["out0"])[0], RunSharpFlow(model, feeds, ["out0"])[0], $"{op} with run-time shapes", 0);
        }
    }

    [Theory]
    [InlineData("ScatterND")]
    [InlineData("GatherND")]
    public void IndicesOfUnknownRankAreRefusedNamingTheNode(string op)
    {
        NDArray[] inputs = op == "ScatterND" ? [F(1, 4, 3), L([1, 3], 2, 1), F(2, 2, 3)] : [F(1, 4, 3), L([1, 3], 2, 1)];
        var proto = ModelProto.Parser.ParseFrom(Model(op, 13, [], [.. inputs.Select(i => (OnnxArg)i)], 1));
        proto.Graph.Input[1].Type.TensorType.Shape = null; // the indices' rank unknown
        using var g = TestGraph.Enter();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Parse(proto.ToByteArray(), "rank.onnx").Import());
        Assert.Equal($"rank.onnx: node '{op}_0' ({op}) uses indices of unknown rank, which SharpFlow.Onnx does not support.", e.RawMessage);
    }

    [Fact]
    public void AReductionOverBooleansIsRefusedNamingTheNodeAndTheAttribute()
    {
        var model = Model("ScatterND", 16, [("reduction", "add")], [Bools([true, false], 2), L([1], 1, 1), Bools(true)], 1);
        using var g = TestGraph.Enter();
        var e = Assert.Throws<UnimplementedError>(() => OnnxModel.Parse(model, "bools.onnx").Import());
        Assert.Equal("bools.onnx: node 'ScatterND_0' (ScatterND) uses reduction=add (on bool data), which SharpFlow.Onnx does not support.", e.RawMessage);
    }
}
