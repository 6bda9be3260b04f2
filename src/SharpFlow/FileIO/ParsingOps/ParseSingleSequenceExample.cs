using SharpFlow.Framework;
using SharpFlow.Ops;
using SharpFlow.Ops.Sparse;

namespace SharpFlow.FileIO.ParsingOps;

// Inside the namespace: FileIO has facade classes of the same names (tf.train.Feature, ...).
using Feature = Tensorflow.Feature;
using FeatureList = Tensorflow.FeatureList;

/// <summary>
/// ParseSingleSequenceExample (<c>tf.parse_single_sequence_example</c>): one SequenceExample into context features
/// (sparse: indices <c>[N, 1]</c>; dense: their shapes) and feature-list features (sparse: indices <c>[N, 2]</c>
/// over (step, position); dense: <c>[steps] + shape</c>). Inputs: serialized,
/// feature_list_dense_missing_assumed_empty, context_sparse_keys, context_dense_keys, feature_list_sparse_keys,
/// feature_list_dense_keys, context_dense_defaults, debug_name (TensorFlow's order).
/// </summary>
internal sealed class ParseSingleSequenceExample : OpDef
{
    public static readonly ParseSingleSequenceExample Def = new();

    private static readonly OpAttr<int> NcontextSparse = new("Ncontext_sparse", 0);
    private static readonly OpAttr<int> NcontextDense = new("Ncontext_dense", 0);
    private static readonly OpAttr<int> NfeatureListSparse = new("Nfeature_list_sparse", 0);
    private static readonly OpAttr<int> NfeatureListDense = new("Nfeature_list_dense", 0);
    private static readonly OpAttr<DType[]> ContextSparseTypes = new("context_sparse_types", []);
    private static readonly OpAttr<DType[]> TcontextDense = new("Tcontext_dense", []);
    private static readonly OpAttr<Shape[]> ContextDenseShapes = new("context_dense_shapes", []);
    private static readonly OpAttr<DType[]> FeatureListSparseTypes = new("feature_list_sparse_types", []);
    private static readonly OpAttr<DType[]> FeatureListDenseTypes = new("feature_list_dense_types", []);
    private static readonly OpAttr<Shape[]> FeatureListDenseShapes = new("feature_list_dense_shapes", []);

    public override string Type => "ParseSingleSequenceExample";

    public override bool AcceptsStrings => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        var ncs = NcontextSparse.Of(ctx);
        var ncd = NcontextDense.Of(ctx);
        var nfs = NfeatureListSparse.Of(ctx);
        var nfd = NfeatureListDense.Of(ctx);
        var cst = ContextSparseTypes.Of(ctx);
        var cdt = TcontextDense.Of(ctx);
        var cds = ContextDenseShapes.Of(ctx);
        var fst = FeatureListSparseTypes.Of(ctx);
        var fdt = FeatureListDenseTypes.Of(ctx);
        var fds = FeatureListDenseShapes.Of(ctx);
        if (cst.Length != ncs) throw ctx.Error("len(context_sparse_keys) != len(context_sparse_types)");
        if (cdt.Length != ncd || cds.Length != ncd) throw ctx.Error("len(context_dense_keys) != len(context_dense_types) or len(context_dense_shapes)");
        if (fst.Length != nfs) throw ctx.Error("len(feature_list_sparse_keys) != len(feature_list_sparse_types)");
        if (fdt.Length != nfd || fds.Length != nfd) throw ctx.Error("len(feature_list_dense_keys) != len(feature_list_dense_types) or len(feature_list_dense_shapes)");
        foreach (var t in cst.Concat(cdt).Concat(fst).Concat(fdt))
            if (!ExampleParser.ValidType(t)) throw ctx.TypeError($"Received input dtype: {t.name}; features must be float32, int64 or string");
        var serialized = ctx.InputShape(0);
        if (serialized.IsKnownRank && serialized.ndims != 0) throw ctx.Error($"Shape must be rank 0 but is rank {serialized.ndims} for serialized");
        for (var i = 0; i < ncs; i++) ctx.AddOutput(DType.int64, new Shape(-1, 1));
        for (var i = 0; i < ncs; i++) ctx.AddOutput(cst[i], new Shape(-1));
        for (var i = 0; i < ncs; i++) ctx.AddOutput(DType.int64, new Shape(1));
        for (var i = 0; i < ncd; i++) ctx.AddOutput(cdt[i], cds[i]);
        for (var i = 0; i < nfs; i++) ctx.AddOutput(DType.int64, new Shape(-1, 2));
        for (var i = 0; i < nfs; i++) ctx.AddOutput(fst[i], new Shape(-1));
        for (var i = 0; i < nfs; i++) ctx.AddOutput(DType.int64, new Shape(2));
        for (var i = 0; i < nfd; i++) ctx.AddOutput(fdt[i], new Shape(-1).Concatenate(fds[i]));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var ncs = NcontextSparse.Of(op);
        var ncd = NcontextDense.Of(op);
        var nfs = NfeatureListSparse.Of(op);
        var nfd = NfeatureListDense.Of(op);
        var cst = ContextSparseTypes.Of(op);
        var cdt = TcontextDense.Of(op);
        var cds = ContextDenseShapes.Of(op);
        var fst = FeatureListSparseTypes.Of(op);
        var fdt = FeatureListDenseTypes.Of(op);
        var fds = FeatureListDenseShapes.Of(op);
        return OpKernel.From(ctx =>
        {
            var serialized = ctx.Input(0);
            if (serialized.ndim != 0) throw ctx.InvalidArgument($"Expected serialized to be a scalar, got shape: {serialized.shape.ToListString()}");
            var missingInput = ctx.Input(1);
            if (missingInput.ndim != 1)
                throw ctx.InvalidArgument($"Expected feature_list_dense_missing_assumed_empty to be a vector, got shape: {missingInput.shape.ToListString()}");
            var missingOk = Elements.Strings(missingInput).Select(b => System.Text.Encoding.UTF8.GetString(b)).ToHashSet();
            var at = 2;
            string[] Keys(int n, string what)
            {
                var keys = new string[n];
                for (var i = 0; i < n; i++)
                {
                    var k = ctx.Input(at++);
                    if (k.ndim != 0) throw ctx.InvalidArgument($"Expected {what}[{i}] to be a scalar, got shape: {k.shape.ToListString()}");
                    keys[i] = ExampleParser.Key(k);
                }
                return keys;
            }
            var csKeys = Keys(ncs, "context_sparse_keys");
            var cdKeys = Keys(ncd, "context_dense_keys");
            var fsKeys = Keys(nfs, "feature_list_sparse_keys");
            var fdKeys = Keys(nfd, "feature_list_dense_keys");
            var cdSpecs = cdKeys.Select((k, i) => new DenseSpec(k, cdt[i], cds[i])).ToArray();
            var defaults = cdSpecs.Select((s, i) => ParseExample.CheckDefault(ctx, ctx.Input(at + i), s, i)).ToArray();
            var debug = ctx.Input(at + ncd);
            var name = debug.size > 0 ? System.Text.Encoding.UTF8.GetString(Elements.Strings(debug)[0]) : "<unknown>";
            var ex = ExampleParser.ParseSequenceExample(ctx, Elements.Strings(serialized)[0]);
            var context = ex.Context?.Feature;
            var lists = ex.FeatureLists?.FeatureList;
            var o = 0;

            // Context sparse: indices [N, 1], values, shape [N].
            var csFound = csKeys.Select((k, i) =>
            {
                if (context is null || !context.TryGetValue(k, out var f) || f.KindCase == Feature.KindOneofCase.None) return null;
                if (!ExampleParser.TypesMatch(f, cst[i])) throw ExampleParser.TypeMismatch(ctx, $"Name: {name}, Context feature: {k}", cst[i], f);
                return f;
            }).ToArray();
            for (var i = 0; i < ncs; i++)
            {
                var n = csFound[i] is { } f ? ExampleParser.Count(f) : 0;
                var idx = ctx.AllocateUninitializedOutput(o + i, DType.int64, new Shape(n, 1)).AsSpan<long>();
                for (var k = 0; k < n; k++) idx[k] = k;
                var values = ctx.AllocateUninitializedOutput(o + ncs + i, cst[i], new Shape(n));
                if (n > 0) ExampleParser.CopyValues(csFound[i]!, values, 0);
                ctx.AllocateUninitializedOutput(o + 2 * ncs + i, DType.int64, new Shape(1)).AsSpan<long>()[0] = n;
            }
            o += 3 * ncs;

            // Context dense.
            for (var i = 0; i < ncd; i++)
            {
                var spec = cdSpecs[i];
                var output = ctx.AllocateOutput(o + i, spec.Type, spec.Shape);
                if (context is not null && context.TryGetValue(spec.Key, out var f))
                {
                    if (!ExampleParser.TypesMatch(f, spec.Type)) throw ExampleParser.TypeMismatch(ctx, $"Name: {name}, Context feature: {spec.Key}", spec.Type, f);
                    ExampleParser.DenseCopy(ctx, name, spec, f, 0, output, 0);
                }
                else if (defaults[i].size == 0) throw ctx.InvalidArgument($"Name: {name}, Context feature '{spec.Key}' is required but could not be found.");
                else Elements.Copy(defaults[i], 0, output, 0, output.size);
            }
            o += ncd;

            // Feature-list sparse: indices [N, 2] over (step, position), shape [steps, max count].
            for (var i = 0; i < nfs; i++)
            {
                var key = fsKeys[i];
                var steps = lists is not null && lists.TryGetValue(key, out var fl) ? fl.Feature.ToArray() : [];
                for (var t = 0; t < steps.Length; t++)
                    if (!ExampleParser.TypesMatch(steps[t], fst[i]))
                        throw ExampleParser.TypeMismatch(ctx, $"Name: {name}, Feature List: {key}, Index: {t}", fst[i], steps[t]);
                var total = steps.Sum(ExampleParser.Count);
                var max = steps.Length == 0 ? 0 : steps.Max(ExampleParser.Count);
                var idx = ctx.AllocateUninitializedOutput(o + i, DType.int64, new Shape(total, 2)).AsSpan<long>();
                var values = ctx.AllocateUninitializedOutput(o + nfs + i, fst[i], new Shape(total));
                var shape = ctx.AllocateUninitializedOutput(o + 2 * nfs + i, DType.int64, new Shape(2)).AsSpan<long>();
                shape[0] = steps.Length;
                shape[1] = max;
                var offset = 0;
                for (var t = 0; t < steps.Length; t++)
                {
                    var n = ExampleParser.Count(steps[t]);
                    ExampleParser.CopyValues(steps[t], values, offset);
                    for (var k = 0; k < n; k++) { idx[2 * (offset + k)] = t; idx[2 * (offset + k) + 1] = k; }
                    offset += n;
                }
            }
            o += 3 * nfs;

            // Feature-list dense: [steps] + shape.
            for (var i = 0; i < nfd; i++)
            {
                var key = fdKeys[i];
                FeatureList? fl = null;
                if (lists is null || !lists.TryGetValue(key, out fl))
                {
                    if (!missingOk.Contains(key))
                        throw ctx.InvalidArgument($"Name: {name}, Feature list '{key}' is required but could not be found.  Did you mean to include it in feature_list_dense_missing_assumed_empty or feature_list_dense_defaults?");
                }
                var steps = fl?.Feature.ToArray() ?? [];
                var spec = new DenseSpec(key, fdt[i], fds[i]);
                var output = ctx.AllocateOutput(o + i, fdt[i], new Shape(steps.Length).Concatenate(fds[i]));
                for (var t = 0; t < steps.Length; t++)
                {
                    if (!ExampleParser.TypesMatch(steps[t], fdt[i]))
                        throw ExampleParser.TypeMismatch(ctx, $"Name: {name}, Feature list: {key}, Index: {t}", fdt[i], steps[t]);
                    ExampleParser.DenseCopy(ctx, name, spec, steps[t], t, output, t);
                }
            }
        });
    }

    /// <summary>The feature groups of a parse: sparse (key, dtype) and dense (key, dtype, shape, default).</summary>
    internal sealed record Request(
        IReadOnlyList<(string Key, DType Type)> ContextSparse,
        IReadOnlyList<(string Key, DType Type, Shape Shape, NDArray Default)> ContextDense,
        IReadOnlyList<(string Key, DType Type)> ListSparse,
        IReadOnlyList<(string Key, DType Type, Shape Shape, bool AllowMissing)> ListDense);

    /// <summary>Builds the op; returns its outputs in TensorFlow's order.</summary>
    public static Tensor[] Build(TensorLike serialized, Request r, string? debugName = null, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "ParseSingleSequenceExample", serialized);
        var s = b.Convert(serialized, "serialized");
        Tensor Str(string v, string arg) => b.Convert(NDArray.FromStrings([v], Shape.Scalar), arg);
        var missing = r.ListDense.Where(f => f.AllowMissing).Select(f => f.Key).ToArray();
        var inputs = new List<Tensor>
        {
            s, b.Convert(NDArray.FromStrings(missing, new Shape(missing.Length)), "feature_list_dense_missing_assumed_empty"),
        };
        inputs.AddRange(r.ContextSparse.Select((f, i) => Str(f.Key, $"context_sparse_keys_{i}")));
        inputs.AddRange(r.ContextDense.Select((f, i) => Str(f.Key, $"context_dense_keys_{i}")));
        inputs.AddRange(r.ListSparse.Select((f, i) => Str(f.Key, $"feature_list_sparse_keys_{i}")));
        inputs.AddRange(r.ListDense.Select((f, i) => Str(f.Key, $"feature_list_dense_keys_{i}")));
        inputs.AddRange(r.ContextDense.Select((f, i) => b.Convert(f.Default, $"context_dense_default_{i}")));
        inputs.Add(debugName is null ? b.Convert(NDArray.FromStrings([], new Shape(0)), "debug_name") : Str(debugName, "debug_name"));
        var op = b.Create(Def, [.. inputs], new()
        {
            { NcontextSparse, r.ContextSparse.Count }, { NcontextDense, r.ContextDense.Count },
            { NfeatureListSparse, r.ListSparse.Count }, { NfeatureListDense, r.ListDense.Count },
            { ContextSparseTypes, r.ContextSparse.Select(f => f.Type).ToArray() }, { TcontextDense, r.ContextDense.Select(f => f.Type).ToArray() },
            { ContextDenseShapes, r.ContextDense.Select(f => f.Shape).ToArray() },
            { FeatureListSparseTypes, r.ListSparse.Select(f => f.Type).ToArray() },
            { FeatureListDenseTypes, r.ListDense.Select(f => f.Type).ToArray() },
            { FeatureListDenseShapes, r.ListDense.Select(f => f.Shape).ToArray() },
        });
        return [.. op.outputs];
    }
}
