using SharpFlow.FileIO;
using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.Sparse;

namespace SharpFlow.FileIO.FileOps;

/// <summary>WriteFile (<c>tf.write_file</c>): writes a scalar string to a file, creating its directories.</summary>
internal sealed class WriteFile : OpDef
{
    public static readonly WriteFile Def = new();

    public override string Type => "WriteFile";

    public override bool AcceptsStrings => true;

    public override bool NotDifferentiable => true;

    public override bool IsStateful => true;

    public override void InferShapes(InferenceContext ctx)
    {
        for (var i = 0; i < 2; i++)
        {
            var what = i == 0 ? "filename" : "contents";
            if (ctx.InputDType(i) != DType.@string) throw ctx.TypeError($"{what} must be a string tensor, got {ctx.InputDType(i).name}");
            var s = ctx.InputShape(i);
            if (s.IsKnownRank && s.ndims != 0) throw ctx.Error($"Shape must be rank 0 but is rank {s.ndims} for {what}");
        }
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var (filename, contents) = (ctx.Input(0), ctx.Input(1));
        if (filename.ndim != 0) throw ctx.InvalidArgument($"Input filename tensor must be scalar, but had shape: {filename.shape.ToListString()}");
        if (contents.ndim != 0) throw ctx.InvalidArgument($"Contents tensor must be scalar, but had shape: {contents.shape.ToListString()}");
        var path = System.Text.Encoding.UTF8.GetString(Elements.Strings(filename)[0]);
        var dir = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(dir)) FileSystem.MakeDirs(dir);
        FileSystem.WriteAllBytes(path, Elements.Strings(contents)[0]);
    });

    /// <summary><c>tf.write_file(filename, contents)</c>: the op that writes.</summary>
    public static Operation Build(TensorLike filename, TensorLike contents, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "WriteFile", filename, contents);
        return b.Create(Def, [b.Convert(filename, "filename"), b.Convert(contents, "contents")]);
    }
}
