using SharpFlow.Framework;

namespace SharpFlow.Ops.RandomOps;

/// <summary>
/// ComputeAccidentalHits (<c>tf.nn.compute_accidental_hits</c>): where a sampled candidate is one of a row's true
/// classes, (row, position in the sample, weight -FLT_MAX), so sampled losses can mask those logits.
/// </summary>
internal sealed class ComputeAccidentalHits : OpDef
{
    public static readonly ComputeAccidentalHits Def = new();

    private static readonly OpAttr<long> NumTrue = new("num_true");
    internal static readonly OpAttr<long> Seed = new("seed", 0L);
    internal static readonly OpAttr<long> Seed2 = new("seed2", 0L);

    public override string Type => "ComputeAccidentalHits";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.int64 || ctx.InputDType(1) != DType.int64)
            throw ctx.TypeError($"true_classes and sampled_candidates must be int64, got {ctx.InputDType(0).name} and {ctx.InputDType(1).name}");
        ctx.AddOutput(DType.int32, new Shape(-1));
        ctx.AddOutput(DType.int64, new Shape(-1));
        ctx.AddOutput(DType.float32, new Shape(-1));
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var numTrue = (int)NumTrue.Of(op);
        return OpKernel.From(ctx =>
        {
            var (trueClasses, sampled) = (ctx.Input(0), ctx.Input(1));
            if (trueClasses.ndim != 2 || trueClasses.shape[1] != numTrue)
                throw ctx.InvalidArgument("true_candidates must be a batch_size * num_true matrix");
            if (sampled.ndim != 1)
                throw ctx.InvalidArgument("sampled_candidates must be a vector, which is typically an output from CandidateSampler");
            var position = new Dictionary<long, int>();
            var s = sampled.AsReadOnlySpan<long>();
            for (var i = 0; i < s.Length; i++) position[s[i]] = i;
            var (indices, ids) = (new List<int>(), new List<long>());
            var t = trueClasses.AsReadOnlySpan<long>();
            for (var i = 0; i < trueClasses.shape[0]; i++)
                for (var j = 0; j < numTrue; j++)
                    if (position.TryGetValue(t[i * numTrue + j], out var at))
                    {
                        indices.Add(i);
                        ids.Add(at);
                    }
            indices.ToArray().AsSpan().CopyTo(ctx.AllocateUninitializedOutput(0, DType.int32, new Shape(indices.Count)).AsSpan<int>());
            ids.ToArray().AsSpan().CopyTo(ctx.AllocateUninitializedOutput(1, DType.int64, new Shape(ids.Count)).AsSpan<long>());
            ctx.AllocateUninitializedOutput(2, DType.float32, new Shape(ids.Count)).AsSpan<float>().Fill(-float.MaxValue);
        });
    }

    /// <summary><c>tf.nn.compute_accidental_hits(true_classes, sampled_candidates, num_true)</c>: (indices, ids, weights).</summary>
    public static (Tensor indices, Tensor ids, Tensor weights) Build(TensorLike trueClasses, TensorLike sampledCandidates, int numTrue, int? seed = null, string? name = null)
    {
        var graph = OpBuilder.GraphOf([trueClasses, sampledCandidates]);
        var seeds = RandomSeed.GetSeed(graph, seed);
        using var b = OpBuilder.Begin(name, "ComputeAccidentalHits", trueClasses, sampledCandidates);
        var t = b.Convert(trueClasses, "true_classes", DType.int64);
        var c = b.Convert(sampledCandidates, "sampled_candidates", DType.int64);
        var op = b.Create(Def, [t, c], new() { { NumTrue, (long)numTrue }, { Seed, seeds.Seed }, { Seed2, seeds.Seed2 } });
        return (op.outputs[0], op.outputs[1], op.outputs[2]);
    }
}
