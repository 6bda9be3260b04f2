using System.Numerics.Tensors;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Distributed.Ops;

/// <summary>
/// MpiAllreduce: the element-wise sum (or, with <c>average</c>, the mean) of each input across all ranks, in ONE
/// <c>MPI_Allreduce</c>: the inputs are packed into one buffer (Horovod's tensor fusion), reduced, and unpacked into
/// outputs of the inputs' shapes. Every rank must run it with the same shapes in the same order. Its gradient is
/// the same reduction of the incoming gradients.
/// </summary>
internal sealed class MpiAllreduce : OpDef
{
    public static readonly MpiAllreduce Def = new();

    public override string Type => "MpiAllreduce";

    public override bool IsStateful => true; // talks to the other ranks: never folded, always run

    public override void InferShapes(InferenceContext ctx)
    {
        var dtype = ctx.InputDType(0);
        if (dtype != DType.float32 && dtype != DType.float64) throw ctx.TypeError($"tensors must be float32 or float64, got {dtype.name}");
        for (var i = 0; i < ctx.Inputs.Count; i++)
        {
            if (ctx.InputDType(i) != dtype) throw ctx.TypeError($"all tensors must have one dtype: input {i} is {ctx.InputDType(i).name}, input 0 {dtype.name}");
            ctx.AddOutput(dtype, ctx.InputShape(i));
        }
    }

    public override OpKernel CreateKernel(Operation op) => new Kernel(op);

    private sealed class Kernel(Operation op) : OpKernel
    {
        private readonly bool _average = op.Attr<bool>("average");
        private readonly string _what = $"MpiAllreduce '{op.name}'";
        private readonly object _gate = new();
        private float[] _send = [], _receive = [];
        private double[] _sendDouble = [], _receiveDouble = [];

        public override void Compute(OpKernelContext ctx)
        {
            lock (_gate) // one reduction at a time: the buffers are the kernel's, and the ranks must agree on the order
            {
                if (ctx.Input(0).dtype == DType.float32) Reduce(ctx, ref _send, ref _receive);
                else Reduce(ctx, ref _sendDouble, ref _receiveDouble);
            }
        }

        private void Reduce<T>(OpKernelContext ctx, ref T[] send, ref T[] receive) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
            var total = 0;
            for (var i = 0; i < ctx.InputCount; i++) total = checked(total + ctx.Input(i).size);
            if (send.Length != total)
            {
                send = new T[total];
                receive = new T[total];
            }
            var at = 0;
            for (var i = 0; i < ctx.InputCount; i++)
            {
                var input = ctx.Input(i).AsReadOnlySpan<T>();
                input.CopyTo(send.AsSpan(at));
                at += input.Length;
            }
            var (sendBuffer, receiveBuffer) = (send, receive);
            Mpi.Collective(_what, () => MPI.Communicator.world.Allreduce(sendBuffer, MPI.Operation<T>.Add, ref receiveBuffer));
            receive = receiveBuffer;
            var scale = _average ? T.One / T.CreateChecked(Mpi.Size) : T.One;
            at = 0;
            for (var i = 0; i < ctx.InputCount; i++)
            {
                var input = ctx.Input(i);
                var output = ctx.AllocateUninitializedOutput(i, input.dtype, input.shape).AsSpan<T>();
                TensorPrimitives.Multiply(receive.AsSpan(at, output.Length), scale, output);
                at += output.Length;
            }
        }
    }

    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var present = grads.Select((g, i) => (g, i)).Where(p => p.g is not null).ToList();
        var result = new Tensor?[grads.Count];
        if (present.Count == 0) return result;
        var reduced = Build([.. present.Select(p => p.g!)], op.Attr<bool>("average"));
        for (var k = 0; k < present.Count; k++) result[present[k].i] = reduced[k];
        return result;
    }

    /// <summary>One fused allreduce of <paramref name="tensors"/> (one dtype).</summary>
    public static IReadOnlyList<Tensor> Build(IReadOnlyList<Tensor> tensors, bool average, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) return [];
        using var b = OpBuilder.Begin(OpBuilder.GraphOf([.. tensors.Select(t => (TensorLike)t)]), name, "MpiAllreduce");
        return b.Create(Def, [.. tensors], new() { ["T"] = tensors[0].dtype, ["average"] = average, ["N"] = (long)tensors.Count }).outputs;
    }
}
