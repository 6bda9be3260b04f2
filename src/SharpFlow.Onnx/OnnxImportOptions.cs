namespace SharpFlow.Onnx;

/// <summary>How <see cref="OnnxModel.Import"/> builds the model.</summary>
public sealed class OnnxImportOptions
{
    /// <summary>
    /// Weights become trainable variables (initialized from the file; batch-normalization statistics become
    /// non-trainable ones) instead of frozen constants, for fine-tuning.
    /// </summary>
    public bool Trainable { get; init; }

    /// <summary>
    /// The first dimension of every input is left open (-1), so a model exported for batch 1 runs on batches. On by
    /// default.
    /// </summary>
    public bool DynamicBatch { get; init; } = true;

    /// <summary>
    /// Four-dimensional inputs and outputs are NHWC, SharpFlow's layout, instead of the model's NCHW; inside, the
    /// model always runs in NHWC.
    /// </summary>
    public bool Nhwc { get; init; }

    /// <summary>
    /// Existing tensors to use for some inputs instead of placeholders (TensorFlow's <c>input_map</c>), in the layout
    /// <see cref="Nhwc"/> selects.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor>? InputMap { get; init; }

    /// <summary>A name scope for the imported ops (and variables).</summary>
    public string? Name { get; init; }
}

/// <summary>The tensors of an imported model: its inputs (placeholders unless mapped) and outputs, by ONNX name.</summary>
public sealed class ImportedModel
{
    internal ImportedModel(IReadOnlyDictionary<string, Tensor> inputs, IReadOnlyDictionary<string, Tensor> outputs, IReadOnlyList<Variable> variables)
    {
        Inputs = inputs;
        Outputs = outputs;
        Variables = variables;
    }

    /// <summary>The model's inputs: placeholders to feed, or the tensors given in <see cref="OnnxImportOptions.InputMap"/>.</summary>
    public IReadOnlyDictionary<string, Tensor> Inputs { get; }

    /// <summary>The model's outputs.</summary>
    public IReadOnlyDictionary<string, Tensor> Outputs { get; }

    /// <summary>The variables created for the weights (empty unless <see cref="OnnxImportOptions.Trainable"/>).</summary>
    public IReadOnlyList<Variable> Variables { get; }
}
