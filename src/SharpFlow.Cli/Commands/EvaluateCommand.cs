using System.CommandLine;
using SharpFlow.Cli.Training;
using SharpFlow.Data;
using SharpFlow.Models;
using Spectre.Console;
using static SharpFlow.Binding;

namespace SharpFlow.Cli.Commands;

/// <summary><c>sharpflow evaluate MODEL_DIR [--data DIR]</c>: test accuracy and confusion matrix of a trained model.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("model_dir") { Description = "a directory written by sharpflow train" };
        var data = new Option<string?>("--data") { Description = "directory of the four IDX files (else as train finds them)" };
        var command = new Command("evaluate", "Test accuracy and confusion matrix of a trained model.") { dir, data };
        command.SetAction(result => TrainCommand.Run(() => Evaluate(result.GetValue(dir)!, result.GetValue(data))));
        return command;
    }

    private static void Evaluate(string directory, string? dataDirectory)
    {
        using var trained = TrainedModel.Open(directory);
        var (info, graph, sess) = (trained.Info, trained.Graph, trained.Session);
        var data = DataSource.Load(info.Dataset, dataDirectory, info.Seed, Console.WriteLine);
        var result = Evaluation.Run(sess, graph, data.test, info.Classes);
        Console.WriteLine($"{info.Model}: test accuracy {result.Accuracy:F4} on {result.Examples} images");
        var names = info.Dataset == "fashion-mnist" ? FashionMnist.ClassNames : Enumerable.Range(0, info.Classes).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var table = new Table { Title = new TableTitle("confusion matrix (rows: true class, columns: predicted)") };
        table.AddColumn("true \\ predicted");
        for (var j = 0; j < info.Classes; j++) table.AddColumn(new TableColumn(j.ToString(System.Globalization.CultureInfo.InvariantCulture)).RightAligned());
        table.AddColumn(new TableColumn("recall").RightAligned());
        for (var i = 0; i < info.Classes; i++)
        {
            var row = new List<string> { Markup.Escape($"{i} {names[i]}") };
            var total = 0;
            for (var j = 0; j < info.Classes; j++)
            {
                total += result.Confusion[i, j];
                row.Add(i == j ? $"[bold]{result.Confusion[i, j]}[/]" : result.Confusion[i, j].ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            row.Add(total == 0 ? "-" : $"{(double)result.Confusion[i, i] / total:F3}");
            table.AddRow(row.ToArray());
        }
        AnsiConsole.Write(table);
    }
}
