using SharpFlow.Framework;
using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.Sparse;

namespace SharpFlow.Ops.MathOps;

/// <summary>
/// SelectV2 (<c>tf.where_v2(condition, x, y)</c>, TensorFlow 2's <c>tf.where</c>): elements of <c>x</c> where the
/// condition holds, of <c>y</c> elsewhere, with the condition, <c>x</c> and <c>y</c> broadcast against each other
/// (NumPy rules), unlike <see cref="Select"/>. Strings are selected too (TensorFlow's Saver picks its temporary
/// file suffix with one).
/// </summary>
internal sealed class SelectV2 : OpDef
{
    public static readonly SelectV2 Def = new();
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "SelectV2";

    public override bool AcceptsStrings => true;

    public override bool BroadcastsInputs => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.@bool) throw ctx.TypeError($"condition must be bool, got {ctx.InputDType(0).name}");
        if (ctx.InputDType(1) != ctx.InputDType(2))
            throw ctx.TypeError($"x and y have different dtypes: {ctx.InputDType(1).name} and {ctx.InputDType(2).name}");
        var (c, x, y) = (ctx.InputShape(0), ctx.InputShape(1), ctx.InputShape(2));
        var shape = (Shape.TryBroadcast(x, y) is { } xy ? Shape.TryBroadcast(c, xy) : null)
                    ?? throw ctx.Error($"Incompatible shapes: condition {c.ToListString()}, x {x.ToListString()} and y {y.ToListString()} do not broadcast");
        ctx.AddOutput(ctx.InputDType(1), shape);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (cond, x, y) = (ctx.Input(0), ctx.Input(1), ctx.Input(2));
        var dims = (Broadcast.Shape(x.shape.AsSpan(), y.shape.AsSpan()) is { } xy ? Broadcast.Shape(cond.shape.AsSpan(), xy) : null)
                   ?? throw ctx.InvalidArgument($"condition {cond.shape.ToListString()}, then {x.shape.ToListString()}, and else {y.shape.ToListString()} must be broadcastable");
        var output = ctx.AllocateUninitializedOutput(0, x.dtype, Shape.Own(dims));
        if (x.dtype == DType.@string)
        {
            var (mc, mx, my) = (SourceIndex(cond.shape.AsSpan(), dims), SourceIndex(x.shape.AsSpan(), dims), SourceIndex(y.shape.AsSpan(), dims));
            var cs = cond.AsReadOnlySpan<bool>();
            var (xs, ys, zs) = (Elements.Strings(x), Elements.Strings(y), Elements.Strings(output));
            for (var i = 0; i < zs.Length; i++) zs[i] = cs[mc[i]] ? xs[mx[i]] : ys[my[i]];
            return;
        }
        DataMovement.Select(Expand(cond, dims).AsReadOnlySpan<bool>(), Expand(x, dims), Expand(y, dims), output);
    });

    /// <summary><paramref name="a"/> broadcast to <paramref name="dims"/> (itself when it has that shape).</summary>
    private static NDArray Expand(NDArray a, int[] dims)
    {
        if (a.shape.AsSpan().SequenceEqual(dims)) return a;
        var full = NDArray.Zeros(a.dtype, Shape.Own(dims));
        DataMovement.StridedCopy(a, 0, BroadcastTo.Strides(a.shape.AsSpan(), dims)!, full, 0, DataMovement.Strides(dims), dims);
        return full;
    }

    /// <summary>For each element of the broadcast output, the flat index of the input element it reads.</summary>
    private static int[] SourceIndex(ReadOnlySpan<int> input, int[] dims)
    {
        var strides = BroadcastTo.Strides(input, dims)!;
        var size = 1;
        foreach (var d in dims) size *= d;
        var map = new int[size];
        var index = new int[dims.Length];
        for (var i = 0; i < size; i++)
        {
            var offset = 0;
            for (var a = 0; a < dims.Length; a++) offset += index[a] * strides[a];
            map[i] = offset;
            for (var a = dims.Length - 1; a >= 0 && ++index[a] == dims[a]; a--) index[a] = 0;
        }
        return map;
    }

    /// <summary>
    /// TensorFlow's <c>_SelectGradV2</c>: the gradient goes to x where the condition holds and to y elsewhere, each
    /// summed back to its input's shape by the gradient pass; the condition has none.
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var (g, c) = (grads[0]!, op.inputs[0]);
        var zeros = ArrayOps.ZerosLike.Def.Apply(g, null, optimize: true, null);
        return [null, Build(c, g, zeros), Build(c, zeros, g)];
    }

    /// <summary><c>tf.where_v2(condition, x, y)</c>.</summary>
    public static Tensor Build(TensorLike condition, TensorLike x, TensorLike y, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "SelectV2", condition, x, y);
        var cond = b.Convert(condition, "condition", condition.Value is Tensor ? null : DType.@bool);
        var values = b.SameType("SelectV2", [x, y], ["t", "e"]);
        return b.Create(Def, [cond, values[0], values[1]], new() { { T, values[0].dtype } }).outputs[0];
    }
}
