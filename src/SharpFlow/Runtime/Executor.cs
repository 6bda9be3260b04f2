using SharpFlow.Framework;
using SharpFlow.Ops.State;

namespace SharpFlow.Runtime;

/// <summary>
/// Runs a <see cref="Plan"/>: feeds go into their slots, each step's kernel computes its outputs from its input
/// slots, and the fetched slots are returned. Values a kernel forwards (a variable's buffer, a constant) are copied
/// the moment they are fetched, so a later update in the same run cannot change what the caller receives.
/// </summary>
internal static class Executor
{
    public static NDArray[] Run(Plan plan, IReadOnlyList<NDArray> feedValues, IVariableStore variables)
    {
        var slots = new NDArray?[plan.SlotCount];
        var owned = new bool[plan.SlotCount];
        for (var i = 0; i < plan.FeedSlots.Length; i++) slots[plan.FeedSlots[i]] = feedValues[i];

        var ctx = new OpKernelContext(variables);
        foreach (var step in plan.Steps)
        {
            var op = step.Op;
            var inputs = new NDArray?[step.InputSlots.Length];
            for (var i = 0; i < inputs.Length; i++)
            {
                var value = slots[step.InputSlots[i]];
                if (value is null && !step.RefInputs[i])
                    throw MissingValue(op.inputs[i], op.name);
                inputs[i] = value;
            }
            ctx.Reset(op, inputs, op.outputs.Count);
            try
            {
                var start = OpProfiler.Enabled ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
                step.Kernel.Compute(ctx);
                if (OpProfiler.Enabled) OpProfiler.Add(op.type, System.Diagnostics.Stopwatch.GetTimestamp() - start);
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
            for (var j = 0; j < step.OutputSlots.Length; j++)
            {
                var slot = step.OutputSlots[j];
                if (slot < 0) continue;
                var value = ctx.Output(j);
                if (value is not null && step.Fetched[j] && ctx.IsForwarded(j))
                {
                    value = value.Copy();
                    owned[slot] = true;
                }
                else owned[slot] = value is not null && !ctx.IsForwarded(j);
                slots[slot] = value;
            }
        }

        var results = new NDArray[plan.FetchSlots.Length];
        for (var i = 0; i < results.Length; i++)
        {
            var slot = plan.FetchSlots[i];
            var value = slots[slot] ?? throw MissingValue(plan.Fetches[i], plan.Fetches[i].op.name);
            results[i] = owned[slot] ? value : value.Copy();
        }
        return results;
    }

    private static OpError MissingValue(Tensor input, string consumer)
    {
        if (input.op.Def is VariableV2)
            return new FailedPreconditionError(VariableV2.UninitializedMessage(input.op), consumer);
        return new InternalError($"Input {input.name} of \"{consumer}\" has no value.", consumer);
    }
}
