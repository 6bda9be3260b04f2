using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>Split (<c>tf.split</c> with a number): <c>num_split</c> equal pieces of a tensor along <c>split_dim</c>.</summary>
internal sealed class Split : OpDef
{
    public static readonly Split Def = new();

    private static readonly OpAttr<long> NumSplit = new("num_split");
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "Split";

    public override void InferShapes(InferenceContext ctx)
    {
        var n = (int)NumSplit.Of(ctx);
        if (ctx.InputDType(0) != DType.int32) throw ctx.TypeError($"split_dim must be int32, got {ctx.InputDType(0).name}");
        var input = ctx.InputShape(1);
        var axisValue = ctx.ConstantInput(0);
        Shape output;
        if (!input.IsKnownRank) output = Shape.Unknown;
        else if (axisValue is null) output = Shape.UnknownDims(input.ndims);
        else
        {
            var axis = Axis(axisValue, input.ndims, m => ctx.Error(m));
            var dims = input.Dims;
            if (dims[axis] >= 0 && dims[axis] % n != 0)
                throw ctx.Error($"Dimension size must be evenly divisible by {n} but is {dims[axis]}");
            if (dims[axis] >= 0) dims[axis] /= n;
            output = Shape.Own(dims);
        }
        for (var i = 0; i < n; i++) ctx.AddOutput(ctx.InputDType(1), output);
    }

    /// <summary>TensorFlow's check of the split dimension: <c>-input rank(-2) &lt;= split_dim &lt; input rank (2), but got 2</c>.</summary>
    internal static int Axis(NDArray value, int rank, Func<string, Exception> error)
    {
        var axis = OpValues.Scalar(value, "split_dim", error);
        if (axis < -rank || axis >= rank) throw error($"-input rank(-{rank}) <= split_dim < input rank ({rank}), but got {axis}");
        return (int)(axis < 0 ? axis + rank : axis);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var n = (int)NumSplit.Of(op);
        return OpKernel.From(ctx =>
        {
            var x = ctx.Input(1);
            var axis = Axis(ctx.Input(0), x.ndim, ctx.InvalidArgumentOf);
            var size = x.shape[axis];
            if (size % n != 0)
                throw ctx.InvalidArgument($"Number of ways to split should evenly divide the split dimension, but got split_dim {axis} (size = {size}) and num_split {n}");
            WritePieces(ctx, x, axis, Enumerable.Repeat(size / n, n).ToArray());
        });
    }

    /// <summary>Copies consecutive pieces of <paramref name="sizes"/> along <paramref name="axis"/> into the outputs.</summary>
    internal static void WritePieces(OpKernelContext ctx, NDArray x, int axis, int[] sizes)
    {
        var strides = DataMovement.Strides(x.shape.AsSpan());
        var start = 0;
        for (var i = 0; i < sizes.Length; i++)
        {
            var dims = x.shape.Dims;
            dims[axis] = sizes[i];
            var y = ctx.AllocateUninitializedOutput(i, x.dtype, Shape.Own(dims));
            DataMovement.StridedCopy(x, start * strides[axis], strides, y, 0, DataMovement.Strides(dims), dims);
            start += sizes[i];
        }
    }

    /// <summary>TensorFlow's <c>_SplitGrad</c>: the pieces' gradients concatenated (zeros for unused pieces).</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        [null, ConcatV2.Build(FillMissing(op, grads), op.inputs[0])];

    internal static List<TensorLike> FillMissing(Operation op, IReadOnlyList<Tensor?> grads) =>
        [.. grads.Select((g, i) => (TensorLike)(g ?? ZerosLike.Def.Apply(op.outputs[i], null, true, null)))];

    /// <summary>
    /// <c>tf.split(value, num_or_size_splits, axis, num)</c>: a number makes a Split op of equal pieces; sizes
    /// (one may be -1) make a SplitV op.
    /// </summary>
    public static Tensor[] Build(TensorLike value, TensorLike numOrSizeSplits, TensorLike axis, int? num = null, string? name = null)
    {
        if (numOrSizeSplits.Value is int or long)
        {
            using var b = OpBuilder.Begin(name, "split", value, axis);
            var n = Convert.ToInt64(numOrSizeSplits.Value, System.Globalization.CultureInfo.InvariantCulture);
            var a = b.Convert(axis, "split_dim", DType.int32);
            var x = b.Convert(value, "value");
            return [.. b.Create(Def, [a, x], new() { { T, x.dtype }, { NumSplit, n } }).outputs];
        }
        return SplitV.Build(value, numOrSizeSplits, axis, num, name);
    }
}
