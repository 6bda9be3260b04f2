#pragma warning disable CS8981
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>
        /// Splits <paramref name="value"/> along <paramref name="axis"/>: a number gives that many equal pieces (op
        /// Split), a vector of sizes (one may be -1 for the rest) pieces of those sizes (op SplitV).
        /// </summary>
        public static Tensor[] split(TensorLike value, TensorLike num_or_size_splits, TensorLike? axis = null, int? num = null, string name = "split") =>
            Split.Build(value, num_or_size_splits, axis ?? 0, num, name);

        /// <summary>The input repeated <paramref name="multiples"/>[i] times along dimension i (op Tile).</summary>
        public static Tensor tile(TensorLike input, TensorLike multiples, string? name = null) => Tile.Build(input, multiples, name);

        /// <summary>The input with the order of elements reversed along each axis in <paramref name="axis"/> (op ReverseV2).</summary>
        public static Tensor reverse(TensorLike tensor, TensorLike axis, string? name = null) => ReverseV2.Build(tensor, axis, name);

        /// <summary>Alias of <see cref="reverse"/>.</summary>
        public static Tensor reverse_v2(TensorLike tensor, TensorLike axis, string? name = null) => ReverseV2.Build(tensor, axis, name);

        /// <summary>
        /// Slices of <paramref name="params"/> at the index rows in the innermost dimension of
        /// <paramref name="indices"/> (op GatherNd); an index outside params is an InvalidArgumentError.
        /// </summary>
        public static Tensor gather_nd(TensorLike @params, TensorLike indices, string? name = null) => GatherNd.Build(@params, indices, name);

        /// <summary>
        /// Zeros of <paramref name="shape"/> with the slices of <paramref name="updates"/> added at the index rows of
        /// <paramref name="indices"/> (op ScatterNd; repeated rows sum).
        /// </summary>
        public static Tensor scatter_nd(TensorLike indices, TensorLike updates, TensorLike shape, string? name = null) => ScatterNd.Build(indices, updates, shape, name);
    }
}
