namespace SharpFlow.Models;

/// <summary>The logits of a built model and its layer table.</summary>
/// <param name="Logits">Unscaled class scores, <c>[batch, classes]</c>.</param>
/// <param name="Layers">One row per layer.</param>
public sealed record ModelOutput(Tensor Logits, IReadOnlyList<LayerSummary> Layers)
{
    /// <summary>All parameters of the model.</summary>
    public long Parameters => Layers.Sum(l => l.Parameters);
}

/// <summary>
/// A network architecture that builds its layers into the default graph with <c>tf.layers</c> (so its variables
/// are named by layer scope: <c>conv1/kernel</c>) and records a layer table as it goes.
/// </summary>
public abstract class Model
{
    /// <summary>Creates a model with <paramref name="classes"/> outputs.</summary>
    protected Model(int classes)
    {
        if (classes <= 0) throw new ArgumentOutOfRangeException(nameof(classes), classes, "a model needs at least one class");
        Classes = classes;
    }

    /// <summary>The name the <c>sharpflow</c> command uses (<c>lenet5</c>).</summary>
    public abstract string Name { get; }

    /// <summary>A one-line description.</summary>
    public abstract string Title { get; }

    /// <summary>The image size (height, width, channels) the architecture is defined for.</summary>
    public abstract (int Height, int Width, int Channels) DefaultInput { get; }

    /// <summary>Number of classes of the final layer.</summary>
    public int Classes { get; }

    /// <summary>
    /// Builds the network on NHWC <paramref name="images"/>. <paramref name="training"/> (a bool or a bool
    /// tensor) switches dropout and batch normalization to training mode.
    /// </summary>
    public ModelOutput Build(Tensor images, TensorLike training = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (!images.shape.IsKnownRank || images.shape.ndims != 4)
            throw new ValueError($"{Name} takes NHWC images [batch, height, width, channels], got {images}");
        var recorder = new LayerRecorder(images.graph);
        var logits = Layers(recorder, images, training);
        return new ModelOutput(logits, recorder.Layers);
    }

    /// <summary>The layers, each recorded with <paramref name="r"/>.</summary>
    protected abstract Tensor Layers(LayerRecorder r, Tensor images, TensorLike training);

    /// <summary>"SAME"/"VALID" and the window for table rows.</summary>
    protected static string Conv(int k, int filters, int stride = 1, string padding = "same", int kw = 0) =>
        $"conv {k}×{(kw == 0 ? k : kw)}×{filters}{(stride > 1 ? $" /{stride}" : "")}, {padding.ToUpperInvariant()}";
}
