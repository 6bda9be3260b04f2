using System.Text.Json;

namespace SharpFlow.Tests.Ops.ArrayOps;

/// <summary>
/// The slicing and array ops against TensorFlow.js (its CPU backend runs TensorFlow's semantics), from
/// Golden/tfjs_Array.json written by tools/golden/generate-tfjs-Array.mjs: outputs and gradients.
/// </summary>
public class GoldenArrayOpTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(() =>
        Golden.Load("tfjs_Array.json").RootElement.GetProperty("cases").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.Clone()));

    public static TheoryData<string> CaseNames() => [.. Cases.Value.Keys];

    [Fact]
    public void GoldenFileCoversEveryOp()
    {
        var ops = Cases.Value.Values.Select(c => c.GetProperty("op").GetString()).ToHashSet();
        foreach (var op in new[] { "strided_slice", "stack", "unstack", "split", "tile", "reverse", "gather_nd", "scatter_nd", "space_to_batch_nd", "batch_to_space_nd", "depth_to_space", "grad" })
            Assert.Contains(op, ops);
    }

    [Theory, MemberData(nameof(CaseNames))]
    public void MatchesTensorFlowJs(string name)
    {
        var c = Cases.Value[name];
        using var g = TestGraph.Enter();
        var inputs = c.GetProperty("inputs").EnumerateArray().Select(Golden.Array).Select(a => tf.constant(a)).ToArray();
        var attrs = c.GetProperty("attrs");
        var op = c.GetProperty("op").GetString()!;
        Tensor output;
        if (op == "grad")
        {
            var of = attrs.GetProperty("of").GetString()!;
            var xs = inputs[..^1];
            var y = Build(of, xs, attrs);
            output = tf.gradients(y, xs[attrs.GetProperty("wrt").GetInt32()], grad_ys: inputs[^1])[0]!;
        }
        else output = Build(op, inputs, attrs);
        // Only data moves (and gradients sum a few float32 values): the results are exact or nearly so.
        AssertArray.Close(Golden.Array(c.GetProperty("expected")), g.Eval(output), op == "grad" ? 1e-6 : 0, name);
    }

    private static Tensor Build(string op, Tensor[] x, JsonElement attrs)
    {
        int[] Ints(string key) => attrs.GetProperty(key).EnumerateArray().Select(v => v.GetInt32()).ToArray();
        int Int(string key) => attrs.GetProperty(key).GetInt32();
        int[,] Pairs(string key)
        {
            var rows = attrs.GetProperty(key).EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
            var m = new int[rows.Length, 2];
            for (var i = 0; i < rows.Length; i++) (m[i, 0], m[i, 1]) = (rows[i][0], rows[i][1]);
            return m;
        }
        Tensor Indices() => tf.constant(Ints("indices"), shape: new Shape(Ints("indices_shape")));

        return op switch
        {
            "strided_slice" => tf.strided_slice(x[0], Ints("begin"), Ints("end"), Ints("strides"), Int("begin_mask"), Int("end_mask"),
                Int("ellipsis_mask"), Int("new_axis_mask"), Int("shrink_axis_mask")),
            "stack" => tf.stack(x, Int("axis")),
            "unstack" => tf.unstack(x[0], axis: Int("axis"))[Int("piece")],
            "split" => (attrs.GetProperty("splits").ValueKind == JsonValueKind.Number
                ? tf.split(x[0], Int("splits"), Int("axis"))
                : tf.split(x[0], Ints("splits"), Int("axis")))[Int("piece")],
            "tile" => tf.tile(x[0], Ints("multiples")),
            "reverse" => tf.reverse(x[0], Ints("axis")),
            "gather_nd" => tf.gather_nd(x[0], Indices()),
            "scatter_nd" => tf.scatter_nd(Indices(), x[0], Ints("shape")),
            "space_to_batch_nd" => tf.space_to_batch_nd(x[0], Ints("block_shape"), Pairs("paddings")),
            "batch_to_space_nd" => tf.batch_to_space_nd(x[0], Ints("block_shape"), Pairs("crops")),
            "depth_to_space" => tf.depth_to_space(x[0], Int("block_size")),
            _ => throw new ArgumentException($"no builder for {op}"),
        };
    }
}
