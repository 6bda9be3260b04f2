namespace SharpFlow.Tests.Support;

/// <summary>
/// TensorFlow's <c>gradient_checker.compute_gradient_error</c>: builds <c>y = f(x0, x1, ...)</c> on float64
/// placeholders, gets the theoretical Jacobian from the gradient pass (one backward run per output element,
/// seeded with a one-hot <c>grad_ys</c>) and the numeric one from central differences with step
/// <see cref="Delta"/>, and returns the largest absolute difference over all inputs.
/// </summary>
public static class GradientChecker
{
    /// <summary>TensorFlow's default step.</summary>
    public const double Delta = 1e-3;

    /// <param name="f">The function under test.</param>
    /// <param name="inputs">The point at which to differentiate (float64 arrays).</param>
    /// <param name="dynamicShapes">Feed placeholders whose dimensions are unknown, so that shapes are only known at run time.</param>
    public static double MaxError(Func<Tensor[], Tensor> f, NDArray[] inputs, bool dynamicShapes = false)
    {
        using var g = TestGraph.Enter();
        var xs = inputs.Select((v, i) => tf.placeholder(tf.float64, dynamicShapes ? Shape.UnknownDims(v.ndim) : v.shape, name: $"x{i}")).ToArray();
        var y = f(xs);
        if (y.dtype != tf.float64) throw new InvalidOperationException($"the function must return float64, got {y.dtype.name}");
        var gy = tf.placeholder(tf.float64, dynamicShapes ? Shape.Unknown : y.shape, name: "grad_y");
        var grads = tf.gradients(y, xs, gy);
        using var sess = tf.Session();
        // Functions with variables (an RNN cell's weights) start from their initializers.
        if (tf.global_variables().Count > 0) sess.run(tf.global_variables_initializer());

        var feed = new FeedDict();
        for (var i = 0; i < xs.Length; i++) feed[xs[i]] = inputs[i];
        var y0 = sess.run(y, feed);
        var m = y0.size;

        var fetchable = Enumerable.Range(0, xs.Length).Where(i => grads[i] is not null).ToArray();
        var theoretical = inputs.Select(x => new double[m, x.size]).ToArray();
        for (var j = 0; j < m; j++)
        {
            var seed = new double[m];
            seed[j] = 1;
            feed[gy] = NDArray.FromFlat(seed, y0.shape);
            if (fetchable.Length == 0) continue;
            var values = sess.run(fetchable.Select(i => grads[i]!).ToArray(), feed);
            for (var k = 0; k < fetchable.Length; k++)
            {
                var i = fetchable[k];
                if (values[k].shape != inputs[i].shape)
                    throw new InvalidOperationException($"gradient of input {i} has shape {values[k].shape}, the input {inputs[i].shape}");
                var row = values[k].ToArray<double>();
                for (var c = 0; c < row.Length; c++) theoretical[i][j, c] = row[c];
            }
        }

        var maxError = 0.0;
        for (var i = 0; i < inputs.Length; i++)
        {
            var x = inputs[i].ToArray<double>();
            for (var c = 0; c < x.Length; c++)
            {
                var plus = (double[])x.Clone();
                var minus = (double[])x.Clone();
                plus[c] += Delta;
                minus[c] -= Delta;
                feed[xs[i]] = NDArray.FromFlat(plus, inputs[i].shape);
                var yp = sess.run(y, feed).ToArray<double>();
                feed[xs[i]] = NDArray.FromFlat(minus, inputs[i].shape);
                var ym = sess.run(y, feed).ToArray<double>();
                for (var j = 0; j < m; j++)
                {
                    var numeric = (yp[j] - ym[j]) / (2 * Delta);
                    maxError = Math.Max(maxError, Math.Abs(numeric - theoretical[i][j, c]));
                }
            }
            feed[xs[i]] = inputs[i];
        }
        return maxError;
    }
}
