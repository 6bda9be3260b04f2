using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Distributed.Ops;

/// <summary>
/// MpiBroadcast: rank <c>root_rank</c>'s values of every input, on every rank, in ONE <c>MPI_Bcast</c> of the inputs'
/// bytes (any numeric dtype). Every rank must run it with the same shapes in the same order. Not differentiable.
/// </summary>
internal sealed class MpiBroadcast : OpDef
{
    public static readonly MpiBroadcast Def = new();

    public override string Type => "MpiBroadcast";

    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        for (var i = 0; i < ctx.Inputs.Count; i++)
        {
            if (ctx.InputDType(i) == DType.@string) throw ctx.TypeError($"input {i} is a string tensor; only numeric tensors are broadcast");
            ctx.AddOutput(ctx.InputDType(i), ctx.InputShape(i));
        }
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var root = (int)op.Attr<long>("root_rank");
        var what = $"MpiBroadcast '{op.name}'";
        return OpKernel.From(ctx =>
        {
            var total = 0;
            for (var i = 0; i < ctx.InputCount; i++) total = checked(total + ctx.Input(i).AsBytes().Length);
            var buffer = new byte[total];
            var at = 0;
            for (var i = 0; i < ctx.InputCount; i++)
            {
                var bytes = ctx.Input(i).AsBytes();
                bytes.CopyTo(buffer.AsSpan(at));
                at += bytes.Length;
            }
            Mpi.Collective(what, () => MPI.Communicator.world.Broadcast(ref buffer, root));
            at = 0;
            for (var i = 0; i < ctx.InputCount; i++)
            {
                var input = ctx.Input(i);
                var output = ctx.AllocateUninitializedOutput(i, input.dtype, input.shape);
                var span = output.AsWritableBytes();
                buffer.AsSpan(at, span.Length).CopyTo(span);
                at += span.Length;
            }
        });
    }

    /// <summary>One fused broadcast of <paramref name="tensors"/> from <paramref name="rootRank"/>.</summary>
    public static IReadOnlyList<Tensor> Build(IReadOnlyList<Tensor> tensors, int rootRank, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) return [];
        using var b = OpBuilder.Begin(OpBuilder.GraphOf([.. tensors.Select(t => (TensorLike)t)]), name, "MpiBroadcast");
        return b.Create(Def, [.. tensors], new() { ["root_rank"] = (long)rootRank, ["N"] = (long)tensors.Count }).outputs;
    }
}
