using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>ONNX's shape, indexing, reduction and dense operators, imported, give ONNX Runtime's outputs.</summary>
public sealed class OnnxTensorOpTests
{
    [Fact]
    public void ShapeSizeAndConstants()
    {
        var x = F(1, 2, 3, 4);
        Agrees("Shape", 13, [], [x]);
        Agrees("Shape", 15, [("start", 1)], [x]);
        Agrees("Shape", 15, [("start", -2), ("end", -1)], [x]);
        Agrees("Shape", 15, [("end", 10)], [x], dynamicBatch: false);
        Agrees("Size", 13, [], [x]);
        Agrees("ConstantOfShape", 9, [], [L(2, 3)]);
        Agrees("ConstantOfShape", 9, [("value", NDArray.FromFlat(new[] { 7L }, new Shape(1)))], [L(3)]);
        Agrees("Constant", 13, [("value_float", 2.5f)], []);
        Agrees("Constant", 13, [("value_floats", new[] { 1f, 2f })], []);
        Agrees("Constant", 13, [("value_int", 4)], []);
        Agrees("Constant", 13, [("value_ints", new[] { 4, 5, 6 })], []);
        Agrees("Range", 11, [], [NDArray.Scalar(1f), NDArray.Scalar(5f), NDArray.Scalar(0.5f)]);
        Agrees("Range", 11, [], [Const(NDArray.Scalar(10L)), NDArray.Scalar(2L), NDArray.Scalar(-3L)]);
    }

    [Fact]
    public void ReshapeFlattenTransposeWithComputedOperands()
    {
        var x = F(2, 2, 2, 3, 4);
        Agrees("Reshape", 14, [], [x, L(0, -1, 4)]);
        Agrees("Reshape", 14, [], [x, Const(L(4, 0, -1))]);
        Agrees("Reshape", 14, [("allowzero", 1)], [x, Const(L(6, 8))]);
        Agrees("Reshape", 1, [("shape", new[] { 2, -1 })], [x]);
        foreach (var axis in new[] { 0, 1, 2, 3, 4, -1 })
            Agrees("Flatten", 13, [("axis", axis)], [x]);
        Agrees("Transpose", 13, [("perm", new[] { 0, 2, 3, 1 })], [x]);
        Agrees("Transpose", 13, [], [F(3, 2, 3, 4)]);
    }

    [Fact]
    public void SqueezeAndUnsqueezeByAttributeAndByInput()
    {
        var x = F(9, 2, 1, 3, 1);
        Agrees("Squeeze", 11, [("axes", new[] { 1 })], [x]);
        Agrees("Squeeze", 11, [], [x]);
        Agrees("Squeeze", 13, [], [x, Const(L(-1, 1))]);
        Agrees("Unsqueeze", 11, [("axes", new[] { 0, 4 })], [F(4, 2, 3, 4)]);
        Agrees("Unsqueeze", 13, [], [F(4, 2, 3), Const(L(-1, 1))]);
    }

    [Fact]
    public void ExpandTileConcatSplit()
    {
        Agrees("Expand", 13, [], [F(5, 3, 1), L(2, 1, 4)]);
        Agrees("Expand", 13, [], [F(5, 1, 3), Const(L(3, 1))]);
        Agrees("Tile", 13, [], [F(6, 2, 3), L(2, 3)]);
        Agrees("Concat", 13, [("axis", -1)], [F(7, 2, 3), F(8, 2, 1), Const(F(9, 2, 2))]);
        Agrees("Split", 13, [("axis", 1)], [F(10, 2, 6), L(1, 2, 3)], outputs: 3);
        Agrees("Split", 11, [("axis", 1), ("split", new[] { 4, 2 })], [F(10, 2, 6)], outputs: 2);
        Agrees("Split", 13, [("axis", -1)], [F(10, 2, 6)], outputs: 3);
        Agrees("Split", 18, [("axis", 1), ("num_outputs", 3)], [F(10, 2, 7)], outputs: 3);
        // Along the batch axis, whose size the importer does not know: the sizes are computed at run time.
        Agrees("Split", 13, [("axis", 0)], [F(10, 6, 2)], outputs: 3);
        Agrees("Split", 18, [("axis", 0), ("num_outputs", 3)], [F(10, 7, 2)], outputs: 3);
        Agrees("Split", 18, [("axis", 0), ("num_outputs", 3)], [F(10, 9, 2)], outputs: 3);
        Agrees("Split", 13, [("axis", 1)], [F(11, 1, 4, 3, 3)], outputs: 2);
    }

    [Fact]
    public void SliceWithStepsAndNegativeAxes()
    {
        var x = F(12, 4, 5, 6);
        Agrees("Slice", 13, [], [x, Const(L(1, 0)), Const(L(3, 5))]);
        Agrees("Slice", 13, [], [x, Const(L(-1)), Const(L(long.MinValue)), Const(L(1)), Const(L(-1))]);
        Agrees("Slice", 13, [], [x, Const(L(0, 4)), Const(L(long.MaxValue, 0)), Const(L(-1, 1)), Const(L(2, -2))]);
        Agrees("Slice", 13, [], [x, Const(L(-2)), Const(L(-5)), Const(L(0)), Const(L(-1))]);
        Agrees("Slice", 13, [], [x, Const(L(10)), Const(L(-10)), Const(L(2)), Const(L(-3))]);
        Agrees("Slice", 13, [], [x, Const(L(-100)), Const(L(100)), Const(L(-1)), Const(L(1))]);
        // Starts and ends computed in the graph.
        Agrees("Slice", 13, [], [x, L(1, 0), L(3, 5)], dynamicBatch: false);
        Agrees("Slice", 13, [], [x, L(-1), L(long.MinValue), Const(L(1)), Const(L(-1))]);
        Agrees("Slice", 13, [], [x, L(0, 4), L(long.MaxValue, 0), Const(L(-1, 1)), Const(L(2, -2))]);
        Agrees("Slice", 9, [("starts", new[] { 1 }), ("ends", new[] { 3 }), ("axes", new[] { 2 })], [x]);
    }

    [Fact]
    public void GatherFamily()
    {
        var x = F(13, 3, 4, 5);
        Agrees("Gather", 13, [("axis", 1)], [x, L([0, -1, 2, 1], 2, 2)]);
        Agrees("Gather", 13, [], [x, L(2)]);
        Agrees("Gather", 13, [("axis", -1)], [x, Const(NDArray.Scalar(-2L))]);
        Agrees("GatherElements", 13, [("axis", 1)], [x, L([0, 3, -1, 2, 1, 1, 0, 0, 2, 3, 3, 1, 0, 1, 2, 3, 0, 1], 3, 2, 3)]);
        Agrees("GatherElements", 13, [("axis", 0)], [F(14, 3, 3), L([1, 2, 0, 2, 0, 0], 2, 3)]);
        Agrees("GatherND", 13, [], [x, L([0, 1, 2, 3, -1, 0], 3, 2)]);
        Agrees("GatherND", 13, [], [x, L([1, 2, 3, 0, 0, 4], 2, 3)]);
    }

    [Fact]
    public void Scatters()
    {
        var data = F(15, 4, 3);
        Agrees("ScatterND", 13, [], [data, L([1, 3], 2, 1), F(16, 2, 3)]);
        Agrees("ScatterND", 16, [("reduction", "add")], [data, L([1, 2, 1, 0], 2, 2), F(17, 2)]);
        Agrees("ScatterElements", 13, [("axis", 1)], [data, L([0, 2, 1, -1], 2, 2), F(18, 2, 2)]);
        Agrees("ScatterElements", 16, [("axis", 0), ("reduction", "add")], [data, L([0, 3, 1], 1, 3), F(19, 1, 3)]);
        // The reductions of opsets 16 (mul) and 18 (max, min), with a location written twice: every update applies.
        Agrees("ScatterND", 16, [("reduction", "mul")], [data, L([1, 3, 1], 3, 1), F(22, 3, 3)]);
        Agrees("ScatterND", 18, [("reduction", "max")], [data, L([1, 2, 1, 2, 0, 0], 3, 2), F(23, 3)]);
        Agrees("ScatterND", 18, [("reduction", "min")], [data, L([2, 0, 2, 0, 3, 1], 3, 2), F(24, 3)]);
        Agrees("ScatterElements", 18, [("axis", 1), ("reduction", "max")], [data, L([0, 0, 2, 1], 2, 2), F(25, 2, 2)]);
        Agrees("ScatterElements", 18, [("axis", 1), ("reduction", "min")], [data, L([0, 0, 2, -1], 2, 2), F(27, 2, 2)]);
        Agrees("ScatterElements", 16, [("axis", 0), ("reduction", "mul")], [data, L([3, 3, 1], 1, 3), F(26, 1, 3)]);
        // The deprecated Scatter (opsets 9 and 10) is ScatterElements without reduction.
        Agrees("Scatter", 10, [("axis", 1)], [data, L([0, 2, 1, 0], 2, 2), F(20, 2, 2)]);
        Agrees("Scatter", 9, [], [data, L([1, 0, 2], 1, 3), F(21, 1, 3)]);
    }

    [Fact]
    public void NonZeroOneHotTrilu()
    {
        Agrees("NonZero", 13, [], [NDArray.FromFlat(new[] { 0f, 1f, 0f, 2f, 3f, 0f }, new Shape(2, 3))]);
        Agrees("OneHot", 11, [], [L([0, 2, -1, 5], 2, 2), NDArray.Scalar(4L), NDArray.FromFlat(new[] { -1f, 3f }, new Shape(2))]);
        Agrees("OneHot", 11, [("axis", 0)], [L(1, 0, 3), Const(L(4)), Const(L(0, 1))]);
        var m = F(20, 2, 4, 5);
        Agrees("Trilu", 14, [], [m]);
        Agrees("Trilu", 14, [("upper", 0)], [m]);
        Agrees("Trilu", 14, [("upper", 0)], [m, Const(NDArray.Scalar(-1L))]);
        Agrees("Trilu", 14, [], [m, NDArray.Scalar(2L)]);
        Agrees("EyeLike", 9, [], [F(21, 3, 4)]);
        Agrees("EyeLike", 9, [("k", 1), ("dtype", 7)], [F(21, 3, 4)]);
    }

    [Fact]
    public void ArgMaxArgMinTopK()
    {
        var x = NDArray.FromFlat(new[] { 1f, 3f, 3f, 0f, 2f, 2f, 5f, 5f, 1f, 0f, 0f, 4f }, new Shape(3, 4));
        foreach (var op in new[] { "ArgMax", "ArgMin" })
            foreach (var axis in new[] { 0, 1, -1 })
                foreach (var keep in new[] { 0, 1 })
                    foreach (var last in new[] { 0, 1 })
                        Agrees(op, 13, [("axis", axis), ("keepdims", keep), ("select_last_index", last)], [x]);
        var y = F(22, 3, 5, 4);
        foreach (var axis in new[] { -1, 1, 0 })
            foreach (var largest in new[] { 1, 0 })
                Agrees("TopK", 11, [("axis", axis), ("largest", largest)], [y, L(2)], outputs: 2);
        Agrees("TopK", 1, [("k", 3)], [y], outputs: 2);
    }

    [Fact]
    public void EveryReduction()
    {
        var x = Uniform(23, 0.1, 2, 2, 3, 4);
        foreach (var op in new[] { "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare" })
        {
            Agrees(op, 11, [("axes", new[] { 1 })], [x]);
            Agrees(op, 11, [("axes", new[] { 0, -1 }), ("keepdims", 0)], [x]);
            Agrees(op, 11, [], [x]);
            Agrees(op, 18, [], [x, L(-2)]);
            Agrees(op, 18, [("keepdims", 0)], [x, Const(L(0, 2))]);
            Agrees(op, 18, [("noop_with_empty_axes", 1)], [x]);
            Agrees(op, 18, [], [x]);
        }
        Agrees("ReduceSum", 13, [], [x, L(1)]);
        Agrees("ReduceSum", 13, [("noop_with_empty_axes", 1)], [x, NDArray.FromFlat(Array.Empty<long>(), new Shape(0))]);
    }

    [Fact]
    public void CumSumEinsumAndReverseSequence()
    {
        var x = F(24, 3, 4);
        foreach (var exclusive in new[] { 0, 1 })
            foreach (var reverse in new[] { 0, 1 })
            {
                Agrees("CumSum", 14, [("exclusive", exclusive), ("reverse", reverse)], [x, Const(NDArray.Scalar(1L))]);
                Agrees("CumSum", 14, [("exclusive", exclusive), ("reverse", reverse)], [x, Const(NDArray.Scalar(-2))]);
            }
        Agrees("Einsum", 12, [("equation", "ij,jk->ik")], [F(25, 2, 3), F(26, 3, 4)]);
        Agrees("Einsum", 12, [("equation", "bij,bjk->bik")], [F(25, 2, 2, 3), F(26, 2, 3, 4)]);
        Agrees("Einsum", 12, [("equation", "ij->ji")], [F(27, 2, 3)]);
        Agrees("Einsum", 12, [("equation", "i,i->")], [F(28, 5), F(29, 5)]);
        Agrees("Einsum", 12, [("equation", "bhqd,bhkd->bhqk")], [F(30, 1, 2, 3, 4), F(31, 1, 2, 5, 4)]);
        Agrees("ReverseSequence", 10, [("batch_axis", 1), ("time_axis", 0)], [F(32, 4, 3, 2), L(4, 2, 1)]);
        Agrees("ReverseSequence", 10, [("batch_axis", 0), ("time_axis", 1)], [F(33, 3, 4), L(1, 3, 4)]);
        Agrees("Compress", 11, [("axis", 1)], [F(34, 3, 4), NDArray.FromFlat(new[] { true, false, true }, new Shape(3))]);
        Agrees("Compress", 11, [], [F(34, 3, 4), NDArray.FromFlat(new[] { false, true, true, false, true }, new Shape(5))]);
    }

    [Fact]
    public void MatMulOfAnyRankAndGemmWithEveryAttribute()
    {
        Agrees("MatMul", 13, [], [F(35, 2, 3, 4), F(36, 4, 5)]);
        Agrees("MatMul", 13, [], [F(35, 2, 1, 3, 4), F(36, 3, 4, 5)]);
        Agrees("MatMul", 13, [], [F(37, 4), F(38, 2, 4, 3)]);
        Agrees("MatMul", 13, [], [F(39, 2, 3, 4), F(40, 4)]);
        Agrees("MatMul", 13, [], [F(41, 4), F(42, 4)]);
        foreach (var ta in new[] { 0, 1 })
            foreach (var tb in new[] { 0, 1 })
            {
                var a = ta == 0 ? F(43, 2, 3) : F(43, 3, 2);
                var b = tb == 0 ? F(44, 3, 4) : F(44, 4, 3);
                Agrees("Gemm", 13, [("transA", ta), ("transB", tb)], [a, b]);
                Agrees("Gemm", 13, [("transA", ta), ("transB", tb), ("alpha", 0.5f), ("beta", 2f)], [a, Const(b), F(45, 4)]);
                Agrees("Gemm", 13, [("transA", ta), ("transB", tb), ("beta", -1f)], [a, b, Const(F(46, 2, 1))]);
            }
    }

    [Fact]
    public void PadInEveryModeWithPadsAsInputs()
    {
        var x = F(47, 1, 2, 3, 4);
        foreach (var mode in new[] { "constant", "edge", "reflect", "wrap" })
        {
            Agrees("Pad", 19, [("mode", mode)], [x, Const(L(0, 0, 1, 2, 0, 0, 2, 1))]);
            Agrees("Pad", 19, [("mode", mode)], [F(48, 3, 5), Const(L(2, 0, 1, 3))], dynamicBatch: false);
        }
        Agrees("Pad", 13, [], [x, Const(L(0, 1, 1, 0, 0, 0, 1, 1)), Const(NDArray.Scalar(1.5f))]);
        Agrees("Pad", 13, [], [x, L(0, 1, 1, 0, 0, 0, 1, 1), NDArray.Scalar(-2f)]);
        Agrees("Pad", 13, [], [x, Const(L(0, 0, -1, 1, 0, 0, 1, -2))]);
        Agrees("Pad", 18, [("mode", "reflect")], [x, Const(L(1, 2, 1, 0)), Const(NDArray.Scalar(0f)), Const(L(2, -1))]);
        Agrees("Pad", 2, [("pads", new[] { 0, 0, 1, 1, 0, 0, 1, 1 }), ("value", 0.5f)], [x]);
        Agrees("Pad", 2, [("pads", new[] { 0, 0, 1, 1, 0, 0, 1, 1 }), ("mode", "edge")], [x]);
    }

    [Fact]
    public void DropoutWithItsMaskAndDepthSpaceRearrangements()
    {
        Agrees("Dropout", 13, [], [F(49, 2, 3)], outputs: 2);
        Agrees("Dropout", 13, [("seed", 3)], [F(49, 2, 3), Const(NDArray.Scalar(0.5f))], outputs: 2);
        var x = F(50, 2, 8, 2, 3);
        Agrees("DepthToSpace", 13, [("blocksize", 2)], [x]);
        Agrees("DepthToSpace", 13, [("blocksize", 2), ("mode", "CRD")], [x]);
        Agrees("SpaceToDepth", 13, [("blocksize", 2)], [F(51, 2, 3, 4, 6)]);
    }
}
