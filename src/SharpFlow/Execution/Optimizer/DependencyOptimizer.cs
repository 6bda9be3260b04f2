namespace SharpFlow.Execution.Optimizer;

/// <summary>
/// TensorFlow's dependency optimizer, the part that matters at run time: an Identity, StopGradient or
/// PreventGradient whose output is neither fetched nor fed is removed and its readers read its input (the value is
/// the same: these ops forward their input); a NoOp that is not a target is removed and the ops waiting for it wait
/// for its control inputs instead, where that does not multiply the control edges. An Identity of a variable (a
/// snapshot of its value, <c>v.read_value()</c>), nodes with control edges and nodes in control-flow frames stay.
/// </summary>
internal static class DependencyOptimizer
{
    public const string Name = "dependency";

    public static void Run(OptimizedGraph g)
    {
        var controlSources = g.ControlSources();
        foreach (var n in g.Nodes.ToList())
        {
            if (n.Op.type is not ("Identity" or "StopGradient" or "PreventGradient") || n.Origin is not null) continue;
            if (g.IsPreserved(n, controlSources) || n.Inputs.Length != 1) continue;
            var input = n.Inputs[0];
            // A variable's value read through an Identity is a snapshot; a control-flow op's output may be dead.
            if (input.op.Def.IsRefOutput(input.value_index) || input.op.Def.ControlFlow != Framework.ControlFlowRole.None) continue;
            if (!g.Replace(n.Op.outputs[0], input)) continue;
            g.Record(Name, $"removed {n.Op.type} '{n.Op.name}'");
        }

        // NoOps: the control edges through a removed NoOp go straight from its control inputs to its waiters.
        foreach (var n in g.Nodes.ToList())
        {
            if (n.Op.type != "NoOp" || g.IsTarget(n.Op) || g.Frozen(n.Op)) continue;
            var waiters = g.Nodes.Where(w => w.ControlInputs.Contains(n.Op)).ToList();
            var (fanIn, fanOut) = (n.ControlInputs.Count, waiters.Count);
            if (fanOut == 0 || fanIn * fanOut > fanIn + fanOut) continue;
            foreach (var w in waiters)
            {
                w.ControlInputs.Remove(n.Op);
                foreach (var c in n.ControlInputs)
                    if (!w.ControlInputs.Contains(c) && !ReferenceEquals(c, w.Op)) w.ControlInputs.Add(c);
            }
            g.Record(Name, $"removed NoOp '{n.Op.name}'");
        }
    }
}
