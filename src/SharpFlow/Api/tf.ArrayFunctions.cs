#pragma warning disable CS8981
using SharpFlow.Functions;
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>
        /// For each index along <paramref name="batch_axis"/>, the first seq_lengths[i] elements along
        /// <paramref name="seq_axis"/> reversed (op ReverseSequence). <paramref name="seq_dim"/> and
        /// <paramref name="batch_dim"/> are the deprecated names.
        /// </summary>
        public static Tensor reverse_sequence(TensorLike input, TensorLike seq_lengths, int? seq_axis = null, int? batch_axis = null,
            string? name = null, int? seq_dim = null, int? batch_dim = null) =>
            ReverseSequence.Build(input, seq_lengths, seq_axis ?? seq_dim ?? throw new ValueError("reverse_sequence needs seq_axis"),
                batch_axis ?? batch_dim ?? 0, name);

        /// <summary>
        /// The entries of <paramref name="tensor"/> where <paramref name="mask"/> is true: the mask covers dimensions
        /// axis .. axis + mask.rank, which become one dimension of the true entries.
        /// </summary>
        public static Tensor boolean_mask(TensorLike tensor, TensorLike mask, string name = "boolean_mask", int? axis = null) =>
            ArrayFunctions.BooleanMask(tensor, mask, name, axis);

        /// <summary>
        /// <c>mask[i, j] = j &lt; lengths[i]</c> for j below <paramref name="maxlen"/> (default: the largest
        /// length), as bool or <paramref name="dtype"/>.
        /// </summary>
        public static Tensor sequence_mask(TensorLike lengths, TensorLike? maxlen = null, DType? dtype = null, string? name = null) =>
            ArrayFunctions.SequenceMask(lengths, maxlen, dtype ?? DType.@bool, name);

        /// <summary>The distinct elements of a vector in order of appearance (y) and each element's position in y (idx) (op Unique).</summary>
        public static (Tensor y, Tensor idx) unique(TensorLike x, DType? out_idx = null, string? name = null) => Unique.Build(x, out_idx, name);

        /// <summary>Coordinate grids of the vectors in <paramref name="args"/> ("xy" indexing).</summary>
        public static Tensor[] meshgrid(params TensorLike[] args) => ArrayFunctions.Meshgrid(args, "xy", null);

        /// <summary>Coordinate grids of the vectors in <paramref name="args"/>; <paramref name="indexing"/> "xy" (Cartesian) or "ij" (matrix).</summary>
        public static Tensor[] meshgrid(IEnumerable<TensorLike> args, string indexing = "xy", string name = "meshgrid") =>
            ArrayFunctions.Meshgrid([.. args], indexing, name);

        /// <summary>Blocks of block_size × block_size pixels become one pixel's channels (op SpaceToDepth, NHWC).</summary>
        public static Tensor space_to_depth(TensorLike input, int block_size, string? name = null, string data_format = "NHWC") =>
            SpaceToDepth.Def.Apply(input, block_size, data_format, name);

        /// <summary>Channels become blocks of block_size × block_size pixels (op DepthToSpace, NHWC).</summary>
        public static Tensor depth_to_space(TensorLike input, int block_size, string? name = null, string data_format = "NHWC") =>
            DepthToSpace.Def.Apply(input, block_size, data_format, name);

        /// <summary>The spatial dimensions zero-padded, cut into blocks and moved into the batch (op SpaceToBatchND).</summary>
        public static Tensor space_to_batch_nd(TensorLike input, TensorLike block_shape, TensorLike paddings, string? name = null) =>
            SpaceToBatchND.Def.Apply(input, block_shape, paddings, name);

        /// <summary>The inverse of space_to_batch_nd, then cropped (op BatchToSpaceND).</summary>
        public static Tensor batch_to_space_nd(TensorLike input, TensorLike block_shape, TensorLike crops, string? name = null) =>
            BatchToSpaceND.Def.Apply(input, block_shape, crops, name);

        /// <summary>space_to_batch_nd of a rank-4 input with the block [block_size, block_size].</summary>
        public static Tensor space_to_batch(TensorLike input, TensorLike paddings, int block_size, string? name = null) =>
            ArrayFunctions.SpaceToBatch(input, paddings, block_size, name, toBatch: true);

        /// <summary>batch_to_space_nd of a rank-4 input with the block [block_size, block_size].</summary>
        public static Tensor batch_to_space(TensorLike input, TensorLike crops, int block_size, string? name = null) =>
            ArrayFunctions.SpaceToBatch(input, crops, block_size, name, toBatch: false);

        /// <summary>
        /// A tensor as it is (its dtype must be <paramref name="dtype"/> when given; a variable gives its value), or a
        /// constant made from a number, an array or an NDArray.
        /// </summary>
        public static Tensor convert_to_tensor(object value, DType? dtype = null, string? name = null) => ArrayFunctions.ConvertToTensor(value, dtype, name);

        /// <summary>
        /// A static shape, as Python's <c>tf.TensorShape([None, 3])</c>: null entries are unknown dimensions, and a
        /// null list is a shape of unknown rank.
        /// </summary>
        public static Shape TensorShape(params int?[]? dims) =>
            dims is null ? Shape.Unknown : new Shape(System.Array.ConvertAll(dims, d => d ?? -1));
    }
}
