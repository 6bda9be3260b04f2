#pragma warning disable CS8981
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>
        /// A constant: <c>tf.constant(new[] { 1, 2 }, name: "a")</c>. Integers default to int32 and floating-point
        /// numbers to float32; with <paramref name="shape"/>, a scalar fills it and a shorter list repeats its last value.
        /// </summary>
        public static Tensor constant(object value, DType? dtype = null, Shape? shape = null, string name = "Const", bool verify_shape = false) =>
            Const.Build(value, dtype, shape, name, verify_shape);

        /// <summary>A tensor of zeros (float32 by default).</summary>
        public static Tensor zeros(Shape shape, DType? dtype = null, string? name = null) => Fill.Constant(shape, dtype ?? DType.float32, one: false, name);
        /// <summary>A tensor of zeros whose shape is computed at run time.</summary>
        public static Tensor zeros(Tensor shape, DType? dtype = null, string? name = null) => Fill.Dynamic(shape, dtype ?? DType.float32, one: false, name);
        /// <summary>A tensor of ones (float32 by default).</summary>
        public static Tensor ones(Shape shape, DType? dtype = null, string? name = null) => Fill.Constant(shape, dtype ?? DType.float32, one: true, name);
        /// <summary>A tensor of ones whose shape is computed at run time.</summary>
        public static Tensor ones(Tensor shape, DType? dtype = null, string? name = null) => Fill.Dynamic(shape, dtype ?? DType.float32, one: true, name);
        /// <summary>A tensor of shape <paramref name="dims"/> filled with <paramref name="value"/>.</summary>
        public static Tensor fill(TensorLike dims, TensorLike value, string? name = null) => Fill.Build(dims, value, name);
        /// <summary>Zeros shaped like <paramref name="tensor"/>.</summary>
        public static Tensor zeros_like(TensorLike tensor, DType? dtype = null, string? name = null, bool optimize = true) =>
            ZerosLike.Def.Apply(tensor, dtype, optimize, name);
        /// <summary>Ones shaped like <paramref name="tensor"/>.</summary>
        public static Tensor ones_like(TensorLike tensor, DType? dtype = null, string? name = null, bool optimize = true) =>
            OnesLike.Def.Apply(tensor, dtype, optimize, name);
        /// <summary><c>start, start+delta, ...</c> below <paramref name="limit"/>; one argument means [0, start).</summary>
        public static Tensor range(TensorLike start, TensorLike? limit = null, TensorLike? delta = null, DType? dtype = null, string? name = null) =>
            Ops.ArrayOps.Range.Build(start, limit, delta, dtype, name);
        /// <summary><paramref name="num"/> evenly spaced values from start to stop inclusive.</summary>
        public static Tensor lin_space(TensorLike start, TensorLike stop, TensorLike num, string? name = null) => LinSpace.Build(start, stop, num, name);
        /// <summary>Alias of <see cref="lin_space"/>.</summary>
        public static Tensor linspace(TensorLike start, TensorLike stop, TensorLike num, string? name = null) => LinSpace.Build(start, stop, num, name);

        /// <summary>The input, unchanged.</summary>
        public static Tensor identity(TensorLike input, string? name = null) => Identity.Build(input, name);
        /// <summary>The same values with another shape (one dimension may be -1).</summary>
        public static Tensor reshape(TensorLike tensor, TensorLike shape, string? name = null) => Reshape.Build(tensor, shape, name);
        /// <summary>Permutes dimensions (reverses them by default).</summary>
        public static Tensor transpose(TensorLike a, TensorLike? perm = null, string? name = null) => Transpose.Build(a, perm, name);
        /// <summary>Joins tensors along an axis.</summary>
        public static Tensor concat(IEnumerable<TensorLike> values, TensorLike axis, string name = "concat") => ConcatV2.Build(values.ToList(), axis, name);
        /// <summary>Joins tensors along an axis.</summary>
        public static Tensor concat(IEnumerable<Tensor> values, TensorLike axis, string name = "concat") =>
            ConcatV2.Build(values.Select(v => (TensorLike)v).ToList(), axis, name);
        /// <summary>One-hot encoding: a new axis of size <paramref name="depth"/> (float32 1/0 by default).</summary>
        public static Tensor one_hot(TensorLike indices, TensorLike depth, TensorLike? on_value = null, TensorLike? off_value = null,
            int axis = -1, DType? dtype = null, string? name = null) =>
            OneHot.Build(indices, depth, on_value, off_value, axis, dtype, name);
        /// <summary>
        /// Slices of <paramref name="params"/> along <paramref name="axis"/> at <paramref name="indices"/> (op
        /// GatherV2); an index outside the axis is an InvalidArgumentError at run time.
        /// </summary>
        public static Tensor gather(TensorLike @params, TensorLike indices, TensorLike? axis = null, string? name = null) =>
            GatherV2.Build(@params, indices, axis, name);
        /// <summary>
        /// <paramref name="tensor"/> unchanged, or an InvalidArgumentError <c>"{message} : Tensor had NaN values"</c>
        /// (or Inf) when it holds a NaN or an infinity.
        /// </summary>
        public static Tensor check_numerics(TensorLike tensor, string message, string? name = null) => CheckNumerics.Build(tensor, message, name);
        /// <summary>
        /// A CheckNumerics for every float tensor of the default graph, chained so the first failure names the
        /// earliest op with a NaN or infinity (<c>"dense/MatMul:0 : Tensor had Inf values"</c>); run it with the ops
        /// it guards.
        /// </summary>
        public static Operation add_check_numerics_ops() => CheckNumerics.AddToGraph(get_default_graph());
        /// <summary>
        /// <see cref="add_check_numerics_ops()"/> for <paramref name="ops"/> only (a SharpFlow addition): a
        /// CheckNumerics for each of their float outputs, in graph order and chained the same way, leaving out
        /// outputs already checked. Running the group with a step's feeds names the first op of that computation
        /// (a training step's forward and backward pass, without its updates) that made a NaN or infinity, without
        /// checks on the rest of the graph. The ops must be in the default graph.
        /// </summary>
        public static Operation add_check_numerics_ops(IEnumerable<Operation> ops)
        {
            ArgumentNullException.ThrowIfNull(ops);
            var graph = get_default_graph();
            var list = ops.ToList();
            foreach (var op in list)
                if (!ReferenceEquals(op.graph, graph))
                    throw new ValueError($"add_check_numerics_ops: {op.name} is not an op of the default graph");
            return CheckNumerics.AddFor(graph, list);
        }
        /// <summary>The dynamic shape as an int32 vector.</summary>
        public static Tensor shape(TensorLike input, string? name = null, DType? out_type = null) => Shape_.Build(input, out_type, name);
        /// <summary>The number of elements.</summary>
        public static Tensor size(TensorLike input, string? name = null, DType? out_type = null) => Size.Build(input, out_type, name);
        /// <summary>The number of dimensions.</summary>
        public static Tensor rank(TensorLike input, string? name = null) => Rank.Build(input, name);
        /// <summary>Inserts a dimension of size 1.</summary>
        public static Tensor expand_dims(TensorLike input, TensorLike axis, string? name = null) => ExpandDims.Build(input, axis, name);
        /// <summary>Removes dimensions of size 1.</summary>
        public static Tensor squeeze(TensorLike input, int[]? axis = null, string? name = null) => Squeeze.Build(input, axis, name);
    }
}
