#pragma warning disable CS8981
using SharpFlow.Functions;
using SharpFlow.Gradients;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>
        /// The symbolic gradients of the sum of <paramref name="ys"/> with respect to each of <paramref name="xs"/>
        /// (null where an x does not affect the ys). <paramref name="grad_ys"/> seeds the ys' gradients (default
        /// ones); nothing flows back through <paramref name="stop_gradients"/>.
        /// </summary>
        public static Tensor?[] gradients(IEnumerable<Tensor> ys, IEnumerable<Tensor> xs, IEnumerable<Tensor?>? grad_ys = null,
            string name = "gradients", IEnumerable<Tensor>? stop_gradients = null)
        {
            ArgumentNullException.ThrowIfNull(ys);
            ArgumentNullException.ThrowIfNull(xs);
            return GradientPass.Build([.. ys], [.. xs], grad_ys?.ToList(), stop_gradients?.ToList(), name);
        }

        /// <summary>The gradients of one tensor with respect to several.</summary>
        public static Tensor?[] gradients(Tensor ys, IEnumerable<Tensor> xs, Tensor? grad_ys = null, string name = "gradients",
            IEnumerable<Tensor>? stop_gradients = null) =>
            gradients([ys], xs, grad_ys is null ? null : [grad_ys], name, stop_gradients);

        /// <summary>The gradient of one tensor with respect to one (a one-element array, as TensorFlow returns a list).</summary>
        public static Tensor?[] gradients(Tensor ys, Tensor xs, Tensor? grad_ys = null, string name = "gradients",
            IEnumerable<Tensor>? stop_gradients = null) =>
            gradients([ys], [xs], grad_ys is null ? null : [grad_ys], name, stop_gradients);

        /// <summary>The input unchanged, but treated as a constant by <see cref="gradients(IEnumerable{Tensor}, IEnumerable{Tensor}, IEnumerable{Tensor?}?, string, IEnumerable{Tensor}?)"/>.</summary>
        public static Tensor stop_gradient(TensorLike input, string? name = null) => StopGradient.Build(input, name);

        /// <summary>Clips values to <c>[clip_value_min, clip_value_max]</c>; the gradient passes only inside the bounds.</summary>
        public static Tensor clip_by_value(TensorLike t, TensorLike clip_value_min, TensorLike clip_value_max, string? name = null) =>
            Clipping.ByValue(t, clip_value_min, clip_value_max, name);

        /// <summary>
        /// <c>tf.clip_by_norm(t, clip_norm, axes)</c>: <paramref name="t"/> scaled down so its L2 norm (over
        /// <paramref name="axes"/>, all by default) is at most <paramref name="clip_norm"/>.
        /// </summary>
        public static Tensor clip_by_norm(TensorLike t, TensorLike clip_norm, TensorLike? axes = null, string? name = null) =>
            Functions.Clipping.ByNorm(t, clip_norm, axes, name);

        /// <summary><c>tf.global_norm(t_list)</c>: the L2 norm of all the tensors together (null entries are skipped).</summary>
        public static Tensor global_norm(IReadOnlyList<Tensor?> t_list, string? name = null) => Functions.Clipping.GlobalNorm(t_list, name);

        /// <summary>
        /// <c>tf.clip_by_global_norm(t_list, clip_norm)</c>: the tensors scaled together so their global norm is at
        /// most <paramref name="clip_norm"/>, and that global norm (as TensorFlow: computed before clipping).
        /// </summary>
        public static (Tensor?[] list_clipped, Tensor global_norm) clip_by_global_norm(IReadOnlyList<Tensor?> t_list, TensorLike clip_norm,
            Tensor? use_norm = null, string? name = null) =>
            Functions.Clipping.ByGlobalNorm(t_list, clip_norm, use_norm, name);

        /// <summary>1/(1 + e^-x) element-wise.</summary>
        public static Tensor sigmoid(TensorLike x, string? name = null) => Sigmoid.Build(x, name);
        /// <summary>Hyperbolic tangent element-wise.</summary>
        public static Tensor tanh(TensorLike x, string? name = null) => Tanh.Build(x, name);
        /// <summary>-1, 0 or 1 element-wise.</summary>
        public static Tensor sign(TensorLike x, string? name = null) => Sign.Build(x, name);
        /// <summary>log(1 + x), accurate near 0.</summary>
        public static Tensor log1p(TensorLike x, string? name = null) => Log1p.Build(x, name);
        /// <summary>Rounds down element-wise.</summary>
        public static Tensor floor(TensorLike x, string? name = null) => Floor.Build(x, name);
        /// <summary><c>(x - y)²</c> element-wise.</summary>
        public static Tensor squared_difference(TensorLike x, TensorLike y, string? name = null) => SquaredDifference.Build(x, y, name);
        /// <summary>The block starting at <paramref name="begin"/> of extent <paramref name="size"/> (-1: the rest).</summary>
        public static Tensor slice(TensorLike input_, TensorLike begin, TensorLike size, string? name = null) => Slice.Build(input_, begin, size, name);
        /// <summary>
        /// TensorFlow's <c>tf.pad(tensor, paddings, mode="CONSTANT", constant_values=...)</c>: pads with
        /// <paramref name="constant_values"/> (a scalar, converted to the tensor's dtype; zeros when left out);
        /// <paramref name="paddings"/> is [rank, 2] (before, after). As TensorFlow does, a Pad op when the value is
        /// a plain zero, else a PadV2.
        /// </summary>
        public static Tensor pad(TensorLike tensor, TensorLike paddings, string? name = null, TensorLike? constant_values = null) =>
            ArrayFunctions.Pad(tensor, paddings, constant_values, name);
        /// <summary>Broadcasts to a shape by NumPy's rules.</summary>
        public static Tensor broadcast_to(TensorLike input, TensorLike shape, string? name = null) => BroadcastTo.Build(input, shape, name);
        /// <summary>Running sums along an axis.</summary>
        public static Tensor cumsum(TensorLike x, int axis = 0, bool exclusive = false, bool reverse = false, string? name = null) =>
            Cumsum.Build(x, axis, exclusive, reverse, name);
        /// <summary>Running products along an axis.</summary>
        public static Tensor cumprod(TensorLike x, int axis = 0, bool exclusive = false, bool reverse = false, string? name = null) =>
            Cumprod.Build(x, axis, exclusive, reverse, name);
        /// <summary>The inverse of a permutation vector.</summary>
        public static Tensor invert_permutation(TensorLike x, string? name = null) => InvertPermutation.Build(x, name);
    }
}
