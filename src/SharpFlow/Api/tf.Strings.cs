#pragma warning disable CS8981
using SharpFlow.FileIO.FileOps;
using SharpFlow.Ops.Strings;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary><c>tf.decode_raw(bytes, out_type, little_endian=True)</c>: each string's bytes as numbers.</summary>
        public static Tensor decode_raw(TensorLike bytes, DType out_type, bool little_endian = true, string? name = null) =>
            DecodeRaw.Build(bytes, out_type, little_endian, name);

        /// <summary><c>tf.string_split(source, delimiter=' ', skip_empty=True)</c>: a sparse tensor of tokens.</summary>
        public static SharpFlow.SparseTensor string_split(TensorLike source, string delimiter = " ", bool skip_empty = true, string? name = null) =>
            StringSplit.Build(source, delimiter, skip_empty, name);

        /// <summary><c>tf.string_split</c> with the delimiter as a tensor.</summary>
        public static SharpFlow.SparseTensor string_split(TensorLike source, Tensor delimiter, bool skip_empty = true, string? name = null) =>
            StringSplit.Build(source, delimiter, skip_empty, name);

        /// <summary><c>tf.string_to_number(string_tensor, out_type=tf.float32)</c>.</summary>
        public static Tensor string_to_number(TensorLike string_tensor, DType? out_type = null, string? name = null) =>
            StringToNumber.Build(string_tensor, out_type, name);

        /// <summary>
        /// <c>tf.decode_csv(records, record_defaults, field_delim=',', use_quote_delim=True, na_value='', select_cols=None)</c>:
        /// one tensor per column; each default is a one-element array (or an empty one for a required column).
        /// </summary>
        public static Tensor[] decode_csv(TensorLike records, IReadOnlyList<TensorLike> record_defaults, string field_delim = ",", bool use_quote_delim = true,
            string na_value = "", int[]? select_cols = null, string? name = null) =>
            DecodeCSV.Build(records, record_defaults, field_delim, use_quote_delim, na_value, select_cols, name);

        /// <summary><c>tf.as_string(input, precision=-1, scientific=False, shortest=False, width=-1, fill='')</c>.</summary>
        public static Tensor as_string(TensorLike input, int precision = -1, bool scientific = false, bool shortest = false, int width = -1, string fill = "", string? name = null) =>
            AsString.Build(input, precision, scientific, shortest, width, fill, name);

        /// <summary><c>tf.string_join(inputs, separator='')</c>.</summary>
        public static Tensor string_join(IReadOnlyList<TensorLike> inputs, string separator = "", string? name = null) => StringJoin.Build(inputs, separator, name);

        /// <summary><c>tf.substr(input, pos, len, unit='BYTE')</c>.</summary>
        public static Tensor substr(TensorLike input, TensorLike pos, TensorLike len, string unit = "BYTE", string? name = null) =>
            Substr.Build(input, pos, len, unit, name);

        /// <summary><c>tf.read_file(filename)</c>: the file's bytes as a string scalar.</summary>
        public static Tensor read_file(TensorLike filename, string? name = null) => ReadFile.Build(filename, name);

        /// <summary><c>tf.write_file(filename, contents)</c>: the op that writes the file.</summary>
        public static Operation write_file(TensorLike filename, TensorLike contents, string? name = null) => WriteFile.Build(filename, contents, name);

        /// <summary><c>tf.matching_files(pattern)</c>: the sorted paths matching a glob pattern.</summary>
        public static Tensor matching_files(TensorLike pattern, string? name = null) => MatchingFiles.Build(pattern, name);

        /// <summary>TensorFlow's <c>tf.strings</c> namespace.</summary>
        public static partial class strings
        {
            /// <summary><c>tf.strings.join</c>.</summary>
            public static Tensor join(IReadOnlyList<TensorLike> inputs, string separator = "", string? name = null) => StringJoin.Build(inputs, separator, name);
            /// <summary><c>tf.strings.substr</c>.</summary>
            public static Tensor substr(TensorLike input, TensorLike pos, TensorLike len, string unit = "BYTE", string? name = null) => Substr.Build(input, pos, len, unit, name);
            /// <summary>
            /// <c>tf.strings.regex_full_match(input, pattern)</c>: whether each string matches the RE2 pattern as a
            /// whole. A string pattern builds StaticRegexFullMatch, a tensor RegexFullMatch, as TensorFlow does.
            /// </summary>
            public static Tensor regex_full_match(TensorLike input, TensorLike pattern, string? name = null) =>
                pattern.Value is string p ? StaticRegexFullMatch.Build(input, p, name) : RegexFullMatch.Build(input, pattern, name);
            /// <summary><c>tf.strings.to_number</c>.</summary>
            public static Tensor to_number(TensorLike string_tensor, DType? out_type = null, string? name = null) => StringToNumber.Build(string_tensor, out_type, name);
            /// <summary><c>tf.strings.as_string</c>.</summary>
            public static Tensor as_string(TensorLike input, int precision = -1, bool scientific = false, bool shortest = false, int width = -1, string fill = "", string? name = null) =>
                AsString.Build(input, precision, scientific, shortest, width, fill, name);
        }

        public static partial class train
        {
            /// <summary>
            /// <c>tf.train.match_filenames_once(pattern)</c>: a local variable (initialized by
            /// <c>tf.local_variables_initializer()</c>) holding the files that matched when it was initialized.
            /// </summary>
            public static Variable match_filenames_once(TensorLike pattern, string? name = null)
            {
                using var scope = get_default_graph().name_scope(name ?? "matching_filenames", out var scopeName);
                return SharpFlow.Variable.Create(MatchingFiles.Build(pattern), null, trainable: false, [SharpFlow.GraphKeys.LOCAL_VARIABLES],
                    validateShape: false, name: scopeName.TrimEnd('/'), dtype: null);
            }
        }
    }
}
