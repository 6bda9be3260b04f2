using SharpFlow.Framework;

namespace SharpFlow.Ops.Rnn;

/// <summary>
/// GatherTree (tf.contrib.seq2seq's <c>gather_tree</c>, TensorFlow 1.15's contrib/seq2seq beam_search_ops): the
/// full beams [max_time, batch, beam] from each step's ids and parent beam ids, following each beam's parents
/// back from its batch entry's <c>max_sequence_lengths</c>; past that length, and after a beam's first
/// <c>end_token</c>, every id is <c>end_token</c>. int32 only, as TensorFlow registers it; not differentiable.
/// </summary>
internal sealed class GatherTree : OpDef
{
    public static readonly GatherTree Def = new();
    internal static readonly OpAttr<DType> T = new("T");

    public override string Type => "GatherTree";

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.int32 || ctx.InputDType(1) != DType.int32 || ctx.InputDType(3) != DType.int32)
            throw ctx.TypeError($"step_ids, parent_ids and end_token must be int32, got {ctx.InputDType(0).name}, {ctx.InputDType(1).name} and {ctx.InputDType(3).name}");
        if (ctx.InputDType(2) != DType.int32) throw ctx.TypeError($"max_sequence_lengths must be int32, got {ctx.InputDType(2).name}");
        var step = WithRank(ctx, ctx.InputShape(0), 3, "step_ids");
        var parent = WithRank(ctx, ctx.InputShape(1), 3, "parent_ids");
        var lengths = WithRank(ctx, ctx.InputShape(2), 1, "max_sequence_lengths");
        WithRank(ctx, ctx.InputShape(3), 0, "end_token");
        if (!step.IsCompatibleWith(parent))
            throw ctx.Error($"Dimensions must be equal, but step_ids has shape {step.ToListString()} and parent_ids {parent.ToListString()}");
        var merged = step.MergeWith(parent);
        var dims = merged.Dims;
        var batch = lengths[0];
        if (dims[1] >= 0 && batch >= 0 && dims[1] != batch)
            throw ctx.Error($"Dimensions must be equal, but are {dims[1]} and {batch} for the batch size of step_ids and max_sequence_lengths");
        if (dims[1] < 0) dims[1] = batch;
        ctx.AddOutput(DType.int32, new Shape(dims));
    }

    private static Shape WithRank(InferenceContext ctx, Shape s, int rank, string name)
    {
        if (!s.IsKnownRank) return Shape.UnknownDims(rank);
        if (s.ndims != rank) throw ctx.Error($"Shape must be rank {rank} but is rank {s.ndims} for {name}");
        return s;
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var stepIds = ctx.Input(0);
        var parentIds = ctx.Input(1);
        var lengths = ctx.Input(2);
        var endToken = ctx.Input(3);
        if (stepIds.ndim != 3) throw ctx.InvalidArgument($"step_ids must be a 3-tensor, saw shape: {stepIds.shape.ToListString()}");
        if (lengths.ndim != 1) throw ctx.InvalidArgument($"max_sequence_lengths must be a vector, saw shape: {lengths.shape.ToListString()}");
        if (endToken.ndim != 0) throw ctx.InvalidArgument($"end_token must be a scalar, saw shape: {endToken.shape.ToListString()}");
        if (!stepIds.shape.Equals(parentIds.shape))
            throw ctx.InvalidArgument($"step_ids.shape must match parent_ids.shape.  but shapes are: {stepIds.shape.ToListString()} and {parentIds.shape.ToListString()}");
        if (stepIds.shape[1] != lengths.shape[0])
            throw ctx.InvalidArgument($"batch size dimensions step_ids.shape[1] and max_sequence_lengths.shape[0] must match.  but shapes are: {stepIds.shape.ToListString()} and {lengths.shape.ToListString()}");
        var beams = ctx.AllocateUninitializedOutput(0, DType.int32, stepIds.shape);
        var error = Kernels.BeamSearch.GatherTree(stepIds.AsReadOnlySpan<int>(), parentIds.AsReadOnlySpan<int>(), lengths.AsReadOnlySpan<int>(),
            endToken.AsReadOnlySpan<int>()[0], stepIds.shape[0], stepIds.shape[1], stepIds.shape[2], beams.AsSpan<int>());
        if (error is not null) throw ctx.InvalidArgument(error);
    });

    /// <summary><c>tf.contrib.seq2seq.gather_tree(step_ids, parent_ids, max_sequence_lengths, end_token)</c>.</summary>
    public static Tensor Build(TensorLike step_ids, TensorLike parent_ids, TensorLike max_sequence_lengths, TensorLike end_token, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "GatherTree", step_ids, parent_ids, max_sequence_lengths, end_token);
        var steps = b.Convert(step_ids, "step_ids");
        var parents = b.Convert(parent_ids, "parent_ids");
        var lengths = b.Convert(max_sequence_lengths, "max_sequence_lengths");
        var end = b.Convert(end_token, "end_token");
        return b.Create(Def, [steps, parents, lengths, end], new() { { T, DType.int32 } }).outputs[0];
    }
}
