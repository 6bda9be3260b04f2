#pragma warning disable CS8981 // lower-case type name: Horovod's module name, as the tf facade is TensorFlow's
using SharpFlow.Distributed.Ops;
using SharpFlow.Train;

namespace SharpFlow.Distributed;

/// <summary>
/// Horovod's API (<c>import horovod.tensorflow as hvd</c>) in SharpFlow, on MPI: <c>hvd.init()</c>, <c>rank()</c>,
/// <c>size()</c>, <c>DistributedOptimizer</c> (gradients averaged across ranks in one fused allreduce per step),
/// <c>broadcast_global_variables(0)</c> (every rank starts from rank 0's variables) and <see cref="shard"/> (each
/// rank's part of a global batch). Run the program under <c>mpiexec -n N</c>.
/// </summary>
public static class hvd
{
    /// <summary>Initializes MPI (once per process).</summary>
    public static void init() => Mpi.Init();

    /// <summary>Finalizes MPI at the end of the program.</summary>
    public static void shutdown() => Mpi.Shutdown();

    /// <summary>This process's rank, 0 to <see cref="size"/> − 1.</summary>
    public static int rank() => Mpi.Rank;

    /// <summary>The number of processes.</summary>
    public static int size() => Mpi.Size;

    /// <summary>This process's rank among those on its host (MPICH's <c>MPI_LOCALRANKID</c>; else the rank).</summary>
    public static int local_rank() =>
        int.TryParse(Environment.GetEnvironmentVariable("MPI_LOCALRANKID"), out var local) ? local : Mpi.Rank;

    /// <summary>The sum, or the mean with <paramref name="average"/>, of <paramref name="tensor"/> across ranks.</summary>
    public static Tensor allreduce(Tensor tensor, bool average = true, string? name = null) =>
        MpiAllreduce.Build([tensor], average, name)[0];

    /// <summary>The reductions of several tensors of one dtype in one fused allreduce.</summary>
    public static IReadOnlyList<Tensor> allreduce(IReadOnlyList<Tensor> tensors, bool average = true, string? name = null) =>
        MpiAllreduce.Build(tensors, average, name);

    /// <summary>
    /// Horovod's <c>hvd.allgather_object(obj)</c> for plain values (numbers, and structs of them): every rank's
    /// <paramref name="obj"/>, in rank order. A collective run right away, outside any graph: every rank must call it,
    /// in the same order as its other collectives; under the watchdog (<c>SHARPFLOW_MPI_TIMEOUT</c>), whose message
    /// names it by <paramref name="name"/>. Compare a value across ranks with it, as a check that they agree.
    /// </summary>
    public static T[] allgather_object<T>(T obj, string? name = null) where T : unmanaged
    {
        var size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        var mine = new byte[size];
        System.Runtime.InteropServices.MemoryMarshal.Write(mine, in obj);
        var all = new byte[size * Mpi.Size];
        Mpi.Collective(name ?? "allgather_object", () => MPI.Communicator.world.AllgatherFlattened(mine, size, ref all));
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(all).ToArray();
    }

    /// <summary>An op that sets <paramref name="variables"/> on every rank to rank <paramref name="root_rank"/>'s values (one fused broadcast).</summary>
    public static Operation broadcast_variables(IEnumerable<Variable> variables, int root_rank = 0)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var list = variables.ToList();
        if (list.Count == 0) throw new ValueError("broadcast_variables: no variables");
        var graph = list[0].graph;
        using var scope = graph.as_default();
        var values = MpiBroadcast.Build([.. list.Select(v => v.value())], root_rank, "broadcast_variables");
        return Binding.tf.group(list.Select((v, i) => (ITensorOrOperation)v.assign(values[i])).ToList(), "broadcast_global_variables");
    }

    /// <summary>
    /// <c>hvd.broadcast_global_variables(0)</c>: every global variable (weights, optimizer slots, global step) from
    /// rank <paramref name="root_rank"/>; run it once after the initializer or a restore.
    /// </summary>
    public static Operation broadcast_global_variables(int root_rank = 0) =>
        broadcast_variables(Graph.get_default().get_collection(GraphKeys.GLOBAL_VARIABLES).OfType<Variable>(), root_rank);

    /// <summary>
    /// <c>hvd.DistributedOptimizer(opt)</c>: <paramref name="optimizer"/> whose gradients are averaged across ranks
    /// before they are applied.
    /// </summary>
    public static DistributedOptimizer DistributedOptimizer(Optimizer optimizer) => new(optimizer);

    /// <summary>
    /// This rank's rows of a global batch: rows [rank·B/N, (rank+1)·B/N) of <paramref name="globalBatch"/>, whose first
    /// dimension B must divide by the number of ranks N (so the mean of the ranks' mean gradients is the global batch's).
    /// </summary>
    public static NDArray shard(NDArray globalBatch)
    {
        ArgumentNullException.ThrowIfNull(globalBatch);
        var rows = globalBatch.shape[0];
        if (rows % Mpi.Size != 0)
            throw new ValueError($"hvd.shard: a global batch of {rows} rows does not divide among {Mpi.Size} ranks");
        var per = rows / Mpi.Size;
        return globalBatch[(Mpi.Rank * per)..((Mpi.Rank + 1) * per)];
    }
}

/// <summary>
/// An optimizer whose gradients are averaged across all ranks (one fused <c>MpiAllreduce</c> per dtype per step)
/// before the wrapped optimizer applies them: every rank applies the same update, so the ranks' variables stay equal.
/// </summary>
public sealed class DistributedOptimizer(Optimizer optimizer)
{
    /// <summary>The wrapped optimizer.</summary>
    public Optimizer Optimizer { get; } = optimizer ?? throw new ArgumentNullException(nameof(optimizer));

    /// <summary>The wrapped optimizer's gradients, averaged across ranks.</summary>
    public List<(Tensor? grad, Variable var)> compute_gradients(Tensor loss, IEnumerable<Variable>? var_list = null, Tensor? grad_loss = null)
    {
        var pairs = Optimizer.compute_gradients(loss, var_list, grad_loss);
        var result = pairs.ToList();
        foreach (var group in pairs.Select((p, i) => (p.grad, i)).Where(p => p.grad is not null).GroupBy(p => p.grad!.dtype))
        {
            var members = group.ToList();
            var averaged = MpiAllreduce.Build([.. members.Select(m => m.grad!)], average: true, "DistributedOptimizer_Allreduce");
            for (var k = 0; k < members.Count; k++) result[members[k].i] = (averaged[k], pairs[members[k].i].var);
        }
        return result;
    }

    /// <summary>Applies (already averaged) gradients with the wrapped optimizer.</summary>
    public Operation apply_gradients(IEnumerable<(Tensor? grad, Variable var)> grads_and_vars, Variable? global_step = null, string? name = null) =>
        Optimizer.apply_gradients(grads_and_vars, global_step, name);

    /// <summary><see cref="compute_gradients"/> then <see cref="apply_gradients"/>.</summary>
    public Operation minimize(Tensor loss, Variable? global_step = null, IEnumerable<Variable>? var_list = null, string? name = null) =>
        apply_gradients(compute_gradients(loss, var_list), global_step, name);
}
