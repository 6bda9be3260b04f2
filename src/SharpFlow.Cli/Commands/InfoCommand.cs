using System.CommandLine;
using System.Globalization;
using SharpFlow.Models;
using Spectre.Console;
using static SharpFlow.Binding;

namespace SharpFlow.Cli.Commands;

/// <summary><c>sharpflow info MODEL</c>: the per-layer table of output shapes and parameters (seed §37).</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = string.Join(", ", ModelZoo.Names) };
        model.AcceptOnlyFromAmong([.. ModelZoo.Names]);
        var classes = new Option<int?>("--classes") { Description = "classes of the final layer (default 10, 1000 for vgg16 and inception_v3)" };
        var command = new Command("info", "Per-layer output shapes and parameter counts of a model.") { model, classes };
        command.SetAction(result => TrainCommand.Run(() => Show(ModelZoo.Create(result.GetValue(model)!, result.GetValue(classes)))));
        return command;
    }

    private static void Show(Model model)
    {
        var graph = new Graph();
        using var scope = graph.as_default();
        var (h, w, c) = model.DefaultInput;
        var output = model.Build(tf.placeholder(tf.float32, new Shape(-1, h, w, c), name: "images"));
        var table = new Table { Title = new TableTitle(Markup.Escape(model.Title)) };
        table.AddColumn("layer");
        table.AddColumn("kind");
        table.AddColumn(new TableColumn("output shape").RightAligned());
        table.AddColumn(new TableColumn("parameters").RightAligned());
        table.AddRow("input", "images", Shape(new Shape(-1, h, w, c)), "");
        foreach (var layer in output.Layers)
            table.AddRow(Markup.Escape(layer.Name), Markup.Escape(layer.Kind), Shape(layer.OutputShape), layer.Parameters == 0 ? "" : layer.Parameters.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("[bold]total[/]", "", "", $"[bold]{output.Parameters.ToString("N0", CultureInfo.InvariantCulture)}[/]");
        AnsiConsole.Write(table);
    }

    private static string Shape(Shape s) => Markup.Escape(s.ToString().Replace("None", "?", StringComparison.Ordinal));
}
