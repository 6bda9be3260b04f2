using System.Text.Json;

namespace SharpFlow.Tests.Ops.Image;

/// <summary>
/// resize_bilinear, resize_nearest_neighbor (legacy, align_corners, half-pixel centers), flip_left_right,
/// rgb_to_grayscale, crop_and_resize and non_max_suppression against TensorFlow.js (its CPU backend implements
/// TensorFlow's semantics), from Golden/tfjs_Images.json written by tools/golden/generate-tfjs-Images.mjs.
/// </summary>
public class GoldenImageTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(() =>
        Golden.Load("tfjs_Images.json").RootElement.GetProperty("cases").EnumerateArray()
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
        Assert.Equal(new HashSet<string?> { "resize_bilinear", "resize_nearest_neighbor", "flip_left_right", "rgb_to_grayscale", "crop_and_resize", "non_max_suppression" }, ops);
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
            case "resize_bilinear":
                AssertArray.Close(expected[0], g.Eval(tf.image.resize_bilinear(x[0], Ints(attrs.GetProperty("size")), attrs.GetProperty("align_corners").GetBoolean(),
                    attrs.GetProperty("half_pixel_centers").GetBoolean())), 1e-5, name);
                break;
            case "resize_nearest_neighbor":
                AssertArray.Close(expected[0], g.Eval(tf.image.resize_nearest_neighbor(x[0], Ints(attrs.GetProperty("size")), attrs.GetProperty("align_corners").GetBoolean(),
                    attrs.GetProperty("half_pixel_centers").GetBoolean())), 0, name);
                break;
            case "flip_left_right":
                AssertArray.Close(expected[0], g.Eval(tf.image.flip_left_right(x[0])), 0, name);
                break;
            case "rgb_to_grayscale":
                AssertArray.Close(expected[0], g.Eval(tf.image.rgb_to_grayscale(x[0])), 1e-6, name);
                break;
            case "crop_and_resize":
                AssertArray.Close(expected[0], g.Eval(tf.image.crop_and_resize(x[0], x[1], x[2], Ints(attrs.GetProperty("crop_size")), attrs.GetProperty("method").GetString()!,
                    (float)attrs.GetProperty("extrapolation_value").GetDouble())), 1e-5, name);
                break;
            case "non_max_suppression":
                AssertArray.Close(expected[0], g.Eval(tf.image.non_max_suppression(x[0], x[1], attrs.GetProperty("max_output_size").GetInt32(),
                    (float)attrs.GetProperty("iou_threshold").GetDouble(), (float)attrs.GetProperty("score_threshold").GetDouble())), 0, name);
                break;
            default:
                throw new InvalidOperationException($"no check for op of case {name}");
        }
    }
}
