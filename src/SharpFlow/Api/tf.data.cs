using System.Runtime.CompilerServices;
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
        /// <summary><c>tf.data</c>: input pipelines of dataset ops and iterators, as TensorFlow 1.x builds them.</summary>
        public static partial class data
        {
            /// <summary>
            /// <c>tf.data.Dataset</c>: a sequence of elements described by ops in the graph (its variant tensor is the
            /// output of a dataset op such as <c>TensorSliceDataset</c> or <c>BatchDatasetV2</c>). Transformations
            /// add ops; iterators read elements in a session.
            /// </summary>
            public partial class Dataset : Data.DatasetHandle
            {
                private static readonly ConditionalWeakTable<DType[], Nest> Structures = new();

                internal Dataset(Tensor variant, Nest structure, DType[] types, Shape[] shapes)
                {
                    _variant_tensor = variant;
                    Structure = structure;
                    output_types = types;
                    output_shapes = shapes;
                    Structures.AddOrUpdate(types, structure);
                }

                /// <summary>Wraps another dataset (the file datasets' constructors).</summary>
                protected Dataset(Dataset inner) : this(inner?._variant_tensor!, inner!.Structure, inner.output_types, inner.output_shapes) { }

                /// <summary>The dataset op's output (TensorFlow's <c>_as_variant_tensor()</c>).</summary>
                public Tensor _variant_tensor { get; }

                internal override Tensor VariantTensor => _variant_tensor;

                internal override Data.IteratorHandle MakeInitializableIterator() => make_initializable_iterator();

                internal Nest Structure { get; }

                /// <summary>The dtype of each component, flattened in nest order (dictionary keys sorted).</summary>
                public DType[] output_types { get; }

                /// <summary>The static shape of each component, flattened in nest order.</summary>
                public Shape[] output_shapes { get; }

                internal static Nest? StructureOf(DType[] types) => Structures.TryGetValue(types, out var s) ? s : null;

                /// <summary>The element structure, as Python prints it (<c>(x, x)</c>, <c>{'a': x}</c>).</summary>
                public override string ToString() =>
                    $"<{PythonClass} shapes: {Pack(output_shapes.Select(s => s.ToString()).ToArray())}, types: {Pack(output_types.Select(t => "tf." + t.name).ToArray())}>";

                // Python's class of the dataset: the op type without its version (BatchDatasetV2 is a BatchDataset).
                private string PythonClass => _variant_tensor.op.type.EndsWith("V2", StringComparison.Ordinal) ? _variant_tensor.op.type[..^2] : _variant_tensor.op.type;

                private string Pack(string[] leaves) => (string)Structure.Pack(leaves, s => s, (n, parts) => n.NodeKind switch
                {
                    Nest.Kind.Dict => "{" + string.Join(", ", n.Keys.Zip(parts).Select(p => $"{p.First}: {p.Second}")) + "}",
                    Nest.Kind.List => "[" + string.Join(", ", parts) + "]",
                    _ => "(" + string.Join(", ", parts) + (parts.Length == 1 ? ",)" : ")"),
                });

                // ----- sources -----

                /// <summary>
                /// A dataset of one element, <paramref name="tensors"/>: a tensor, an array, a tuple
                /// (<c>(x, y)</c>), a list of tensors or a dictionary (<c>Dictionary&lt;string, object&gt;</c>), nested.
                /// </summary>
                public static Dataset from_tensors(object tensors)
                {
                    var (structure, components) = Components(tensors, "from_tensors");
                    var variant = TensorDataset.Build(components, "TensorDataset");
                    return new Dataset(variant, structure, components.Select(c => c.dtype).ToArray(), components.Select(c => c.shape).ToArray());
                }

                /// <summary>A dataset of the rows of <paramref name="tensors"/> along their first axis (structures as <see cref="from_tensors"/>).</summary>
                public static Dataset from_tensor_slices(object tensors)
                {
                    var (structure, components) = Components(tensors, "from_tensor_slices");
                    var variant = TensorSliceDataset.Build(components, "TensorSliceDataset");
                    var op = variant.op;
                    return new Dataset(variant, structure, components.Select(c => c.dtype).ToArray(), op.Attr<Shape[]>("output_shapes"));
                }

                /// <summary><c>Dataset.range(stop)</c>: int64 scalars 0, 1, ..., stop - 1.</summary>
                public static Dataset range(TensorLike stop) => range(0L, stop, 1L);

                /// <summary><c>Dataset.range(start, stop, step)</c>: int64 scalars as Python's <c>range</c>.</summary>
                public static Dataset range(TensorLike start, TensorLike stop, TensorLike step = default)
                {
                    var variant = RangeDataset.Build(start, stop, step.IsEmpty ? 1L : step);
                    return new Dataset(variant, Nest.Leaf, [DType.int64], [Shape.Scalar]);
                }

                /// <summary><c>Dataset.zip((a, b, ...))</c>: elements of the datasets side by side as a tuple, until the shortest ends.</summary>
                public static Dataset zip(params Dataset[] datasets)
                {
                    ArgumentNullException.ThrowIfNull(datasets);
                    if (datasets.Length == 0) throw new ValueError("zip needs at least one dataset.");
                    var variant = ZipDataset.Build(datasets.Select(d => d._variant_tensor).ToArray(),
                        datasets.SelectMany(d => d.output_types).ToArray(), datasets.SelectMany(d => d.output_shapes).ToArray());
                    return new Dataset(variant, Nest.TupleOf(datasets.Select(d => d.Structure).ToArray()),
                        datasets.SelectMany(d => d.output_types).ToArray(), datasets.SelectMany(d => d.output_shapes).ToArray());
                }

                /// <summary><c>Dataset.zip({'a': da, 'b': db})</c>: elements of the datasets as a dictionary.</summary>
                public static Dataset zip(IReadOnlyDictionary<string, Dataset> datasets)
                {
                    ArgumentNullException.ThrowIfNull(datasets);
                    var keys = datasets.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
                    var zipped = zip(keys.Select(k => datasets[k]).ToArray());
                    var leaves = new List<object>();
                    var structure = Nest.Flatten(keys.ToDictionary(k => k, k => (object)datasets[k]), leaves,
                        v => v is Dataset d ? (d.Structure, Enumerable.Repeat<object>(d, d.Structure.Count)) : null);
                    return new Dataset(zipped._variant_tensor, structure, zipped.output_types, zipped.output_shapes);
                }

                // ----- transformations -----

                /// <summary>The elements of this dataset, then those of <paramref name="dataset"/> (same structure and types).</summary>
                public Dataset concatenate(Dataset dataset)
                {
                    ArgumentNullException.ThrowIfNull(dataset);
                    if (!Structure.SameAs(dataset.Structure) || !output_types.SequenceEqual(dataset.output_types))
                        throw new TypeError($"Two datasets to concatenate have different types {TypesString(output_types)} and {TypesString(dataset.output_types)}");
                    var shapes = output_shapes.Zip(dataset.output_shapes).Select(p => MostSpecificCompatible(p.First, p.Second)).ToArray();
                    return new Dataset(ConcatenateDataset.Build(_variant_tensor, dataset._variant_tensor, output_types, shapes), Structure, output_types, shapes);
                }

                /// <summary><c>repeat(count=None)</c>: the elements <paramref name="count"/> times; null or -1 repeats for ever.</summary>
                public Dataset repeat(TensorLike count = default) =>
                    Same(RepeatDataset.Build(_variant_tensor, count.IsEmpty ? -1L : count, output_types, output_shapes));

                /// <summary><c>take(count)</c>: at most the first <paramref name="count"/> elements (-1: all).</summary>
                public Dataset take(TensorLike count) => Same(TakeDataset.Build(_variant_tensor, count, output_types, output_shapes));

                /// <summary><c>skip(count)</c>: all but the first <paramref name="count"/> elements (-1: none).</summary>
                public Dataset skip(TensorLike count) => Same(SkipDataset.Build(_variant_tensor, count, output_types, output_shapes));

                /// <summary>
                /// <c>shuffle(buffer_size, seed=None, reshuffle_each_iteration=None)</c>: TensorFlow's buffer shuffle.
                /// Deterministic for a seed (graph or op level), but not TensorFlow's own order.
                /// </summary>
                public Dataset shuffle(TensorLike buffer_size, int? seed = null, bool? reshuffle_each_iteration = null) =>
                    Same(ShuffleDataset.Build(_variant_tensor, buffer_size, seed, reshuffle_each_iteration ?? true, output_types, output_shapes));

                /// <summary><c>prefetch(buffer_size)</c>: a background thread keeps up to <paramref name="buffer_size"/> elements ready (-1: AUTOTUNE).</summary>
                public Dataset prefetch(TensorLike buffer_size) => Same(PrefetchDataset.Build(_variant_tensor, buffer_size, output_types, output_shapes));

                /// <summary><c>cache(filename='')</c>: the elements of the first complete pass kept in memory, or in <paramref name="filename"/>.</summary>
                public Dataset cache(string filename = "") =>
                    Same(CacheDataset.Build(_variant_tensor, NDArray.FromStrings([filename]), output_types, output_shapes));

                /// <summary><c>batch(batch_size, drop_remainder=False)</c>: consecutive elements stacked; the last batch may be smaller.</summary>
                public Dataset batch(TensorLike batch_size, bool drop_remainder = false)
                {
                    var shapes = BatchedShapes(batch_size, drop_remainder, output_shapes);
                    return new Dataset(BatchDatasetV2.Build(_variant_tensor, batch_size, drop_remainder, output_types, shapes), Structure, output_types, shapes);
                }

                /// <summary>
                /// <c>padded_batch(batch_size, padded_shapes, padding_values=None, drop_remainder=False)</c>: elements padded
                /// to <paramref name="padded_shapes"/> (a <see cref="Shape"/> or <c>int[]</c> per component in the element's
                /// structure; -1 pads to the batch's longest) with <paramref name="padding_values"/> (0 or "" by default).
                /// </summary>
                public Dataset padded_batch(TensorLike batch_size, object padded_shapes, object? padding_values = null, bool drop_remainder = false)
                {
                    var shapeLeaves = new List<object>();
                    var shapeStructure = Nest.Flatten(padded_shapes, shapeLeaves);
                    if (!shapeStructure.SameAs(Structure))
                        throw new ValueError($"The padded_shapes {shapeStructure} do not match the element structure {Structure}.");
                    var padded = new Shape[output_types.Length];
                    var shapeTensors = new Tensor[output_types.Length];
                    for (var i = 0; i < padded.Length; i++)
                    {
                        padded[i] = shapeLeaves[i] switch
                        {
                            Shape s => s,
                            int[] dims => new Shape(dims),
                            long[] dims => new Shape(dims.Select(d => (int)d).ToArray()),
                            var other => throw new TypeError($"padded_shapes entries must be Shape or int[], got {other.GetType().Name}"),
                        };
                        if (!padded[i].IsKnownRank) throw new ValueError("padded_shapes must have known ranks.");
                        if (output_shapes[i].IsKnownRank && output_shapes[i].ndims != padded[i].ndims)
                            throw new ValueError($"The padded shape {padded[i]} is not compatible with the corresponding input component shape {output_shapes[i]}.");
                        shapeTensors[i] = constant(padded[i].Dims.Select(d => (long)d).ToArray(), name: "padded_shapes");
                    }
                    Tensor[] values;
                    if (padding_values is null)
                        values = output_types.Select(t => t == DType.@string ? constant(NDArray.FromStrings([""]), name: "padding_value")
                            : constant(NDArray.Zeros(t, Shape.Scalar), name: "padding_value")).ToArray();
                    else
                    {
                        var valueLeaves = new List<object>();
                        if (!Nest.Flatten(padding_values, valueLeaves).SameAs(Structure))
                            throw new ValueError($"The padding_values do not match the element structure {Structure}.");
                        values = valueLeaves.Select((v, i) => ToTensor(v, "padding_value", output_types[i])).ToArray();
                    }
                    var batchDim = drop_remainder && batch_size.Value is int or long ? Convert.ToInt32(batch_size.Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
                    var shapes = padded.Select(p => new Shape([batchDim, .. p.Dims])).ToArray();
                    return new Dataset(PaddedBatchDatasetV2.Build(_variant_tensor, batch_size, shapeTensors, values, drop_remainder, output_types, shapes),
                        Structure, output_types, shapes);
                }

                /// <summary><c>map(map_func, num_parallel_calls=None)</c> on single-tensor elements.</summary>
                public Dataset map(Func<Tensor, object> map_func, TensorLike num_parallel_calls = default) =>
                    MapCore(e => map_func(Arg1(e, "map")), num_parallel_calls);

                /// <summary><c>map</c> on pairs: the function takes the pair's two tensors.</summary>
                public Dataset map(Func<Tensor, Tensor, object> map_func, TensorLike num_parallel_calls = default) =>
                    MapCore(e => map_func(ArgN(e, 2, "map")[0], e[1]), num_parallel_calls);

                /// <summary><c>map</c> on triples.</summary>
                public Dataset map(Func<Tensor, Tensor, Tensor, object> map_func, TensorLike num_parallel_calls = default) =>
                    MapCore(e => map_func(ArgN(e, 3, "map")[0], e[1], e[2]), num_parallel_calls);

                /// <summary><c>map</c> on dictionary elements; type the lambda's parameter (<c>(Dictionary&lt;string, Tensor&gt; d) =&gt; ...</c>), as a tensor can be indexed too.</summary>
                public Dataset map(Func<Dictionary<string, Tensor>, object> map_func, TensorLike num_parallel_calls = default) =>
                    MapCore(e => map_func(ArgDict(e, "map")), num_parallel_calls);

                /// <summary><c>map</c> on (features dictionary, label) pairs.</summary>
                public Dataset map(Func<Dictionary<string, Tensor>, Tensor, object> map_func, TensorLike num_parallel_calls = default) =>
                    MapCore(e => map_func(ArgDict(ArgN(e, 2, "map").element(0), "map"), e[1]), num_parallel_calls);

                /// <summary><c>filter(predicate)</c> on single-tensor elements: keeps those where it is true.</summary>
                public Dataset filter(Func<Tensor, Tensor> predicate) => FilterCore(e => predicate(Arg1(e, "filter")));

                /// <summary><c>filter</c> on pairs.</summary>
                public Dataset filter(Func<Tensor, Tensor, Tensor> predicate) => FilterCore(e => predicate(ArgN(e, 2, "filter")[0], e[1]));

                /// <summary><c>filter</c> on dictionary elements.</summary>
                public Dataset filter(Func<Dictionary<string, Tensor>, Tensor> predicate) => FilterCore(e => predicate(ArgDict(e, "filter")));

                /// <summary><c>flat_map(map_func)</c>: the elements of the dataset <paramref name="map_func"/> makes of each element.</summary>
                public Dataset flat_map(Func<Tensor, Dataset> map_func) => FlatMapCore(e => map_func(Arg1(e, "flat_map")), null);

                /// <summary><c>flat_map</c> on pairs.</summary>
                public Dataset flat_map(Func<Tensor, Tensor, Dataset> map_func) => FlatMapCore(e => map_func(ArgN(e, 2, "flat_map")[0], e[1]), null);

                /// <summary>
                /// <c>interleave(map_func, cycle_length, block_length=1, num_parallel_calls=None)</c>:
                /// <paramref name="cycle_length"/> datasets made by <paramref name="map_func"/> open at once,
                /// <paramref name="block_length"/> elements from each in turn. With <paramref name="num_parallel_calls"/>
                /// (AUTOTUNE: -1) up to that many of them are read at once on background threads
                /// (<c>ParallelInterleaveDatasetV2</c>), the order unchanged.
                /// </summary>
                public Dataset interleave(Func<Tensor, Dataset> map_func, TensorLike cycle_length, TensorLike block_length = default, TensorLike num_parallel_calls = default) =>
                    num_parallel_calls.IsEmpty
                        ? FlatMapCore(e => map_func(Arg1(e, "interleave")), (cycle_length, block_length.IsEmpty ? 1L : block_length))
                        : ParallelInterleaveCore(e => map_func(Arg1(e, "interleave")), cycle_length, block_length.IsEmpty ? 1L : block_length, null, num_parallel_calls);

                /// <summary><c>interleave</c> on pairs.</summary>
                public Dataset interleave(Func<Tensor, Tensor, Dataset> map_func, TensorLike cycle_length, TensorLike block_length = default, TensorLike num_parallel_calls = default) =>
                    num_parallel_calls.IsEmpty
                        ? FlatMapCore(e => map_func(ArgN(e, 2, "interleave")[0], e[1]), (cycle_length, block_length.IsEmpty ? 1L : block_length))
                        : ParallelInterleaveCore(e => map_func(ArgN(e, 2, "interleave")[0], e[1]), cycle_length, block_length.IsEmpty ? 1L : block_length, null, num_parallel_calls);

                /// <summary><c>apply(transformation_func)</c>: <c>transformation_func(this)</c> (for the <c>tf.data.experimental</c> helpers).</summary>
                public Dataset apply(Func<Dataset, Dataset> transformation_func)
                {
                    ArgumentNullException.ThrowIfNull(transformation_func);
                    return transformation_func(this) ?? throw new TypeError("`transformation_func` must return a Dataset.");
                }

                // ----- iterators -----

                /// <summary>An iterator that initialises itself on first use (<c>OneShotIterator</c>); the dataset may not depend on feeds.</summary>
                public Iterator make_one_shot_iterator()
                {
                    var handle = OneShotIterator.Build(_variant_tensor, output_types, output_shapes);
                    return new Iterator(handle, null, Structure, output_types, output_shapes);
                }

                /// <summary>
                /// An iterator with an <c>initializer</c> op (<c>MakeIterator</c>) that starts a new pass each time it runs,
                /// evaluating the dataset's ops with the values fed then (placeholder-parameterised datasets).
                /// </summary>
                public Iterator make_initializable_iterator(string? shared_name = null)
                {
                    var graph = _variant_tensor.graph;
                    using (graph.as_default())
                    {
                        var handle = IteratorV2.Build(output_types, output_shapes, shared_name ?? "");
                        var init = MakeIterator.Build(_variant_tensor, handle);
                        return new Iterator(handle, init, Structure, output_types, output_shapes);
                    }
                }

                // ----- helpers -----

                private Dataset Same(Tensor variant) => new(variant, Structure, output_types, output_shapes);

                private DatasetElement Element(Tensor[] args) => new(Structure, args);

                private static Tensor Arg1(DatasetElement e, string what) =>
                    e.is_tensor ? e.tensor : throw new TypeError($"The {what} function takes 1 argument but the element is {e.Structure}; take its parts as separate arguments.");

                private static DatasetElement ArgN(DatasetElement e, int n, string what) =>
                    !e.is_tensor && e.Structure.NodeKind != Nest.Kind.Dict && e.Count == n
                        ? e
                        : throw new TypeError($"The {what} function takes {n} arguments but the element is {e.Structure}.");

                private static Dictionary<string, Tensor> ArgDict(DatasetElement e, string what) =>
                    e.Structure.NodeKind == Nest.Kind.Dict && e.Structure.Children.All(c => c.NodeKind == Nest.Kind.Leaf)
                        ? e.ToDictionary()
                        : throw new TypeError($"The {what} function takes a dictionary of tensors but the element is {e.Structure}.");

                private DatasetFunction Trace(string name, Func<DatasetElement, object> body, Func<object, (Tensor[], object)> flatten) =>
                    DatasetFunction.Trace(name, _variant_tensor.graph, output_types, output_shapes, args => flatten(body(Element(args))));

                private static (Tensor[], object) FlattenResult(object result)
                {
                    var leaves = new List<object>();
                    var structure = Nest.Flatten(result, leaves, v => v is DatasetElement de ? (de.Structure, de.flat) : null);
                    return (leaves.Select((l, i) => ToTensor(l, $"result_{i}")).ToArray(), structure);
                }

                private Dataset MapCore(Func<DatasetElement, object> body, TensorLike parallel)
                {
                    ArgumentNullException.ThrowIfNull(body);
                    var f = Trace("tf_data_map_function", body, FlattenResult);
                    var structure = (Nest)f.OutputStructure;
                    var variant = parallel.IsEmpty
                        ? MapDataset.Build(_variant_tensor, f)
                        : ParallelMapDataset.Build(_variant_tensor, f, parallel);
                    return new Dataset(variant, structure, f.OutputTypes, f.OutputShapes);
                }

                private Dataset FilterCore(Func<DatasetElement, Tensor> body)
                {
                    ArgumentNullException.ThrowIfNull(body);
                    var f = Trace("tf_data_filter_predicate", body, r => r is Tensor t ? ([t], Nest.Leaf) : throw new ValueError("`predicate` must return a scalar boolean tensor."));
                    return Same(FilterDataset.Build(_variant_tensor, f, output_types, output_shapes));
                }

                private Dataset FlatMapCore(Func<DatasetElement, Dataset> body, (TensorLike Cycle, TensorLike Block)? interleave)
                {
                    ArgumentNullException.ThrowIfNull(body);
                    var what = interleave is null ? "flat_map" : "interleave";
                    var f = Trace($"tf_data_{what}_function", body,
                        r => r is Dataset d ? ([d._variant_tensor], d) : throw new TypeError($"`map_func` of {what} must return a Dataset object."));
                    var inner = (Dataset)f.OutputStructure;
                    var variant = interleave is { } il
                        ? InterleaveDataset.Build(_variant_tensor, f, il.Cycle, il.Block, inner.output_types, inner.output_shapes)
                        : FlatMapDataset.Build(_variant_tensor, f, inner.output_types, inner.output_shapes);
                    return new Dataset(variant, inner.Structure, inner.output_types, inner.output_shapes);
                }

                private static (Nest, Tensor[]) Components(object tensors, string what)
                {
                    var leaves = new List<object>();
                    var structure = Nest.Flatten(tensors, leaves);
                    if (leaves.Count == 0) throw new ValueError($"{what} needs at least one tensor.");
                    return (structure, leaves.Select((l, i) => ToTensor(l, $"component_{i}")).ToArray());
                }

                internal static Tensor ToTensor(object value, string name, DType? dtype = null) => value switch
                {
                    Tensor t => t,
                    string s => constant(NDArray.FromStrings([s]), name: name),
                    string[] s => constant(NDArray.FromStrings(s), name: name),
                    _ => constant(value, dtype, name: name),
                };

                internal static Shape[] BatchedShapes(TensorLike batchSize, bool dropRemainder, Shape[] shapes)
                {
                    var batchDim = -1;
                    if (dropRemainder)
                    {
                        if (batchSize.Value is int or long) batchDim = Convert.ToInt32(batchSize.Value, System.Globalization.CultureInfo.InvariantCulture);
                        else if (batchSize.Value is Tensor t && t.op.Def.ConstantValue(t.op, t.value_index) is { size: 1 } v) batchDim = (int)v.Cast(DType.int64).ToArray<long>()[0];
                    }
                    return shapes.Select(s => s.IsKnownRank ? new Shape([batchDim, .. s.Dims]) : Shape.Unknown).ToArray();
                }

                private static Shape MostSpecificCompatible(Shape a, Shape b)
                {
                    if (!a.IsKnownRank || !b.IsKnownRank || a.ndims != b.ndims) return Shape.Unknown;
                    return new Shape(a.Dims.Zip(b.Dims).Select(p => p.First == p.Second ? p.First : -1).ToArray());
                }

                internal static string TypesString(DType[] types) => "(" + string.Join(", ", types.Select(t => "tf." + t.name)) + ")";
            }

            /// <summary>
            /// <c>tf.data.Iterator</c>: reads a dataset's elements in a session. <see cref="get_next"/> adds an
            /// <c>IteratorGetNext</c> op, which raises <see cref="OutOfRangeError"/> ("End of sequence") at the end.
            /// </summary>
            public sealed class Iterator : Data.IteratorHandle
            {
                private readonly Operation? _initializer;

                internal Iterator(Tensor handle, Operation? initializer, Nest structure, DType[] types, Shape[] shapes)
                {
                    _iterator_resource = handle;
                    _initializer = initializer;
                    Structure = structure;
                    output_types = types;
                    output_shapes = shapes;
                }

                /// <summary>The iterator's resource handle tensor.</summary>
                public Tensor _iterator_resource { get; }

                internal override Tensor Resource => _iterator_resource;

                internal override Operation Initializer => initializer;

                internal override DatasetElement GetNext() => get_next();

                internal Nest Structure { get; }

                /// <summary>The dtype of each component, flattened.</summary>
                public DType[] output_types { get; }

                /// <summary>The static shape of each component, flattened.</summary>
                public Shape[] output_shapes { get; }

                /// <summary>The op that (re)starts the iterator over its dataset (<c>make_initializable_iterator</c>).</summary>
                public Operation initializer => _initializer ?? throw new ValueError("Iterator does not have an initializer.");

                /// <summary>The next element, in the dataset's structure (an <c>IteratorGetNext</c> op).</summary>
                public DatasetElement get_next(string? name = null) =>
                    new(Structure, IteratorGetNext.Build(_iterator_resource, output_types, output_shapes, name));

                /// <summary>An op that starts this iterator over <paramref name="dataset"/> (reinitializable iterators).</summary>
                public Operation make_initializer(Dataset dataset, string? name = null)
                {
                    ArgumentNullException.ThrowIfNull(dataset);
                    if (!dataset.Structure.SameAs(Structure))
                        throw new TypeError($"Expected structure {Structure} but got dataset with structure {dataset.Structure}.");
                    if (!dataset.output_types.SequenceEqual(output_types))
                        throw new TypeError($"Expected output types {Dataset.TypesString(output_types)} but got dataset with output types {Dataset.TypesString(dataset.output_types)}.");
                    for (var i = 0; i < output_shapes.Length; i++)
                        if (!output_shapes[i].IsCompatibleWith(dataset.output_shapes[i]))
                            throw new TypeError($"Expected output shapes compatible with {output_shapes[i]} but got dataset with output shapes {dataset.output_shapes[i]}.");
                    return MakeIterator.Build(dataset._variant_tensor, _iterator_resource, name);
                }

                /// <summary>A string tensor naming this iterator, to feed to a <c>from_string_handle</c> iterator.</summary>
                public Tensor string_handle(string? name = null) => IteratorToStringHandle.Build(_iterator_resource, name);

                /// <summary>
                /// <c>Iterator.from_structure(output_types, output_shapes)</c>: an iterator without a dataset, started by
                /// <see cref="make_initializer"/> on any dataset of that structure. Passing a dataset's own
                /// <c>output_types</c> keeps its structure; otherwise one type is a tensor and several a tuple.
                /// </summary>
                public static Iterator from_structure(DType[] output_types, Shape[]? output_shapes = null, string? shared_name = null)
                {
                    ArgumentNullException.ThrowIfNull(output_types);
                    var shapes = Shapes(output_types, output_shapes);
                    var handle = IteratorV2.Build(output_types, shapes, shared_name ?? "");
                    return new Iterator(handle, null, Dataset.StructureOf(output_types) ?? Nest.TupleOf(output_types.Length), output_types, shapes);
                }

                /// <summary><c>from_structure</c> for single-tensor elements.</summary>
                public static Iterator from_structure(DType output_types, Shape? output_shapes = null, string? shared_name = null) =>
                    from_structure([output_types], [output_shapes ?? Shape.Unknown], shared_name);

                /// <summary>
                /// <c>Iterator.from_string_handle(string_handle, output_types, output_shapes)</c>: a feedable iterator that
                /// reads whichever iterator the fed handle names.
                /// </summary>
                public static Iterator from_string_handle(Tensor string_handle, DType[] output_types, Shape[]? output_shapes = null)
                {
                    ArgumentNullException.ThrowIfNull(output_types);
                    var shapes = Shapes(output_types, output_shapes);
                    var handle = IteratorFromStringHandleV2.Build(string_handle, output_types, shapes);
                    return new Iterator(handle, null, Dataset.StructureOf(output_types) ?? Nest.TupleOf(output_types.Length), output_types, shapes);
                }

                /// <summary><c>from_string_handle</c> for single-tensor elements.</summary>
                public static Iterator from_string_handle(Tensor string_handle, DType output_types, Shape? output_shapes = null) =>
                    from_string_handle(string_handle, [output_types], [output_shapes ?? Shape.Unknown]);

                private static Shape[] Shapes(DType[] types, Shape[]? shapes)
                {
                    if (shapes is null) return types.Select(_ => Shape.Unknown).ToArray();
                    if (shapes.Length != types.Length) throw new ValueError($"output_shapes has {shapes.Length} entries for {types.Length} output_types.");
                    return shapes;
                }
            }

            /// <summary><c>tf.data.TFRecordDataset(filenames, compression_type=None, buffer_size=None)</c>: the records of TFRecord files.</summary>
            public sealed class TFRecordDataset(object filenames, string? compression_type = null, long? buffer_size = null)
                : Dataset(FileDataset(filenames, "TFRecordDataset", f => Data.DatasetOps.TFRecordDataset.Build(f, NDArray.FromStrings([compression_type ?? ""]), buffer_size ?? 262144L)));

            /// <summary><c>tf.data.TextLineDataset(filenames, compression_type=None, buffer_size=None)</c>: the lines of text files.</summary>
            public sealed class TextLineDataset(object filenames, string? compression_type = null, long? buffer_size = null)
                : Dataset(FileDataset(filenames, "TextLineDataset", f => Data.DatasetOps.TextLineDataset.Build(f, NDArray.FromStrings([compression_type ?? ""]), buffer_size ?? 262144L)));

            /// <summary>
            /// <c>tf.data.FixedLengthRecordDataset(filenames, record_bytes, header_bytes=None, footer_bytes=None,
            /// buffer_size=None)</c>: records of <paramref name="record_bytes"/> bytes.
            /// </summary>
            public sealed class FixedLengthRecordDataset(object filenames, long record_bytes, long? header_bytes = null, long? footer_bytes = null, long? buffer_size = null)
                : Dataset(FileDataset(filenames, "FixedLengthRecordDataset",
                    f => Data.DatasetOps.FixedLengthRecordDataset.Build(f, header_bytes ?? 0L, record_bytes, footer_bytes ?? 0L, buffer_size ?? 262144L)));

            private static Dataset FileDataset(object filenames, string what, Func<Tensor, Tensor> build)
            {
                var names = filenames switch
                {
                    Tensor t when t.dtype == DType.@string => t,
                    Tensor t => throw new TypeError($"{what}: `filenames` must be a tf.string tensor, got {t.dtype.name}."),
                    string s => constant(NDArray.FromStrings([s]), name: "filenames"),
                    IEnumerable<string> list => constant(NDArray.FromStrings(list.ToArray()), name: "filenames"),
                    _ => throw new TypeError($"{what}: `filenames` must be a string, a list of strings or a tf.string tensor."),
                };
                return new Dataset(build(names), Nest.Leaf, [DType.@string], [Shape.Scalar]);
            }

            /// <summary>TensorFlow's <c>tf.data.experimental.AUTOTUNE</c>.</summary>
            public const int AUTOTUNE = -1;

            /// <summary>
            /// <c>tf.data.experimental</c> (TensorFlow 1.13's home of the <c>tf.contrib.data</c> helpers), used with
            /// <see cref="Dataset.apply"/>.
            /// </summary>
            public static partial class experimental
            {
                /// <summary>TensorFlow's <c>AUTOTUNE</c> (-1).</summary>
                public const int AUTOTUNE = -1;

                /// <summary><c>shuffle_and_repeat(buffer_size, count=None, seed=None)</c>: shuffle then repeat, each pass in a new order.</summary>
                public static Func<Dataset, Dataset> shuffle_and_repeat(long buffer_size, long? count = null, int? seed = null) =>
                    d => d.shuffle(buffer_size, seed, reshuffle_each_iteration: true).repeat(count ?? -1L);

                /// <summary><c>map_and_batch(map_func, batch_size, num_parallel_calls=None, drop_remainder=False)</c>.</summary>
                public static Func<Dataset, Dataset> map_and_batch(Func<Tensor, object> map_func, long batch_size, int? num_parallel_calls = null, bool drop_remainder = false) =>
                    d => (num_parallel_calls is { } n ? d.map(map_func, n) : d.map(map_func)).batch(batch_size, drop_remainder);

                /// <summary><c>map_and_batch</c> on pairs.</summary>
                public static Func<Dataset, Dataset> map_and_batch(Func<Tensor, Tensor, object> map_func, long batch_size, int? num_parallel_calls = null, bool drop_remainder = false) =>
                    d => (num_parallel_calls is { } n ? d.map(map_func, n) : d.map(map_func)).batch(batch_size, drop_remainder);

                /// <summary><c>batch_and_drop_remainder(batch_size)</c> (<c>tf.contrib.data</c>): <c>batch(batch_size, drop_remainder=True)</c>.</summary>
                public static Func<Dataset, Dataset> batch_and_drop_remainder(long batch_size) => d => d.batch(batch_size, drop_remainder: true);

                /// <summary><c>padded_batch_and_drop_remainder</c> (<c>tf.contrib.data</c>).</summary>
                public static Func<Dataset, Dataset> padded_batch_and_drop_remainder(long batch_size, object padded_shapes, object? padding_values = null) =>
                    d => d.padded_batch(batch_size, padded_shapes, padding_values, drop_remainder: true);
            }
        }
    }
}
