using System.Globalization;
using System.Text.Json;

namespace SharpFlow.Tests.Ops.MathOps;

/// <summary>
/// The math and activation ops against TensorFlow.js (its CPU backend implements TensorFlow's op semantics), from
/// Golden/tfjs_Math.json written by tools/golden/generate-tfjs-Math.mjs.
/// </summary>
public class GoldenMathTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(() =>
        Golden.Load("tfjs_Math.json").RootElement.GetProperty("cases").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.Clone()));

    public static TheoryData<string> CaseNames() => [.. Cases.Value.Keys];

    [Fact]
    public void GoldenFileCoversEveryOp() => Assert.True(Cases.Value.Values.Select(c => c.GetProperty("op").GetString()).Distinct().Count() >= 29);

    /// <summary>An NDArray from <c>{dtype, shape, values}</c>, reading "NaN" and "±Infinity" strings.</summary>
    private static NDArray Array(JsonElement e)
    {
        var dtype = DType.Parse(e.GetProperty("dtype").GetString()!);
        var shape = new Shape(e.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray());
        var values = e.GetProperty("values").EnumerateArray()
            .Select(v => v.ValueKind == JsonValueKind.String ? double.Parse(v.GetString()!, CultureInfo.InvariantCulture) : v.GetDouble()).ToArray();
        return NDArray.FromFlat(values, shape).Cast(dtype);
    }

    [Theory, MemberData(nameof(CaseNames))]
    public void MatchesTensorFlowJs(string name)
    {
        var c = Cases.Value[name];
        using var g = TestGraph.Enter();
        var x = c.GetProperty("inputs").EnumerateArray().Select(Array).Select(a => tf.constant(a)).ToArray();
        var attrs = c.GetProperty("attrs");
        var op = c.GetProperty("op").GetString()!;
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
        int Int(string key) => attrs.GetProperty(key).GetInt32();
        bool Flag(string key) => attrs.GetProperty(key).GetBoolean();
        var output = op switch
        {
            "sin" => tf.sin(x[0]), "cos" => tf.cos(x[0]), "tan" => tf.tan(x[0]), "asin" => tf.asin(x[0]), "acos" => tf.acos(x[0]),
            "atan" => tf.atan(x[0]), "sinh" => tf.sinh(x[0]), "cosh" => tf.cosh(x[0]), "rsqrt" => tf.rsqrt(x[0]),
            "reciprocal" => tf.reciprocal(x[0]), "ceil" => tf.ceil(x[0]), "round" => tf.round(x[0]), "erf" => tf.erf(x[0]),
            "expm1" => tf.expm1(x[0]), "elu" => tf.nn.elu(x[0]), "selu" => tf.nn.selu(x[0]),
            "is_nan" => tf.is_nan(x[0]), "is_inf" => tf.is_inf(x[0]), "is_finite" => tf.is_finite(x[0]),
            "leaky_relu" => tf.nn.leaky_relu(x[0], attrs.GetProperty("alpha").GetDouble()),
            "atan2" => tf.atan2(x[0], x[1]),
            "any" => tf.reduce_any(x[0], Axis(), Keep()), "all" => tf.reduce_all(x[0], Axis(), Keep()),
            "logsumexp" => tf.reduce_logsumexp(x[0], Axis(), Keep()),
            "topk_values" => tf.nn.top_k(x[0], Int("k")).values, "topk_indices" => tf.nn.top_k(x[0], Int("k")).indices,
            "matmul" => tf.matmul(x[0], x[1], transpose_a: Flag("transpose_a"), transpose_b: Flag("transpose_b")),
            "band_part" => tf.linalg.band_part(x[0], Int("num_lower"), Int("num_upper")),
            "einsum" => tf.einsum(attrs.GetProperty("equation").GetString()!, [.. x.Select(t => (TensorLike)t)]),
            _ => throw new InvalidOperationException($"unknown op {op}"),
        };
        var expected = Array(c.GetProperty("expected"));
        var actual = g.Eval(output);
        var tolerance = op switch
        {
            // TensorFlow.js computes these in float64 and rounds once; SharpFlow's float32 kernels may differ in the last bit.
            "sin" or "cos" or "tan" or "asin" or "acos" or "atan" or "sinh" or "cosh" or "rsqrt" or "expm1" or "elu" or "selu" or "atan2" => 3e-7,
            // TensorFlow.js approximates erf (Abramowitz and Stegun 7.1.26, error under 1.5e-7).
            "erf" => 4e-7,
            "logsumexp" => 2e-6,
            // TensorFlow keeps alpha as a float attribute and multiplies in float32; TensorFlow.js multiplies by the double alpha.
            "leaky_relu" => 1.2e-7,
            "matmul" or "einsum" => 2e-5,
            _ => 0,
        };
        AssertArray.Close(expected, actual, tolerance, name);
    }
}
