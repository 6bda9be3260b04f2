namespace SharpFlow;

/// <summary>Python-style indexing of tensors, built as one StridedSlice op the way TensorFlow's <c>_slice_helper</c> builds it.</summary>
public partial class Tensor
{
    /// <summary>
    /// <c>x[...]</c> as in Python, one index per dimension: a number picks one element and drops the dimension
    /// (<c>x[0]</c>, <c>x[^1]</c> for Python's <c>x[-1]</c>, or a scalar int32/int64 tensor); a range keeps it
    /// (<c>x[1..3]</c>, <c>x[..^1]</c>; <c>..</c> alone is Python's <c>:</c>); <see cref="SliceSpec"/> adds a step
    /// (<c>x[new SliceSpec(step: -1)]</c> is <c>x[::-1]</c>); <c>tf.newaxis</c> inserts a dimension of 1 and
    /// <c>tf.ellipsis</c> (Python's <c>...</c>) stands for the dimensions not named; <c>null</c>, Python's <c>None</c>, is
    /// <c>tf.newaxis</c> too (<c>x[null, ..]</c>). The op is named
    /// <c>strided_slice</c>, with TensorFlow's begin/end/strides and masks.
    /// </summary>
    public Tensor this[params object?[]? slices] => Ops.ArrayOps.SliceHelper.Apply(this, slices);
}
