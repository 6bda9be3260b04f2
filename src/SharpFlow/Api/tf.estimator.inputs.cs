#pragma warning disable CS8981 // the facade keeps TensorFlow's lower-case names
namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class estimator
        {
            /// <summary><c>tf.estimator.inputs</c>: input functions over in-memory arrays.</summary>
            public static class inputs
            {
                /// <summary>
                /// <c>tf.estimator.inputs.numpy_input_fn</c>: an input function giving batches of the rows of
                /// <paramref name="x"/> (a dictionary of arrays with the same first dimension) and <paramref name="y"/>, for
                /// <paramref name="num_epochs"/> epochs (null: forever), shuffled with a buffer of
                /// <paramref name="queue_capacity"/> when <paramref name="shuffle"/>. Built on tf.data over placeholders that the
                /// Estimator feeds when it initialises the input's iterator, so the arrays never enter the graph (TensorFlow
                /// feeds a queue from Python; the batches hold the same rows, the shuffled order differs). The last batch may be
                /// smaller. Outside an Estimator, run the iterator's initializer with <see cref="FedDataset.feed_dict"/>.
                /// </summary>
                public static Func<object> numpy_input_fn(IReadOnlyDictionary<string, NDArray> x, NDArray? y = null, int batch_size = 128, int? num_epochs = 1,
                    bool? shuffle = null, int queue_capacity = 1000, int num_threads = 1)
                {
                    if (shuffle is null) throw new ValueError("shuffle must be provided explicitly as a bool, got None.");
                    if (x is null || x.Count == 0) throw new ValueError("x cannot be empty");
                    if (batch_size <= 0) throw new ValueError($"batch_size must be positive, got {batch_size}");
                    if (num_epochs is <= 0) throw new ValueError($"num_epochs must be > 0 or None, got {num_epochs}");
                    var length = x.Values.First().shape[0];
                    foreach (var (k, v) in x)
                        if (v.ndim == 0 || v.shape[0] != length)
                            throw new ValueError($"Length of tensors in x and y is mismatched. All elements in x and y must have the same length.\nLengths of x: {{{string.Join(", ", x.Select(kv => $"'{kv.Key}': {(kv.Value.ndim == 0 ? 0 : kv.Value.shape[0])}"))}}}");
                    if (y is not null && (y.ndim == 0 || y.shape[0] != length))
                        throw new ValueError($"Length of tensors in x and y is mismatched. All elements in x and y must have the same length.\nLength of y: {(y.ndim == 0 ? 0 : y.shape[0])}");
                    var shuffled = shuffle.Value;
                    return () =>
                    {
                        // The arrays stay out of the graph: each is a placeholder that the iterator's initializer is fed with
                        // (TensorFlow's numpy_input_fn feeds a queue from Python for the same reason: a GraphDef holding the data
                        // would be as large as the data, and so would graph.pbtxt and every event file the Estimator writes).
                        var feeds = new FeedDict();
                        Tensor Fed(NDArray value, string name)
                        {
                            var placeholder = tf.placeholder(value.dtype, value.shape, name);
                            feeds.Add(placeholder, value);
                            return placeholder;
                        }
                        data.Dataset ds;
                        using (tf.name_scope("numpy_input_fn"))
                        {
                            var features = x.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => (object)Fed(kv.Value, "x"));
                            ds = y is null ? data.Dataset.from_tensor_slices(features) : data.Dataset.from_tensor_slices((features, Fed(y, "y")));
                        }
                        if (shuffled) ds = ds.shuffle(queue_capacity);
                        ds = num_epochs is null ? ds.repeat() : num_epochs == 1 ? ds : ds.repeat(num_epochs.Value);
                        return new FedDataset(ds.batch(batch_size), feeds);
                    };
                }

                /// <summary><see cref="numpy_input_fn(IReadOnlyDictionary{string, NDArray}, NDArray?, int, int?, bool?, int, int)"/> over .NET arrays.</summary>
                public static Func<object> numpy_input_fn(IReadOnlyDictionary<string, Array> x, Array? y = null, int batch_size = 128, int? num_epochs = 1,
                    bool? shuffle = null, int queue_capacity = 1000, int num_threads = 1) =>
                    numpy_input_fn(x.ToDictionary(kv => kv.Key, kv => NDArray.FromArray(kv.Value)), y is null ? null : NDArray.FromArray(y), batch_size, num_epochs,
                        shuffle, queue_capacity, num_threads);

                /// <summary>
                /// A dataset over placeholders together with the values they take (what
                /// <see cref="numpy_input_fn(IReadOnlyDictionary{string, NDArray}, NDArray?, int, int?, bool?, int, int)"/> builds). The
                /// Estimator runs its iterator's initializer with <see cref="feed_dict"/>; elsewhere, use
                /// <c>make_initializable_iterator()</c> and feed it the same way.
                /// </summary>
                public sealed class FedDataset : data.Dataset, Estimators.IFedDataset
                {
                    internal FedDataset(data.Dataset inner, FeedDict feeds) : base(inner) => feed_dict = feeds;

                    /// <summary>The placeholders the dataset reads and their values, for the iterator's initializer.</summary>
                    public FeedDict feed_dict { get; }
                }
            }
        }
    }
}
