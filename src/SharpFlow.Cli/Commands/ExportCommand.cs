using System.CommandLine;
using SharpFlow.Cli.Training;
using SharpFlow.Onnx;

namespace SharpFlow.Cli.Commands;

/// <summary><c>sharpflow export MODEL_DIR [-o FILE]</c>: a trained model as an ONNX file (opset 13).</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("model_dir") { Description = "a directory written by sharpflow train" };
        var output = new Option<string?>("--output", "-o") { Description = "the ONNX file to write (default MODEL_DIR/model.onnx)" };
        var command = new Command("export", "Write a trained model as an ONNX file (input images [batch, pixels] in 0..1, output logits).") { dir, output };
        command.SetAction(result => TrainCommand.Run(() => Export(result.GetValue(dir)!, result.GetValue(output))));
        return command;
    }

    private static void Export(string directory, string? path)
    {
        using var trained = TrainedModel.Open(directory);
        path ??= Path.Combine(directory, "model.onnx");
        var model = OnnxModel.Export(trained.Session,
            new Dictionary<string, Tensor> { ["images"] = trained.Graph.Images },
            new Dictionary<string, Tensor> { ["logits"] = trained.Graph.Output.Logits });
        model.Save(path);
        var (input, logits) = (model.Inputs.Single(), model.Outputs.Single());
        Console.WriteLine($"wrote {path} ({new FileInfo(path).Length:N0} bytes, ONNX opset {model.Opset}): " +
                          $"input {input.Name} [{string.Join(", ", input.Shape.Select(Dim))}] float32 pixels in 0..1, output {logits.Name} [{string.Join(", ", logits.Shape.Select(Dim))}]");
    }

    private static string Dim(long d) => d < 0 ? "batch" : d.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
