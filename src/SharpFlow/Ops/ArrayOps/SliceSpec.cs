namespace SharpFlow;

/// <summary>
/// Python's <c>start:stop:step</c> inside <c>x[...]</c> when a step is needed (C#'s <c>a..b</c> has none):
/// <c>x[new SliceSpec(step: -1)]</c> is Python's <c>x[::-1]</c>, <c>x[new SliceSpec(1, null, 2)]</c> is <c>x[1::2]</c>.
/// A missing start or stop takes the whole range in the step's direction; each bound may be a number or a scalar
/// integer tensor.
/// </summary>
/// <param name="start">First index (negative counts from the end), or null for the beginning in the step's direction.</param>
/// <param name="stop">Index where the slice stops (excluded), or null for the end in the step's direction.</param>
/// <param name="step">The step (not 0); null means 1.</param>
public readonly record struct SliceSpec(TensorLike? start = null, TensorLike? stop = null, TensorLike? step = null);
