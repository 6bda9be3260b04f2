using System.Text;
using SharpFlow.Checkpoints;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Checkpoints.CheckpointOps;

/// <summary>
/// RestoreV2 (TensorFlow's io_ops): reads the tensors <c>tensor_names</c> from the checkpoint <c>prefix</c> (format V2)
/// when it runs, one output per name, of the <c>dtypes</c> attribute's types. Slices (non-empty
/// <c>shape_and_slices</c>) are not read. What <c>init_from_checkpoint</c> builds (as <c>checkpoint_initializer</c>).
/// </summary>
internal sealed class RestoreV2 : OpDef
{
    public static readonly RestoreV2 Def = new();

    private static readonly OpAttr<DType[]> Dtypes = new("dtypes");

    public override string Type => "RestoreV2";

    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    public override bool AcceptsStrings => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var dtypes = Dtypes.Of(ctx);
        SaveV2.CheckStrings(ctx, 3);
        SaveV2.CheckRank(ctx, 0, 0, "prefix");
        SaveV2.CheckRank(ctx, 1, 1, "tensor_names");
        SaveV2.CheckRank(ctx, 2, 1, "shape_and_slices");
        foreach (var i in new[] { 1, 2 })
            if (ctx.InputShape(i) is { IsKnownRank: true } s && s.Dims[0] >= 0 && s.Dims[0] != dtypes.Length)
                throw ctx.Error($"Dimension 0 in both shapes must be equal: {ctx.InputShape(i).ToListString()} has {s.Dims[0]} entries for {dtypes.Length} dtypes");
        if (ctx.ConstantInput(2) is { } slices && slices.size != dtypes.Length)
            throw ctx.Error("The number of shape_and_slice doesn't match tensor outputs.");
        foreach (var d in dtypes) ctx.AddOutput(d, Shape.Unknown);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var dtypes = Dtypes.Of(op);
        return OpKernel.From(ctx =>
        {
            var prefix = Encoding.UTF8.GetString(SaveV2.ScalarString(ctx.Input(0), "prefix", ctx));
            var names = ctx.Input(1);
            var slices = ctx.Input(2);
            if (names.size != dtypes.Length || slices.size != dtypes.Length)
                throw ctx.InvalidArgument($"Input tensor_names and shape_and_slices should have {dtypes.Length} elements each, got {names.size} and {slices.size}");
            var reader = SaveV2.Rethrow(op, () => new CheckpointReader(prefix));
            for (var i = 0; i < dtypes.Length; i++)
            {
                var name = Encoding.UTF8.GetString(names.StringBytes(i));
                if (slices.StringBytes(i).Length != 0)
                    throw new UnimplementedError($"RestoreV2 of a slice ('{Encoding.UTF8.GetString(slices.StringBytes(i))}' of {name}) is not supported", op.name);
                if (!reader.has_tensor(name)) throw new NotFoundError($"Key {name} not found in checkpoint", op.name);
                var dtype = SaveV2.Rethrow(op, () => reader.DTypeOf(name));
                if (dtype != dtypes[i])
                    throw ctx.InvalidArgument($"tensor_name = {name}; expected dtype {dtypes[i].name} does not equal original dtype {dtype.name}");
                ctx.ForwardOutput(i, SaveV2.Rethrow(op, () => reader.get_tensor(name)));
            }
        });
    }

    /// <summary>The tensors <paramref name="tensorNames"/> of the checkpoint <paramref name="prefix"/>, read when the op runs.</summary>
    public static Tensor[] Build(TensorLike prefix, string[] tensorNames, string[] shapeAndSlices, DType[] dtypes, string name = "RestoreV2")
    {
        ArgumentNullException.ThrowIfNull(tensorNames);
        ArgumentNullException.ThrowIfNull(shapeAndSlices);
        ArgumentNullException.ThrowIfNull(dtypes);
        using var b = OpBuilder.Begin(name, "RestoreV2", prefix);
        var p = b.Convert(prefix, "prefix", DType.@string);
        var names = b.Convert(NDArray.FromStrings(tensorNames, new Shape(tensorNames.Length)), "tensor_names");
        var slices = b.Convert(NDArray.FromStrings(shapeAndSlices, new Shape(shapeAndSlices.Length)), "shape_and_slices");
        return [.. b.Create(Def, [p, names, slices], new() { { Dtypes, (DType[])dtypes.Clone() } }).outputs];
    }
}
