using System.CommandLine;
using System.Globalization;
using System.Security;
using System.Text;
using SharpFlow.Cli.Training;
using SharpFlow.Models;
using static SharpFlow.Binding;

namespace SharpFlow.Cli.Commands;

/// <summary>
/// <c>sharpflow graph MODEL -o graph.svg</c>: the training graph of a model with its name scopes collapsed (one box
/// per top-level scope: <c>conv1</c>, <c>pool1</c>, <c>gradients</c>, <c>Adam</c>, with its op count and main op
/// types), boxes in layers by their longest path from the inputs, and an arrow wherever a tensor crosses scopes.
/// <c>--optimized</c> draws instead what a session runs for the training step (or with <c>--inference</c> the
/// prediction): the graph optimizer's rewrite of the pruned graph, fused ops in green, and prints the fused ops and
/// the rewrite log (all of it, with the node list, also goes to the picture's name with <c>.txt</c>). It runs one step
/// on a zero image with <c>RunOptions.output_partition_graphs</c> and reads the graph from the RunMetadata.
/// </summary>
internal static class GraphCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = string.Join(", ", ModelZoo.Names) };
        model.AcceptOnlyFromAmong([.. ModelZoo.Names]);
        var output = new Option<string>("--output", "-o") { Description = "the SVG file to write", DefaultValueFactory = _ => "graph.svg" };
        var inference = new Option<bool>("--inference") { Description = "draw only the forward graph, without the gradients and the optimizer" };
        var optimized = new Option<bool>("--optimized") { Description = "draw the graph the session runs after the graph optimizer's rewrites (fusion, folding, ...) and list them" };
        var command = new Command("graph", "Draw a model's graph with its scopes collapsed, as an SVG picture.") { model, output, inference, optimized };
        command.SetAction(result => TrainCommand.Run(() => Draw(result.GetValue(model)!, result.GetValue(output)!, result.GetValue(inference), result.GetValue(optimized))));
        return command;
    }

    // One box's worth of graph: a node's name and op type, the nodes it reads (inputs and control inputs), and for
    // a node the optimizer made, what it replaces.
    private readonly record struct Node(string Name, string Type, IReadOnlyList<string> Sources, string? Origin);

    private static void Draw(string name, string output, bool inferenceOnly, bool optimized)
    {
        if (!output.EndsWith(".svg", StringComparison.OrdinalIgnoreCase)) throw new ArgumentException($"{output}: sharpflow graph writes SVG pictures; name the output *.svg");
        var model = ModelZoo.Create(name);
        var (h, w, c) = model.DefaultInput;
        var settings = inferenceOnly ? null : new TrainSettings(name, "fashion-mnist", 1, 1, "adam", 1e-3, 1, 1, null, "", 1, null);
        var built = ClassifierGraph.Build(model, h, w, c, settings);
        var graph = built.Graph;
        if (!optimized)
        {
            var nodes = graph.get_operations().Select(op => new Node(op.name, op.type, [.. op.inputs.Select(t => t.op.name), .. op.control_inputs.Select(o => o.name)], null)).ToList();
            File.WriteAllText(output, Svg(nodes, model.Title));
            Console.WriteLine($"{output}: {graph.get_operations().Count} ops in {nodes.Select(n => Scope(n.Name)).Distinct().Count()} scopes");
            return;
        }

        // TensorFlow's way to see the graph a step runs: one step with RunOptions.output_partition_graphs, whose
        // RunMetadata holds the pruned and rewritten graph (on a batch of one zero image: the values do not matter).
        using var session = new Session(graph);
        using (graph.as_default()) session.run(tf.global_variables_initializer());
        var feed = new FeedDict { [built.Images] = NDArray.FromFlat(new float[h * w * c], new Shape(1, h * w * c)) };
        var options = new tf.RunOptions(output_partition_graphs: true);
        var metadata = new tf.RunMetadata();
        if (inferenceOnly)
            session.run(built.Predictions, feed, options, metadata);
        else
        {
            feed[built.Labels] = NDArray.FromFlat(new int[1], new Shape(1));
            feed[built.Training] = true;
            session.run(built.TrainOp!, feed, options, metadata);
        }
        if (metadata.rewrite_log is not { Count: > 0 } log)
            throw new InvalidOperationException("the graph optimizer is off (SHARPFLOW_GRAPH_OPTIMIZER=0 or disable_meta_optimizer): nothing was rewritten");
        var rewritten = metadata.partition_graphs.Single();
        var runs = rewritten.Node.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var ops = graph.get_operations();
        var byName = ops.ToDictionary(op => op.name, StringComparer.Ordinal);
        var position = ops.Select((op, i) => (op.name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var drawn = new List<Node>();
        // Fed tensors' ops (the placeholders) are not run, but the picture shows where the data comes in.
        foreach (var fed in rewritten.Node.SelectMany(n => n.Input).Select(NodeName).Where(n => !runs.Contains(n)).Distinct().OrderBy(n => position[n]))
            drawn.Add(new Node(fed, byName[fed].type, [], null));
        drawn.AddRange(rewritten.Node.Select(n => new Node(n.Name, n.Op, [.. n.Input.Select(NodeName)], Origin(byName, n))));
        var step = inferenceOnly ? "inference" : "training step";
        File.WriteAllText(output, Svg(drawn, $"{model.Title} — optimized {step}"));
        var text = Path.ChangeExtension(output, ".txt");
        File.WriteAllText(text, Describe(rewritten, drawn, log));
        var fused = drawn.Where(n => n.Origin is not null).ToList();
        Console.WriteLine($"{output}: the optimized {step}: {rewritten.Node.Count} nodes (from {PrunedCount(inferenceOnly ? [built.Predictions.op] : [built.TrainOp!], feed)}) in {drawn.Select(n => Scope(n.Name)).Distinct().Count()} scopes; node list and log in {text}");
        Console.WriteLine($"ops the optimizer made ({fused.Count}):");
        foreach (var group in fused.GroupBy(n => n.Type).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"  {group.Key} ×{group.Count()}");
            foreach (var n in group) Console.WriteLine($"    {n.Name} = {n.Origin}");
        }
        Console.WriteLine($"rewrite log ({log.Count} rewrites):");
        foreach (var line in log) Console.WriteLine($"  {line}");
    }

    private static string NodeName(string input) => input.TrimStart('^').Split(':')[0];

    /// <summary>
    /// For a node the optimizer made (its name or its op type is not the graph's), the ops it replaces from its
    /// <c>original_node_names</c> (<c>Conv2D 'conv1/Conv2D' + BiasAdd 'conv1/BiasAdd' + Relu 'conv1/Relu'</c>); null
    /// for a node that runs one of the graph's ops.
    /// </summary>
    private static string? Origin(Dictionary<string, Operation> ops, Tensorflow.NodeDef node)
    {
        if (ops.TryGetValue(node.Name, out var own) && own.type == node.Op) return null;
        if (node.ExperimentalDebugInfo is not { OriginalNodeNames.Count: > 0 } info) return "new";
        return string.Join(" + ", info.OriginalNodeNames.Select(o => $"{(ops.TryGetValue(o, out var op) ? op.type : "?")} '{o}'"));
    }

    /// <summary>The node list (<c>name = Type(inputs)  # what it replaces</c>) and the rewrite log as comments.</summary>
    private static string Describe(Tensorflow.GraphDef rewritten, IReadOnlyList<Node> drawn, IReadOnlyList<string> log)
    {
        var origins = drawn.Where(n => n.Origin is not null).ToDictionary(n => n.Name, n => n.Origin!, StringComparer.Ordinal);
        var sb = new StringBuilder();
        foreach (var n in rewritten.Node)
        {
            sb.Append(n.Name).Append(" = ").Append(n.Op).Append('(').AppendJoin(", ", n.Input).Append(')');
            if (origins.TryGetValue(n.Name, out var origin)) sb.Append("  # ").Append(origin);
            sb.Append('\n');
        }
        foreach (var line in log) sb.Append("// ").Append(line).Append('\n');
        return sb.ToString();
    }

    /// <summary>The number of ops the step needs before any rewrite: those its targets depend on, fed tensors' producers left out.</summary>
    private static int PrunedCount(IEnumerable<Operation> targets, FeedDict feed)
    {
        var fed = feed.Select(kv => kv.Key.name).ToHashSet(StringComparer.Ordinal);
        var needed = new HashSet<Operation>();
        var stack = new Stack<Operation>(targets);
        while (stack.TryPop(out var op))
            if (needed.Add(op))
            {
                foreach (var input in op.inputs)
                    if (!fed.Contains(input.name)) stack.Push(input.op);
                foreach (var control in op.control_inputs) stack.Push(control);
            }
        return needed.Count;
    }

    private static string Short(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static string Scope(string name) => name.Split('/')[0];

    private static string Svg(IReadOnlyList<Node> nodes, string title)
    {
        var scopes = nodes.Select(n => Scope(n.Name)).Distinct().ToList();
        var members = nodes.GroupBy(n => Scope(n.Name)).ToDictionary(g => g.Key, g => g.ToList());
        var edges = new HashSet<(string From, string To)>();
        foreach (var node in nodes)
            foreach (var from in node.Sources)
                if (Scope(from) != Scope(node.Name) && members.ContainsKey(Scope(from))) edges.Add((Scope(from), Scope(node.Name)));

        // Layers: the longest path from a source, following the graph's creation order (already topological).
        var layer = scopes.ToDictionary(s => s, _ => 0);
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (from, to) in edges)
                if (layer[to] < layer[from] + 1 && layer[from] + 1 < scopes.Count)
                {
                    layer[to] = layer[from] + 1;
                    changed = true;
                }
        }
        const int BoxWidth = 190, BoxHeight = 44, GapX = 24, GapY = 40, Margin = 20, TitleHeight = 30;
        var rows = scopes.GroupBy(s => layer[s]).OrderBy(g => g.Key).Select(g => g.ToList()).ToList();
        var widest = rows.Max(r => r.Count);
        var width = Math.Max(Margin * 2 + widest * (BoxWidth + GapX) - GapX, title.Length * 8 + 2 * Margin);
        var height = TitleHeight + Margin * 2 + rows.Count * (BoxHeight + GapY) - GapY;
        var position = new Dictionary<string, (double X, double Y)>();
        for (var r = 0; r < rows.Count; r++)
        {
            var rowWidth = rows[r].Count * (BoxWidth + GapX) - GapX;
            for (var i = 0; i < rows[r].Count; i++)
                position[rows[r][i]] = (Margin + (width - 2 * Margin - rowWidth) / 2.0 + i * (BoxWidth + GapX), TitleHeight + Margin + r * (BoxHeight + GapY));
        }
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        svg.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#777\"/></marker></defs>\n");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">{SecurityElement.Escape(title)}</text>\n");
        foreach (var (from, to) in edges)
        {
            var (a, b) = (position[from], position[to]);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{a.X + BoxWidth / 2.0:0.#}\" y1=\"{a.Y + BoxHeight:0.#}\" x2=\"{b.X + BoxWidth / 2.0:0.#}\" y2=\"{b.Y:0.#}\" stroke=\"#999\" marker-end=\"url(#arrow)\"/>\n");
        }
        foreach (var scope in scopes)
        {
            var (x, y) = position[scope];
            var group = members[scope];
            // Ops the optimizer made come first in the box's label.
            var kinds = string.Join(", ", group.GroupBy(n => n.Type).OrderByDescending(g => g.Any(n => n.Origin is not null)).ThenByDescending(g => g.Count()).Take(2).Select(g => g.Key));
            var fill = group.Any(n => n.Origin is not null) ? "#d5f0d5" : group.Any(n => n.Type == "VariableV2") ? "#fde7c8" : group.Count == 1 ? "#eef2f7" : "#dbe8f8";
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{BoxWidth}\" height=\"{BoxHeight}\" rx=\"8\" fill=\"{fill}\" stroke=\"#5a7fb5\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + BoxWidth / 2.0:0.#}\" y=\"{y + 18:0.#}\" text-anchor=\"middle\" font-weight=\"bold\">{SecurityElement.Escape(Short(scope, 26))}</text>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + BoxWidth / 2.0:0.#}\" y=\"{y + 34:0.#}\" text-anchor=\"middle\" fill=\"#555\">{group.Count} op{(group.Count == 1 ? "" : "s")}: {SecurityElement.Escape(Short(kinds, 22))}</text>\n");
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }
}
