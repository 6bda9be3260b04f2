namespace SharpFlow.Keras.Engine;

/// <summary>
/// The layer behind <c>tf.keras.Input</c>: a placeholder <c>input_1</c> of shape <c>(None, ...)</c>, the start of a
/// functional model.
/// </summary>
public sealed class InputLayer : Layer
{
    /// <summary>Creates the placeholder (or wraps <paramref name="input_tensor"/>).</summary>
    public InputLayer(int[]? input_shape = null, int? batch_size = null, DType? dtype = null, Tensor? input_tensor = null,
        string? name = null, int[]? batch_input_shape = null)
        : base(name ?? "input_" + Backend.get_uid("input"), trainable: false, dtype: dtype ?? input_tensor?.dtype)
    {
        if (input_tensor is null)
        {
            var shape = batch_input_shape ?? (input_shape is null ? throw new ValueError("Please provide to Input either a `shape` or a `tensor` argument.") : [batch_size ?? -1, .. input_shape]);
            this.batch_input_shape = shape;
            var graph = Graph.get_default();
            using (graph.name_scope(null))
                input_tensor = Ops.ArrayOps.Placeholder.Build(this.dtype, new Shape(shape), name: this.name);
        }
        else this.batch_input_shape = input_tensor.shape.IsKnownRank ? input_tensor.shape.Dims : null;
        built = true;
        inbound_nodes.Add(new Node(this, [], [input_tensor]));
    }

    /// <inheritdoc />
    public override Shape compute_output_shape(Shape input_shape) => input_shape;
}
