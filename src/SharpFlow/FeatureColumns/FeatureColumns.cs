using System.Globalization;
using SharpFlow.Ops.Initializers;
using SharpFlow.Ops.Lookup;
using SharpFlow.Ops.Strings;
using SharpFlow.Functions;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;
using SharpFlow.Ops.NN;
using SharpFlow.Ops.State;

namespace SharpFlow.FeatureColumns;

/// <summary>
/// The features of one batch, each transformed once (TensorFlow's <c>_LazyBuilder</c>): a column asks for its
/// input by key and for another column's output through the cache.
/// </summary>
public sealed class FeatureCache(IReadOnlyDictionary<string, Tensor> features)
{
    private readonly Dictionary<object, object> _cache = [];

    /// <summary>The raw feature <paramref name="key"/>.</summary>
    public Tensor Get(string key) =>
        features.TryGetValue(key, out var t) ? t : throw new ValueError($"The following feature is not in the features dictionary: '{key}'. Features: [{string.Join(", ", features.Keys)}]");

    internal T GetOrAdd<T>(object column, Func<T> build) where T : notnull
    {
        if (_cache.TryGetValue(column, out var v)) return (T)v;
        var value = build();
        _cache[column] = value;
        return value;
    }
}

/// <summary>A feature column: how one model input is made from the raw features (<c>tf.feature_column</c>).</summary>
public abstract class FeatureColumn
{
    /// <summary>The column's name (its variables' scope).</summary>
    public abstract string name { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{GetType().Name}(name='{name}')";
}

/// <summary>A column with a dense value per example (<c>_DenseColumn</c>): numeric, bucketized, indicator, embedding.</summary>
public interface IDenseColumn
{
    /// <summary>The column's name.</summary>
    string name { get; }

    /// <summary>The number of values per example.</summary>
    int VariableSize { get; }

    /// <summary>The dense tensor [batch, ...] of the batch, creating the column's variables in the current scope.</summary>
    Tensor GetDenseTensor(FeatureCache cache, bool trainable = true);
}

/// <summary>
/// A column of category ids (<c>_CategoricalColumn</c>). SharpFlow keeps a batch's ids dense, [batch, k] int64
/// with -1 where an example has fewer than k ids (TensorFlow keeps them in a SparseTensor; the results agree).
/// </summary>
public interface ICategoricalColumn
{
    /// <summary>The column's name.</summary>
    string name { get; }

    /// <summary>The number of distinct ids.</summary>
    long num_buckets { get; }

    /// <summary>The ids [batch, k] (int64, -1 for none) and their weights (null: 1 each).</summary>
    (Tensor ids, Tensor? weights) GetIds(FeatureCache cache);
}

internal static class ColumnUtil
{
    /// <summary>A [batch, n] view of <paramref name="t"/>: rank 1 gains a dimension, higher ranks are flattened.</summary>
    public static Tensor To2D(Tensor t)
    {
        if (t.shape.IsKnownRank && t.shape.ndims == 0) throw new ValueError($"Feature (key: {t.name}) cannot have rank 0. Given: {t}");
        if (t.shape.IsKnownRank && t.shape.ndims == 1) return Reshape.Build(t, new[] { -1, 1 });
        if (t.shape.IsKnownRank && t.shape.ndims == 2) return t;
        return Reshape.Build(t, Pack.Build(new TensorLike[] { Shape_.Build(t)[0], -1 }));
    }

    public static int Elements(Shape shape) => shape.Dims.Aggregate(1, (a, b) => a * b);

    /// <summary>Integer ids as int64 with TensorFlow's ignore value -1 kept.</summary>
    public static Tensor Int64(Tensor t) => t.dtype == DType.int64 ? t : Cast.Build(t, DType.int64);

    public static void CheckInteger(Tensor t, string column)
    {
        if (t.dtype != DType.int32 && t.dtype != DType.int64)
            throw new ValueError($"Invalid input, not integer. key: {column} dtype: {t.dtype.name}");
    }
}

/// <summary><c>tf.feature_column.numeric_column</c>: the feature's values as float32, of <see cref="shape"/> per example.</summary>
public sealed class NumericColumn : FeatureColumn, IDenseColumn
{
    internal NumericColumn(string key, Shape shape, double? default_value, DType dtype, Func<Tensor, Tensor>? normalizer_fn)
    {
        if (string.IsNullOrEmpty(key)) throw new ValueError("key must be a non-empty string.");
        if (!shape.IsFullyDefined || shape.Dims.Any(d => d <= 0)) throw new ValueError($"shape dimensions must be greater than 0. shape: {shape}, key: {key}");
        if (!dtype.is_floating && dtype != DType.int32 && dtype != DType.int64) throw new ValueError($"dtype must be convertible to float. dtype: {dtype.name}, key: {key}");
        this.key = key;
        this.shape = shape;
        this.default_value = default_value;
        this.dtype = dtype;
        this.normalizer_fn = normalizer_fn;
    }

    /// <summary>The feature's key.</summary>
    public string key { get; }

    /// <summary>The per-example shape.</summary>
    public Shape shape { get; }

    /// <summary>The value used when parsing examples lacks the feature (kept for transcription).</summary>
    public double? default_value { get; }

    /// <summary>The feature's dtype.</summary>
    public DType dtype { get; }

    /// <summary>Applied to the values after the cast.</summary>
    public Func<Tensor, Tensor>? normalizer_fn { get; }

    /// <inheritdoc/>
    public override string name => key;

    /// <inheritdoc/>
    public int VariableSize => ColumnUtil.Elements(shape);

    /// <summary>The values [batch, ...shape] as float32, normalized.</summary>
    public Tensor Transform(FeatureCache cache) => cache.GetOrAdd(this, () =>
    {
        var input = cache.Get(key);
        if (input.dtype == DType.@string) throw new ValueError($"Column dtype and SparseTensors dtype must be compatible. key: {key}, column dtype: {dtype.name}, tensor dtype: string");
        var values = input.dtype == DType.float32 ? input : Cast.Build(input, DType.float32);
        if (normalizer_fn is not null) values = normalizer_fn(values);
        var dims = new List<TensorLike> { Shape_.Build(values)[0] };
        dims.AddRange(shape.Dims.Select(d => (TensorLike)d));
        return Reshape.Build(values, Pack.Build([.. dims]));
    });

    /// <inheritdoc/>
    public Tensor GetDenseTensor(FeatureCache cache, bool trainable = true) => Transform(cache);
}

/// <summary>
/// <c>tf.feature_column.bucketized_column</c>: a numeric column's values as bucket ids (bucket i holds
/// boundaries[i-1] ≤ x &lt; boundaries[i]); dense, it is their one-hot encoding.
/// </summary>
public sealed class BucketizedColumn : FeatureColumn, IDenseColumn, ICategoricalColumn
{
    internal BucketizedColumn(NumericColumn source_column, IReadOnlyList<double> boundaries)
    {
        if (source_column is null) throw new ValueError("source_column must be a column generated with numeric_column().");
        if (ColumnUtil.Elements(source_column.shape) < 1) throw new ValueError("source_column must be one-dimensional column.");
        if (boundaries is null || boundaries.Count == 0) throw new ValueError("boundaries must be a sorted list.");
        for (var i = 0; i + 1 < boundaries.Count; i++)
            if (boundaries[i] >= boundaries[i + 1]) throw new ValueError("boundaries must be a sorted list.");
        this.source_column = source_column;
        this.boundaries = boundaries.ToArray();
    }

    /// <summary>The numeric column bucketized.</summary>
    public NumericColumn source_column { get; }

    /// <summary>The bucket boundaries, increasing.</summary>
    public IReadOnlyList<double> boundaries { get; }

    /// <inheritdoc/>
    public override string name => source_column.name + "_bucketized";

    private int Buckets => boundaries.Count + 1;

    /// <inheritdoc/>
    public long num_buckets => (long)ColumnUtil.Elements(source_column.shape) * Buckets;

    /// <inheritdoc/>
    public int VariableSize => ColumnUtil.Elements(source_column.shape) * Buckets;

    /// <summary>The bucket of each value, [batch, n] int64 (TensorFlow's Bucketize op: how many boundaries are ≤ x).</summary>
    public Tensor Transform(FeatureCache cache) => cache.GetOrAdd(this, () =>
    {
        var values = ColumnUtil.To2D(source_column.Transform(cache));
        var b = Const.Build(boundaries.Select(v => (float)v).ToArray());
        return Sum.Build(Cast.Build(GreaterEqual.Build(ExpandDims.Build(values, -1), b), DType.int64), -1);
    });

    /// <inheritdoc/>
    public Tensor GetDenseTensor(FeatureCache cache, bool trainable = true)
    {
        var buckets = Transform(cache);
        var oneHot = OneHot.Build(buckets, Buckets, 1f, 0f);
        return Reshape.Build(oneHot, Pack.Build(new TensorLike[] { Shape_.Build(buckets)[0], VariableSize }));
    }

    /// <inheritdoc/>
    public (Tensor ids, Tensor? weights) GetIds(FeatureCache cache)
    {
        var buckets = Transform(cache);
        var n = ColumnUtil.Elements(source_column.shape);
        var offsets = Const.Build(Enumerable.Range(0, n).Select(i => (long)i * Buckets).ToArray());
        return (buckets + offsets, null);
    }
}

/// <summary>Ids from a string or integer feature (the vocabulary, identity and hash-bucket columns).</summary>
public abstract class SimpleCategoricalColumn(string key) : FeatureColumn, ICategoricalColumn
{
    /// <summary>The feature's key.</summary>
    public string key { get; } = string.IsNullOrEmpty(key) ? throw new ValueError("key must be a non-empty string.") : key;

    /// <inheritdoc/>
    public override string name => key;

    /// <inheritdoc/>
    public abstract long num_buckets { get; }

    /// <summary>The ids of <paramref name="input"/> ([batch, k]); -1 for none.</summary>
    protected abstract Tensor Ids(Tensor input);

    /// <inheritdoc/>
    public (Tensor ids, Tensor? weights) GetIds(FeatureCache cache) =>
        cache.GetOrAdd(this, () => (Ids(ColumnUtil.To2D(cache.Get(key))), (Tensor?)null));

    /// <summary>Keeps TensorFlow's ignored integer value -1 as "no id".</summary>
    protected static Tensor KeepMissing(Tensor input, Tensor ids) =>
        input.dtype == DType.@string ? ids : Select.Build(Equal.Build(ColumnUtil.Int64(input), -1L), Fill.Build(Shape_.Build(ids), -1L), ids);
}

/// <summary><c>tf.feature_column.categorical_column_with_vocabulary_list</c>: a value's position in the vocabulary.</summary>
public sealed class VocabularyListColumn : SimpleCategoricalColumn
{
    private readonly NDArray _vocabulary;

    internal VocabularyListColumn(string key, NDArray vocabulary_list, long default_value, long num_oov_buckets) : base(key)
    {
        if (vocabulary_list.size == 0) throw new ValueError($"vocabulary_list {vocabulary_list} must be non-empty, column_name: {key}");
        if (num_oov_buckets < 0) throw new ValueError($"Invalid num_oov_buckets {num_oov_buckets} in {key}.");
        if (default_value != -1 && num_oov_buckets != 0) throw new ValueError($"Can't specify both default_value {default_value} and num_oov_buckets {num_oov_buckets}.");
        var keys = vocabulary_list.dtype == DType.@string
            ? Ops.Sparse.Elements.Strings(vocabulary_list).Select(b => (object)Convert.ToBase64String(b)).ToList()
            : vocabulary_list.Cast(DType.int64).ToArray<long>().Select(v => (object)v).ToList();
        if (keys.Distinct().Count() != keys.Count) throw new ValueError($"Duplicate keys in vocabulary_list {vocabulary_list}, column_name: {key}");
        _vocabulary = vocabulary_list.dtype == DType.@string ? vocabulary_list : vocabulary_list.Cast(DType.int64);
        this.default_value = default_value;
        this.num_oov_buckets = num_oov_buckets;
    }

    /// <summary>The vocabulary.</summary>
    public NDArray vocabulary_list => _vocabulary;

    /// <summary>The id of values outside the vocabulary (-1: none).</summary>
    public long default_value { get; }

    /// <summary>Out-of-vocabulary values are hashed into this many extra ids.</summary>
    public long num_oov_buckets { get; }

    /// <inheritdoc/>
    public override long num_buckets => _vocabulary.size + num_oov_buckets;

    /// <inheritdoc/>
    protected override Tensor Ids(Tensor input)
    {
        var isString = _vocabulary.dtype == DType.@string;
        if (isString != (input.dtype == DType.@string))
            throw new ValueError($"Column dtype and SparseTensors dtype must be compatible. key: {key}, column dtype: {_vocabulary.dtype.name}, tensor dtype: {input.dtype.name}");
        using var scope = Graph.get_default().name_scope(key + "_lookup");
        var table = HashTableV2.Build(isString ? DType.@string : DType.int64, DType.int64, name: "hash_table");
        InitializeTableV2.Build(table, Const.Build(_vocabulary), Ops.ArrayOps.Range.Build(0L, _vocabulary.size, 1L));
        var keys = isString ? input : ColumnUtil.Int64(input);
        var ids = LookupTableFindV2.Build(table, keys, num_oov_buckets > 0 ? -1L : default_value, DType.int64);
        if (num_oov_buckets > 0)
        {
            var hashed = StringToHashBucketFast.Build(isString ? keys : AsString.Build(keys), num_oov_buckets) + _vocabulary.size;
            ids = Select.Build(Equal.Build(ids, -1L), hashed, ids);
        }
        return KeepMissing(input, ids);
    }
}

/// <summary><c>tf.feature_column.categorical_column_with_identity</c>: integer values that are their own ids, in [0, num_buckets).</summary>
public sealed class IdentityColumn : SimpleCategoricalColumn
{
    internal IdentityColumn(string key, long num_buckets, long? default_value) : base(key)
    {
        if (num_buckets < 1) throw new ValueError($"Invalid num_buckets {num_buckets}.");
        if (default_value is not null && (default_value < 0 || default_value >= num_buckets))
            throw new ValueError($"Invalid default_value {default_value} for num_buckets {num_buckets}.");
        this.num_buckets = num_buckets;
        this.default_value = default_value;
    }

    /// <inheritdoc/>
    public override long num_buckets { get; }

    /// <summary>The id of values outside [0, num_buckets) (null: they give no id; TensorFlow raises).</summary>
    public long? default_value { get; }

    /// <inheritdoc/>
    protected override Tensor Ids(Tensor input)
    {
        ColumnUtil.CheckInteger(input, key);
        var values = ColumnUtil.Int64(input);
        var inRange = LogicalAnd.Build(GreaterEqual.Build(values, 0L), Less.Build(values, num_buckets));
        return KeepMissing(input, Select.Build(inRange, values, Fill.Build(Shape_.Build(values), default_value ?? -1L)));
    }
}

/// <summary>
/// <c>tf.feature_column.categorical_column_with_hash_bucket</c>: each value's FarmHash Fingerprint64 modulo
/// <see cref="hash_bucket_size"/> (integers hashed as their decimal strings), as TensorFlow's
/// <c>StringToHashBucketFast</c>.
/// </summary>
public sealed class HashedColumn : SimpleCategoricalColumn
{
    internal HashedColumn(string key, long hash_bucket_size, DType dtype) : base(key)
    {
        if (hash_bucket_size < 1) throw new ValueError($"hash_bucket_size must be at least 1. hash_bucket_size: {hash_bucket_size}, key: {key}");
        if (dtype != DType.@string && !dtype.is_integer) throw new ValueError($"dtype must be string or integer. dtype: {dtype.name}, column_name: {key}");
        this.hash_bucket_size = hash_bucket_size;
        this.dtype = dtype;
    }

    /// <summary>The number of buckets.</summary>
    public long hash_bucket_size { get; }

    /// <summary>The feature's dtype.</summary>
    public DType dtype { get; }

    /// <inheritdoc/>
    public override long num_buckets => hash_bucket_size;

    /// <inheritdoc/>
    protected override Tensor Ids(Tensor input)
    {
        if ((input.dtype == DType.@string) != (dtype == DType.@string))
            throw new ValueError($"Column dtype and SparseTensors dtype must be compatible. key: {key}, column dtype: {dtype.name}, tensor dtype: {input.dtype.name}");
        var strings = input.dtype == DType.@string ? input : AsString.Build(input);
        return KeepMissing(input, StringToHashBucketFast.Build(strings, hash_bucket_size, name: "to_hash_bucket"));
    }
}

/// <summary><c>tf.feature_column.indicator_column</c>: the multi-hot encoding of a categorical column (id counts, or their weights).</summary>
public sealed class IndicatorColumn : FeatureColumn, IDenseColumn
{
    internal IndicatorColumn(ICategoricalColumn categorical_column) =>
        this.categorical_column = categorical_column ?? throw new ValueError("categorical_column must be a categorical column.");

    /// <summary>The categorical column encoded.</summary>
    public ICategoricalColumn categorical_column { get; }

    /// <inheritdoc/>
    public override string name => categorical_column.name + "_indicator";

    /// <inheritdoc/>
    public int VariableSize => checked((int)categorical_column.num_buckets);

    /// <inheritdoc/>
    public Tensor GetDenseTensor(FeatureCache cache, bool trainable = true)
    {
        var (ids, weights) = categorical_column.GetIds(cache);
        var oneHot = OneHot.Build(ids, VariableSize, 1f, 0f);
        if (weights is not null) oneHot *= ExpandDims.Build(weights, -1);
        return Sum.Build(oneHot, -2);
    }
}

/// <summary>
/// <c>tf.feature_column.embedding_column</c>: a categorical column's ids looked up in a trainable
/// [num_buckets, dimension] table (<c>embedding_weights</c>) and combined per example by mean, sum or sqrtn.
/// </summary>
public sealed class EmbeddingColumn : FeatureColumn, IDenseColumn
{
    internal EmbeddingColumn(ICategoricalColumn categorical_column, int dimension, string combiner, Initializer? initializer, double? max_norm, bool trainable)
    {
        if (dimension < 1) throw new ValueError($"Invalid dimension {dimension}.");
        if (combiner is not ("mean" or "sqrtn" or "sum")) throw new ValueError($"Invalid combiner {combiner}");
        this.categorical_column = categorical_column ?? throw new ValueError("categorical_column must be a categorical column.");
        this.dimension = dimension;
        this.combiner = combiner;
        this.initializer = initializer ?? new TruncatedNormalInitializer(0, 1 / Math.Sqrt(dimension));
        this.max_norm = max_norm;
        this.trainable = trainable;
    }

    /// <summary>The categorical column embedded.</summary>
    public ICategoricalColumn categorical_column { get; }

    /// <summary>The embedding size.</summary>
    public int dimension { get; }

    /// <summary>"mean", "sqrtn" or "sum".</summary>
    public string combiner { get; }

    /// <summary>The table's initializer (default truncated normal, stddev 1/√dimension).</summary>
    public Initializer initializer { get; }

    /// <summary>Embeddings with a larger L2 norm are scaled down to it.</summary>
    public double? max_norm { get; }

    /// <summary>Whether the table trains.</summary>
    public bool trainable { get; }

    /// <inheritdoc/>
    public override string name => categorical_column.name + "_embedding";

    /// <inheritdoc/>
    public int VariableSize => dimension;

    /// <inheritdoc/>
    public Tensor GetDenseTensor(FeatureCache cache, bool trainable = true)
    {
        var table = VariableScopes.GetVariable("embedding_weights", new Shape(checked((int)categorical_column.num_buckets), dimension), null, initializer, this.trainable && trainable, null, true, null);
        return Combine.Lookup(table, categorical_column.GetIds(cache), combiner, max_norm);
    }
}

internal static class Combine
{
    /// <summary>
    /// TensorFlow's <c>safe_embedding_lookup_sparse</c> over dense ids: the rows of <paramref name="table"/> of each
    /// example's valid ids, weighted, combined; an example without ids gets zeros.
    /// </summary>
    public static Tensor Lookup(Variable table, (Tensor ids, Tensor? weights) input, string combiner, double? maxNorm)
    {
        var (ids, weights) = input;
        var valid = GreaterEqual.Build(ids, 0L);
        var mask = Cast.Build(valid, DType.float32);
        var w = weights is null ? mask : weights * mask;
        var rows = Embedding.Lookup([table], Maximum.Build(ids, 0L), "mod", null, maxNorm);
        var summed = Sum.Build(rows * ExpandDims.Build(w, -1), 1);
        return combiner switch
        {
            "sum" => summed,
            "mean" => summed / ExpandDims.Build(Maximum.Build(Sum.Build(w, 1), 1e-30f), -1),
            _ => summed / ExpandDims.Build(Maximum.Build(Sqrt.Build(Sum.Build(w * w, 1)), 1e-30f), -1),
        };
    }
}

/// <summary><c>tf.feature_column.input_layer</c> and <c>linear_model</c>.</summary>
public static class FeatureLayers
{
    /// <summary>
    /// The dense columns' tensors of <paramref name="features"/>, each flattened to [batch, n], concatenated in the
    /// order of the columns' names, under variable scope "input_layer" (each column's variables in a scope of its
    /// name).
    /// </summary>
    public static Tensor input_layer(IReadOnlyDictionary<string, Tensor> features, IEnumerable<FeatureColumn> feature_columns, bool trainable = true)
    {
        var columns = Check(feature_columns);
        var dense = new List<IDenseColumn>();
        foreach (var c in columns)
            dense.Add(c as IDenseColumn ?? throw new ValueError($"Items of feature_columns must be a _DenseColumn. You can wrap a categorical column with an embedding_column or indicator_column. Given: {c}"));
        var cache = new FeatureCache(features);
        using (VariableScopes.Enter(null, "input_layer"))
        {
            var outputs = new List<Tensor>();
            foreach (var column in dense)
            {
                using (VariableScopes.Enter(null, column.name))
                {
                    var tensor = column.GetDenseTensor(cache, trainable);
                    outputs.Add(Reshape.Build(tensor, Pack.Build(new TensorLike[] { Shape_.Build(tensor)[0], column.VariableSize })));
                }
            }
            return outputs.Count == 1 ? outputs[0] : ConcatV2.Build([.. outputs], 1);
        }
    }

    /// <summary>
    /// A linear prediction [batch, units]: for each column (in name order) a weighted sum with its own "weights"
    /// variable (dense: a matmul; categorical: the ids' weight rows combined by <paramref name="sparse_combiner"/>),
    /// then "bias_weights", under variable scope "linear_model". Weights start at zero, as TensorFlow's do.
    /// </summary>
    public static Tensor linear_model(IReadOnlyDictionary<string, Tensor> features, IEnumerable<FeatureColumn> feature_columns, int units = 1,
        string sparse_combiner = "sum", bool trainable = true)
    {
        var columns = Check(feature_columns);
        if (sparse_combiner is not ("mean" or "sqrtn" or "sum")) throw new ValueError($"Invalid sparse_combiner {sparse_combiner}");
        var cache = new FeatureCache(features);
        using (VariableScopes.Enter(null, "linear_model"))
        {
            var sums = new List<Tensor>();
            foreach (var column in columns)
            {
                using (VariableScopes.Enter(null, column.name))
                {
                    if (column is ICategoricalColumn cat)
                    {
                        var weights = VariableScopes.GetVariable("weights", new Shape(checked((int)cat.num_buckets), units), null, new ZerosInitializer(), trainable, null, true, null);
                        sums.Add(Combine.Lookup(weights, cat.GetIds(cache), sparse_combiner, null));
                    }
                    else if (column is IDenseColumn dense)
                    {
                        var tensor = dense.GetDenseTensor(cache, trainable);
                        var weights = VariableScopes.GetVariable("weights", new Shape(dense.VariableSize, units), null, new ZerosInitializer(), trainable, null, true, null);
                        sums.Add(BatchMatMulV2.MatMulOrBatch(Reshape.Build(tensor, Pack.Build(new TensorLike[] { Shape_.Build(tensor)[0], dense.VariableSize })), weights, false, false, false, false, "weighted_sum"));
                    }
                    else throw new ValueError($"Items of feature_columns must be either a _DenseColumn or _CategoricalColumn. Given: {column}");
                }
            }
            var noBias = sums.Count == 1 ? sums[0] : AddN.Build([.. sums], "weighted_sum_no_bias");
            var bias = VariableScopes.GetVariable("bias_weights", new Shape(units), null, new ZerosInitializer(), trainable, null, true, null);
            return BiasAdd.Build(noBias, bias, "weighted_sum");
        }
    }

    internal static List<FeatureColumn> Check(IEnumerable<FeatureColumn> feature_columns)
    {
        var columns = feature_columns?.ToList() ?? throw new ValueError("Expected feature_columns to be iterable, found None.");
        if (columns.Count == 0) throw new ValueError("feature_columns must not be empty.");
        var names = new HashSet<string>();
        foreach (var c in columns)
            if (!names.Add(c.name)) throw new ValueError($"Duplicate feature column name found for columns: {c} and {c}. This usually means that these columns refer to same base feature. Either one must be discarded or a duplicated but renamed item must be inserted in features dict.");
        return columns.OrderBy(c => c.name, StringComparer.Ordinal).ToList();
    }
}

/// <summary>
/// <c>tf.feature_column.crossed_column</c>: every combination of one value per key (a raw feature's strings or
/// integers, or a categorical column's ids) hashed by TensorFlow's SparseCross (FingerprintCat64 from
/// <see cref="hash_key"/>, strings by Fingerprint64, integers as themselves) modulo <see cref="hash_bucket_size"/>.
/// A raw feature's <c>""</c> (strings) or <c>-1</c> (integers) means "no value", SharpFlow's dense stand-in for
/// TensorFlow's sparse inputs: a combination with a missing value gives no id.
/// </summary>
public sealed class CrossedColumn : FeatureColumn, ICategoricalColumn
{
    internal CrossedColumn(IReadOnlyList<object> keys, long hash_bucket_size, long? hash_key)
    {
        if (hash_bucket_size < 1) throw new ValueError($"hash_bucket_size must be > 1. hash_bucket_size: {hash_bucket_size}");
        if (keys is null || keys.Count < 2) throw new ValueError($"keys must be a list with length > 1. Given: [{string.Join(", ", keys ?? [])}]");
        foreach (var key in keys)
        {
            if (key is HashedColumn)
                throw new ValueError($"categorical_column_with_hash_bucket is not supported for crossing. Hashing before crossing will increase probability of collision. Instead, use the feature name as a string. Given: {key}");
            if (key is not (string or ICategoricalColumn))
                throw new ValueError($"Unsupported key type. All keys must be either string, or categorical column except _HashedCategoricalColumn. Given: {key}");
        }
        this.keys = keys;
        this.hash_bucket_size = hash_bucket_size;
        this.hash_key = hash_key;
    }

    /// <summary>The crossed keys: feature names and categorical columns.</summary>
    public IReadOnlyList<object> keys { get; }

    /// <summary>The number of hash buckets.</summary>
    public long hash_bucket_size { get; }

    /// <summary>The hash key (null: TensorFlow's default 0xDECAFCAFFE).</summary>
    public long? hash_key { get; }

    /// <inheritdoc/>
    public override string name =>
        string.Join("_X_", Leaves(this).Select(k => k is string s ? s : ((ICategoricalColumn)k).name).Order(StringComparer.Ordinal));

    /// <inheritdoc/>
    public long num_buckets => hash_bucket_size;

    private static IEnumerable<object> Leaves(CrossedColumn c) =>
        c.keys.SelectMany(k => k is CrossedColumn inner ? Leaves(inner) : [k]);

    /// <inheritdoc/>
    public (Tensor ids, Tensor? weights) GetIds(FeatureCache cache) => cache.GetOrAdd(this, () =>
    {
        var inputs = new List<Tensor>();
        var missing = new List<Tensor>();
        foreach (var key in Leaves(this))
        {
            Tensor t;
            if (key is string s)
            {
                t = ColumnUtil.To2D(cache.Get(s));
                if (t.dtype != DType.@string) t = ColumnUtil.Int64(t);
            }
            else
            {
                var column = (ICategoricalColumn)key;
                var (ids, weights) = column.GetIds(cache);
                if (weights is not null)
                    throw new ValueError($"crossed_column does not support weight_tensor, but the given column populates weight_tensor. Given column: {column.name}");
                t = ids;
            }
            inputs.Add(t);
            // Strings do not compare in SharpFlow's Equal: "" is the string whose Fingerprint64 is that of "" (a
            // collision with another string has probability 2^-63).
            missing.Add(t.dtype == DType.@string
                ? Equal.Build(StringToHashBucketFast.Build(t, long.MaxValue), (long)(Kernels.Farmhash.Fingerprint64([]) % long.MaxValue))
                : Equal.Build(t, -1L));
        }
        var (_, values, _) = Ops.Sparse.SparseCross.Build([.. inputs.Select(t => (TensorLike)t)], hash_bucket_size, hash_key ?? Ops.Sparse.SparseCross.DefaultHashKey);
        var batch = Shape_.Build(inputs[0])[0];
        var crossed = Reshape.Build(values, Pack.Build(new TensorLike[] { batch, -1 }));
        // A combination is missing when any of its values is: broadcast each input's mask over the others' axes.
        Tensor? any = null;
        for (var i = 0; i < missing.Count; i++)
        {
            var dims = new List<TensorLike> { batch };
            for (var j = 0; j < missing.Count; j++) dims.Add(j == i ? Shape_.Build(inputs[i])[1] : 1);
            var m = Reshape.Build(missing[i], Pack.Build([.. dims]));
            any = any is null ? m : LogicalOr.Build(any, m);
        }
        var mask = Reshape.Build(any!, Shape_.Build(crossed));
        return (Select.Build(mask, Fill.Build(Shape_.Build(crossed), -1L), crossed), (Tensor?)null);
    });
}
