#pragma warning disable CS8981
using SharpFlow.FileIO;
using SharpFlow.FileIO.ParsingOps;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary><c>tf.FixedLenFeature(shape, dtype, default_value=None)</c>.</summary>
        public static SharpFlow.FileIO.FixedLenFeature FixedLenFeature(Shape shape, DType dtype, object? default_value = null) => new(shape, dtype, default_value);

        /// <summary><c>tf.VarLenFeature(dtype)</c>.</summary>
        public static SharpFlow.FileIO.VarLenFeature VarLenFeature(DType dtype) => new(dtype);

        /// <summary><c>tf.FixedLenSequenceFeature(shape, dtype, allow_missing=False, default_value=None)</c>.</summary>
        public static SharpFlow.FileIO.FixedLenSequenceFeature FixedLenSequenceFeature(Shape shape, DType dtype, bool allow_missing = false, object? default_value = null) =>
            new(shape, dtype, allow_missing, default_value);

        /// <summary><c>tf.parse_single_example(serialized, features)</c>: one serialized Example into its features.</summary>
        public static ParsedFeatures parse_single_example(TensorLike serialized, IReadOnlyDictionary<string, FeatureSpec> features, string? name = null) =>
            ParsingFunctions.ParseSingleExample(serialized, features, name);

        /// <summary><c>tf.parse_example(serialized, features, name, example_names)</c>: a batch of serialized Examples.</summary>
        public static ParsedFeatures parse_example(TensorLike serialized, IReadOnlyDictionary<string, FeatureSpec> features, string? name = null, TensorLike? example_names = null) =>
            ParsingFunctions.ParseExample(serialized, features, name, example_names);

        /// <summary>
        /// <c>tf.parse_single_sequence_example(serialized, context_features, sequence_features, example_name)</c>:
        /// (context features, sequence features).
        /// </summary>
        public static (ParsedFeatures context, ParsedFeatures sequence) parse_single_sequence_example(TensorLike serialized,
            IReadOnlyDictionary<string, FeatureSpec>? context_features = null, IReadOnlyDictionary<string, FeatureSpec>? sequence_features = null,
            string? example_name = null, string? name = null) =>
            ParsingFunctions.ParseSingleSequenceExample(serialized, context_features, sequence_features, example_name, name);

        /// <summary><c>tf.io</c>: the parse functions and feature configurations under their TF 1.14+ names.</summary>
        public static partial class io
        {
            /// <summary><c>tf.io.FixedLenFeature</c>.</summary>
            public static SharpFlow.FileIO.FixedLenFeature FixedLenFeature(Shape shape, DType dtype, object? default_value = null) => new(shape, dtype, default_value);
            /// <summary><c>tf.io.VarLenFeature</c>.</summary>
            public static SharpFlow.FileIO.VarLenFeature VarLenFeature(DType dtype) => new(dtype);
            /// <summary><c>tf.io.FixedLenSequenceFeature</c>.</summary>
            public static SharpFlow.FileIO.FixedLenSequenceFeature FixedLenSequenceFeature(Shape shape, DType dtype, bool allow_missing = false, object? default_value = null) =>
                new(shape, dtype, allow_missing, default_value);
            /// <summary><c>tf.io.parse_single_example</c>.</summary>
            public static ParsedFeatures parse_single_example(TensorLike serialized, IReadOnlyDictionary<string, FeatureSpec> features, string? name = null) =>
                ParsingFunctions.ParseSingleExample(serialized, features, name);
            /// <summary><c>tf.io.parse_example</c>.</summary>
            public static ParsedFeatures parse_example(TensorLike serialized, IReadOnlyDictionary<string, FeatureSpec> features, string? name = null, TensorLike? example_names = null) =>
                ParsingFunctions.ParseExample(serialized, features, name, example_names);
            /// <summary><c>tf.io.decode_raw</c>.</summary>
            public static Tensor decode_raw(TensorLike bytes, DType out_type, bool little_endian = true, string? name = null) =>
                Ops.Strings.DecodeRaw.Build(bytes, out_type, little_endian, name);
        }

        public static partial class train
        {
            /// <summary><c>tf.train.Example(features)</c>.</summary>
            public static SharpFlow.FileIO.Example Example(SharpFlow.FileIO.Features? features = null) => new(features);
            /// <summary><c>tf.train.SequenceExample(context, feature_lists)</c>.</summary>
            public static SharpFlow.FileIO.SequenceExample SequenceExample(SharpFlow.FileIO.Features? context = null, SharpFlow.FileIO.FeatureLists? feature_lists = null) =>
                new(context, feature_lists);
            /// <summary><c>tf.train.Features(feature)</c>.</summary>
            public static SharpFlow.FileIO.Features Features(IDictionary<string, SharpFlow.FileIO.Feature>? feature = null) => new(feature);
            /// <summary><c>tf.train.Feature(bytes_list | float_list | int64_list)</c>.</summary>
            public static SharpFlow.FileIO.Feature Feature(SharpFlow.FileIO.BytesList? bytes_list = null, SharpFlow.FileIO.FloatList? float_list = null, SharpFlow.FileIO.Int64List? int64_list = null) =>
                new(bytes_list, float_list, int64_list);
            /// <summary><c>tf.train.FeatureList(feature)</c>.</summary>
            public static SharpFlow.FileIO.FeatureList FeatureList(IEnumerable<SharpFlow.FileIO.Feature>? feature = null) => new(feature);
            /// <summary><c>tf.train.FeatureLists(feature_list)</c>.</summary>
            public static SharpFlow.FileIO.FeatureLists FeatureLists(IDictionary<string, SharpFlow.FileIO.FeatureList>? feature_list = null) => new(feature_list);
            /// <summary><c>tf.train.BytesList(value)</c>.</summary>
            public static SharpFlow.FileIO.BytesList BytesList(params byte[][] value) => new(value);
            /// <summary><c>tf.train.BytesList(value)</c> of UTF-8 strings.</summary>
            public static SharpFlow.FileIO.BytesList BytesList(IEnumerable<string> value) => new(value);
            /// <summary><c>tf.train.FloatList(value)</c>.</summary>
            public static SharpFlow.FileIO.FloatList FloatList(params float[] value) => new(value);
            /// <summary><c>tf.train.Int64List(value)</c>.</summary>
            public static SharpFlow.FileIO.Int64List Int64List(params long[] value) => new(value);
        }
    }
}
