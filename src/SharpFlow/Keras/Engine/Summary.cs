using System.Globalization;
using System.Text;

namespace SharpFlow.Keras.Engine;

public partial class Model
{
    /// <summary>
    /// Prints Keras's table of layers: name (type), output shape, parameter count (and the layers each one is
    /// connected to, for models that are not a simple stack), then the total, trainable and non-trainable counts.
    /// </summary>
    public void summary(int? line_length = null, double[]? positions = null, Action<string>? print_fn = null)
    {
        print_fn ??= Console.WriteLine;
        foreach (var line in SummaryLines(line_length, positions)) print_fn(line);
    }

    /// <summary>The summary as one string, lines ended by '\n'.</summary>
    public string summary_text(int? line_length = null, double[]? positions = null)
    {
        var sb = new StringBuilder();
        foreach (var line in SummaryLines(line_length, positions)) sb.Append(line).Append('\n');
        return sb.ToString();
    }

    private List<string> SummaryLines(int? lineLength, double[]? positions)
    {
        if (!built) throw new ValueError("This model has not yet been built. Build the model first by calling `build()` or calling `fit()` with some data, or specify an `input_shape` argument in the first layer(s) for automatic build.");
        var lines = new List<string>();
        var sequentialLike = true;
        HashSet<Node>? relevant = null;
        if (this is not Sequential && is_graph_network)
        {
            var byDepth = _nodeDepths.GroupBy(kv => kv.Value).Select(g => g.Select(kv => kv.Key).ToList()).ToList();
            var nodes = new List<Node>();
            foreach (var v in byDepth)
            {
                if (v.Count > 1 || (v.Count == 1 && v[0].inbound.Count(h => h is not null) > 1)) { sequentialLike = false; break; }
                nodes.AddRange(v);
            }
            if (sequentialLike)
                foreach (var layer in layers)
                    if (layer.inbound_nodes.Count(nodes.Contains) > 1) { sequentialLike = false; break; }
            relevant = [.. _nodeDepths.Keys];
        }
        int length;
        int[] pos;
        string[] header;
        if (sequentialLike)
        {
            length = lineLength ?? 65;
            positions ??= [0.45, 0.85, 1.0];
            header = ["Layer (type)", "Output Shape", "Param #"];
        }
        else
        {
            length = lineLength ?? 98;
            positions ??= [0.33, 0.55, 0.67, 1.0];
            header = ["Layer (type)", "Output Shape", "Param #", "Connected to"];
        }
        pos = positions[^1] <= 1 ? positions.Select(p => (int)(length * p)).ToArray() : positions.Select(p => (int)p).ToArray();

        void Row(params string[] fields)
        {
            var line = "";
            for (var i = 0; i < fields.Length; i++)
            {
                if (i > 0) line = line[..^1] + " ";
                line += fields[i];
                line = line[..Math.Min(line.Length, pos[i])];
                line += new string(' ', pos[i] - line.Length);
            }
            lines.Add(line);
        }

        lines.Add(new string('_', length));
        Row(header);
        lines.Add(new string('=', length));
        var all = layers;
        for (var i = 0; i < all.Count; i++)
        {
            var layer = all[i];
            string outputShape;
            try
            {
                var outs = layer.inbound_nodes.Select(n => n.output_tensors.Count == 1 ? Layer.ShapeText(n.output_tensors[0].shape)
                    : "[" + string.Join(", ", n.output_tensors.Select(t => Layer.ShapeText(t.shape))) + "]").Distinct().ToList();
                outputShape = outs.Count == 1 ? outs[0] : "multiple";
            }
            catch (AttributeError) { outputShape = "multiple"; }
            var name = $"{layer.name} ({layer.GetType().Name})";
            var count = layer.built ? layer.count_params().ToString(CultureInfo.InvariantCulture) : "0 (unused)";
            if (sequentialLike) Row(name, outputShape, count);
            else
            {
                var connections = new List<string>();
                foreach (var node in layer.inbound_nodes)
                {
                    if (relevant is not null && !relevant.Contains(node)) continue;
                    foreach (var h in node.inbound)
                        if (h is not null)
                            connections.Add($"{h.Node.outbound_layer.name}[{h.Node.outbound_layer.inbound_nodes.IndexOf(h.Node)}][{h.TensorIndex}]");
                }
                Row(name, outputShape, count, connections.Count == 0 ? "" : connections[0]);
                for (var c = 1; c < connections.Count; c++) Row("", "", "", connections[c]);
            }
            lines.Add(new string(i == all.Count - 1 ? '=' : '_', length));
        }
        var trainableCount = trainable_weights.Sum(w => w.shape.NumElements);
        var nonTrainableCount = non_trainable_weights.Sum(w => w.shape.NumElements);
        lines.Add("Total params: " + (trainableCount + nonTrainableCount).ToString("N0", CultureInfo.InvariantCulture));
        lines.Add("Trainable params: " + trainableCount.ToString("N0", CultureInfo.InvariantCulture));
        lines.Add("Non-trainable params: " + nonTrainableCount.ToString("N0", CultureInfo.InvariantCulture));
        lines.Add(new string('_', length));
        return lines;
    }
}
