using SharpFlow.Kernels.RandomNumbers;

namespace SharpFlow.Ops.RandomOps;

/// <summary>
/// RandomUniform: floats uniform in [0, 1). <c>tf.random_uniform</c> maps them to [minval, maxval) as
/// <c>sample * (maxval - minval) + minval</c>; for integer dtypes it uses RandomUniformInt and needs maxval.
/// </summary>
internal sealed class RandomUniform : RandomOp
{
    public static readonly RandomUniform Def = new();

    public override string Type => "RandomUniform";

    public override bool NotDifferentiable => true;

    protected override void Fill(Philox generator, NDArray output)
    {
        if (output.dtype == DType.float32) Distributions.UniformFloat(generator, output.AsSpan<float>());
        else Distributions.UniformDouble(generator, output.AsSpan<double>());
    }

    /// <summary><c>tf.random_uniform(shape, minval, maxval, dtype, seed)</c>.</summary>
    public static Tensor Build(ShapeInput shape, TensorLike? minval = null, TensorLike? maxval = null, DType? dtype = null, int? seed = null, string? name = null)
    {
        var type = dtype ?? DType.float32;
        if (!(type.is_floating || type == DType.int32 || type == DType.int64))
            throw new ValueError($"Invalid dtype {type.Repr}");
        if (maxval is null)
        {
            if (type.is_integer) throw new ValueError($"Must specify maxval for integer dtype {type.Repr}");
            maxval = 1;
        }
        var min = minval ?? 0;
        using var b = OpBuilder.Begin(name, "random_uniform", min, maxval.Value);
        var shapeTensor = shape.ToTensor(b.Graph);
        var minTensor = b.Convert(min, "min", min.Value is Tensor ? null : type);
        var maxTensor = b.Convert(maxval.Value, "max", maxval.Value.Value is Tensor ? null : type);
        var seeds = RandomSeed.GetSeed(b.Graph, seed);
        if (type.is_integer)
            return RandomUniformInt.Def.Create(shapeTensor, minTensor, maxTensor, seeds, b.Scope);
        var rnd = Def.Create(shapeTensor, type, seeds);
        var range = MathOps.Sub.Build(maxTensor, minTensor, "sub");
        return MathOps.Add.Build(MathOps.Mul.Build(rnd, range, "mul"), minTensor, b.Scope);
    }
}
