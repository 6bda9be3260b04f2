using System.Buffers.Binary;
using System.Text;
using SharpFlow.Train;

namespace SharpFlow.Tests.Train;

/// <summary>The safetensors reader and writer: the published layout, round trips, and corrupt files refused with the file and tensor named.</summary>
public sealed class SafeTensorsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-safetensors-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    [Fact]
    public void RoundTripsEveryDTypeAndTheMetadata()
    {
        var tensors = new Dictionary<string, NDArray>
        {
            ["layer1/weights"] = NDArray.FromFlat(new[] { 1.5f, -2f, 3.25f, 0f, 1e-30f, float.MaxValue }, new Shape(2, 3)),
            ["layer1/biases"] = NDArray.FromFlat(new[] { 0.1, 0.2 }, new Shape(2)),
            ["step"] = NDArray.FromFlat(new[] { 42L }, Shape.Scalar),
            ["ids"] = NDArray.FromFlat(new[] { 1, -2, 3 }, new Shape(3)),
            ["pixels"] = NDArray.FromFlat(new byte[] { 0, 255 }, new Shape(2)),
            ["mask"] = NDArray.FromFlat(new[] { true, false, true }, new Shape(3)),
            ["empty"] = NDArray.Zeros(DType.float32, new Shape(0, 4)),
        };
        var path = PathOf("model.safetensors");
        SafeTensors.Write(path, tensors, new Dictionary<string, string> { ["format"] = "sharpflow" });
        var (read, metadata) = SafeTensors.Read(path);
        Assert.Equal("sharpflow", metadata["format"]);
        Assert.Equal(tensors.Keys.Order(), read.Keys.Order());
        foreach (var (name, value) in tensors)
        {
            Assert.Equal(value.dtype, read[name].dtype);
            Assert.Equal(value.shape, read[name].shape);
            Assert.Equal(value.AsBytes().ToArray(), read[name].AsBytes().ToArray());
        }
        Assert.Single(Directory.GetFiles(_dir)); // no temporary file left behind
    }

    [Fact]
    public void WritesThePublishedLayout()
    {
        var path = PathOf("one.safetensors");
        SafeTensors.Write(path, new Dictionary<string, NDArray> { ["w"] = NDArray.FromFlat(new[] { 1f, 2f }, new Shape(2)) });
        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        var header = Encoding.UTF8.GetString(bytes, 8, headerLength).TrimEnd(' ');
        Assert.Equal("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", header);
        Assert.Equal(BitConverter.GetBytes(1f).Concat(BitConverter.GetBytes(2f)), bytes[(8 + headerLength)..]);
    }

    [Fact]
    public void ReadsAFileWrittenByAnotherTool()
    {
        // As the reference Python implementation writes it: unpadded header, tensors in offset order.
        var header = "{\"b\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[8,16]},\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}";
        var h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + 16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)h.Length);
        h.CopyTo(bytes, 8);
        BitConverter.GetBytes(2.5).CopyTo(bytes, 8 + h.Length);
        BitConverter.GetBytes(7L).CopyTo(bytes, 8 + h.Length + 8);
        var path = PathOf("other.safetensors");
        File.WriteAllBytes(path, bytes);
        var (tensors, _) = SafeTensors.Read(path);
        Assert.Equal(2.5, tensors["a"].ToArray<double>()[0]);
        Assert.Equal(7L, tensors["b"].ToArray<long>()[0]);
    }

    [Fact]
    public void CorruptFilesAreDataLossErrorsNamingFileAndTensor()
    {
        var path = PathOf("c.safetensors");
        SafeTensors.Write(path, new Dictionary<string, NDArray> { ["conv1/kernel"] = NDArray.Zeros(DType.float32, new Shape(5, 5, 1, 6)) });
        var good = File.ReadAllBytes(path);

        File.WriteAllBytes(path, good[..(good.Length - 4)]);
        var truncated = Assert.Throws<DataLossError>(() => SafeTensors.Read(path));
        Assert.Contains(path, truncated.Message);
        Assert.Contains("conv1/kernel", truncated.Message);

        File.WriteAllBytes(path, good[..5]);
        Assert.Contains("truncated", Assert.Throws<DataLossError>(() => SafeTensors.Read(path)).Message);

        var badLength = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(badLength, 1UL << 40);
        File.WriteAllBytes(path, badLength);
        Assert.Contains("header length", Assert.Throws<DataLossError>(() => SafeTensors.Read(path)).Message);

        var badJson = (byte[])good.Clone();
        badJson[8] = (byte)'[';
        File.WriteAllBytes(path, badJson);
        Assert.Contains(path, Assert.Throws<DataLossError>(() => SafeTensors.Read(path)).Message);

        var text = Encoding.UTF8.GetString(good);
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes(text.Replace("\"F32\"", "\"BF16\"")));
        Assert.Contains("BF16", Assert.Throws<DataLossError>(() => SafeTensors.Read(path)).Message);

        File.WriteAllBytes(path, good.Concat(new byte[4]).ToArray());
        Assert.Contains("belong to none", Assert.Throws<DataLossError>(() => SafeTensors.Read(path)).Message);

        Assert.Throws<NotFoundError>(() => SafeTensors.Read(PathOf("missing.safetensors")));
    }

    [Fact]
    public void AFailedWriteKeepsThePreviousFile()
    {
        var path = PathOf("keep.safetensors");
        SafeTensors.Write(path, new Dictionary<string, NDArray> { ["v"] = NDArray.FromFlat(new[] { 1f }, new Shape(1)) });
        Assert.Throws<ValueError>(() => SafeTensors.Write(path, new Dictionary<string, NDArray> { ["__metadata__"] = NDArray.FromFlat(new[] { 2f }, new Shape(1)) }));
        Assert.Equal(1f, SafeTensors.Read(path).Tensors["v"].ToArray<float>()[0]);
        Assert.Single(Directory.GetFiles(_dir));
    }

    private string WriteHeader(string header, int dataBytes)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)h.Length);
        h.CopyTo(bytes, 8);
        var path = PathOf("h.safetensors");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void HostileHeadersAreDataLossErrors()
    {
        // Sizes that overflow, a tensor listed twice: refused with the file and tensor named, nothing allocated.
        var huge = WriteHeader("{\"w\":{\"dtype\":\"F64\",\"shape\":[2147483647,2147483647,3],\"data_offsets\":[0,8]}}", 8);
        var e = Assert.Throws<DataLossError>(() => SafeTensors.Read(huge));
        Assert.Contains("'w'", e.Message);
        var twice = WriteHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8);
        Assert.Contains("listed twice", Assert.Throws<DataLossError>(() => SafeTensors.Read(twice)).Message);
        var negative = WriteHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4);
        Assert.Contains("negative", Assert.Throws<DataLossError>(() => SafeTensors.Read(negative)).Message);
    }

    [Fact]
    public void EmptyTensorsMayShareAnOffsetInAnyOrder()
    {
        var path = WriteHeader("{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}", 4);
        var (tensors, _) = SafeTensors.Read(path);
        Assert.Equal(new Shape(0), tensors["a"].shape);
        Assert.Equal(new Shape(1), tensors["b"].shape);
    }
}
