using System.CommandLine;
using System.Globalization;
using System.Security;
using System.Text;
using SharpFlow.Cli.Training;
using SharpFlow.Models;

namespace SharpFlow.Cli.Commands;

/// <summary>
/// <c>sharpflow graph MODEL -o graph.svg</c>: the training graph of a model with its name scopes collapsed (one box
/// per top-level scope: <c>conv1</c>, <c>pool1</c>, <c>gradients</c>, <c>Adam</c>, with its op count and main op
/// types), boxes in layers by their longest path from the inputs, and an arrow wherever a tensor crosses scopes.
/// <c>--optimized</c> draws instead what a session runs for the training step (or with <c>--inference</c> the
/// prediction): the graph optimizer's rewrite of the pruned graph, fused ops in green, and prints the fused ops and
/// the rewrite log (all of it, with the node list, also goes to the picture's name with <c>.txt</c>).
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

    // One box's worth of graph: an op, the ops it reads (inputs and control inputs), and for an op the optimizer
    // made, what it replaces.
    private readonly record struct Node(Operation Op, IReadOnlyList<Operation> Sources, string? Origin);

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
            var nodes = graph.get_operations().Select(op => new Node(op, [.. op.inputs.Select(t => t.op), .. op.control_inputs], null)).ToList();
            File.WriteAllText(output, Svg(nodes, model.Title));
            Console.WriteLine($"{output}: {graph.get_operations().Count} ops in {graph.get_operations().Select(Scope).Distinct().Count()} scopes");
            return;
        }

        using var session = new Session(graph);
        var rewritten = inferenceOnly
            ? session.OptimizedGraphOf([built.Predictions], [], [built.Images])
            : session.OptimizedGraphOf([], [built.TrainOp!], [built.Images, built.Labels, built.Training]);
        if (rewritten is null)
            throw new InvalidOperationException("the graph optimizer is off (SHARPFLOW_GRAPH_OPTIMIZER=0 or disable_meta_optimizer): nothing was rewritten");
        var present = rewritten.Nodes.Select(n => n.Op).ToHashSet();
        var drawn = new List<Node>();
        // Fed tensors' ops (the placeholders) are not run, but the picture shows where the data comes in.
        foreach (var fed in rewritten.Nodes.SelectMany(n => n.Inputs).Select(t => t.op).Where(op => !present.Contains(op)).Distinct().OrderBy(op => op.Id))
            drawn.Add(new Node(fed, [], null));
        drawn.AddRange(rewritten.Nodes.Select(n => new Node(n.Op, [.. n.Inputs.Select(t => t.op), .. n.ControlInputs], n.Origin)));
        var step = inferenceOnly ? "inference" : "training step";
        File.WriteAllText(output, Svg(drawn, $"{model.Title} — optimized {step}"));
        var text = Path.ChangeExtension(output, ".txt");
        File.WriteAllText(text, rewritten.Describe());
        var fused = rewritten.Nodes.Where(n => n.Origin is not null).ToList();
        Console.WriteLine($"{output}: the optimized {step}: {rewritten.Nodes.Count} nodes (from {rewritten.NodeCountBefore}) in {drawn.Select(n => Scope(n.Op)).Distinct().Count()} scopes; node list and log in {text}");
        Console.WriteLine($"ops the optimizer made ({fused.Count}):");
        foreach (var group in fused.GroupBy(n => n.Op.type).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"  {group.Key} ×{group.Count()}");
            foreach (var n in group) Console.WriteLine($"    {n.Op.name} = {n.Origin}");
        }
        Console.WriteLine($"rewrite log ({rewritten.Log.Count} rewrites):");
        foreach (var line in rewritten.Log) Console.WriteLine($"  {line}");
    }

    private static string Short(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static string Scope(Operation op) => op.name.Split('/')[0];

    private static string Svg(IReadOnlyList<Node> nodes, string title)
    {
        var scopes = nodes.Select(n => Scope(n.Op)).Distinct().ToList();
        var members = nodes.GroupBy(n => Scope(n.Op)).ToDictionary(g => g.Key, g => g.ToList());
        var edges = new HashSet<(string From, string To)>();
        foreach (var node in nodes)
            foreach (var from in node.Sources)
                if (Scope(from) != Scope(node.Op) && members.ContainsKey(Scope(from))) edges.Add((Scope(from), Scope(node.Op)));

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
            var kinds = string.Join(", ", group.GroupBy(n => n.Op.type).OrderByDescending(g => g.Any(n => n.Origin is not null)).ThenByDescending(g => g.Count()).Take(2).Select(g => g.Key));
            var fill = group.Any(n => n.Origin is not null) ? "#d5f0d5" : group.Any(n => n.Op.type == "VariableV2") ? "#fde7c8" : group.Count == 1 ? "#eef2f7" : "#dbe8f8";
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{BoxWidth}\" height=\"{BoxHeight}\" rx=\"8\" fill=\"{fill}\" stroke=\"#5a7fb5\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + BoxWidth / 2.0:0.#}\" y=\"{y + 18:0.#}\" text-anchor=\"middle\" font-weight=\"bold\">{SecurityElement.Escape(Short(scope, 26))}</text>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + BoxWidth / 2.0:0.#}\" y=\"{y + 34:0.#}\" text-anchor=\"middle\" fill=\"#555\">{group.Count} op{(group.Count == 1 ? "" : "s")}: {SecurityElement.Escape(Short(kinds, 22))}</text>\n");
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }
}
