using DatasetFunction = SharpFlow.Functions.TracedFunction;
using Nest = SharpFlow.Data.Pipeline.Nest;
using SharpFlow.Framework;
using SharpFlow.Data.DatasetOps;

namespace SharpFlow;

#pragma warning disable CA1034, CA1720, CA1716, CS8981 // the facade mirrors TensorFlow's module layout and names

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class data
        {
            public partial class Dataset
            {
                /// <summary>
                /// <c>Dataset.list_files(file_pattern, shuffle=None, seed=None)</c>: the file names matching
                /// <paramref name="file_pattern"/> (a glob string, a list of them or a string tensor), shuffled unless
                /// <paramref name="shuffle"/> is false (then sorted). A pattern that matches nothing fails at run time
                /// with <c>InvalidArgumentError</c> "No files matched pattern: ...", as TensorFlow's assertion does.
                /// </summary>
                public static Dataset list_files(object file_pattern, bool? shuffle = null, int? seed = null)
                {
                    ArgumentNullException.ThrowIfNull(file_pattern);
                    using (name_scope("list_files"))
                    {
                        var (pattern, joined) = file_pattern switch
                        {
                            Tensor t when t.dtype == DType.@string => (t, (object)t),
                            Tensor t => throw new TypeError($"list_files: `file_pattern` must be a tf.string tensor, got {t.dtype.name}."),
                            string s => (constant(NDArray.FromStrings([s]), name: "file_pattern"), s),
                            IEnumerable<string> list => (constant(NDArray.FromStrings(list.ToArray()), name: "file_pattern"), string.Join(", ", list)),
                            _ => throw new TypeError("list_files: `file_pattern` must be a string, a list of strings or a tf.string tensor."),
                        };
                        var matching = matching_files(pattern);
                        var condition = greater(shape(matching)[0], 0, name: "match_not_empty");
                        var assertNotEmpty = Assert(condition, joined is string text ? [$"No files matched pattern: {text}"] : ["No files matched pattern: ", joined],
                            summarize: 1, name: "assert_not_empty");
                        using (control_dependencies([assertNotEmpty]))
                            matching = identity(matching);
                        var dataset = from_tensor_slices(matching);
                        if (shuffle ?? true)
                        {
                            // The shuffle buffer must be positive although the list may be empty (the assertion then fails first).
                            var bufferSize = maximum(shape(matching, out_type: DType.int64)[0], 1L);
                            dataset = dataset.shuffle(bufferSize, seed);
                        }
                        return dataset;
                    }
                }

                /// <summary>
                /// <c>shard(num_shards, index)</c>: the elements whose position modulo <paramref name="num_shards"/> is
                /// <paramref name="index"/> (for one worker of several).
                /// </summary>
                public Dataset shard(TensorLike num_shards, TensorLike index) =>
                    Same(ShardDataset.Build(_variant_tensor, num_shards, index, output_types, output_shapes));

                /// <summary>
                /// <c>unbatch()</c>: each element split along its first axis into that many elements. Components must be
                /// non-scalar and agree in their first dimension.
                /// </summary>
                public Dataset unbatch()
                {
                    if (output_shapes.Any(s => s.IsKnownRank && s.ndims == 0))
                        throw new ValueError("Cannot unbatch an input with scalar components.");
                    var batch = -1;
                    foreach (var s in output_shapes.Where(s => s.IsKnownRank && s[0] >= 0))
                    {
                        if (batch >= 0 && s[0] != batch) throw new ValueError("Cannot unbatch an input whose components have different batch sizes.");
                        batch = s[0];
                    }
                    var shapes = output_shapes.Select(s => s.IsKnownRank ? new Shape(s.Dims[1..]) : Shape.Unknown).ToArray();
                    return new Dataset(UnbatchDataset.Build(_variant_tensor, output_types, shapes), Structure, output_types, shapes);
                }

                internal Dataset IgnoreErrors() => Same(IgnoreErrorsDataset.Build(_variant_tensor, output_types, output_shapes));

                /// <summary>The parallel interleaves: the legacy op with its buffers, or V2 with <c>num_parallel_calls</c>.</summary>
                internal Dataset ParallelInterleaveCore(Func<DatasetElement, Dataset> body, TensorLike cycle, TensorLike block,
                    (TensorLike Sloppy, TensorLike Buffer, TensorLike Prefetch)? legacy, TensorLike numParallelCalls)
                {
                    ArgumentNullException.ThrowIfNull(body);
                    var f = Trace("tf_data_interleave_function", body,
                        r => r is Dataset d ? ([d._variant_tensor], d) : throw new TypeError("`map_func` of interleave must return a Dataset object."));
                    var inner = (Dataset)f.OutputStructure;
                    var variant = legacy is { } l
                        ? ParallelInterleaveDataset.Build(_variant_tensor, f, cycle, block, l.Sloppy, l.Buffer, l.Prefetch, inner.output_types, inner.output_shapes)
                        : ParallelInterleaveDatasetV2.Build(_variant_tensor, f, cycle, block, numParallelCalls, inner.output_types, inner.output_shapes);
                    return new Dataset(variant, inner.Structure, inner.output_types, inner.output_shapes);
                }

                /// <summary>The element as the argument of a one-or-more-argument user function.</summary>
                internal static Tensor[] Arguments(DatasetElement e, int n, string what) =>
                    n == 1 ? [Arg1(e, what)] : [.. ArgN(e, n, what).flat];

                internal Dataset GroupByWindowCore(Func<DatasetElement, Tensor> keyFunc, Func<Tensor, Dataset, Dataset> reduceFunc, Func<Tensor, Tensor> windowSizeFunc)
                {
                    ArgumentNullException.ThrowIfNull(keyFunc);
                    ArgumentNullException.ThrowIfNull(reduceFunc);
                    var graph = _variant_tensor.graph;
                    var key = Trace("tf_data_group_by_window_key_func", e => keyFunc(e), r => r is Tensor t && t.dtype == DType.int64 && t.shape.IsCompatibleWith(Shape.Scalar)
                        ? ([t], Nest.Leaf)
                        : throw new ValueError("`key_func` must return a single tf.int64 scalar tensor."));
                    var window = DatasetFunction.Trace("tf_data_group_by_window_window_size_func", graph, [DType.int64], [Shape.Scalar], args =>
                        windowSizeFunc(args[0]) is { } t && t.dtype == DType.int64 && t.shape.IsCompatibleWith(Shape.Scalar)
                            ? ([t], Nest.Leaf)
                            : throw new ValueError("`window_size_func` must return a single tf.int64 scalar tensor."));
                    var reduce = DatasetFunction.Trace("tf_data_group_by_window_reduce_func", graph, [DType.int64, DType.resource], [Shape.Scalar, Shape.Scalar], args =>
                        reduceFunc(args[0], new Dataset(args[1], Structure, output_types, output_shapes)) is { } d
                            ? ([d._variant_tensor], d)
                            : throw new TypeError("`reduce_func` must return a `Dataset` object."));
                    var inner = (Dataset)reduce.OutputStructure;
                    return new Dataset(GroupByWindowDataset.Build(_variant_tensor, key, reduce, window, inner.output_types, inner.output_shapes),
                        inner.Structure, inner.output_types, inner.output_shapes);
                }

                /// <summary><c>bucket_by_sequence_length</c> on this dataset (see <see cref="experimental.bucket_by_sequence_length(Func{Tensor, Tensor}, IReadOnlyList{int}, IReadOnlyList{int}, object?, object?, bool, bool, bool)"/>).</summary>
                internal Dataset BucketBySequenceLength(Func<DatasetElement, Tensor> elementLengthFunc, IReadOnlyList<int> boundaries, IReadOnlyList<int> batchSizes,
                    object? paddedShapes, object? paddingValues, bool padToBucketBoundary, bool noPadding, bool dropRemainder)
                {
                    ArgumentNullException.ThrowIfNull(elementLengthFunc);
                    ArgumentNullException.ThrowIfNull(boundaries);
                    ArgumentNullException.ThrowIfNull(batchSizes);
                    if (batchSizes.Count != boundaries.Count + 1)
                        throw new ValueError("len(bucket_batch_sizes) must equal len(bucket_boundaries) + 1");
                    Shape[] padded = output_shapes;
                    if (paddedShapes is not null)
                    {
                        var leaves = new List<object>();
                        if (!Nest.Flatten(paddedShapes, leaves).SameAs(Structure))
                            throw new ValueError($"The padded_shapes do not match the element structure {Structure}.");
                        padded = leaves.Select(l => l switch
                        {
                            Shape s => s,
                            int[] dims => new Shape(dims),
                            _ => throw new TypeError($"padded_shapes entries must be Shape or int[], got {l.GetType().Name}"),
                        }).ToArray();
                    }
                    if (!noPadding && padded.Any(s => !s.IsKnownRank)) throw new ValueError("padded_shapes must have known ranks.");
                    Tensor[]? values = null;
                    object[]? valueLeaves = null;
                    if (paddingValues is not null)
                    {
                        var leaves = new List<object>();
                        if (!Nest.Flatten(paddingValues, leaves).SameAs(Structure))
                            throw new ValueError($"The padding_values do not match the element structure {Structure}.");
                        valueLeaves = [.. leaves];
                    }
                    using (name_scope("bucket_by_seq_length"))
                    {
                        // The bucket of a length: how many boundaries are <= it (TensorFlow's min/max bucket test).
                        Tensor BucketId(DatasetElement e)
                        {
                            var length = cast(elementLengthFunc(e), DType.int64);
                            return reduce_sum(cast(less_equal(constant(boundaries.Select(b => (long)b).ToArray()), length), DType.int64));
                        }
                        Tensor WindowSize(Tensor bucketId) => gather(constant(batchSizes.Select(b => (long)b).ToArray(), name: "batch_sizes"), bucketId);
                        Dataset Batching(Tensor bucketId, Dataset grouped)
                        {
                            var batchSize = WindowSize(bucketId);
                            if (noPadding) return grouped.batch(batchSize, drop_remainder: dropRemainder);
                            Tensor? filler = null;
                            if (padToBucketBoundary)
                            {
                                var check = Assert(less(bucketId, (long)(batchSizes.Count - 1)),
                                    ["When pad_to_bucket_boundary=True, elements must have length < max(bucket_boundaries)."]);
                                using (control_dependencies([check]))
                                    filler = gather(constant(boundaries.Select(b => (long)b).ToArray(), name: "boundaries"), bucketId) - 1L;
                            }
                            var shapeTensors = padded.Select(s => s.ndims == 0
                                ? constant(Array.Empty<long>(), name: "padded_shapes")
                                : stack(s.Dims.Select(d => d >= 0 || filler is null ? constant((long)d) : filler).ToArray())).ToArray();
                            values ??= valueLeaves is null
                                ? null
                                : valueLeaves.Select((v, i) => ToTensor(v, "padding_value", output_types[i])).ToArray();
                            var padValues = values ?? output_types.Select(t => t == DType.@string ? constant(NDArray.FromStrings([""]), name: "padding_value")
                                : constant(NDArray.Zeros(t, Shape.Scalar), name: "padding_value")).ToArray();
                            var shapes = padded.Select(p => new Shape([-1, .. p.Dims.Select(d => filler is null ? d : -1)])).ToArray();
                            var variant = PaddedBatchDatasetV2.Build(grouped._variant_tensor, batchSize, shapeTensors, padValues, dropRemainder, output_types, shapes);
                            return new Dataset(variant, Structure, output_types, shapes);
                        }
                        return GroupByWindowCore(BucketId, Batching, WindowSize);
                    }
                }
            }

            public static partial class experimental
            {
                /// <summary>
                /// <c>parallel_interleave(map_func, cycle_length, block_length=1, sloppy=False,
                /// buffer_output_elements=None, prefetch_input_elements=None)</c>: <c>interleave</c> whose
                /// <paramref name="cycle_length"/> nested datasets (and <paramref name="prefetch_input_elements"/> more,
                /// made ahead; default 2 × cycle_length) are read on background threads into buffers of
                /// <paramref name="buffer_output_elements"/> (default 2 × block_length). The order is interleave's unless
                /// <paramref name="sloppy"/>, which takes whichever dataset has an element ready.
                /// </summary>
                public static Func<Dataset, Dataset> parallel_interleave(Func<Tensor, Dataset> map_func, long cycle_length, long block_length = 1,
                    bool sloppy = false, long? buffer_output_elements = null, long? prefetch_input_elements = null) =>
                    d => d.ParallelInterleaveCore(e => map_func(Dataset.Arguments(e, 1, "parallel_interleave")[0]), cycle_length, block_length,
                        (sloppy, buffer_output_elements ?? 2 * block_length, prefetch_input_elements ?? 2 * cycle_length), default);

                /// <summary><c>parallel_interleave</c> on pairs.</summary>
                public static Func<Dataset, Dataset> parallel_interleave(Func<Tensor, Tensor, Dataset> map_func, long cycle_length, long block_length = 1,
                    bool sloppy = false, long? buffer_output_elements = null, long? prefetch_input_elements = null) =>
                    d => d.ParallelInterleaveCore(e =>
                    {
                        var a = Dataset.Arguments(e, 2, "parallel_interleave");
                        return map_func(a[0], a[1]);
                    }, cycle_length, block_length, (sloppy, buffer_output_elements ?? 2 * block_length, prefetch_input_elements ?? 2 * cycle_length), default);

                /// <summary><c>unbatch()</c>: <see cref="Dataset.unbatch"/> for <see cref="Dataset.apply"/>.</summary>
                public static Func<Dataset, Dataset> unbatch() => d => d.unbatch();

                /// <summary><c>ignore_errors()</c>: the elements of the dataset, dropping those whose computation failed.</summary>
                public static Func<Dataset, Dataset> ignore_errors() => d => d.IgnoreErrors();

                /// <summary>
                /// <c>group_by_window(key_func, reduce_func, window_size=None, window_size_func=None)</c>: elements
                /// grouped by the int64 <paramref name="key_func"/>; each group of <paramref name="window_size"/> (or
                /// <paramref name="window_size_func"/>(key)) elements, and each group left at the end (by ascending key),
                /// is passed as a dataset to <paramref name="reduce_func"/>(key, window), whose elements are the output.
                /// </summary>
                public static Func<Dataset, Dataset> group_by_window(Func<Tensor, Tensor> key_func, Func<Tensor, Dataset, Dataset> reduce_func,
                    long? window_size = null, Func<Tensor, Tensor>? window_size_func = null) =>
                    GroupByWindow(e => key_func(Dataset.Arguments(e, 1, "group_by_window")[0]), reduce_func, window_size, window_size_func);

                /// <summary><c>group_by_window</c> on pairs: <paramref name="key_func"/> takes the pair's two tensors.</summary>
                public static Func<Dataset, Dataset> group_by_window(Func<Tensor, Tensor, Tensor> key_func, Func<Tensor, Dataset, Dataset> reduce_func,
                    long? window_size = null, Func<Tensor, Tensor>? window_size_func = null) =>
                    GroupByWindow(e =>
                    {
                        var a = Dataset.Arguments(e, 2, "group_by_window");
                        return key_func(a[0], a[1]);
                    }, reduce_func, window_size, window_size_func);

                private static Func<Dataset, Dataset> GroupByWindow(Func<DatasetElement, Tensor> key, Func<Tensor, Dataset, Dataset> reduce,
                    long? windowSize, Func<Tensor, Tensor>? windowSizeFunc)
                {
                    if ((windowSize is not null && windowSizeFunc is not null) || (windowSize is null && windowSizeFunc is null))
                        throw new ValueError("Must pass either window_size or window_size_func.");
                    var sizeFunc = windowSizeFunc ?? (_ => constant(windowSize!.Value, name: "window_size"));
                    return d => d.GroupByWindowCore(key, reduce, sizeFunc);
                }

                /// <summary>
                /// <c>bucket_by_sequence_length(element_length_func, bucket_boundaries, bucket_batch_sizes,
                /// padded_shapes=None, padding_values=None, pad_to_bucket_boundary=False, no_padding=False,
                /// drop_remainder=False)</c> (TensorFlow 1.15): elements go to the bucket of their length
                /// (<c>[-inf, b0), [b0, b1), ..., [bn, inf)</c>), each bucket is batched by its own batch size and
                /// padded (to the longest in the batch, or with <paramref name="pad_to_bucket_boundary"/> to the
                /// bucket's boundary minus one, unknown dimensions only) with <paramref name="padding_values"/>.
                /// </summary>
                public static Func<Dataset, Dataset> bucket_by_sequence_length(Func<Tensor, Tensor> element_length_func, IReadOnlyList<int> bucket_boundaries,
                    IReadOnlyList<int> bucket_batch_sizes, object? padded_shapes = null, object? padding_values = null, bool pad_to_bucket_boundary = false,
                    bool no_padding = false, bool drop_remainder = false) =>
                    d => d.BucketBySequenceLength(e => element_length_func(Dataset.Arguments(e, 1, "bucket_by_sequence_length")[0]), bucket_boundaries,
                        bucket_batch_sizes, padded_shapes, padding_values, pad_to_bucket_boundary, no_padding, drop_remainder);

                /// <summary><c>bucket_by_sequence_length</c> on pairs: <paramref name="element_length_func"/> takes the pair's two tensors.</summary>
                public static Func<Dataset, Dataset> bucket_by_sequence_length(Func<Tensor, Tensor, Tensor> element_length_func, IReadOnlyList<int> bucket_boundaries,
                    IReadOnlyList<int> bucket_batch_sizes, object? padded_shapes = null, object? padding_values = null, bool pad_to_bucket_boundary = false,
                    bool no_padding = false, bool drop_remainder = false) =>
                    d => d.BucketBySequenceLength(e =>
                    {
                        var a = Dataset.Arguments(e, 2, "bucket_by_sequence_length");
                        return element_length_func(a[0], a[1]);
                    }, bucket_boundaries, bucket_batch_sizes, padded_shapes, padding_values, pad_to_bucket_boundary, no_padding, drop_remainder);

                /// <summary><c>bucket_by_sequence_length</c> on dictionary elements (type the lambda's parameter).</summary>
                public static Func<Dataset, Dataset> bucket_by_sequence_length(Func<Dictionary<string, Tensor>, Tensor> element_length_func, IReadOnlyList<int> bucket_boundaries,
                    IReadOnlyList<int> bucket_batch_sizes, object? padded_shapes = null, object? padding_values = null, bool pad_to_bucket_boundary = false,
                    bool no_padding = false, bool drop_remainder = false) =>
                    d => d.BucketBySequenceLength(e => element_length_func(e.ToDictionary()), bucket_boundaries,
                        bucket_batch_sizes, padded_shapes, padding_values, pad_to_bucket_boundary, no_padding, drop_remainder);
            }
        }
    }
}
