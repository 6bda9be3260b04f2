using System.Runtime.CompilerServices;
using Nest = SharpFlow.Data.Pipeline.Nest;
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
                /// <c>scan</c> on this dataset: <paramref name="scanFunc"/>(state, element) returns (new state, output).
                /// As TensorFlow's Python does, the function is traced again with the state's shapes relaxed while the
                /// new state's static shapes differ from those it was given.
                /// </summary>
                internal Dataset ScanCore(object initialState, Func<DatasetElement, DatasetElement, object> scanFunc)
                {
                    ArgumentNullException.ThrowIfNull(initialState);
                    ArgumentNullException.ThrowIfNull(scanFunc);
                    var (stateStructure, state) = Components(initialState, "scan");
                    var stateTypes = state.Select(t => t.dtype).ToArray();
                    var stateShapes = state.Select(t => t.shape).ToArray();
                    for (var attempt = 0; ; attempt++)
                    {
                        Nest? outputStructure = null;
                        var f = Functions.TracedFunction.Trace("tf_data_scan_function", _variant_tensor.graph, [.. stateTypes, .. output_types], [.. stateShapes, .. output_shapes], args =>
                        {
                            var result = scanFunc(new DatasetElement(stateStructure, args[..stateTypes.Length]), new DatasetElement(Structure, args[stateTypes.Length..]));
                            if (result is not ITuple { Length: 2 } pair)
                                throw new TypeError("The scan function must return a pair comprising the new state and the output value.");
                            var (newState, stateNest) = FlattenResult(pair[0]!);
                            if (!((Nest)stateNest).SameAs(stateStructure))
                                throw new TypeError($"The element structure for the new state must match the initial state. Expected {stateStructure}; got {stateNest}.");
                            var newTypes = newState.Select(t => t.dtype).ToArray();
                            if (!newTypes.SequenceEqual(stateTypes))
                                throw new TypeError($"The element types for the new state must match the initial state. Expected {TypesString(stateTypes)}; got {TypesString(newTypes)}.");
                            var (output, outputNest) = FlattenResult(pair[1]!);
                            outputStructure = (Nest)outputNest;
                            return ([.. newState, .. output], outputStructure);
                        });
                        var newShapes = f.OutputShapes[..stateTypes.Length];
                        var relaxed = stateShapes.Zip(newShapes).Select(p => MostSpecificCompatible(p.First, p.Second)).ToArray();
                        if (relaxed.SequenceEqual(stateShapes) || attempt >= 8)
                        {
                            var types = f.OutputTypes[stateTypes.Length..];
                            var shapes = f.OutputShapes[stateTypes.Length..];
                            return new Dataset(ScanDataset.Build(_variant_tensor, state, f, types, shapes), outputStructure!, types, shapes);
                        }
                        stateShapes = relaxed;
                    }
                }
            }

            public static partial class experimental
            {
                /// <summary>
                /// <c>scan(initial_state, scan_func)</c>: a state carried through the elements; <paramref name="scan_func"/>
                /// takes (state, element) and returns (new state, output element) (<c>ScanDataset</c>).
                /// </summary>
                public static Func<Dataset, Dataset> scan(object initial_state, Func<Tensor, Tensor, object> scan_func) =>
                    d => d.ScanCore(initial_state, (s, e) => scan_func(s.tensor, Dataset.Arguments(e, 1, "scan")[0]));

                /// <summary><c>scan</c> with the state and the element as structures (type the lambda's parameters as <see cref="DatasetElement"/>).</summary>
                [System.Runtime.CompilerServices.OverloadResolutionPriority(-1)]
                public static Func<Dataset, Dataset> scan(object initial_state, Func<DatasetElement, DatasetElement, object> scan_func) =>
                    d => d.ScanCore(initial_state, scan_func);

                /// <summary>
                /// <c>enumerate_dataset(start=0)</c>: each element paired with its int64 position from
                /// <paramref name="start"/>, as TensorFlow builds it: <c>Dataset.zip((Dataset.range(start, int64 max), dataset))</c>.
                /// </summary>
                public static Func<Dataset, Dataset> enumerate_dataset(long start = 0) =>
                    d => Dataset.zip(Dataset.range(start, long.MaxValue), d);

                /// <summary>
                /// <c>get_single_element(dataset)</c>: the dataset's only element, in its structure (a
                /// <c>DatasetToSingleElement</c> op); an empty dataset, or one of more elements, is an
                /// <see cref="InvalidArgumentError"/> when it runs.
                /// </summary>
                public static DatasetElement get_single_element(Dataset dataset)
                {
                    ArgumentNullException.ThrowIfNull(dataset);
                    return new DatasetElement(dataset.Structure,
                        DatasetToSingleElement.Build(dataset._variant_tensor, dataset.output_types, dataset.output_shapes));
                }
            }
        }

        public static partial class contrib
        {
            // TensorFlow 1.x's tf.contrib.data transformations, for Dataset.apply: the tf.data.experimental helpers
            // under their older home, and sliding_window_batch, which only contrib had.
            public static partial class data
            {
                /// <summary><c>tf.contrib.data.parallel_interleave</c>: <see cref="tf.data.experimental.parallel_interleave(Func{Tensor, tf.data.Dataset}, long, long, bool, long?, long?)"/>.</summary>
                public static Func<tf.data.Dataset, tf.data.Dataset> parallel_interleave(Func<Tensor, tf.data.Dataset> map_func, long cycle_length, long block_length = 1,
                    bool sloppy = false, long? buffer_output_elements = null, long? prefetch_input_elements = null) =>
                    tf.data.experimental.parallel_interleave(map_func, cycle_length, block_length, sloppy, buffer_output_elements, prefetch_input_elements);

                /// <summary><c>tf.contrib.data.shuffle_and_repeat</c>.</summary>
                public static Func<tf.data.Dataset, tf.data.Dataset> shuffle_and_repeat(long buffer_size, long? count = null, int? seed = null) =>
                    tf.data.experimental.shuffle_and_repeat(buffer_size, count, seed);

                /// <summary><c>tf.contrib.data.map_and_batch</c>.</summary>
                public static Func<tf.data.Dataset, tf.data.Dataset> map_and_batch(Func<Tensor, object> map_func, long batch_size, int? num_parallel_calls = null, bool drop_remainder = false) =>
                    tf.data.experimental.map_and_batch(map_func, batch_size, num_parallel_calls, drop_remainder);

                /// <summary><c>tf.contrib.data.map_and_batch</c> on pairs.</summary>
                public static Func<tf.data.Dataset, tf.data.Dataset> map_and_batch(Func<Tensor, Tensor, object> map_func, long batch_size, int? num_parallel_calls = null, bool drop_remainder = false) =>
                    tf.data.experimental.map_and_batch(map_func, batch_size, num_parallel_calls, drop_remainder);

                /// <summary><c>tf.contrib.data.batch_and_drop_remainder</c>.</summary>
                public static Func<tf.data.Dataset, tf.data.Dataset> batch_and_drop_remainder(long batch_size) => tf.data.experimental.batch_and_drop_remainder(batch_size);

                /// <summary><c>tf.contrib.data.padded_batch_and_drop_remainder</c>.</summary>
                public static Func<tf.data.Dataset, tf.data.Dataset> padded_batch_and_drop_remainder(long batch_size, object padded_shapes, object? padding_values = null) =>
                    tf.data.experimental.padded_batch_and_drop_remainder(batch_size, padded_shapes, padding_values);

                /// <summary><c>tf.contrib.data.unbatch</c>.</summary>
                public static Func<tf.data.Dataset, tf.data.Dataset> unbatch() => tf.data.experimental.unbatch();

                /// <summary><c>tf.contrib.data.ignore_errors</c>.</summary>
                public static Func<tf.data.Dataset, tf.data.Dataset> ignore_errors() => tf.data.experimental.ignore_errors();

                /// <summary><c>tf.contrib.data.group_by_window</c>.</summary>
                public static Func<tf.data.Dataset, tf.data.Dataset> group_by_window(Func<Tensor, Tensor> key_func, Func<Tensor, tf.data.Dataset, tf.data.Dataset> reduce_func,
                    long? window_size = null, Func<Tensor, Tensor>? window_size_func = null) =>
                    tf.data.experimental.group_by_window(key_func, reduce_func, window_size, window_size_func);

                /// <summary><c>tf.contrib.data.bucket_by_sequence_length</c>.</summary>
                public static Func<tf.data.Dataset, tf.data.Dataset> bucket_by_sequence_length(Func<Tensor, Tensor> element_length_func, IReadOnlyList<int> bucket_boundaries,
                    IReadOnlyList<int> bucket_batch_sizes, object? padded_shapes = null, object? padding_values = null, bool pad_to_bucket_boundary = false) =>
                    tf.data.experimental.bucket_by_sequence_length(element_length_func, bucket_boundaries, bucket_batch_sizes, padded_shapes, padding_values, pad_to_bucket_boundary);

                /// <summary><c>tf.contrib.data.enumerate_dataset</c>.</summary>
                public static Func<tf.data.Dataset, tf.data.Dataset> enumerate_dataset(long start = 0) => tf.data.experimental.enumerate_dataset(start);

                /// <summary><c>tf.contrib.data.scan</c>.</summary>
                public static Func<tf.data.Dataset, tf.data.Dataset> scan(object initial_state, Func<Tensor, Tensor, object> scan_func) =>
                    tf.data.experimental.scan(initial_state, scan_func);

                /// <summary><c>tf.contrib.data.scan</c> with structured state and elements.</summary>
                [System.Runtime.CompilerServices.OverloadResolutionPriority(-1)]
                public static Func<tf.data.Dataset, tf.data.Dataset> scan(object initial_state, Func<DatasetElement, DatasetElement, object> scan_func) =>
                    tf.data.experimental.scan(initial_state, scan_func);

                /// <summary><c>tf.contrib.data.get_single_element</c>.</summary>
                public static DatasetElement get_single_element(tf.data.Dataset dataset) => tf.data.experimental.get_single_element(dataset);

                /// <summary>
                /// <c>sliding_window_batch(window_size, stride=None, window_shift=None, window_stride=1)</c>
                /// (<c>SlidingWindowDataset</c>): windows of <paramref name="window_size"/> elements, every
                /// <paramref name="window_stride"/>-th input element, each window starting <paramref name="window_shift"/>
                /// (default 1; <paramref name="stride"/> is its deprecated name) elements after the last, stacked along a
                /// new first axis; a final window that cannot be filled is dropped.
                /// </summary>
                public static Func<tf.data.Dataset, tf.data.Dataset> sliding_window_batch(long window_size, long? stride = null, long? window_shift = null, long window_stride = 1)
                {
                    if (stride is not null && window_shift is not null) throw new ValueError("Cannot specify both `stride` and `window_shift`");
                    var shift = window_shift ?? stride ?? 1;
                    return d =>
                    {
                        ArgumentNullException.ThrowIfNull(d);
                        var shapes = d.output_shapes.Select(s => s.IsKnownRank ? new Shape([-1, .. s.Dims]) : Shape.Unknown).ToArray();
                        var variant = SlidingWindowDataset.Build(d._variant_tensor, window_size, shift, window_stride, d.output_types, shapes);
                        return new tf.data.Dataset(variant, d.Structure, d.output_types, shapes);
                    };
                }
            }
        }
    }
}
