namespace SharpFlow.Models;

/// <summary>One row of a model's layer table: its scope, what it is, its output shape and its parameter count.</summary>
/// <param name="Name">The layer's scope (<c>conv1</c>, <c>mixed_3/branch3x3</c>).</param>
/// <param name="Kind">What it computes (<c>conv 5×5×6, VALID</c>).</param>
/// <param name="OutputShape">Its output's static shape.</param>
/// <param name="Parameters">Elements of the variables it created (moving statistics included, as Keras counts).</param>
public sealed record LayerSummary(string Name, string Kind, Shape OutputShape, long Parameters);
