using System.Text.RegularExpressions;
using SharpFlow.Framework;
using SharpFlow.GraphIO;
using Tensorflow;

namespace SharpFlow.Execution;

/// <summary>
/// The graph a plan executes as TensorFlow's partition graph (<c>RunMetadata.partition_graphs</c>): one NodeDef
/// per step in run order, with the inputs and control inputs the step runs with (the optimizer's rewiring, not the
/// user's op's), on the local CPU.
/// </summary>
internal static partial class PartitionGraphs
{
    public static GraphDef Of(Plan plan)
    {
        var def = new GraphDef { Versions = new VersionDef { Producer = GraphDefExporter.Producer } };
        // Dataset ops' functions go into the partition's library, as in TensorFlow's partition graphs.
        var library = new FunctionLibraryWriter();
        var origins = plan.Optimized?.Nodes.Where(n => n.Origin is not null).ToDictionary(n => n.Op, n => n.Origin!);
        foreach (var step in plan.Steps)
        {
            var node = GraphDefExporter.Node(step.Op, addShapes: false, library);
            node.Device = DeviceSpec.LocalCpu;
            node.Input.Clear();
            foreach (var input in step.Inputs) node.Input.Add(GraphDefExporter.TensorName(input));
            foreach (var control in step.ControlInputs) node.Input.Add("^" + control.name);
            if (origins is not null && origins.TryGetValue(step.Op, out var origin))
            {
                // The passes describe what a node replaces naming each op as Type 'name'.
                var info = new NodeDef.Types.ExperimentalDebugInfo();
                foreach (Match m in QuotedName().Matches(origin)) info.OriginalNodeNames.Add(m.Groups[1].Value);
                if (info.OriginalNodeNames.Count > 0) node.ExperimentalDebugInfo = info;
            }
            def.Node.Add(node);
        }
        if (library.Library.Function.Count > 0) def.Library = library.Library;
        return def;
    }

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex QuotedName();
}
