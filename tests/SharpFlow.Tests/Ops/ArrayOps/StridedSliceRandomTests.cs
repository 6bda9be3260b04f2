namespace SharpFlow.Tests.Ops.ArrayOps;

/// <summary>
/// Random slice specs on random shapes: the shape inferred when everything is known equals NumPy's, the kernel's
/// values equal NumPy's (<see cref="SliceReference"/>), and the shape inferred with unknown dimensions is compatible.
/// </summary>
public class StridedSliceRandomTests
{
    private static object[] RandomSpec(System.Random r, int[] dims)
    {
        var spec = new List<object>();
        var ellipsis = r.Next(3) == 0;
        var real = ellipsis ? r.Next(dims.Length + 1) : r.Next(dims.Length + 1);
        var ellipsisAt = ellipsis ? r.Next(real + 1) : -1;
        for (var i = 0; i < real; i++)
        {
            if (i == ellipsisAt) spec.Add(tf.ellipsis);
            if (r.Next(6) == 0) spec.Add(tf.newaxis);
            var dim = dims[ellipsis && i >= ellipsisAt ? dims.Length - real + i : i];
            switch (r.Next(4))
            {
                case 0 when dim > 0:
                    spec.Add(r.Next(2) == 0 ? r.Next(dim) : -1 - r.Next(dim));
                    break;
                case 1:
                    spec.Add(new System.Range(r.Next(2) == 0 ? new Index(r.Next(dim + 2)) : new Index(r.Next(dim + 2), fromEnd: true),
                        r.Next(2) == 0 ? new Index(r.Next(dim + 2)) : new Index(r.Next(dim + 2), fromEnd: true)));
                    break;
                default:
                    int? Bound() => r.Next(3) == 0 ? null : r.Next(-dim - 2, dim + 3);
                    var step = r.Next(1, 4) * (r.Next(2) == 0 ? 1 : -1);
                    spec.Add(new SliceSpec(Bound(), Bound(), step));
                    break;
            }
        }
        if (ellipsisAt == real) spec.Add(tf.ellipsis);
        if (r.Next(6) == 0) spec.Add(tf.newaxis);
        return [.. spec];
    }

    [Fact]
    public void RandomSpecsMatchNumPy()
    {
        var r = new System.Random(7);
        for (var n = 0; n < 300; n++)
        {
            var dims = Enumerable.Range(0, r.Next(1, 5)).Select(_ => r.Next(0, 5)).ToArray();
            var spec = RandomSpec(r, dims);
            var label = $"shape [{string.Join(",", dims)}], x[{string.Join(", ", spec.Select(s => s is SliceSpec sp ? $"{sp.start?.Value}:{sp.stop?.Value}:{sp.step?.Value}" : s.ToString()))}]";
            var count = dims.Aggregate(1, (a, b) => a * b);
            var values = Enumerable.Range(0, count).Select(i => (double)i).ToArray();
            var (expected, shape) = SliceReference.Apply(values, dims, spec);
            using var g = TestGraph.Enter();
            var x = tf.constant(NDArray.FromFlat(values, new Shape(dims)));
            var y = x[spec];
            Assert.True(new Shape(shape) == y.shape, $"{label}: inferred {y.shape}, NumPy {new Shape(shape)}");
            AssertArray.Close(NDArray.FromFlat(expected, new Shape(shape)), g.Eval(y), 0, label);
            var p = tf.placeholder(tf.float64, Shape.UnknownDims(dims.Length));
            var yp = p[spec];
            Assert.True(yp.shape.IsCompatibleWith(new Shape(shape)), $"{label}: inferred {yp.shape} from unknown dimensions, NumPy {new Shape(shape)}");
            var fed = g.Eval(yp, new FeedDict { [p] = NDArray.FromFlat(values, new Shape(dims)) });
            AssertArray.Close(NDArray.FromFlat(expected, new Shape(shape)), fed, 0, label);
        }
    }
}
