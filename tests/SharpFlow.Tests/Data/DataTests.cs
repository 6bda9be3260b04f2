using System.IO.Compression;
using SharpFlow.Data;

namespace SharpFlow.Tests.Data;

[Trait("FreshMachine", "true")] // .ci/run runs these again with the data hidden and no MPI library
public class DataTests
{
    [Fact]
    public void EmbeddedSampleLoads()
    {
        var data = FashionMnist.read_sample(one_hot: true, validation_size: 500, seed: 1);
        Assert.True(data.IsSample);
        Assert.Equal(1500, data.train.num_examples);
        Assert.Equal(500, data.test.num_examples);
        Assert.Equal(new Shape(data.train.num_examples, 784), data.train.images.shape);
        Assert.Equal(new Shape(data.test.num_examples, 10), data.test.labels.shape);
        Assert.Equal(500, data.validation.num_examples);
        var pixels = data.train.images.ToArray<float>();
        Assert.All(pixels, p => Assert.InRange(p, 0f, 1f));
        Assert.All(Enumerable.Range(0, 20), r => Assert.Equal(1f, data.train.labels[r..(r + 1)].ToArray<float>().Sum()));
    }

    [Fact]
    public void WithoutTheFullDataSetTensorFlowsDefaultValidationSizeIsScaledToTheSample()
    {
        var said = new List<string>();
        var data = FashionMnist.ReadSampleInsteadOfFull(one_hot: false, validation_size: 5000, seed: 1, said.Add);
        Assert.True(data.IsSample);
        Assert.Equal(167, data.validation.num_examples); // 5000 of 60000 is 1/12: 167 of the sample's 2000
        Assert.Equal(1833, data.train.num_examples);
        Assert.Equal(500, data.test.num_examples);
        Assert.Contains("validation_size 5000 of 60000 scaled to 167 of 2000", Assert.Single(said));
        Assert.Equal(0, FashionMnist.ReadSampleInsteadOfFull(false, 0, 1, said.Add).validation.num_examples);
        Assert.Equal(2000, FashionMnist.ReadSampleInsteadOfFull(false, 60000, 1, said.Add).validation.num_examples);
        var e = Assert.Throws<ValueError>(() => FashionMnist.ReadSampleInsteadOfFull(false, 60001, 1, said.Add));
        Assert.Equal("Validation size should be between 0 and 60000. Received: 60001.", e.Message);
    }

    [Fact]
    public void TheEmbeddedValueOfTheDataVariableHidesTheInstalledDataSet()
    {
        var dir = Directory.CreateTempSubdirectory("sharpflow-fmnist-").FullName;
        try
        {
            foreach (var name in new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
                File.WriteAllBytes(Path.Combine(dir, name + ".gz"), []);
            Assert.Equal(dir, FashionMnist.FindIn(null, null, dir));
            Assert.Equal(dir, FashionMnist.FindIn(null, dir, "/nonexistent"));
            Assert.Null(FashionMnist.FindIn(null, "embedded", dir));
            Assert.Null(FashionMnist.FindIn(null, null, Path.Combine(dir, "missing")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void FullDataSetWhenInstalled()
    {
        var dir = FashionMnist.FindDirectory();
        if (dir is null) return; // CI installs dataset-fashion-mnist; this checks it is read whole.
        var data = FashionMnist.read_data_sets(dir, validation_size: 5000);
        Assert.Equal(55000, data.train.num_examples);
        Assert.Equal(5000, data.validation.num_examples);
        Assert.Equal(10000, data.test.num_examples);
        Assert.False(data.IsSample);
    }

    [Fact]
    public void NextBatchVisitsEveryExampleOncePerEpochAndIsSeeded()
    {
        var images = NDArray.FromFlat(Enumerable.Range(0, 10).Select(i => (float)i).ToArray(), new Shape(10, 1));
        var labels = NDArray.FromFlat(Enumerable.Range(0, 10).ToArray(), new Shape(10));
        var a = new DataSet(images, labels, seed: 7);
        var b = new DataSet(images, labels, seed: 7);
        var seen = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            var (x, y) = a.next_batch(4);
            var (x2, _) = b.next_batch(4);
            Assert.True(x.ValueEquals(x2));
            Assert.Equal(x.ToArray<float>().Select(v => (int)v), y.ToArray<int>());
            seen.AddRange(y.ToArray<int>());
        }
        // As TensorFlow's DataSet, an epoch counts as completed when a batch reaches past its end.
        Assert.Equal(1, a.epochs_completed);
        a.next_batch(1);
        Assert.Equal(2, a.epochs_completed);
        Assert.Equal(Enumerable.Range(0, 10), seen.Take(10).Order());
        Assert.Equal(Enumerable.Range(0, 10), seen.Skip(10).Take(10).Order());
        // Full batch and SGD.
        Assert.Equal(10, a.Batches(10).Single().images.shape[0]);
        Assert.Equal(10, a.Batches(1).Count());
        Assert.Throws<ValueError>(() => a.next_batch(11));
    }

    [Fact]
    public void ImagesKeptAsBytesReadAsTheFloatsConvertedWhole()
    {
        var random = new Random(3);
        var raw = new byte[12 * 5];
        random.NextBytes(raw);
        raw[0] = 0;
        raw[1] = 255;
        var floats = raw.Select(b => b * (1f / 255f)).ToArray();
        var labels = NDArray.FromFlat(Enumerable.Range(0, 12).ToArray(), new Shape(12));
        var kept = new DataSet(NDArray.FromFlat(raw, new Shape(12, 5)), 1f / 255f, labels, seed: 5);
        var whole = new DataSet(NDArray.FromFlat(floats, new Shape(12, 5)), labels, seed: 5);
        for (var i = 0; i < 7; i++)
        {
            var (a, ya) = kept.next_batch(5);
            var (b, yb) = whole.next_batch(5);
            Assert.Equal(DType.float32, a.dtype);
            Assert.Equal(b.ToArray<float>(), a.ToArray<float>()); // bitwise: the same float product per pixel
            Assert.Equal(yb.ToArray<int>(), ya.ToArray<int>());
        }
        Assert.Equal(whole.epochs_completed, kept.epochs_completed);
        Assert.Equal(whole.Batches(5, shuffle: false).Select(p => p.images.ToArray<float>()), kept.Batches(5, shuffle: false).Select(p => p.images.ToArray<float>()));

        // Split keeps the bytes of each part; images converts them all once and keeps them.
        var (rest, first) = kept.Split(4, seed: 1);
        Assert.Equal(raw[..20], first.ImageBytes!.ToArray<byte>());
        Assert.Equal(raw[20..], rest.ImageBytes!.ToArray<byte>());
        Assert.Equal(floats[20..], rest.images.ToArray<float>());
        Assert.Same(rest.images, rest.images);
        Assert.Equal(new Shape(8, 5), rest.images.shape);
        Assert.Equal(floats[20..25], rest.Split(1).first.images.ToArray<float>()); // a part of converted images stays floats

        var e = Assert.Throws<ValueError>(() => new DataSet(NDArray.FromFlat(floats, new Shape(12, 5)), 1f / 255f, labels));
        Assert.Equal("scaled images must be stored as uint8, got float32", e.Message);
        e = Assert.Throws<ValueError>(() => new DataSet(NDArray.FromFlat(raw, new Shape(12, 5)), 1f / 255f, labels[..3]));
        Assert.StartsWith("images and labels must have the same number of examples", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MnistFilesKeepTheirBytesAndUint8ReturnsThem()
    {
        var data = FashionMnist.read_sample(validation_size: 200, seed: 1);
        Assert.NotNull(data.train.ImageBytes);
        Assert.NotNull(data.test.ImageBytes);
        var bytes = data.train.ImageBytes!.ToArray<byte>();
        Assert.Equal(bytes.Select(b => b * (1f / 255f)), data.train.images.ToArray<float>());
        var raw = data.WithImageDType(DType.uint8, seed: 1);
        Assert.Equal(DType.uint8, raw.train.images.dtype);
        Assert.Equal(bytes, raw.train.images.ToArray<byte>());
    }

    [Fact]
    public void CorruptIdxFilesAreDataLossErrors()
    {
        var dir = Directory.CreateTempSubdirectory("sharpflow-idx");
        try
        {
            var bad = Path.Combine(dir.FullName, "bad.idx");
            File.WriteAllBytes(bad, [1, 2, 3, 4]);
            Assert.Contains("not an IDX file", Assert.Throws<DataLossError>(() => Idx.Read(bad)).Message);
            var truncated = Path.Combine(dir.FullName, "truncated.idx.gz");
            using (var f = File.Create(truncated))
            using (var gz = new GZipStream(f, CompressionLevel.Fastest))
                gz.Write([0, 0, 8, 1, 0, 0, 0, 5, 1, 2]);
            var e = Assert.Throws<DataLossError>(() => Idx.Read(truncated));
            Assert.Contains("truncated", e.Message);
            Assert.Contains("truncated.idx.gz", e.Message);
            Assert.Throws<NotFoundError>(() => Idx.Read(Path.Combine(dir.FullName, "missing")));
            var good = Path.Combine(dir.FullName, "good.idx");
            File.WriteAllBytes(good, [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 1, 7, 9]);
            Assert.Equal(new byte[] { 7, 9 }, Idx.Read(good).ToArray<byte>());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
