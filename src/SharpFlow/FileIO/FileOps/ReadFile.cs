using SharpFlow.FileIO;
using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.Sparse;

namespace SharpFlow.FileIO.FileOps;

/// <summary>ReadFile (<c>tf.read_file</c>): the bytes of the file named by a scalar string.</summary>
internal sealed class ReadFile : OpDef
{
    public static readonly ReadFile Def = new();

    public override string Type => "ReadFile";

    public override bool AcceptsStrings => true;

    public override bool NotDifferentiable => true;

    // The file may change between runs: the result is never folded into a constant.
    public override bool IsStateful => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.@string) throw ctx.TypeError($"filename must be a string tensor, got {ctx.InputDType(0).name}");
        var s = ctx.InputShape(0);
        if (s.IsKnownRank && s.ndims != 0) throw ctx.Error($"Shape must be rank 0 but is rank {s.ndims} for filename");
        ctx.AddOutput(DType.@string, Shape.Scalar);
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var input = ctx.Input(0);
        if (input.ndim != 0) throw ctx.InvalidArgument($"Input filename tensor must be scalar, but had shape: {input.shape.ToListString()}");
        var path = System.Text.Encoding.UTF8.GetString(Elements.Strings(input)[0]);
        var output = ctx.AllocateUninitializedOutput(0, DType.@string, Shape.Scalar);
        Elements.Strings(output)[0] = FileSystem.ReadAllBytes(path);
    });

    /// <summary><c>tf.read_file(filename)</c>.</summary>
    public static Tensor Build(TensorLike filename, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "ReadFile", filename);
        return b.Create(Def, [b.Convert(filename, "filename")]).outputs[0];
    }
}
