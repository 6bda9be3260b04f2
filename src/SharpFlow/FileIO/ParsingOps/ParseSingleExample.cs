using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.Sparse;

namespace SharpFlow.FileIO.ParsingOps;

/// <summary>
/// ParseSingleExample (<c>tf.parse_single_example</c>): one serialized Example into sparse features (indices
/// <c>[N, 1]</c>, values, shape <c>[N]</c>) and dense features of their shapes. The keys are attributes.
/// </summary>
internal sealed class ParseSingleExample : OpDef
{
    public static readonly ParseSingleExample Def = new();

    private static readonly OpAttr<int> NumSparse = new("num_sparse");
    private static readonly OpAttr<DType[]> SparseTypes = new("sparse_types");
    private static readonly OpAttr<DType[]> Tdense = new("Tdense");
    private static readonly OpAttr<Shape[]> DenseShapes = new("dense_shapes");
    private static readonly OpAttr<string[]> SparseKeys = new("sparse_keys");
    private static readonly OpAttr<string[]> DenseKeys = new("dense_keys");

    public override string Type => "ParseSingleExample";

    public override bool AcceptsStrings => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var ns = NumSparse.Of(ctx);
        var sparseTypes = SparseTypes.Of(ctx);
        var denseTypes = Tdense.Of(ctx);
        var shapes = DenseShapes.Of(ctx);
        if (sparseTypes.Length != ns || SparseKeys.Of(ctx).Length != ns) throw ctx.Error("len(sparse_keys) != num_sparse");
        if (denseTypes.Length != shapes.Length || DenseKeys.Of(ctx).Length != shapes.Length)
            throw ctx.Error("len(dense_keys) != len(dense_types) or len(dense_shapes)");
        foreach (var t in sparseTypes.Concat(denseTypes))
            if (!ExampleParser.ValidType(t)) throw ctx.TypeError($"Received input dtype: {t.name}; features must be float32, int64 or string");
        var serialized = ctx.InputShape(0);
        if (serialized.IsKnownRank && serialized.ndims != 0) throw ctx.Error($"Shape must be rank 0 but is rank {serialized.ndims} for serialized");
        for (var i = 0; i < ns; i++) ctx.AddOutput(DType.int64, new Shape(-1, 1));
        for (var i = 0; i < ns; i++) ctx.AddOutput(sparseTypes[i], new Shape(-1));
        for (var i = 0; i < ns; i++) ctx.AddOutput(DType.int64, new Shape(1));
        for (var i = 0; i < denseTypes.Length; i++) ctx.AddOutput(denseTypes[i], shapes[i]);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var sparseKeys = SparseKeys.Of(op);
        var denseKeys = DenseKeys.Of(op);
        var sparseTypes = SparseTypes.Of(op);
        var denseTypes = Tdense.Of(op);
        var shapes = DenseShapes.Of(op);
        var sparse = sparseKeys.Select((k, i) => (k, sparseTypes[i])).ToArray();
        var dense = denseKeys.Select((k, i) => new DenseSpec(k, denseTypes[i], shapes[i])).ToArray();
        return OpKernel.From(ctx =>
        {
            var serialized = ctx.Input(0);
            if (serialized.ndim != 0) throw ctx.InvalidArgument($"Expected serialized to be a scalar, got shape: {serialized.shape.ToListString()}");
            var defaults = dense.Select((d, i) => ParseExample.CheckDefault(ctx, ctx.Input(1 + i), d, i)).ToArray();
            ExampleParser.ParseBatch(ctx, Elements.Strings(serialized), null, sparse, dense, defaults, batched: false);
        });
    }

    /// <summary>Builds the op; returns (sparse indices, values, shapes, dense values).</summary>
    public static (Tensor[] Indices, Tensor[] Values, Tensor[] Shapes, Tensor[] Dense) Build(TensorLike serialized,
        IReadOnlyList<(string Key, DType Type)> sparse, IReadOnlyList<(string Key, DType Type, Shape Shape, NDArray Default)> dense, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "ParseSingleExample", serialized);
        var s = b.Convert(serialized, "serialized");
        var defaults = dense.Select((f, i) => b.Convert(f.Default, $"Reshape_{i}")).ToArray();
        var op = b.Create(Def, [s, .. defaults], new()
        {
            { NumSparse, sparse.Count }, { SparseKeys, sparse.Select(f => f.Key).ToArray() }, { DenseKeys, dense.Select(f => f.Key).ToArray() },
            { SparseTypes, sparse.Select(f => f.Type).ToArray() }, { Tdense, dense.Select(f => f.Type).ToArray() },
            { DenseShapes, dense.Select(f => f.Shape).ToArray() },
        });
        var o = op.outputs;
        var ns = sparse.Count;
        return ([.. o.Take(ns)], [.. o.Skip(ns).Take(ns)], [.. o.Skip(2 * ns).Take(ns)], [.. o.Skip(3 * ns)]);
    }
}
