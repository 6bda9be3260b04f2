namespace SharpFlow.Estimators;

/// <summary>
/// A dataset that reads placeholders, with the values they take (<c>tf.estimator.inputs.numpy_input_fn</c>'s): the
/// Estimator feeds them to the iterator's initializer (TensorFlow's <c>_DatasetInitializerHook</c> runs it with the
/// feeds its input pipeline needs).
/// </summary>
internal interface IFedDataset
{
    /// <summary>The placeholders the dataset reads and their values.</summary>
    FeedDict feed_dict { get; }
}
