using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.Sparse;

namespace SharpFlow.FileIO.ParsingOps;

/// <summary>
/// ParseExample (<c>tf.parse_example</c>): parses a vector of serialized Examples into sparse features
/// (indices <c>[N, 2]</c>, values, shape <c>[batch, max count]</c>) and dense features (<c>[batch] + shape</c>,
/// padded with the default when the shape starts with -1). Inputs: serialized, names, sparse_keys (Nsparse),
/// dense_keys (Ndense), dense_defaults (Ndense).
/// </summary>
internal sealed class ParseExample : OpDef
{
    public static readonly ParseExample Def = new();

    private static readonly OpAttr<int> NsparseAttr = new("Nsparse");
    private static readonly OpAttr<int> NdenseAttr = new("Ndense");
    private static readonly OpAttr<DType[]> SparseTypes = new("sparse_types");
    private static readonly OpAttr<DType[]> Tdense = new("Tdense");
    private static readonly OpAttr<Shape[]> DenseShapes = new("dense_shapes");

    public override string Type => "ParseExample";

    public override bool AcceptsStrings => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var ns = NsparseAttr.Of(ctx);
        var nd = NdenseAttr.Of(ctx);
        var sparseTypes = SparseTypes.Of(ctx);
        var denseTypes = Tdense.Of(ctx);
        var shapes = DenseShapes.Of(ctx);
        if (sparseTypes.Length != ns) throw ctx.Error("len(sparse_keys) != len(sparse_types)");
        if (denseTypes.Length != nd || shapes.Length != nd) throw ctx.Error("len(dense_keys) != len(dense_types) or len(dense_shapes)");
        foreach (var t in sparseTypes.Concat(denseTypes))
            if (!ExampleParser.ValidType(t)) throw ctx.TypeError($"Received input dtype: {t.name}; features must be float32, int64 or string");
        var serialized = ctx.InputShape(0);
        if (serialized.IsKnownRank && serialized.ndims != 1) throw ctx.Error($"Shape must be rank 1 but is rank {serialized.ndims} for serialized");
        var batch = serialized.IsKnownRank ? serialized[0] : -1;
        for (var i = 0; i < ns; i++) ctx.AddOutput(DType.int64, new Shape(-1, 2));
        for (var i = 0; i < ns; i++) ctx.AddOutput(sparseTypes[i], new Shape(-1));
        for (var i = 0; i < ns; i++) ctx.AddOutput(DType.int64, new Shape(2));
        for (var i = 0; i < nd; i++) ctx.AddOutput(denseTypes[i], new Shape(batch).Concatenate(shapes[i]));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var ns = NsparseAttr.Of(op);
        var nd = NdenseAttr.Of(op);
        var sparseTypes = SparseTypes.Of(op);
        var denseTypes = Tdense.Of(op);
        var shapes = DenseShapes.Of(op);
        return OpKernel.From(ctx =>
        {
            var serialized = ctx.Input(0);
            var names = ctx.Input(1);
            if (serialized.ndim != 1) throw ctx.InvalidArgument($"Expected serialized to be a vector, got shape: {serialized.shape.ToListString()}");
            if (names.size > 0 && names.shape != serialized.shape)
                throw ctx.InvalidArgument($"Expected names to be a vector of the size of serialized, got shape: {names.shape.ToListString()}");
            var sparse = new (string, DType)[ns];
            for (var i = 0; i < ns; i++)
            {
                var k = ctx.Input(2 + i);
                if (k.ndim != 0) throw ctx.InvalidArgument($"Expected sparse_keys[{i}] to be a scalar, got shape: {k.shape.ToListString()}");
                sparse[i] = (ExampleParser.Key(k), sparseTypes[i]);
            }
            var dense = new DenseSpec[nd];
            var defaults = new NDArray[nd];
            for (var i = 0; i < nd; i++)
            {
                var k = ctx.Input(2 + ns + i);
                if (k.ndim != 0) throw ctx.InvalidArgument($"Expected dense_keys[{i}] to be a scalar, got shape: {k.shape.ToListString()}");
                dense[i] = new DenseSpec(ExampleParser.Key(k), denseTypes[i], shapes[i]);
                defaults[i] = CheckDefault(ctx, ctx.Input(2 + ns + nd + i), dense[i], i);
            }
            var nameValues = names.size > 0 ? Elements.Strings(names).Select(b => System.Text.Encoding.UTF8.GetString(b)).ToArray() : null;
            ExampleParser.ParseBatch(ctx, Elements.Strings(serialized), nameValues, sparse, dense, defaults, batched: true);
        });
    }

    /// <summary>TensorFlow's checks of a dense default: empty (required), a scalar padding, or the feature's shape.</summary>
    internal static NDArray CheckDefault(OpKernelContext ctx, NDArray value, DenseSpec spec, int index)
    {
        if (value.dtype != spec.Type)
            throw ctx.InvalidArgument($"dense_defaults[{index}].dtype() == {value.dtype.name} != dense_types[{index}] == {spec.Type.name}");
        if (spec.VariableLength)
        {
            if (value.size > 1) throw ctx.InvalidArgument($"dense_shape[{index}] is a variable length shape: {spec.Shape.ToListString()}, therefore def_value[{index}] needs to be a scalar, but has shape: {value.shape.ToListString()}");
            return value.size == 1 ? value : NDArray.Zeros(spec.Type, new Shape(1));
        }
        if (value.size > 0 && value.size != spec.Stride)
            throw ctx.InvalidArgument($"def_value[{index}].shape() == {value.shape.ToListString()} != dense_shapes_[{index}] == {spec.Shape.ToListString()}");
        return value;
    }

    /// <summary>Builds the op; returns (sparse indices, values, shapes, dense values).</summary>
    public static (Tensor[] Indices, Tensor[] Values, Tensor[] Shapes, Tensor[] Dense) Build(TensorLike serialized, TensorLike? names,
        IReadOnlyList<(string Key, DType Type)> sparse, IReadOnlyList<(string Key, DType Type, Shape Shape, NDArray Default)> dense, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "ParseExample", serialized);
        var s = b.Convert(serialized, "serialized");
        var n = b.Convert(names ?? (TensorLike)NDArray.FromStrings([], new Shape(0)), "names");
        var sparseKeys = sparse.Select((f, i) => b.Convert(NDArray.FromStrings([f.Key], Shape.Scalar), $"sparse_keys_{i}")).ToArray();
        var denseKeys = dense.Select((f, i) => b.Convert(NDArray.FromStrings([f.Key], Shape.Scalar), $"key_{f.Key}")).ToArray();
        var defaults = dense.Select((f, i) => b.Convert(f.Default, $"Reshape_{i}")).ToArray();
        var op = b.Create(Def, [s, n, .. sparseKeys, .. denseKeys, .. defaults], new()
        {
            { NsparseAttr, sparse.Count }, { NdenseAttr, dense.Count }, { SparseTypes, sparse.Select(f => f.Type).ToArray() },
            { Tdense, dense.Select(f => f.Type).ToArray() }, { DenseShapes, dense.Select(f => f.Shape).ToArray() },
        });
        var o = op.outputs;
        var ns = sparse.Count;
        return ([.. o.Take(ns)], [.. o.Skip(ns).Take(ns)], [.. o.Skip(2 * ns).Take(ns)], [.. o.Skip(3 * ns)]);
    }
}
