#pragma warning disable CS8981 // the facade keeps TensorFlow's lower-case names
using SharpFlow.Ops.State;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>Replaces rows <c>indices</c> of a variable with <c>updates</c> (of repeated indices, the last wins); returns the variable.</summary>
        public static Tensor scatter_update(Variable @ref, TensorLike indices, TensorLike updates, bool use_locking = true, string? name = null) =>
            ScatterUpdate.Build(@ref, indices, updates, use_locking, name);

        /// <summary>Adds <c>updates</c> to rows <c>indices</c> of a variable (repeated indices add up); returns the variable.</summary>
        public static Tensor scatter_add(Variable @ref, TensorLike indices, TensorLike updates, bool use_locking = false, string? name = null) =>
            ScatterAdd.Build(@ref, indices, updates, use_locking, name);

        /// <summary>Subtracts <c>updates</c> from rows <c>indices</c> of a variable; returns the variable.</summary>
        public static Tensor scatter_sub(Variable @ref, TensorLike indices, TensorLike updates, bool use_locking = false, string? name = null) =>
            ScatterSub.Build(@ref, indices, updates, use_locking, name);

        /// <summary>Multiplies rows <c>indices</c> of a variable by <c>updates</c>; returns the variable.</summary>
        public static Tensor scatter_mul(Variable @ref, TensorLike indices, TensorLike updates, bool use_locking = false, string? name = null) =>
            ScatterMul.Build(@ref, indices, updates, use_locking, name);

        /// <summary>Divides rows <c>indices</c> of a variable by <c>updates</c>; returns the variable.</summary>
        public static Tensor scatter_div(Variable @ref, TensorLike indices, TensorLike updates, bool use_locking = false, string? name = null) =>
            ScatterDiv.Build(@ref, indices, updates, use_locking, name);

        /// <summary>Sets rows <c>indices</c> of a variable to their element-wise minimum with <c>updates</c>; returns the variable.</summary>
        public static Tensor scatter_min(Variable @ref, TensorLike indices, TensorLike updates, bool use_locking = false, string? name = null) =>
            ScatterMin.Build(@ref, indices, updates, use_locking, name);

        /// <summary>Sets rows <c>indices</c> of a variable to their element-wise maximum with <c>updates</c>; returns the variable.</summary>
        public static Tensor scatter_max(Variable @ref, TensorLike indices, TensorLike updates, bool use_locking = false, string? name = null) =>
            ScatterMax.Build(@ref, indices, updates, use_locking, name);

        /// <summary>Replaces the slices of a variable that the rows of <c>indices</c> name with <c>updates</c>; returns the variable.</summary>
        public static Tensor scatter_nd_update(Variable @ref, TensorLike indices, TensorLike updates, bool use_locking = true, string? name = null) =>
            ScatterNdUpdate.Build(@ref, indices, updates, use_locking, name);

        /// <summary>Adds <c>updates</c> to the slices of a variable that the rows of <c>indices</c> name; returns the variable.</summary>
        public static Tensor scatter_nd_add(Variable @ref, TensorLike indices, TensorLike updates, bool use_locking = false, string? name = null) =>
            ScatterNdAdd.Build(@ref, indices, updates, use_locking, name);

        /// <summary>Subtracts <c>updates</c> from the slices of a variable that the rows of <c>indices</c> name; returns the variable.</summary>
        public static Tensor scatter_nd_sub(Variable @ref, TensorLike indices, TensorLike updates, bool use_locking = false, string? name = null) =>
            ScatterNdSub.Build(@ref, indices, updates, use_locking, name);
    }
}
