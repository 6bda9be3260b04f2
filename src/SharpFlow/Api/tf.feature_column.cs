#pragma warning disable CS8981 // the facade keeps TensorFlow's lower-case names
using SharpFlow.FeatureColumns;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary><c>tf.feature_column</c>: how raw features become model inputs.</summary>
        public static class feature_column
        {
            /// <summary><c>tf.feature_column.numeric_column</c> (shape default (1,)).</summary>
            public static NumericColumn numeric_column(string key, Shape? shape = null, double? default_value = null, DType? dtype = null,
                Func<Tensor, Tensor>? normalizer_fn = null) =>
                new(key, shape ?? new Shape(1), default_value, dtype ?? DType.float32, normalizer_fn);

            /// <summary><c>tf.feature_column.bucketized_column</c>.</summary>
            public static BucketizedColumn bucketized_column(NumericColumn source_column, IReadOnlyList<double> boundaries) => new(source_column, boundaries);

            /// <summary><c>tf.feature_column.categorical_column_with_vocabulary_list</c> of strings.</summary>
            public static VocabularyListColumn categorical_column_with_vocabulary_list(string key, IReadOnlyList<string> vocabulary_list, DType? dtype = null,
                long default_value = -1, long num_oov_buckets = 0) =>
                new(key, NDArray.FromStrings(vocabulary_list.ToArray(), new Shape(vocabulary_list.Count)), default_value, num_oov_buckets);

            /// <summary><c>tf.feature_column.categorical_column_with_vocabulary_list</c> of integers.</summary>
            public static VocabularyListColumn categorical_column_with_vocabulary_list(string key, IReadOnlyList<long> vocabulary_list, DType? dtype = null,
                long default_value = -1, long num_oov_buckets = 0) =>
                new(key, NDArray.FromArray(vocabulary_list.ToArray()), default_value, num_oov_buckets);

            /// <summary><c>tf.feature_column.categorical_column_with_identity</c>.</summary>
            public static IdentityColumn categorical_column_with_identity(string key, long num_buckets, long? default_value = null) => new(key, num_buckets, default_value);

            /// <summary><c>tf.feature_column.categorical_column_with_hash_bucket</c>.</summary>
            public static HashedColumn categorical_column_with_hash_bucket(string key, long hash_bucket_size, DType? dtype = null) =>
                new(key, hash_bucket_size, dtype ?? DType.@string);

            /// <summary>
            /// <c>tf.feature_column.crossed_column(keys, hash_bucket_size, hash_key=None)</c>: keys are feature names and
            /// categorical columns (not hash-bucket ones); the crossed ids come from TensorFlow's SparseCross hashing.
            /// </summary>
            public static CrossedColumn crossed_column(IEnumerable<object> keys, long hash_bucket_size, long? hash_key = null) =>
                new((keys ?? throw new ValueError("keys must be a list with length > 1. Given: None")).ToList(), hash_bucket_size, hash_key);

            /// <summary><c>tf.feature_column.indicator_column</c>.</summary>
            public static IndicatorColumn indicator_column(ICategoricalColumn categorical_column) => new(categorical_column);

            /// <summary><c>tf.feature_column.embedding_column</c>.</summary>
            public static EmbeddingColumn embedding_column(ICategoricalColumn categorical_column, int dimension, string combiner = "mean",
                Initializer? initializer = null, double? max_norm = null, bool trainable = true) =>
                new(categorical_column, dimension, combiner, initializer, max_norm, trainable);

            /// <summary><c>tf.feature_column.input_layer</c>.</summary>
            public static Tensor input_layer(IReadOnlyDictionary<string, Tensor> features, IEnumerable<FeatureColumn> feature_columns, bool trainable = true) =>
                FeatureLayers.input_layer(features, feature_columns, trainable);

            /// <summary><c>tf.feature_column.linear_model</c>.</summary>
            public static Tensor linear_model(IReadOnlyDictionary<string, Tensor> features, IEnumerable<FeatureColumn> feature_columns, int units = 1,
                string sparse_combiner = "sum", bool trainable = true) =>
                FeatureLayers.linear_model(features, feature_columns, units, sparse_combiner, trainable);
        }

        /// <summary><c>tf.tables_initializer</c>: an op that initializes every lookup table of the graph.</summary>
        public static Operation tables_initializer(string name = "init_all_tables")
        {
            var ops = SharpFlow.Graph.get_default().get_collection(GraphKeys.TABLE_INITIALIZERS).OfType<ITensorOrOperation>().ToList();
            return ops.Count == 0 ? Ops.Control.NoOp.Build(name) : Ops.Control.NoOp.Group(ops, name);
        }

        /// <summary><c>tf.string_to_hash_bucket_fast</c>: FarmHash Fingerprint64 of each string modulo <paramref name="num_buckets"/>.</summary>
        public static Tensor string_to_hash_bucket_fast(TensorLike input, long num_buckets, string? name = null) =>
            Ops.Strings.StringToHashBucketFast.Build(input, num_buckets, name);
    }
}
