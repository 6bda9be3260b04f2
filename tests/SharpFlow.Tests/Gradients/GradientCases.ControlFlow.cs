namespace SharpFlow.Tests.Gradients;

public static partial class GradientCases
{
    /// <summary>
    /// Gradients through tf.cond and tf.while_loop (Switch, Merge, Enter, Exit, NextIteration): both branches,
    /// loop variables and loop invariants, nesting both ways, run-time shapes, and second derivatives of a cond.
    /// </summary>
    private static IEnumerable<GradientCase> ControlFlowCases()
    {
        var s23 = new Shape(2, 3);
        foreach (var taken in new[] { true, false })
        {
            yield return C("control flow", $"cond, {(taken ? "true" : "false")} branch taken",
                x => tf.cond(tf.constant(taken), () => x[0] * x[1], () => tf.tanh(x[0]) - x[1]), U(s23), U(s23));
            yield return C("control flow", $"cond of an outside tensor passed through, {taken}",
                x => tf.cond(tf.constant(taken), () => x[0], () => x[0] * x[1]), U(s23), U(s23));
            yield return C("control flow", $"nested cond, {taken}",
                x => tf.cond(tf.constant(taken),
                    () => tf.cond(tf.constant(!taken), () => x[0] * 2.0, () => tf.square(x[0]) * x[1]),
                    () => x[1] - x[0]), U(s23), U(s23));
            yield return C("control flow", $"d²/dx² of a cond, {taken}",
                x => tf.gradients(tf.reduce_sum(tf.cond(tf.constant(taken), () => x[0] * x[0] * x[0], () => tf.exp(x[0]))), x[0])[0]!, U(s23)) with { Tolerance = 1e-4 };
        }
        yield return C("control flow", "cond on a computed predicate",
            x => tf.cond(tf.greater(tf.reduce_sum(x[0]), 100.0), () => x[0] * 3.0, () => x[0] * x[0]), U(s23));

        // v ← v·v three times: v^8 through the loop variable.
        yield return C("control flow", "while_loop, loop variable",
            x => tf.while_loop((i, v) => tf.less(i, 3), (i, v) => (i + 1, v * v), (tf.constant(0), x[0])).Item2, U(s23, 0.5, 1.0)) with { Tolerance = 1e-4 };
        // v ← v·w + w: w is a loop invariant whose gradient is summed over the iterations.
        yield return C("control flow", "while_loop, loop invariant",
            x => tf.while_loop((i, v) => tf.less(i, 4), (i, v) => (i + 1, v * x[1] + x[1]), (tf.constant(0), x[0])).Item2, U(s23), U(s23, 0.5, 1.1)) with { Tolerance = 1e-5 };
        yield return C("control flow", "while_loop, run-time shapes",
            x => tf.while_loop((i, v) => tf.less(i, 3), (i, v) => (i + 1, tf.tanh(v) * x[1]), (tf.constant(0), x[0])).Item2, U(s23), U(s23)) with { Dynamic = true };
        yield return C("control flow", "while_loop, matmul in the body",
            x => tf.while_loop((i, v) => tf.less(i, 3), (i, v) => (i + 1, tf.tanh(tf.matmul(v, x[1]))), (tf.constant(0), x[0])).Item2, U(new Shape(2, 3)), U(new Shape(3, 3))) with { Tolerance = 1e-5 };
        yield return C("control flow", "while_loop, maximum_iterations",
            x => tf.while_loop(v => tf.constant(true), v => v * x[1], x[0], maximum_iterations: 3), U(s23), U(s23)) with { Tolerance = 1e-5 };
        yield return C("control flow", "while_loop, cond inside the body",
            x => tf.while_loop((i, v) => tf.less(i, 4), (i, v) => (i + 1, tf.cond(tf.equal(tf.floormod(i, 2), 0), () => v * x[1], () => tf.tanh(v))),
                (tf.constant(0), x[0])).Item2, U(s23), U(s23)) with { Tolerance = 1e-5 };
        yield return C("control flow", "while_loop inside a cond",
            x => tf.cond(tf.constant(true), () => tf.while_loop((i, v) => tf.less(i, 2), (i, v) => (i + 1, v * x[1]), (tf.constant(0), x[0])).Item2, () => x[0]),
            U(s23), U(s23)) with { Tolerance = 1e-5 };
        yield return C("control flow", "nested while_loops",
            x => tf.while_loop((i, v) => tf.less(i, 2),
                (i, v) => (i + 1, tf.while_loop((j, u) => tf.less(j, 2), (j, u) => (j + 1, u * x[1] + 0.5), (tf.constant(0), v)).Item2),
                (tf.constant(0), x[0])).Item2, U(s23), U(s23)) with { Tolerance = 1e-5 };
        // TensorArrays inside loops: map_fn, scan and the folds.
        yield return C("control flow", "map_fn", x => tf.map_fn(r => tf.tanh(r) * r, x[0]), U(new Shape(4, 3)));
        yield return C("control flow", "map_fn of a loop invariant", x => tf.map_fn(r => r * x[1], x[0]), U(new Shape(3, 2)), U(new Shape(2)));
        yield return C("control flow", "scan (cumulative product)", x => tf.scan((a, r) => a * r, x[0]), U(new Shape(4, 2), 0.5, 1.5));
        yield return C("control flow", "scan reverse with initializer", x => tf.scan((a, r) => a * 0.5 + r * r, x[0], initializer: x[1], reverse: true), U(new Shape(3, 2)), U(new Shape(2)));
        yield return C("control flow", "foldl", x => tf.foldl((a, r) => a * r + r, x[0]), U(new Shape(4, 3)));
        yield return C("control flow", "foldr with initializer", x => tf.foldr((a, r) => tf.tanh(a + r), x[0], initializer: x[1]), U(new Shape(3, 2)), U(new Shape(2)));
        yield return C("control flow", "TensorArray concat and split",
            x =>
            {
                var ta = tf.TensorArray(tf.float64, size: 2).split(x[0], new long[] { 1, 2 });
                return ((TensorArray)tf.while_loop(v => tf.less((Tensor)v[0], 1), v => [(Tensor)v[0] + 1, ((TensorArray)v[1])], [tf.constant(0), ta])[1]).concat() * 2.0;
            }, U(new Shape(3, 2)));
        yield return C("control flow", "TensorArray gather and scatter",
            x => tf.TensorArray(tf.float64, size: 4).scatter(new[] { 3, 0, 2, 1 }, x[0]).gather(new[] { 1, 2 }), U(new Shape(4, 2)));
    }
}
