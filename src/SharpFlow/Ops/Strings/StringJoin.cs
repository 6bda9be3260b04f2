using SharpFlow.Framework;
using SharpFlow.Ops.Sparse;

namespace SharpFlow.Ops.Strings;

/// <summary>
/// StringJoin (<c>tf.string_join</c>): joins N string tensors element-wise with <c>separator</c>; scalars stand
/// for every element, the other inputs must share one shape (TensorFlow's string_join_op.cc).
/// </summary>
internal sealed class StringJoin : OpDef
{
    public static readonly StringJoin Def = new();

    private static readonly OpAttr<string> Separator = new("separator", "");
    internal static readonly OpAttr<int> N = new("N");

    public override string Type => "StringJoin";

    public override bool AcceptsStrings => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var shape = Shape.Scalar;
        for (var i = 0; i < ctx.Inputs.Count; i++)
        {
            if (ctx.InputDType(i) != DType.@string) throw ctx.TypeError($"inputs[{i}] must be a string tensor, got {ctx.InputDType(i).name}");
            var s = ctx.InputShape(i);
            if (s.IsKnownRank && s.ndims == 0) continue;
            if (!s.IsKnownRank) { shape = shape.IsKnownRank && shape.ndims == 0 ? Shape.Unknown : shape; continue; }
            if (shape.IsKnownRank && shape.ndims == 0) { shape = s; continue; }
            if (!shape.IsKnownRank) { shape = s; continue; }
            if (!shape.IsCompatibleWith(s)) throw ctx.Error($"Input shapes do not match: {shape} vs. {s}");
            shape = shape.MergeWith(s);
        }
        ctx.AddOutput(DType.@string, shape);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var separator = System.Text.Encoding.UTF8.GetBytes(Separator.Of(op));
        return OpKernel.From(ctx =>
        {
            Shape? shape = null;
            for (var i = 0; i < ctx.InputCount; i++)
            {
                var s = ctx.Input(i).shape;
                if (s.ndims == 0) continue;
                if (shape is null) shape = s;
                else if (shape != s) throw ctx.InvalidArgument($"Input shapes do not match: {shape} vs. {s}");
            }
            shape ??= Shape.Scalar;
            var output = ctx.AllocateUninitializedOutput(0, DType.@string, shape);
            var result = Elements.Strings(output);
            var inputs = Enumerable.Range(0, ctx.InputCount).Select(i => Elements.Strings(ctx.Input(i))).ToArray();
            var buffer = new List<byte>();
            for (var k = 0; k < result.Length; k++)
            {
                buffer.Clear();
                for (var i = 0; i < inputs.Length; i++)
                {
                    if (i > 0) buffer.AddRange(separator);
                    buffer.AddRange(inputs[i].Length == 1 && ctx.Input(i).ndim == 0 ? inputs[i][0] : inputs[i][k]);
                }
                result[k] = buffer.ToArray();
            }
        });
    }

    /// <summary><c>tf.string_join(inputs, separator='')</c>.</summary>
    public static Tensor Build(IReadOnlyList<TensorLike> inputs, string separator = "", string? name = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0) throw new ValueError("string_join needs at least one input");
        using var b = OpBuilder.Begin(name, "StringJoin", [.. inputs]);
        var tensors = inputs.Select((x, i) => b.Convert(x, $"inputs_{i}")).ToArray();
        return b.Create(Def, tensors, new() { { N, tensors.Length }, { Separator, separator } }).outputs[0];
    }
}
