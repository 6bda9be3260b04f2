using System.Text.Json;

namespace SharpFlow.Tests.Ops.NN;

/// <summary>
/// conv1d, separable_conv2d, local_response_normalization, max_pool_with_argmax, conv3d, max_pool3d and avg_pool3d
/// against TensorFlow.js (its CPU
/// backend implements TensorFlow's semantics), from Golden/tfjs_NN.json written by tools/golden/generate-tfjs-NN.mjs.
/// </summary>
public class GoldenNNTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(() =>
        Golden.Load("tfjs_NN.json").RootElement.GetProperty("cases").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.Clone()));

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Cases.Value.Keys) data.Add(name);
        return data;
    }

    [Fact]
    public void EveryOpHasCases()
    {
        var ops = Cases.Value.Values.Select(c => c.GetProperty("op").GetString()).ToHashSet();
        Assert.Equal(new HashSet<string?> { "conv1d", "separable_conv2d", "lrn", "max_pool_with_argmax", "conv3d", "max_pool3d", "avg_pool3d" }, ops);
    }

    private static int[] Ints(JsonElement e) => [.. e.EnumerateArray().Select(v => v.GetInt32())];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesTensorFlowJs(string name)
    {
        var c = Cases.Value[name];
        using var g = TestGraph.Enter();
        var x = c.GetProperty("inputs").EnumerateArray().Select(Golden.Array).Select(a => tf.constant(a)).ToArray();
        var attrs = c.GetProperty("attrs");
        var expected = c.GetProperty("expected").EnumerateArray().Select(Golden.Array).ToArray();
        switch (c.GetProperty("op").GetString())
        {
            case "conv1d":
                {
                    var y = tf.nn.conv1d(x[0], x[1], attrs.GetProperty("stride").GetInt32(), attrs.GetProperty("padding").GetString()!,
                        dilations: attrs.GetProperty("dilation").GetInt32());
                    AssertArray.Close(expected[0], g.Eval(y), 2e-5, name);
                    break;
                }
            case "separable_conv2d":
                {
                    var y = tf.nn.separable_conv2d(x[0], x[1], x[2], Ints(attrs.GetProperty("strides")), attrs.GetProperty("padding").GetString()!,
                        Ints(attrs.GetProperty("rate")));
                    AssertArray.Close(expected[0], g.Eval(y), 5e-5, name);
                    break;
                }
            case "lrn":
                {
                    var y = tf.nn.local_response_normalization(x[0], attrs.GetProperty("depth_radius").GetInt32(), attrs.GetProperty("bias").GetDouble(),
                        attrs.GetProperty("alpha").GetDouble(), attrs.GetProperty("beta").GetDouble());
                    AssertArray.Close(expected[0], g.Eval(y), 2e-6, name);
                    break;
                }
            case "max_pool_with_argmax":
                {
                    var (output, argmax) = tf.nn.max_pool_with_argmax(x[0], Ints(attrs.GetProperty("ksize")), Ints(attrs.GetProperty("strides")),
                        attrs.GetProperty("padding").GetString()!, include_batch_in_index: attrs.GetProperty("include_batch_in_index").GetBoolean());
                    AssertArray.Close(expected[0], g.Eval(output), 0, name);
                    // TensorFlow's argmax is int64; TensorFlow.js returns int32 with the same values.
                    AssertArray.Close(expected[1], g.Eval(argmax).Cast(DType.int32), 0, name);
                    break;
                }
            case "conv3d":
                {
                    var y = tf.nn.conv3d(x[0], x[1], Ints(attrs.GetProperty("strides")), attrs.GetProperty("padding").GetString()!,
                        dilations: Ints(attrs.GetProperty("dilations")));
                    AssertArray.Close(expected[0], g.Eval(y), 5e-5, name);
                    break;
                }
            case "max_pool3d":
                {
                    var y = tf.nn.max_pool3d(x[0], Ints(attrs.GetProperty("ksize")), Ints(attrs.GetProperty("strides")), attrs.GetProperty("padding").GetString()!);
                    AssertArray.Close(expected[0], g.Eval(y), 0, name);
                    break;
                }
            case "avg_pool3d":
                {
                    var y = tf.nn.avg_pool3d(x[0], Ints(attrs.GetProperty("ksize")), Ints(attrs.GetProperty("strides")), attrs.GetProperty("padding").GetString()!);
                    AssertArray.Close(expected[0], g.Eval(y), 2e-6, name);
                    break;
                }
            default:
                throw new InvalidOperationException($"unknown op in {name}");
        }
    }
}
