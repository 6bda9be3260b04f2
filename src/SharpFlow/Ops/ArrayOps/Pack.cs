using SharpFlow.Framework.Dispatch;
using SharpFlow.Framework;
using SharpFlow.Kernels;

namespace SharpFlow.Ops.ArrayOps;

/// <summary>
/// Pack (<c>tf.stack</c>): N tensors of one shape joined along a new dimension of size N at <c>axis</c> (negative
/// counts from the end of the output's dimensions).
/// </summary>
internal sealed class Pack : OpDef
{
    public static readonly Pack Def = new();

    private static readonly OpAttr<long> AxisAttr = new("axis", 0);
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<int> N = new("N");

    public override string Type => "Pack";

    public override void InferShapes(InferenceContext ctx)
    {
        var n = ctx.Inputs.Count;
        if (n < 1) throw ctx.Error("needs at least one value");
        var dtype = ctx.InputDType(0);
        var merged = ctx.InputShape(0);
        for (var i = 1; i < n; i++)
        {
            if (ctx.InputDType(i) != dtype) throw ctx.TypeError($"all values must have dtype {dtype.name}; value {i} has {ctx.InputDType(i).name}");
            var s = ctx.InputShape(i);
            if (merged.IsKnownRank && s.IsKnownRank && merged.ndims != s.ndims)
                throw ctx.Error($"Shapes must be equal rank, but are {merged.ndims} and {s.ndims}. From merging shape 0 with other shapes: {ctx.InputShape(0).ToListString()} and {s.ToListString()}");
            if (!merged.IsCompatibleWith(s))
                throw ctx.Error($"Dimensions must be equal: shapes {ctx.InputShape(0).ToListString()} and {s.ToListString()} of values 0 and {i} differ");
            merged = merged.MergeWith(s);
        }
        if (!merged.IsKnownRank)
        {
            ctx.AddOutput(dtype, Shape.Unknown);
            return;
        }
        var axis = Axis(AxisAttr.Of(ctx), merged.ndims + 1, m => ctx.Error(m));
        var dims = merged.Dims.ToList();
        dims.Insert(axis, n);
        ctx.AddOutput(dtype, Shape.Own([.. dims]));
    }

    /// <summary>TensorFlow's <c>GetAxisForPackAndUnpack</c>: an axis in [-rank, rank), made non-negative.</summary>
    internal static int Axis(long axis, int rank, Func<string, Exception> error)
    {
        if (axis < -rank || axis >= rank) throw error($"Invalid axis: {axis}; must be in [{-rank},{rank})");
        return (int)(axis < 0 ? axis + rank : axis);
    }

    /// <summary>TensorFlow's Pack takes any type: savers pack the string names of their shards.</summary>
    public override bool AcceptsStrings => true;

    public override OpKernel CreateKernel(Operation op)
    {
        var axisAttr = AxisAttr.Of(op);
        return OpKernel.From(ctx =>
        {
            var n = ctx.InputCount;
            var values = new NDArray[n];
            for (var i = 0; i < n; i++)
            {
                values[i] = ctx.Input(i);
                if (values[i].shape != values[0].shape)
                    throw ctx.InvalidArgument($"Shapes of all inputs must match: values[0].shape = {values[0].shape.ToListString()} != values[{i}].shape = {values[i].shape.ToListString()}");
            }
            var axis = Axis(axisAttr, values[0].ndim + 1, ctx.InvalidArgumentOf);
            var dims = values[0].shape.Dims.ToList();
            dims.Insert(axis, n);
            if (values[0].dtype == DType.@string) PackStrings(values, axis, ctx.AllocateOutput(0, DType.@string, Shape.Own([.. dims])));
            else DataMovement.Concat(values, axis, ctx.AllocateUninitializedOutput(0, values[0].dtype, Shape.Own([.. dims])));
        });
    }

    // Strings are byte arrays held by reference: the stacked array takes each input's references in order.
    private static void PackStrings(NDArray[] values, int axis, NDArray result)
    {
        var outer = 1;
        for (var d = 0; d < axis; d++) outer *= result.shape[d];
        var chunk = outer == 0 ? 0 : (int)(values[0].size / outer);
        var output = (byte[][])result.Storage;
        for (var i = 0; i < values.Length; i++)
        {
            var source = (byte[][])values[i].Storage;
            for (var o = 0; o < outer; o++)
                System.Array.Copy(source, o * chunk, output, (o * values.Length + i) * chunk, chunk);
        }
    }

    /// <summary>Stacked constants are a constant (TensorFlow's <c>constant_value</c> folds Pack).</summary>
    public override NDArray? ConstantValue(Operation op, int index)
    {
        var values = op.inputs.Select(t => t.op.Def.ConstantValue(t.op, t.value_index)).ToArray();
        if (System.Array.Exists(values, v => v is null) || values.Sum(v => (long)v!.size) > 1000 || !op.outputs[0].shape.IsFullyDefined) return null;
        var result = NDArray.Zeros(values[0]!.dtype, op.outputs[0].shape);
        var axis = Axis(AxisAttr.Of(op), values[0]!.ndim + 1, m => new ValueError(m));
        DataMovement.Concat(values!, axis, result);
        return result;
    }

    /// <summary>
    /// Scalars stacked into a shape vector: known entries where an input is a constant, unknown elsewhere
    /// (<c>tf.stack([tf.shape(x)[0], 10])</c> is <c>(?, 10)</c>), as TensorFlow's <c>constant_value_as_shape</c>.
    /// </summary>
    public override Shape? PartialShapeValue(Operation op, int index)
    {
        if (AxisAttr.Of(op) != 0 || op.inputs.Any(t => !t.shape.IsKnownRank || t.shape.ndims != 0)) return null;
        var dims = new int[op.inputs.Count];
        for (var i = 0; i < dims.Length; i++)
        {
            var t = op.inputs[i];
            var v = t.op.Def.ConstantValue(t.op, t.value_index);
            dims[i] = v is null ? -1 : (int)System.Math.Max(-1, v.ToArray<long>()[0]);
        }
        return new Shape(dims);
    }

    /// <summary>TensorFlow's <c>_PackGrad</c>: the gradient unstacked along the same axis.</summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads) =>
        Unpack.Build(grads[0]!, op.inputs.Count, AxisAttr.Of(op));

    /// <summary>
    /// <c>tf.stack(values, axis)</c>. Like TensorFlow's, a list of constants (numbers, arrays) is one constant named
    /// after the op; with a tensor among them, a Pack op whose other values take the tensor's dtype.
    /// </summary>
    public static Tensor Build(IReadOnlyList<TensorLike> values, long axis = 0, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ValueError("tf.stack needs at least one value.");
        using var b = OpBuilder.Begin(name, "stack", [.. values]);
        if (axis == 0 && values.All(v => v.Value is not Tensor))
        {
            var parts = values.Select(v => Literal.ToNDArray(v.Value)).ToList();
            if (parts.All(p => p.shape == parts[0].shape && p.dtype == parts[0].dtype))
            {
                var stacked = NDArray.Zeros(parts[0].dtype, new Shape([parts.Count, .. parts[0].shape.Dims]));
                DataMovement.Concat(parts, 0, stacked);
                return Const.Create(b.Graph, stacked, b.Scope);
            }
        }
        var names = Enumerable.Range(0, values.Count).Select(i => $"values_{i}").ToArray();
        var tensors = b.SameType("Pack", [.. values], names);
        return b.Create(Def, tensors, new() { { T, tensors[0].dtype }, { N, tensors.Length }, { AxisAttr, axis } }).outputs[0];
    }
}
