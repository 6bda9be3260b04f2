using System.Globalization;
using System.Text.Json;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Framework;

/// <summary>NDArray.ToString against NumPy's str() (Golden/numpy_format.json, tools/golden/generate-numpy-format.py).</summary>
public class NDArrayFormatTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(() =>
        Golden.Load("numpy_format.json").RootElement.GetProperty("cases").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.Clone()));

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Cases.Value.Keys) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void PrintsLikeNumPy(string name)
    {
        var c = Cases.Value[name];
        var dtype = c.GetProperty("dtype").GetString()!;
        var shape = new Shape(c.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray());
        var values = c.GetProperty("values").EnumerateArray().ToList();
        NDArray array = dtype switch
        {
            "float32" => NDArray.FromFlat(values.Select(v => BitConverter.Int32BitsToSingle(BitConverter.ToInt32(Convert.FromHexString(v.GetString()!)))).ToArray(), shape),
            "float64" => NDArray.FromFlat(values.Select(v => BitConverter.Int64BitsToDouble(BitConverter.ToInt64(Convert.FromHexString(v.GetString()!)))).ToArray(), shape),
            "bool" => NDArray.FromFlat(values.Select(v => v.GetBoolean()).ToArray(), shape),
            "int32" => NDArray.FromFlat(values.Select(v => v.GetInt32()).ToArray(), shape),
            "int64" => NDArray.FromFlat(values.Select(v => v.GetInt64()).ToArray(), shape),
            "uint8" => NDArray.FromFlat(values.Select(v => (byte)v.GetInt32()).ToArray(), shape),
            _ => throw new InvalidOperationException(dtype),
        };
        Assert.Equal(c.GetProperty("str").GetString(), array.ToString());
    }

    [Fact]
    public void ReprNamesTheDtypeLikeNumPy()
    {
        Assert.Equal("array([3, 5], dtype=int32)", NDArray.FromFlat(new[] { 3, 5 }, new Shape(2)).Repr());
        Assert.Equal("array([1., 2.], dtype=float32)", NDArray.FromFlat(new[] { 1f, 2f }, new Shape(2)).Repr());
        Assert.Equal("array([1., 2.])", NDArray.FromFlat(new[] { 1.0, 2.0 }, new Shape(2)).Repr());
        Assert.Equal("array([ True])", NDArray.FromFlat(new[] { true }, new Shape(1)).Repr());
        Assert.Equal("array(3., dtype=float32)", NDArray.Scalar(3f).Repr());
        _ = CultureInfo.InvariantCulture;
    }
}
