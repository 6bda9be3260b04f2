using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.RandomOps;

namespace SharpFlow.Functions;

/// <summary>
/// <c>tf.nn.dropout(x, keep_prob, noise_shape, seed)</c>: keeps each element with probability
/// <c>keep_prob</c> and scales kept ones by <c>1/keep_prob</c>, so the expected sum is unchanged:
/// <c>x / keep_prob * (uniform[0,1) &gt;= 1 - keep_prob)</c>. <c>noise_shape</c> shares one draw along the axes
/// where it is 1. A constant <c>keep_prob</c> of 1 returns x itself.
/// </summary>
internal static class Dropout
{
    /// <summary>Builds the dropout ops.</summary>
    public static Tensor Build(TensorLike x, TensorLike keepProb, ShapeInput? noiseShape, int? seed, string? name)
    {
        using var b = OpBuilder.Begin(name, "dropout", x, keepProb);
        var input = b.Convert(x, "x");
        if (!input.dtype.is_floating)
            throw new ValueError($"x has to be a floating point tensor since it's going to be scaled. Got a {input.dtype.name} tensor instead.");
        Tensor keep;
        if (keepProb.Value is Tensor t) keep = b.Convert(t, "keep_prob");
        else
        {
            var value = Literal.ToNDArray(keepProb.Value).Cast(DType.float64).AsReadOnlySpan<double>();
            if (value.Length != 1 || !(value[0] > 0 && value[0] <= 1))
                throw new ValueError($"keep_prob must be a scalar tensor or a float in the range (0, 1], got {(value.Length == 1 ? value[0] : double.NaN)}");
            if (value[0] == 1) return input;
            keep = Const.Create(b.Graph, Literal.ToNDArray(value[0], input.dtype), "keep_prob");
        }
        if (keep.dtype != input.dtype) keep = Cast.Build(keep, input.dtype);
        if (keep.shape.IsKnownRank && keep.shape.ndims != 0)
            throw new ValueError($"keep_prob must be a scalar, got shape {keep.shape}");
        var shape = noiseShape ?? (ShapeInput)Shapes.Of(input);
        var random = RandomUniform.Build(shape, dtype: input.dtype, seed: seed);
        var rate = Sub.Build(Literal.ToNDArray(1, input.dtype), keep, "rate");
        var mask = Cast.Build(GreaterEqual.Build(random, rate), input.dtype);
        return b.Graph.CreateOp(Mul.Def, b.Scope, [RealDiv.Build(input, keep), mask], new Dictionary<string, object> { ["T"] = input.dtype }).outputs[0];
    }
}
