namespace SharpFlow.Functions;

/// <summary>
/// The dataset a one-shot iterator makes (TensorFlow's <c>dataset_factory</c> function, a <c>Defun</c> that
/// captures by value): the dataset tensor, which the iterator's kernel evaluates once.
/// </summary>
internal sealed class DatasetFactory(Tensor dataset)
{
    public Tensor Dataset { get; } = dataset;

    /// <summary>The name of the FunctionDef it was imported from, which a GraphDef written again keeps; null when built here.</summary>
    public string? LibraryName { get; init; }

    public override string ToString() => $"_make_dataset({Dataset.name})";
}
