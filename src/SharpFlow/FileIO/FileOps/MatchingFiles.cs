using SharpFlow.FileIO;
using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.Sparse;

namespace SharpFlow.FileIO.FileOps;

/// <summary>
/// MatchingFiles (<c>tf.matching_files</c>): the sorted paths matching a glob pattern (or a vector of patterns).
/// </summary>
internal sealed class MatchingFiles : OpDef
{
    public static readonly MatchingFiles Def = new();

    public override string Type => "MatchingFiles";

    public override bool AcceptsStrings => true;

    public override bool NotDifferentiable => true;

    public override bool IsStateful => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.@string) throw ctx.TypeError($"pattern must be a string tensor, got {ctx.InputDType(0).name}");
        var s = ctx.InputShape(0);
        if (s.IsKnownRank && s.ndims > 1) throw ctx.Error($"Shape must be at most rank 1 but is rank {s.ndims} for pattern");
        ctx.AddOutput(DType.@string, new Shape(-1));
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var patterns = ctx.Input(0);
        if (patterns.ndim > 1) throw ctx.InvalidArgument($"Input pattern tensor must be scalar or vector, but had shape: {patterns.shape.ToListString()}");
        var names = Elements.Strings(patterns)
            .SelectMany(p => FileSystem.Glob(System.Text.Encoding.UTF8.GetString(p)))
            .ToArray();
        System.Array.Sort(names, StringComparer.Ordinal);
        var output = ctx.AllocateUninitializedOutput(0, DType.@string, new Shape(names.Length));
        var result = Elements.Strings(output);
        for (var i = 0; i < names.Length; i++) result[i] = System.Text.Encoding.UTF8.GetBytes(names[i]);
    });

    /// <summary><c>tf.matching_files(pattern)</c>.</summary>
    public static Tensor Build(TensorLike pattern, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "MatchingFiles", pattern);
        return b.Create(Def, [b.Convert(pattern, "pattern")]).outputs[0];
    }
}
