using System.IO.Compression;
using SharpFlow.Data;

namespace SharpFlow.Tests.Data;

/// <summary>
/// The MNIST-format loaders on small IDX files written here: gzipped or plain files, the directory order, and clear
/// errors naming the file for a missing, swapped, truncated or out-of-range file.
/// </summary>
public sealed class MnistFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-mnist-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Idx(int[] dims, Func<int, byte> value) => SharpFlow.Fuzz.FuzzTargets.IdxFile(dims, value);

    private void Write(string name, byte[] bytes, bool gzip)
    {
        if (!gzip)
        {
            File.WriteAllBytes(Path.Combine(_dir, name), bytes);
            return;
        }
        using var file = File.Create(Path.Combine(_dir, name + ".gz"));
        using var z = new GZipStream(file, CompressionLevel.Fastest);
        z.Write(bytes);
    }

    private void WriteSet(bool gzip, int train = 30, int test = 10)
    {
        Write("train-images-idx3-ubyte", Idx([train, 28, 28], i => (byte)(i % 251)), gzip);
        Write("train-labels-idx1-ubyte", Idx([train], i => (byte)(i % 10)), gzip);
        Write("t10k-images-idx3-ubyte", Idx([test, 28, 28], i => (byte)(i % 13)), gzip);
        Write("t10k-labels-idx1-ubyte", Idx([test], i => (byte)((i * 3) % 10)), gzip);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void MnistLoadsGzippedOrPlainFiles(bool gzip)
    {
        WriteSet(gzip);
        var data = Mnist.read_data_sets(_dir, validation_size: 5, seed: 1);
        Assert.Equal(25, data.train.num_examples);
        Assert.Equal(5, data.validation.num_examples);
        Assert.Equal(10, data.test.num_examples);
        Assert.Equal(_dir, data.source);
        Assert.False(data.IsSample);
        // Test images keep their order: pixel i of the file is i % 13, scaled to [0, 1].
        Assert.Equal(12 / 255f, data.test.images.ToArray<float>()[12], 1e-6);
        Assert.Equal(new[] { 0, 3, 6, 9, 2 }, data.test.labels.ToArray<int>()[..5]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ValidationIsTheTrainingFilesFirstExamplesAndTrainingTheRestInFileOrder(bool oneHot)
    {
        WriteSet(gzip: false, train: 30);
        var data = Mnist.read_data_sets(_dir, one_hot: oneHot, validation_size: 7, seed: 1);
        Assert.Equal(new Shape(7, 784), data.validation.images.shape);
        Assert.Equal(new Shape(23, 784), data.train.images.shape);
        // Pixel p of the training file is p % 251 (labels: example e is e % 10), each example scaled on its own.
        void Check(DataSet set, int first)
        {
            var pixels = set.images.ToArray<float>();
            for (var i = 0; i < pixels.Length; i++) Assert.Equal((float)((first * 784 + i) % 251) * (1f / 255f), pixels[i]);
            for (var e = 0; e < set.num_examples; e++)
                if (oneHot)
                {
                    var row = set.labels.ToArray<float>().AsSpan(e * 10, 10).ToArray();
                    Assert.Equal(1f, row[(first + e) % 10]);
                    Assert.Equal(1f, row.Sum());
                }
                else Assert.Equal((first + e) % 10, set.labels.ToArray<int>()[e]);
        }
        Check(data.validation, 0);
        Check(data.train, 7);
        Assert.Contains("Validation size should be between 0 and 30. Received: 31.",
            Assert.Throws<ValueError>(() => Mnist.read_data_sets(_dir, validation_size: 31)).Message);
    }

    [Fact]
    public void ImagesComeAsUint8WithTheFilesRawValuesWhenAsked()
    {
        WriteSet(gzip: false);
        var data = Mnist.read_data_sets(_dir, validation_size: 5, seed: 1, dtype: DType.uint8); // the book's TFRecord program
        Assert.Equal(DType.uint8, data.test.images.dtype);
        Assert.Equal(new Shape(10, 784), data.test.images.shape);
        var raw = data.test.images.ToArray<byte>();
        for (var i = 0; i < raw.Length; i++) Assert.Equal((byte)(i % 13), raw[i]);
        Assert.Equal(DType.uint8, data.train.next_batch(4).images.dtype);
        Assert.Equal(DType.float32, FashionMnist.read_data_sets(_dir, validation_size: 5, dtype: DType.float32).train.images.dtype);
        var e = Assert.Throws<TypeError>(() => FashionMnist.read_data_sets(_dir, validation_size: 5, dtype: DType.int32));
        Assert.Equal("Invalid image dtype int32, expected uint8 or float32", e.Message);
    }

    [Fact]
    public void AnExplicitDirectoryWinsAndMustHoldTheFiles()
    {
        WriteSet(gzip: true);
        Assert.Equal(_dir, FashionMnist.FindDirectory(_dir));
        Assert.Equal(_dir, FashionMnist.read_data_sets(_dir, validation_size: 0).source);
        var empty = Path.Combine(_dir, "empty");
        Directory.CreateDirectory(empty);
        var e = Assert.Throws<NotFoundError>(() => FashionMnist.read_data_sets(empty));
        Assert.Contains(Path.Combine(empty, "train-images-idx3-ubyte"), e.Message);
        Assert.Contains("no such directory", Assert.Throws<NotFoundError>(() => Mnist.read_data_sets(Path.Combine(_dir, "missing"))).Message);
    }

    [Fact]
    public void SwappedTruncatedAndOutOfRangeFilesAreDataLossErrorsNamingTheFile()
    {
        WriteSet(gzip: false);
        var labels = Path.Combine(_dir, "train-labels-idx1-ubyte");
        var images = Path.Combine(_dir, "train-images-idx3-ubyte");

        // Labels where images belong: the image file has magic 2049, not 2051.
        File.Copy(labels, images, overwrite: true);
        var swapped = Assert.Throws<DataLossError>(() => Mnist.read_data_sets(_dir, validation_size: 0));
        Assert.Contains(images, swapped.Message);
        Assert.Contains("2051", swapped.Message);

        WriteSet(gzip: false);
        var bytes = File.ReadAllBytes(images);
        File.WriteAllBytes(images, bytes[..(bytes.Length - 100)]);
        var truncated = Assert.Throws<DataLossError>(() => Mnist.read_data_sets(_dir, validation_size: 0));
        Assert.Contains(images, truncated.Message);

        WriteSet(gzip: false);
        var badLabels = File.ReadAllBytes(labels);
        badLabels[^1] = 12;
        File.WriteAllBytes(labels, badLabels);
        var range = Assert.Throws<DataLossError>(() => Mnist.read_data_sets(_dir, validation_size: 0));
        Assert.Contains(labels, range.Message);
        Assert.Contains("12", range.Message);

        WriteSet(gzip: false, train: 30);
        Write("train-labels-idx1-ubyte", Idx([29], i => 1), gzip: false);
        Assert.Contains("29 labels for 30 images", Assert.Throws<DataLossError>(() => Mnist.read_data_sets(_dir, validation_size: 0)).Message);
    }
}
