using System.Runtime.CompilerServices;

namespace SharpFlow.Keras.Engine;

/// <summary>
/// One call of a layer on tensors (Keras's <c>Node</c>): the layer, the tensors it took and those it made. Every
/// tensor a layer outputs remembers its node (its <c>_keras_history</c>), which is how a functional model finds
/// its graph of layers.
/// </summary>
public sealed class Node
{
    private static readonly ConditionalWeakTable<Tensor, KerasHistory> Histories = new();

    internal Node(Layer layer, Tensor[] inputs, Tensor[] outputs)
    {
        outbound_layer = layer;
        input_tensors = inputs;
        output_tensors = outputs;
        inbound = inputs.Select(t => History(t)).ToArray();
        for (var i = 0; i < outputs.Length; i++) Histories.AddOrUpdate(outputs[i], new KerasHistory(this, i));
    }

    /// <summary>The layer called.</summary>
    public Layer outbound_layer { get; }

    /// <summary>The tensors it took.</summary>
    public IReadOnlyList<Tensor> input_tensors { get; }

    /// <summary>The tensors it made.</summary>
    public IReadOnlyList<Tensor> output_tensors { get; }

    internal readonly KerasHistory?[] inbound;

    /// <summary>The layers whose outputs this call took.</summary>
    public IEnumerable<Layer> inbound_layers => inbound.Where(h => h is not null).Select(h => h!.Node.outbound_layer);

    /// <summary>The node that made <paramref name="tensor"/>, or null for a tensor no Keras layer made.</summary>
    internal static KerasHistory? History(Tensor tensor) => Histories.TryGetValue(tensor, out var h) ? h : null;
}

/// <summary>The node that made a tensor and which of its outputs it is.</summary>
internal sealed record KerasHistory(Node Node, int TensorIndex);
