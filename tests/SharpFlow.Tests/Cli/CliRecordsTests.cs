using System.Globalization;
using System.Text.RegularExpressions;
using SharpFlow.Data;
using SharpFlow.FileIO;

namespace SharpFlow.Tests.Cli;

/// <summary>
/// <c>sharpflow records</c> writes the data set as TFRecord files of tf.train.Example, and <c>train --input
/// tfrecord:DIR</c> trains from them through a tf.data pipeline: seeded and repeatable, resumable with the same
/// losses as an uninterrupted run, and benchmarked against in-memory batches.
/// </summary>
public sealed partial class CliRecordsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-records-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int ExitCode, string Output) Sharpflow(params string[] args)
    {
        var (code, output, _) = ChildProcess.Run(ChildProcess.Sharpflow(args, new Dictionary<string, string>()));
        return (code, output);
    }

    [GeneratedRegex(@"loss \d+\.\d{4}")]
    private static partial Regex LossPattern();

    private string WriteRecords(int shards = 3)
    {
        var records = Path.Combine(_dir, "records");
        var (code, output) = Sharpflow("records", records, "--data", "embedded", "--shards", shards.ToString(CultureInfo.InvariantCulture));
        Assert.True(code == 0, output);
        return records;
    }

    private static string[] Train(string records, string logdir, int epochs, params string[] more) =>
        ["train", "lenet5", "--input", $"tfrecord:{records}", "--epochs", epochs.ToString(CultureInfo.InvariantCulture), "--steps-per-epoch", "6",
         "--log-every", "3", "--seed", "4", "--batch", "32", "--logdir", logdir, .. more];

    [Fact]
    public void RecordsHoldEveryPictureAsExampleBytesWithItsLabel()
    {
        var records = WriteRecords(shards: 3);
        var sample = FashionMnist.read_sample(validation_size: 200, seed: 1);
        string[] expected = ["test-00000-of-00001.tfrecord", "train-00000-of-00003.tfrecord", "train-00001-of-00003.tfrecord", "train-00002-of-00003.tfrecord", "validation-00000-of-00001.tfrecord"];
        Assert.Equal(expected, Directory.GetFiles(records).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        // Shard s holds pictures s, s + 3, s + 6, ... of the split.
        var pixels = sample.train.images.ToArray<float>();
        var labels = sample.train.labels.Cast(DType.int64).ToArray<long>();
        var seen = 0;
        for (var s = 0; s < 3; s++)
        {
            var i = s;
            foreach (var record in tf.python_io.tf_record_iterator(Path.Combine(records, $"train-0000{s}-of-00003.tfrecord")))
            {
                var features = Example.FromString(record).features.feature;
                Assert.Equal([labels[i]], features["label"].int64_list!.value);
                Assert.Equal([28L], features["height"].int64_list!.value);
                Assert.Equal([28L], features["width"].int64_list!.value);
                Assert.Equal([1L], features["depth"].int64_list!.value);
                var raw = features["image_raw"].bytes_list!.value.Single();
                Assert.Equal(784, raw.Length);
                for (var k = 0; k < 784; k++) Assert.Equal(pixels[i * 784 + k], raw[k] * (1f / 255f));
                i += 3;
                seen++;
            }
        }
        Assert.Equal(sample.train.num_examples, seen);
        Assert.Equal(sample.test.num_examples, tf.python_io.tf_record_iterator(Path.Combine(records, "test-00000-of-00001.tfrecord")).Count());
    }

    [Fact]
    public void TrainingFromRecordsRepeatsForASeedAndResumesWithTheSameLosses()
    {
        var records = WriteRecords();
        var (code, first) = Sharpflow(Train(records, Path.Combine(_dir, "a"), 3));
        Assert.True(code == 0, first);
        Assert.Contains("through tf.data", first);
        Assert.Contains("random crop", first);
        Assert.Matches(@"test accuracy: \d\.\d{4} on 500 images", first);
        Assert.True(File.Exists(Path.Combine(_dir, "a", "model.safetensors")));
        var (_, again) = Sharpflow(Train(records, Path.Combine(_dir, "b"), 3));
        Assert.Equal(LossPattern().Matches(first).Select(m => m.Value), LossPattern().Matches(again).Select(m => m.Value));
        var (_, plain) = Sharpflow(Train(records, Path.Combine(_dir, "c"), 3, "--augment", "none"));
        Assert.Contains("augmentation: none", plain);
        Assert.NotEqual(LossPattern().Matches(first).Select(m => m.Value), LossPattern().Matches(plain).Select(m => m.Value));

        // Two epochs, then a resume to three: the third epoch reads the batches and draws the distortions of an
        // uninterrupted run.
        var interrupted = Path.Combine(_dir, "interrupted");
        Assert.Equal(0, Sharpflow(Train(records, interrupted, 2)).ExitCode);
        var (resumedCode, resumed) = Sharpflow(Train(records, interrupted, 3, "--resume"));
        Assert.True(resumedCode == 0, resumed);
        Assert.Contains("2 epochs and 0 steps done", resumed);
        string[] Epoch3(string output) => output.Split('\n').Where(l => l.StartsWith("epoch 3/3", StringComparison.Ordinal)).Select(l => Regex.Replace(l, @"\d+ img/s.*|[0-9.]+ s,.*", "")).ToArray();
        Assert.NotEmpty(Epoch3(first));
        Assert.Equal(Epoch3(first), Epoch3(resumed));
    }

    [Fact]
    public void BenchComparesThePipelineWithInMemoryBatches()
    {
        var records = WriteRecords(shards: 1);
        var (code, output) = Sharpflow("bench", "lenet5", "--input", $"tfrecord:{records}", "--steps", "3", "--warmup", "1", "--batch", "16");
        Assert.True(code == 0, output);
        Assert.Matches(@"pipeline\s+\d+ images/s", output);
        Assert.Equal(3, Regex.Count(output, @"tfrecord\s+\d+ images/s"));
        Assert.Matches(@"training fed by the pipeline: \d+ images/s against \d+ in memory .*: \d+\.\d%", output);
    }

    [Fact]
    public void BadRecordInputIsAMessageAndExitCode1()
    {
        var (missingCode, missing) = Sharpflow(Train(Path.Combine(_dir, "none"), Path.Combine(_dir, "x"), 1));
        Assert.Equal(1, missingCode);
        Assert.Contains("no such directory", missing);
        Assert.Contains("sharpflow records", missing);
        var (schemeCode, scheme) = Sharpflow("train", "lenet5", "--input", "csv:somewhere", "--epochs", "1");
        Assert.Equal(1, schemeCode);
        Assert.Contains("--input must be tfrecord:DIR", scheme);
        var records = WriteRecords(shards: 1);
        var (augmentCode, augment) = Sharpflow(Train(records, Path.Combine(_dir, "y"), 1, "--augment", "crop,rotate"));
        Assert.Equal(1, augmentCode);
        Assert.Contains("'rotate'", augment);
        // A truncated training file is DataLossError naming the file, not a crash.
        var shard = Path.Combine(records, "train-00000-of-00001.tfrecord");
        var bytes = File.ReadAllBytes(shard);
        File.WriteAllBytes(shard, bytes[..(bytes.Length - 100)]);
        var (truncatedCode, truncated) = Sharpflow(Train(records, Path.Combine(_dir, "z"), 1));
        Assert.Equal(1, truncatedCode);
        Assert.Contains("train-00000-of-00001.tfrecord", truncated);
    }
}
