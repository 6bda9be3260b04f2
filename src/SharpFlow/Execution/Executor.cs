using SharpFlow.Framework;
using SharpFlow.Ops.State;

namespace SharpFlow.Execution;

/// <summary>
/// Runs a <see cref="Plan"/> in a <see cref="RunMemory"/>: feeds go into their slots, each step's kernel computes its
/// outputs from its input slots, the slots its step was the last reader of give their buffers back for reuse, and
/// the fetched slots are returned. Values a kernel forwards (a variable's buffer, a constant) are copied the moment
/// they are fetched, so a later update in the same run cannot change what the caller receives.
/// </summary>
internal static class Executor
{
    /// <summary>
    /// Whether element-wise kernels may write their output into an input that dies with them (static plans only);
    /// <c>SHARPFLOW_INPLACE=0</c> turns it off, and tests flip it.
    /// </summary>
    internal static bool InPlace = Environment.GetEnvironmentVariable("SHARPFLOW_INPLACE") != "0";

    /// <summary>How a run is traced: <see cref="NoTrace"/> compiles to nothing in the step loop.</summary>
    private interface ITrace
    {
        StepTracer? Tracer { get; }
    }

    private readonly struct NoTrace : ITrace
    {
        public StepTracer? Tracer => null;
    }

    private readonly struct Traced(StepTracer tracer) : ITrace
    {
        public StepTracer? Tracer => tracer;
    }

    /// <summary>Runs the plan; with a <paramref name="tracer"/>, each op's times and outputs are recorded.</summary>
    public static NDArray[] Run(Plan plan, IReadOnlyList<NDArray> feedValues, RunMemory memory, StepTracer? tracer = null)
    {
        if (plan.Dataflow is not null) return DataflowExecutor.Run(plan, feedValues, memory, tracer);
        // One specialization per trace kind: the untraced loop carries no tracing test at all.
        return tracer is null ? RunSteps(plan, feedValues, memory, default(NoTrace)) : RunSteps(plan, feedValues, memory, new Traced(tracer));
    }

    private static NDArray[] RunSteps<TTrace>(Plan plan, IReadOnlyList<NDArray> feedValues, RunMemory memory, TTrace trace)
        where TTrace : struct, ITrace
    {
        var slots = memory.Slots;
        var owned = memory.Owned;
        for (var i = 0; i < plan.FeedSlots.Length; i++) slots[plan.FeedSlots[i]] = feedValues[i];

        var ctx = memory.Context;
        var steps = plan.Steps;
        for (var s = 0; s < steps.Length; s++)
        {
            var step = steps[s];
            var op = step.Op;
            var inputs = memory.Inputs[s];
            for (var i = 0; i < inputs.Length; i++)
            {
                var value = slots[step.InputSlots[i]];
                if (value is null && !step.RefInputs[i])
                    throw MissingValue(step.Inputs[i], op.name);
                inputs[i] = value;
            }
            var outputs = memory.Outputs[s];
            var forwarded = memory.Forwarded[s];
            ctx.Reset(op, inputs, outputs, forwarded);
            if (InPlace) ctx.AllowForwarding(step.Forwardable);
            if (trace.Tracer is { } tracer)
            {
                var start = StepTracer.Start();
                Compute(step, ctx);
                tracer.End(op, start, outputs);
            }
            else Compute(step, ctx);
            // Hold every consumed output first, then free the unconsumed ones, so an output that shares a buffer with
            // an unconsumed sibling keeps it.
            for (var j = 0; j < outputs.Length; j++)
            {
                var value = outputs[j];
                var slot = step.OutputSlots[j];
                if (value is null || slot < 0) continue;
                if (step.Fetched[j] && forwarded[j])
                {
                    value = value.Copy();
                    owned[slot] = true;
                }
                else
                {
                    owned[slot] = !forwarded[j];
                    memory.Hold(value);
                }
                slots[slot] = value;
            }
            for (var j = 0; j < outputs.Length; j++)
                if (outputs[j] is { } unused && step.OutputSlots[j] < 0 && !forwarded[j]) memory.ReleaseUnheld(unused);
            foreach (var slot in step.ReleaseSlots)
            {
                if (slots[slot] is { } dead) memory.Release(dead);
                slots[slot] = null;
            }
            Array.Clear(inputs);
            Array.Clear(outputs);
        }

        var results = new NDArray[plan.FetchSlots.Length];
        for (var i = 0; i < results.Length; i++)
        {
            var slot = plan.FetchSlots[i];
            var value = slots[slot] ?? throw MissingValue(plan.Fetches[i], plan.Fetches[i].op.name);
            if (FinalRefValue(plan.Fetches[i], memory.Context.Variables) is { } refValue) value = refValue;
            else if (owned[slot]) value = memory.Escape(value);
            else value = value.Copy();
            results[i] = value;
        }
        return results;
    }

    /// <summary>Runs one step's kernel; failures become OpErrors naming the node. Both executors call it.</summary>
    internal static void Compute(Plan.Step step, OpKernelContext ctx)
    {
        var op = step.Op;
        try
        {
            if (OpProfiler.Enabled)
            {
                var (start, bytes) = (System.Diagnostics.Stopwatch.GetTimestamp(), GC.GetAllocatedBytesForCurrentThread());
                step.Kernel.Compute(ctx);
                OpProfiler.Add(OpProfiler.PerNode ? OpProfiler.NodeLabel(op, ctx) : op.type, System.Diagnostics.Stopwatch.GetTimestamp() - start, GC.GetAllocatedBytesForCurrentThread() - bytes);
            }
            else step.Kernel.Compute(ctx);
        }
        catch (OpError e) when (e.NodeName is null)
        {
            throw e.WithNode(op.name);
        }
        catch (OpError)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InternalError($"{op.type} \"{op.name}\" failed: {e.Message}", op.name, e);
        }
    }

    /// <summary>
    /// For a fetched variable (a ref output), a copy of the value it holds at the end of the run: TensorFlow 1.x
    /// returns what the ref points to when the run finishes, so <c>sess.run([train_op, global_step])</c> gives the
    /// incremented step. Null for any other tensor.
    /// </summary>
    internal static NDArray? FinalRefValue(Tensor fetch, IVariableStore variables)
    {
        if (!fetch.op.Def.IsRefOutput(fetch.value_index)) return null;
        var op = fetch.op;
        while (op.Def is not VariableV2 && op.inputs.Count > 0 && op.Def.IsRefInput(0)) op = op.inputs[0].op;
        return op.Def is VariableV2 ? variables.Read(op)?.Copy() : null;
    }

    private static OpError MissingValue(Tensor input, string consumer)
    {
        if (input.op.Def is VariableV2)
            return new FailedPreconditionError(VariableV2.UninitializedMessage(input.op), consumer);
        return new InternalError($"Input {input.name} of \"{consumer}\" has no value.", consumer);
    }
}
