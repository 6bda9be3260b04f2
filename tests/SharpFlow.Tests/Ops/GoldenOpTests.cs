using System.Text.Json;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Ops;

/// <summary>
/// Every op's forward pass against TensorFlow.js (its CPU backend implements TensorFlow's op semantics), from
/// Golden/tfjs_ops.json written by tools/golden/generate-tfjs.mjs.
/// </summary>
public class GoldenOpTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(() =>
        Golden.Load("tfjs_ops.json").RootElement.GetProperty("cases").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.Clone()));

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Cases.Value.Keys) data.Add(name);
        return data;
    }

    [Fact]
    public void GoldenFileCoversManyCases() => Assert.True(Cases.Value.Count > 150, $"only {Cases.Value.Count} cases");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesTensorFlowJs(string name)
    {
        var c = Cases.Value[name];
        using var g = TestGraph.Enter();
        var inputs = c.GetProperty("inputs").EnumerateArray().Select(Golden.Array).Select(a => tf.constant(a)).ToArray();
        var attrs = c.GetProperty("attrs");
        var op = c.GetProperty("op").GetString()!;
        var output = Build(op, inputs, attrs);
        var expected = Golden.Array(c.GetProperty("expected"));
        var actual = g.Eval(output);

        // TensorFlow's argmax is int64; TensorFlow.js returns int32 with the same values.
        if (op is "argmax" or "argmin") actual = actual.Cast(DType.int32);
        var tolerance = op switch
        {
            "exp" or "log" or "pow" or "sqrt" or "softplus" or "sigmoid" or "tanh" or "log1p" or "softmax" or "log_softmax" => 2e-6,
            // Gradients compose several float32 ops, whose rounding TensorFlow.js and SharpFlow order differently.
            "grad" => 2e-5,
            "cumsum" => 1e-6,
            // TensorFlow.js squares the difference in doubles and rounds once; TensorFlow (and SharpFlow) round twice.
            "squared_difference" => 1e-6,
            "matmul" or "sum" or "mean" or "prod" or "conv2d" or "depthwise_conv2d" or "avg_pool" => 2e-5,
            // TensorFlow.js accumulates start + step + step ... in doubles; TensorFlow's kernel computes start + step * i
            // in float, which SharpFlow follows: the two differ in the last bit.
            "linspace" => 3e-7,
            _ => 0,
        };
        AssertArray.Close(expected, actual, tolerance, name);
    }

    private static Tensor Build(string op, Tensor[] x, JsonElement attrs)
    {
        TensorLike? Axis()
        {
            var a = attrs.GetProperty("axis");
            return a.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.Array => a.EnumerateArray().Select(v => v.GetInt32()).ToArray(),
                _ => a.GetInt32(),
            };
        }
        bool Keep() => attrs.GetProperty("keepdims").GetBoolean();
        double Num(string key) => attrs.GetProperty(key).GetDouble();
        int[] Ints(string key) => attrs.GetProperty(key).EnumerateArray().Select(v => v.GetInt32()).ToArray();

        return op switch
        {
            "add" => tf.add(x[0], x[1]),
            "sub" => tf.subtract(x[0], x[1]),
            "mul" => tf.multiply(x[0], x[1]),
            "div" => tf.divide(x[0], x[1]),
            "floordiv" => tf.floordiv(x[0], x[1]),
            "mod" => tf.floormod(x[0], x[1]),
            "pow" => tf.pow(x[0], x[1]),
            "maximum" => tf.maximum(x[0], x[1]),
            "minimum" => tf.minimum(x[0], x[1]),
            "equal" => tf.equal(x[0], x[1]),
            "not_equal" => tf.not_equal(x[0], x[1]),
            "less" => tf.less(x[0], x[1]),
            "less_equal" => tf.less_equal(x[0], x[1]),
            "greater" => tf.greater(x[0], x[1]),
            "greater_equal" => tf.greater_equal(x[0], x[1]),
            "logical_and" => tf.logical_and(x[0], x[1]),
            "logical_or" => tf.logical_or(x[0], x[1]),
            "logical_not" => tf.logical_not(x[0]),
            "neg" => tf.negative(x[0]),
            "abs" => tf.abs(x[0]),
            "square" => tf.square(x[0]),
            "sqrt" => tf.sqrt(x[0]),
            "exp" => tf.exp(x[0]),
            "log" => tf.log(x[0]),
            "matmul" => tf.matmul(x[0], x[1], attrs.GetProperty("transpose_a").GetBoolean(), attrs.GetProperty("transpose_b").GetBoolean()),
            "sum" => tf.reduce_sum(x[0], Axis(), Keep()),
            "mean" => tf.reduce_mean(x[0], Axis(), Keep()),
            "max" => tf.reduce_max(x[0], Axis(), Keep()),
            "min" => tf.reduce_min(x[0], Axis(), Keep()),
            "prod" => tf.reduce_prod(x[0], Axis(), Keep()),
            "argmax" => tf.argmax(x[0], Axis()),
            "argmin" => tf.argmin(x[0], Axis()),
            "reshape" => tf.reshape(x[0], Ints("shape")),
            "transpose" => attrs.GetProperty("perm").ValueKind == JsonValueKind.Null ? tf.transpose(x[0]) : tf.transpose(x[0], Ints("perm")),
            "concat" => tf.concat(x, attrs.GetProperty("axis").GetInt32()),
            "one_hot" => tf.one_hot(x[0], attrs.GetProperty("depth").GetInt32(), Num("on_value"), Num("off_value")),
            "select" => tf.where(x[0].shape.ndims == 1 ? x[0] : x[0], x[1], x[2]),
            "zeros_like" => tf.zeros_like(x[0], optimize: false),
            "ones_like" => tf.ones_like(x[0], optimize: false),
            "cast" => tf.cast(x[0], DType.Parse(attrs.GetProperty("dtype").GetString()!)),
            "range" => Range(attrs),
            "linspace" => tf.linspace(Num("start"), Num("stop"), attrs.GetProperty("num").GetInt32()),
            "fill" => tf.fill(Ints("dims"), (float)Num("value")),
            "relu" => tf.nn.relu(x[0]),
            "relu6" => tf.nn.relu6(x[0]),
            "softplus" => tf.nn.softplus(x[0]),
            "sigmoid" => tf.sigmoid(x[0]),
            "tanh" => tf.tanh(x[0]),
            "sign" => tf.sign(x[0]),
            "log1p" => tf.log1p(x[0]),
            "floor" => tf.floor(x[0]),
            "squared_difference" => tf.squared_difference(x[0], x[1]),
            "softmax" => tf.nn.softmax(x[0]),
            "log_softmax" => tf.nn.log_softmax(x[0]),
            "slice" => tf.slice(x[0], Ints("begin"), Ints("size")),
            "gather" => tf.gather(x[0], NDArray.FromFlat(Ints("indices"), new Shape(Ints("indices_shape"))), attrs.GetProperty("axis").GetInt32()),
            "unsorted_segment_sum" => tf.unsorted_segment_sum(x[0], Ints("segment_ids"), attrs.GetProperty("num_segments").GetInt32()),
            "pad" => tf.pad(x[0], Paddings(attrs)),
            "broadcast_to" => tf.broadcast_to(x[0], Ints("shape")),
            "cumsum" => tf.cumsum(x[0], attrs.GetProperty("axis").GetInt32(), attrs.GetProperty("exclusive").GetBoolean(), attrs.GetProperty("reverse").GetBoolean()),
            "conv2d" => tf.nn.conv2d(x[0], x[1], Ints("strides"), attrs.GetProperty("padding").GetString()!, Ints("dilations")),
            "depthwise_conv2d" => tf.nn.depthwise_conv2d(x[0], x[1], Ints("strides"), attrs.GetProperty("padding").GetString()!, Ints("dilations")[1..3]),
            "max_pool" => tf.nn.max_pool(x[0], Ints("ksize"), Ints("strides"), attrs.GetProperty("padding").GetString()!),
            "avg_pool" => tf.nn.avg_pool(x[0], Ints("ksize"), Ints("strides"), attrs.GetProperty("padding").GetString()!),
            // The gradient of op "of" with respect to input "wrt", seeded with dy (the last input).
            "grad" => tf.gradients(Build(attrs.GetProperty("of").GetString()!, x[..^1], attrs), x[attrs.GetProperty("wrt").GetInt32()], grad_ys: x[^1])[0]!,
            _ => throw new InvalidOperationException($"No builder for golden op '{op}'."),
        };
    }

    private static int[,] Paddings(JsonElement attrs)
    {
        var rows = attrs.GetProperty("paddings").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
        var result = new int[rows.Length, 2];
        for (var i = 0; i < rows.Length; i++) (result[i, 0], result[i, 1]) = (rows[i][0], rows[i][1]);
        return result;
    }

    private static Tensor Range(JsonElement attrs)
    {
        var (s, l, d) = (attrs.GetProperty("start").GetDouble(), attrs.GetProperty("limit").GetDouble(), attrs.GetProperty("delta").GetDouble());
        if (s == Math.Floor(s) && d == Math.Floor(d) && l == Math.Floor(l)) return tf.range((int)s, (int)l, (int)d);
        return tf.range(s, l, d);
    }
}
