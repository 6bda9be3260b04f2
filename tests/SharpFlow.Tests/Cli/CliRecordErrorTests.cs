using SharpFlow.FileIO;

namespace SharpFlow.Tests.Cli;

/// <summary>
/// <c>sharpflow train lenet5 --input tfrecord:DIR</c> on bad record directories: an empty directory, a record whose
/// CRC is damaged, and records of pictures of another size each exit with code 1 and a message that names the
/// directory or file at fault (never a crash or a stack trace).
/// </summary>
public sealed class CliRecordErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-record-errors-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int ExitCode, string Output) Train(string records) =>
        Run("train", "lenet5", "--input", $"tfrecord:{records}", "--epochs", "1", "--steps-per-epoch", "2", "--batch", "8", "--logdir", records + "-log");

    private static (int ExitCode, string Output) Run(params string[] args)
    {
        var (code, output, _) = ChildProcess.Run(ChildProcess.Sharpflow(args, new Dictionary<string, string>()));
        return (code, output);
    }

    private static Feature Int64s(params long[] v) => tf.train.Feature(int64_list: tf.train.Int64List(v));

    /// <summary>A train shard of <paramref name="count"/> pictures of h × w × 1 bytes, as `sharpflow records` writes them.</summary>
    private static string WriteShard(string directory, int count, int h, int w)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "train-00000-of-00001.tfrecord");
        using var writer = tf.python_io.TFRecordWriter(path);
        for (var i = 0; i < count; i++)
        {
            var features = new Dictionary<string, Feature>
            {
                ["image_raw"] = tf.train.Feature(bytes_list: tf.train.BytesList(new byte[h * w])),
                ["label"] = Int64s(i % 10),
                ["height"] = Int64s(h),
                ["width"] = Int64s(w),
                ["depth"] = Int64s(1),
            };
            writer.write(tf.train.Example(tf.train.Features(features)).SerializeToString());
        }
        return path;
    }

    [Fact]
    public void AnEmptyDirectorySaysHowToWriteRecords()
    {
        var empty = Path.Combine(_dir, "empty");
        Directory.CreateDirectory(empty);
        var (code, output) = Train(empty);
        Assert.Equal(1, code);
        Assert.Contains($"--input tfrecord:{empty}: no train-*.tfrecord files there", output);
        Assert.Contains("sharpflow records", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public void ACorruptRecordIsADataLossErrorNamingTheFile()
    {
        var directory = Path.Combine(_dir, "corrupt");
        var shard = WriteShard(directory, 20, 28, 28);
        var bytes = File.ReadAllBytes(shard);
        bytes[bytes.Length / 2] ^= 0x55; // inside a record's data: its CRC no longer matches
        File.WriteAllBytes(shard, bytes);
        var (code, output) = Train(directory);
        Assert.Equal(1, code);
        Assert.Contains("train-00000-of-00001.tfrecord", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public void PicturesOfAnotherSizeAreRefusedNamingTheInput()
    {
        var directory = Path.Combine(_dir, "small");
        WriteShard(directory, 4, 5, 7);
        var (code, output) = Train(directory);
        Assert.Equal(1, code);
        Assert.Contains($"--input tfrecord:{directory}: the records hold 5x7x1 pictures; the models take 28x28x1", output);
        Assert.DoesNotContain("   at ", output);
    }
}
