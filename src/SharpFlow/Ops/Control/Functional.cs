using SharpFlow.Framework;
using SharpFlow.Ops.ArrayOps;
using SharpFlow.Ops.MathOps;

namespace SharpFlow.Ops.Control;

/// <summary>
/// TensorFlow 1.x's functional ops built on <c>while_loop</c> and TensorArrays: <c>map_fn</c>, <c>scan</c>,
/// <c>foldl</c>, <c>foldr</c>, and while loops whose variables include TensorArrays (passed as their flows).
/// </summary>
internal static class Functional
{
    /// <summary>A while loop whose variables are tensors or TensorArrays (TensorFlow flattens arrays to their flows).</summary>
    public static object[] WhileLoop(Func<object[], Tensor> cond, Func<object[], object[]> body, IReadOnlyList<object> loopVars,
        int parallelIterations, bool backProp, TensorLike? maximumIterations, string? name)
    {
        var templates = loopVars.ToArray();
        object[] Pack(Tensor[] flat) => [.. templates.Select((t, i) => t is TensorArray ta ? ta.WithFlow(flat[i]) : (object)flat[i])];
        static TensorLike Flatten(object v) => v switch
        {
            TensorArray ta => ta.flow,
            Tensor t => t,
            TensorLike l => l,
            NDArray a => a,
            double d => d,
            float f => f,
            int i => i,
            long l => l,
            bool b => b,
            _ => throw new TypeError($"A while_loop variable must be a Tensor, a TensorArray or a number, got {v?.GetType().Name ?? "null"}."),
        };
        var flat = ControlFlowOps.WhileLoop(v => cond(Pack(v)), v =>
        {
            var result = body(Pack(v));
            if (result.Length != templates.Length)
                throw new ValueError($"Number of inputs and outputs of body must match loop_vars: {templates.Length}, {result.Length}");
            for (var i = 0; i < result.Length; i++)
                if ((result[i] is TensorArray) != (templates[i] is TensorArray))
                    throw new TypeError($"The body returned {result[i]?.GetType().Name ?? "null"} for loop variable {i}, which is a {templates[i].GetType().Name}.");
            return [.. result.Select(r => r is TensorArray ta ? ta.flow : (Tensor)r)];
        }, [.. templates.Select(Flatten)], null, parallelIterations, backProp, maximumIterations, name);
        return Pack(flat);
    }

    /// <summary>
    /// <c>tf.map_fn(fn, elems)</c>: <paramref name="fn"/> applied to each slice of the tensors in
    /// <paramref name="elems"/> along their first axis, the results stacked (one while loop, results in TensorArrays).
    /// </summary>
    public static Tensor[] MapFn(Func<Tensor[], Tensor[]> fn, IReadOnlyList<Tensor> elems, IReadOnlyList<DType>? dtypes,
        int parallelIterations, bool backProp, bool inferShape, string? name)
    {
        if (elems.Count == 0) throw new ValueError("elems must not be empty");
        using var b = OpBuilder.Begin(name, "map", [.. elems.Select(e => (TensorLike)e)]);
        var flat = elems.Select((e, k) => b.Convert(e, $"elem_{k}")).ToArray();
        foreach (var e in flat)
            if (e.shape.IsKnownRank && e.shape.ndims == 0) throw new ValueError($"elems must be 1+ dimensional tensors, not scalars: {e}");
        var n = TensorArray.Dim0(flat[0]);
        var elemsTa = flat.Select(e => new TensorArray(e.dtype, n, infer_shape: true).unstack(e)).ToArray();
        // Without dtype the outputs have the inputs' dtypes.
        var outTypes = dtypes ?? [.. flat.Select(e => e.dtype)];
        var accs = outTypes.Select(d => (object)new TensorArray(d, n, infer_shape: inferShape)).ToList();
        var result = WhileLoop(v => Less.Build((Tensor)v[0], n), v =>
        {
            var i = (Tensor)v[0];
            var values = fn([.. elemsTa.Select(ta => ta.read(i))]);
            if (values.Length != outTypes.Count)
                throw new ValueError($"map_fn: fn returned {values.Length} values but dtype names {outTypes.Count}.");
            var tas = new object[values.Length];
            for (var k = 0; k < values.Length; k++) tas[k] = ((TensorArray)v[k + 1]).write(i, values[k]);
            return [Add.Build(i, 1), .. tas];
        }, [Const.Create(b.Graph, NDArray.Scalar(0), "Const"), .. accs], parallelIterations, backProp, n, null);
        var stacked = result.Skip(1).Select(ta => ((TensorArray)ta).stack()).ToArray();
        var n0 = flat[0].shape.IsKnownRank && flat[0].shape.ndims > 0 ? flat[0].shape[0] : -1;
        foreach (var r in stacked)
            if (r.shape.IsKnownRank && r.shape.ndims > 0)
            {
                var dims = r.shape.Dims;
                if (dims[0] < 0) dims[0] = n0;
                r.SetShape(new Shape(dims));
            }
        return stacked;
    }

    /// <summary>
    /// <c>tf.scan(fn, elems, initializer)</c>: the running results <c>a = fn(a, x)</c> over the slices of
    /// <paramref name="elems"/> along its first axis (from the end when <paramref name="reverse"/>), stacked. Without
    /// an initializer the first slice starts the scan.
    /// </summary>
    public static Tensor Scan(Func<Tensor, Tensor, Tensor> fn, Tensor elems, TensorLike? initializer, int parallelIterations, bool backProp,
        bool inferShape, bool reverse, string? name)
    {
        using var b = OpBuilder.Begin(name, "scan", elems);
        var e = b.Convert(elems, "elems");
        var n = TensorArray.Dim0(e);
        var elemShape = e.shape.IsKnownRank && e.shape.ndims > 0 ? new Shape(e.shape.AsSpan()[1..].ToArray()) : Shape.Unknown;
        var elemsTa = new TensorArray(e.dtype, n, element_shape: elemShape, infer_shape: true).unstack(e);
        Tensor a;
        Tensor start;
        var graph = b.Graph;
        var nMinus1 = n.Value is Tensor nt ? Sub.Build(nt, 1) : (TensorLike)((int)n.Value - 1);
        if (initializer is null)
        {
            a = elemsTa.read(reverse ? nMinus1 : 0);
            start = reverse ? ToTensor(graph, Sub.Build(ToTensor(graph, nMinus1), 1)) : Const.Create(graph, NDArray.Scalar(1), "Const");
        }
        else
        {
            a = b.Convert(initializer.Value, "initializer");
            start = reverse ? ToTensor(graph, nMinus1) : Const.Create(graph, NDArray.Scalar(0), "Const");
        }
        var acc = new TensorArray(a.dtype, n, element_shape: inferShape ? a.shape : null, infer_shape: inferShape);
        if (initializer is null) acc = acc.write(reverse ? nMinus1 : 0, a);
        var result = WhileLoop(v => reverse ? GreaterEqual.Build((Tensor)v[0], 0) : Less.Build((Tensor)v[0], n), v =>
        {
            var i = (Tensor)v[0];
            var next = fn((Tensor)v[1], elemsTa.read(i));
            return [reverse ? Sub.Build(i, 1) : Add.Build(i, 1), next, ((TensorArray)v[2]).write(i, next)];
        }, [start, a, acc], parallelIterations, backProp, n, null);
        var stacked = ((TensorArray)result[2]).stack();
        if (e.shape.IsKnownRank && e.shape.ndims > 0 && stacked.shape.IsKnownRank && stacked.shape.ndims > 0)
        {
            var dims = stacked.shape.Dims;
            dims[0] = e.shape[0];
            stacked.SetShape(new Shape(dims));
        }
        return stacked;
    }

    private static Tensor ToTensor(Graph graph, TensorLike v) => v.Value is Tensor t ? t : Const.Create(graph, NDArray.Scalar(Convert.ToInt32(v.Value, System.Globalization.CultureInfo.InvariantCulture)), "Const");

    /// <summary>
    /// <c>tf.foldl</c> (<paramref name="fromRight"/> false) and <c>tf.foldr</c>: <c>a = fn(a, x)</c> over the slices of
    /// <paramref name="elems"/> along its first axis; the final <c>a</c>.
    /// </summary>
    public static Tensor Fold(Func<Tensor, Tensor, Tensor> fn, Tensor elems, TensorLike? initializer, int parallelIterations, bool backProp,
        bool fromRight, string? name)
    {
        using var b = OpBuilder.Begin(name, fromRight ? "foldr" : "foldl", elems);
        var graph = b.Graph;
        var e = b.Convert(elems, "elems");
        var n = TensorArray.Dim0(e);
        var elemsTa = new TensorArray(e.dtype, n, infer_shape: true).unstack(e);
        var nTensor = ToTensor(graph, n);
        Tensor a, i;
        if (initializer is null)
        {
            i = fromRight ? Sub.Build(nTensor, 1) : Const.Create(graph, NDArray.Scalar(1), "Const");
            a = elemsTa.read(fromRight ? i : 0);
        }
        else
        {
            a = b.Convert(initializer.Value, "initializer");
            i = fromRight ? nTensor : Const.Create(graph, NDArray.Scalar(0), "Const");
        }
        var result = ControlFlowOps.WhileLoop(
            v => fromRight ? Greater.Build(v[0], 0) : Less.Build(v[0], nTensor),
            v =>
            {
                if (fromRight)
                {
                    var j = Sub.Build(v[0], 1);
                    return [j, fn(v[1], elemsTa.read(j))];
                }
                return [Add.Build(v[0], 1), fn(v[1], elemsTa.read(v[0]))];
            }, [i, a], null, parallelIterations, backProp, n, null);
        return result[1];
    }
}
