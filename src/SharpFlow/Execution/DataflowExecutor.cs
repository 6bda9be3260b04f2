using SharpFlow.Framework;
using SharpFlow.Ops.State;

namespace SharpFlow.Execution;

/// <summary>
/// Runs a plan that contains control flow the way TensorFlow's executor does: a step becomes ready when its
/// inputs have arrived in its (frame, iteration); a step with a dead input does not run and makes its outputs
/// dead, except a Merge (which forwards the first live input) and a ControlTrigger; Enter, Exit and NextIteration
/// move values between frames and iterations. A loop whose exits are never reached live (a loop in an untaken
/// branch) sends dead values out of all its exits once nothing else can run. Runs on the calling thread; each
/// kernel still parallelizes inside itself.
/// </summary>
internal static class DataflowExecutor
{
    internal sealed class Frame(int id, Frame? parent, int parentIteration, int exitCount)
    {
        public readonly int Id = id;
        public readonly Frame? Parent = parent;
        public readonly int ParentIteration = parentIteration;
        public readonly List<Dictionary<int, NodeState>> Iterations = [];
        public readonly List<(int Enter, NDArray? Value)> Invariants = [];
        public readonly Dictionary<(int Iteration, int Frame), Frame> Children = [];
        public readonly bool[] ExitsLive = new bool[exitCount];
        public bool DeadExitsSent;

        public int Depth => Parent is null ? 0 : Parent.Depth + 1;
    }

    internal sealed class NodeState(int inputs, int pending)
    {
        public readonly NDArray?[] Inputs = new NDArray?[inputs];
        public int Pending = pending;
        public int DeadData;
        public bool Dead;
        public bool LiveArrived;
        public bool Fired;

        /// <summary>Makes a state kept from an earlier run a new one.</summary>
        public void Reset(int pending)
        {
            System.Array.Clear(Inputs);
            Pending = pending;
            DeadData = 0;
            Dead = LiveArrived = Fired = false;
        }
    }

    internal readonly record struct Ready(Frame Frame, int Iteration, int Step);

    /// <summary>
    /// The bookkeeping of the root frame kept in a plan's <see cref="RunMemory"/> from run to run (a run has its
    /// memory to itself): one state per step, made new in place when the run first reaches the step, and the ready
    /// queue. A steady training loop whose graph has a <c>tf.cond</c> then allocates no bookkeeping per node; the
    /// frames of while loops keep theirs per run (their iterations come and go).
    /// </summary>
    internal sealed class Scratch(int steps)
    {
        public readonly NodeState?[] Root = new NodeState?[steps];
        public readonly bool[] RootLive = new bool[steps];
        public readonly Queue<Ready> Queue = new();
    }

    public static NDArray[] Run(Plan plan, IReadOnlyList<NDArray> feedValues, RunMemory memory, StepTracer? tracer = null)
    {
        var g = plan.Dataflow!;
        var steps = plan.Steps;
        var ctx = memory.Context;
        var results = new NDArray?[g.FetchSources.Length];
        var forwardedResult = new bool[results.Length];
        var resultDead = new bool[results.Length];
        for (var k = 0; k < results.Length; k++)
            if (g.FetchSources[k].Feed >= 0) results[k] = feedValues[g.FetchSources[k].Feed];

        var root = new Frame(0, null, 0, g.ExitsOfFrame[0].Length);
        var frames = new List<Frame> { root };
        var scratch = memory.DataflowScratch ??= new Scratch(steps.Length);
        System.Array.Clear(scratch.RootLive);
        var queue = scratch.Queue;
        queue.Clear();

        NodeState StateOf(Frame frame, int iteration, int step)
        {
            if (frame.Id == 0)
            {
                // The root frame has one iteration; its states are the scratch's, made new on first reach.
                var rootState = scratch.Root[step] ??= new NodeState(steps[step].Inputs.Length, g.Pending[step]);
                if (!scratch.RootLive[step])
                {
                    rootState.Reset(g.Pending[step]);
                    scratch.RootLive[step] = true;
                    foreach (var (input, feed) in g.FedInputs[step]) rootState.Inputs[input] = feedValues[feed];
                }
                return rootState;
            }
            while (frame.Iterations.Count <= iteration) NewIteration(frame);
            var nodes = frame.Iterations[iteration];
            if (!nodes.TryGetValue(step, out var state))
            {
                nodes[step] = state = new NodeState(steps[step].Inputs.Length, g.Pending[step]);
                foreach (var (input, feed) in g.FedInputs[step]) state.Inputs[input] = feedValues[feed];
            }
            return state;
        }

        void NewIteration(Frame frame)
        {
            frame.Iterations.Add([]);
            var iteration = frame.Iterations.Count - 1;
            foreach (var (enter, value) in frame.Invariants) Deliver(enter, value, frame, iteration);
        }

        // Sends the value (null: dead) of `step`'s outputs along its edges into (frame, iteration).
        void Deliver(int step, NDArray? value, Frame frame, int iteration, int output = 0, NDArray?[]? outputs = null)
        {
            foreach (var e in g.Out[step])
            {
                NDArray? v = e.Output < 0 ? null : outputs is null ? (e.Output == output ? value : null) : outputs[e.Output];
                var dead = e.Output < 0 ? value is null && outputs is null && g.Roles[step] != ControlFlowRole.ControlTrigger : v is null;
                Arrive(e, v, dead, frame, iteration);
            }
        }

        void Arrive(DataflowGraph.Edge e, NDArray? value, bool dead, Frame frame, int iteration)
        {
            var state = StateOf(frame, iteration, e.Dst);
            if (state.Fired)
            {
                // Only a Merge hears from an input after it has fired: a dead branch arriving late.
                if (value is not null) memory.Release(value);
                return;
            }
            if (g.Roles[e.Dst] == ControlFlowRole.Merge)
            {
                if (e.Output < 0)
                {
                    state.Pending--;
                    if (dead) state.Dead = true;
                }
                else if (dead) state.DeadData++;
                else if (!state.LiveArrived)
                {
                    state.LiveArrived = true;
                    state.Inputs[e.Input] = value;
                    memory.Hold(value!);
                }
                if (state.Pending == 0 && (state.LiveArrived || state.DeadData == g.DataInputs[e.Dst]))
                {
                    state.Fired = true;
                    if (!state.LiveArrived) state.Dead = true;
                    queue.Enqueue(new Ready(frame, iteration, e.Dst));
                }
                return;
            }
            if (dead) state.Dead = true;
            else if (e.Output >= 0)
            {
                state.Inputs[e.Input] = value;
                memory.Hold(value!);
            }
            if (--state.Pending == 0)
            {
                state.Fired = true;
                queue.Enqueue(new Ready(frame, iteration, e.Dst));
            }
        }

        foreach (var r in g.Roots)
        {
            var s = StateOf(root, 0, r);
            s.Fired = true;
            queue.Enqueue(new Ready(root, 0, r));
        }

        while (true)
        {
            while (queue.Count > 0) Process(queue.Dequeue());
            // Nothing can run: loops whose exits never fired live are dead (their Enters were), innermost first.
            var dead = frames.Where(f => f.Id != 0 && !f.DeadExitsSent && f.ExitsLive.Any(live => !live))
                .OrderByDescending(f => f.Depth).FirstOrDefault();
            if (dead is null) break;
            dead.DeadExitsSent = true;
            var exits = g.ExitsOfFrame[dead.Id];
            for (var k = 0; k < exits.Length; k++)
                if (!dead.ExitsLive[k])
                {
                    MarkFetches(exits[k], null, dead.Parent!);
                    Deliver(exits[k], null, dead.Parent!, dead.ParentIteration);
                }
        }

        void Process(Ready ready)
        {
            var (frame, iteration, s) = ready;
            NodeState state;
            if (frame.Id == 0)
            {
                // Processed: a later arrival (a dead branch reaching a fired Merge) finds a new state, as below.
                state = scratch.Root[s]!;
                scratch.RootLive[s] = false;
            }
            else
            {
                state = frame.Iterations[iteration][s];
                frame.Iterations[iteration].Remove(s);
            }
            var step = steps[s];
            var role = g.Roles[s];
            if (state.Dead && role != ControlFlowRole.ControlTrigger)
            {
                ReleaseInputs(state);
                switch (role)
                {
                    case ControlFlowRole.Enter:
                        var child = ChildOf(frame, iteration, s);
                        if (g.IsConstantEnter[s]) AddInvariant(child, s, null);
                        else Deliver(s, null, child, 0);
                        break;
                    case ControlFlowRole.Exit:
                    case ControlFlowRole.NextIteration:
                        // A dead exit waits for the loop's end; a dead NextIteration ends its iteration chain.
                        break;
                    default:
                        MarkFetches(s, null, frame);
                        Deliver(s, null, frame, iteration);
                        break;
                }
                return;
            }

            var outputs = memory.Outputs[s];
            var forwarded = memory.Forwarded[s];
            ctx.Reset(step.Op, state.Inputs, outputs, forwarded);
            if (tracer is null) Executor.Compute(step, ctx);
            else
            {
                var start = StepTracer.Start();
                Executor.Compute(step, ctx);
                tracer.End(step.Op, start, outputs);
            }
            switch (role)
            {
                case ControlFlowRole.Enter:
                    var child = ChildOf(frame, iteration, s);
                    if (g.IsConstantEnter[s]) AddInvariant(child, s, outputs[0]);
                    else Deliver(s, outputs[0], child, 0);
                    break;
                case ControlFlowRole.Exit:
                    frame.ExitsLive[g.ExitPosition[s]] = true;
                    MarkFetches(s, outputs, frame.Parent!, forwarded);
                    Deliver(s, outputs[0], frame.Parent!, frame.ParentIteration);
                    break;
                case ControlFlowRole.NextIteration:
                    Deliver(s, outputs[0], frame, iteration + 1);
                    break;
                default:
                    MarkFetches(s, outputs, frame, forwarded);
                    Deliver(s, null, frame, iteration, outputs: outputs);
                    break;
            }
            // Consumers hold the outputs before the inputs are let go: a forwarded input is one of them.
            ReleaseInputs(state);
            for (var j = 0; j < outputs.Length; j++)
                if (outputs[j] is { } unused && !forwarded[j]) memory.ReleaseUnheld(unused);
            Array.Clear(outputs);
        }

        void ReleaseInputs(NodeState state)
        {
            foreach (var v in state.Inputs)
                if (v is not null) memory.Release(v);
            // A root state outlives the run: it must not keep this run's inputs (a fed batch) alive until the next.
            System.Array.Clear(state.Inputs);
        }

        void MarkFetches(int s, NDArray?[]? outputs, Frame frame, bool[]? forwarded = null)
        {
            if (g.FetchesOf[s] is not { } fetches) return;
            foreach (var k in fetches)
            {
                if (frame.Id != 0) throw new InvalidArgumentError($"Fetching {plan.Fetches[k].name} is not allowed: it is inside a while loop.", steps[s].Op.name);
                var v = outputs?[g.FetchSources[k].Output];
                if (v is null)
                {
                    resultDead[k] = true;
                    continue;
                }
                // A value passed through (a variable's buffer) is copied now, so a later update in the run cannot
                // change it; a variable itself is read when the run ends, as TensorFlow returns a ref's final value.
                forwardedResult[k] = forwarded![g.FetchSources[k].Output];
                if (forwardedResult[k]) v = v.Copy();
                else memory.Hold(v);
                results[k] = v;
            }
        }

        Frame ChildOf(Frame frame, int iteration, int enter)
        {
            var id = g.ChildFrame[enter];
            if (!frame.Children.TryGetValue((iteration, id), out var child))
            {
                frame.Children[(iteration, id)] = child = new Frame(id, frame, iteration, g.ExitsOfFrame[id].Length);
                frames.Add(child);
            }
            return child;
        }

        void AddInvariant(Frame child, int enter, NDArray? value)
        {
            child.Invariants.Add((enter, value));
            if (value is not null) memory.Hold(value);
            for (var i = 0; i < child.Iterations.Count; i++) Deliver(enter, value, child, i);
        }

        var fetched = new NDArray[results.Length];
        for (var k = 0; k < fetched.Length; k++)
        {
            var value = results[k];
            if (value is null)
            {
                var name = plan.Fetches[k].name;
                throw resultDead[k]
                    ? new InvalidArgumentError($"Retval[{k}] does not have value: {name} is in a branch that was not taken.", plan.Fetches[k].op.name)
                    : new InternalError($"The fetched tensor {name} was never computed.", plan.Fetches[k].op.name);
            }
            if (g.FetchSources[k].Feed >= 0) value = value.Copy();
            else if (Executor.FinalRefValue(plan.Fetches[k], ctx.Variables) is { } refValue) value = refValue;
            else if (!forwardedResult[k]) value = memory.Escape(value);
            fetched[k] = value;
        }
        return fetched;
    }
}
