using System.CommandLine;
using SharpFlow.Cli.Training;

namespace SharpFlow.Cli.Commands;

/// <summary>
/// <c>sharpflow records DIR [--dataset] [--data] [--shards N]</c>: writes the data set as TFRecord files of
/// <c>tf.train.Example</c>s for <c>sharpflow train --input tfrecord:DIR</c> (and for TensorFlow itself).
/// </summary>
internal static class RecordsCommand
{
    public static Command Create()
    {
        var output = new Argument<string>("dir") { Description = "directory to write train-*, validation-* and test-*.tfrecord into" };
        var dataset = new Option<string>("--dataset") { Description = "fashion-mnist or mnist", DefaultValueFactory = _ => "fashion-mnist" };
        dataset.AcceptOnlyFromAmong([.. DataSource.Names]);
        var data = new Option<string?>("--data") { Description = "directory of the four IDX files (else as train finds them)" };
        var shards = new Option<int>("--shards") { Description = "files the training split is spread over", DefaultValueFactory = _ => 4 };
        var seed = new Option<int>("--seed") { Description = "seed of the validation split", DefaultValueFactory = _ => 1 };
        var command = new Command("records", "Write the data set as TFRecord files of tf.train.Example (image_raw, label, height, width, depth), as the book's chapter 7 does.")
        {
            output, dataset, data, shards, seed,
        };
        command.SetAction(result =>
        {
            var dir = result.GetValue(output)!;
            var n = result.GetValue(shards);
            if (n <= 0) return TrainCommand.Fail("--shards must be positive");
            return TrainCommand.Run(() =>
            {
                var sets = DataSource.Load(result.GetValue(dataset)!, result.GetValue(data), result.GetValue(seed), Console.WriteLine);
                var files = RecordInput.Write(sets, dir, n, 28, 28, 1);
                var bytes = files.Sum(f => new FileInfo(f).Length);
                Console.WriteLine($"wrote {files.Count} files ({bytes / 1024.0 / 1024.0:F1} MiB) to {dir}: train in {n} shard(s), validation and test in one each; train from them with: sharpflow train lenet5 --input tfrecord:{dir}");
            });
        });
        return command;
    }
}
