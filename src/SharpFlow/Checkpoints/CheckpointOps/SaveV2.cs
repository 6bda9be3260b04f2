using System.Text;
using SharpFlow.Checkpoints;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Checkpoints.CheckpointOps;

/// <summary>
/// SaveV2 (TensorFlow's io_ops): writes its <c>tensors</c> under <c>tensor_names</c> to the checkpoint <c>prefix</c>
/// (format V2, one shard) when it runs. Slices (non-empty <c>shape_and_slices</c>) are not written.
/// </summary>
internal sealed class SaveV2 : OpDef
{
    public static readonly SaveV2 Def = new();
    
    private static readonly OpAttr<DType[]> Dtypes = new("dtypes");

    public override string Type => "SaveV2";

    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    public override bool AcceptsStrings => true;

    public override void InferShapes(InferenceContext ctx)
    {
        CheckStrings(ctx, 3);
        CheckRank(ctx, 0, 0, "prefix");
        var count = ctx.Inputs.Count - 3;
        foreach (var (i, arg) in new[] { (1, "tensor_names"), (2, "shape_and_slices") })
        {
            CheckRank(ctx, i, 1, arg);
            if (ctx.InputShape(i) is { IsKnownRank: true } s && s.Dims[0] >= 0 && s.Dims[0] != count)
                throw ctx.Error($"Dimension must be {count} but is {s.Dims[0]} ({arg} names {s.Dims[0]} tensors, {count} are given)");
        }
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var prefix = Encoding.UTF8.GetString(ScalarString(ctx.Input(0), "prefix", ctx));
        var names = ctx.Input(1);
        var slices = ctx.Input(2);
        var count = ctx.InputCount - 3;
        if (names.size != count || slices.size != count)
            throw ctx.InvalidArgument($"Expected {count} tensor names and shape_and_slices, got {names.size} and {slices.size}");
        using var writer = new BundleWriter(prefix);
        for (var i = 0; i < count; i++)
        {
            var name = Encoding.UTF8.GetString(names.StringBytes(i));
            if (slices.StringBytes(i).Length != 0)
                throw new UnimplementedError($"SaveV2 of a slice ('{Encoding.UTF8.GetString(slices.StringBytes(i))}' of {name}) is not supported", op.name);
            Rethrow(op, () => { writer.Add(name, ctx.Input(3 + i)); return 0; });
        }
        writer.Finish();
    });

    /// <summary>Writes <paramref name="tensors"/> under <paramref name="tensorNames"/> to the checkpoint <paramref name="prefix"/> when run.</summary>
    public static Operation Build(TensorLike prefix, string[] tensorNames, string[] shapeAndSlices, Tensor[] tensors, string name = "SaveV2")
    {
        ArgumentNullException.ThrowIfNull(tensorNames);
        ArgumentNullException.ThrowIfNull(shapeAndSlices);
        ArgumentNullException.ThrowIfNull(tensors);
        using var b = OpBuilder.Begin(name, "SaveV2", prefix);
        var p = b.Convert(prefix, "prefix", DType.@string);
        var names = b.Convert(NDArray.FromStrings(tensorNames, new Shape(tensorNames.Length)), "tensor_names");
        var slices = b.Convert(NDArray.FromStrings(shapeAndSlices, new Shape(shapeAndSlices.Length)), "shape_and_slices");
        var values = tensors.Select((t, i) => b.Convert(t, $"tensors_{i}")).ToArray();
        return b.Create(Def, [p, names, slices, .. values], new() { { Dtypes, values.Select(v => v.dtype).ToArray() } });
    }

    internal static void CheckStrings(InferenceContext ctx, int count)
    {
        string[] args = ["prefix", "tensor_names", "shape_and_slices"];
        for (var i = 0; i < count; i++)
            if (ctx.InputDType(i) != DType.@string)
                throw ctx.TypeError($"Input '{args[i]}' must be a string tensor, got {ctx.InputDType(i).name}");
    }

    internal static void CheckRank(InferenceContext ctx, int index, int rank, string arg)
    {
        var shape = ctx.InputShape(index);
        if (shape.IsKnownRank && shape.ndims != rank)
            throw ctx.Error($"Shape must be rank {rank} but is rank {shape.ndims} ({arg})");
    }

    internal static byte[] ScalarString(NDArray value, string arg, OpKernelContext ctx) =>
        value.size == 1 ? value.StringBytes(0) : throw ctx.InvalidArgument($"Input {arg} should have a single element, got {value.size}");

    /// <summary>Runs a checkpoint read or write; a dtype the format cannot hold becomes an error of the op (the executor names the node of OpErrors).</summary>
    internal static T Rethrow<T>(Operation op, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (TypeError e) { throw new InvalidArgumentError(e.Message, op.name, e); }
    }
}
