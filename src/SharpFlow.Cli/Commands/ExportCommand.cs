using System.CommandLine;
using SharpFlow.Cli.Training;
using SharpFlow.Onnx;
using static SharpFlow.Binding;

namespace SharpFlow.Cli.Commands;

/// <summary>
/// <c>sharpflow export MODEL_DIR [--format onnx|frozen|savedmodel] [-o PATH]</c>: a trained model as an ONNX file
/// (opset 13), a frozen TensorFlow GraphDef (variables folded into constants) or a TensorFlow SavedModel with a
/// predict signature.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("model_dir") { Description = "a directory written by sharpflow train" };
        var output = new Option<string?>("--output", "-o") { Description = "what to write (default MODEL_DIR/model.onnx, MODEL_DIR/frozen.pb or MODEL_DIR/saved_model)" };
        var format = new Option<string>("--format") { Description = "onnx, frozen (a TensorFlow GraphDef with the weights as constants) or savedmodel", DefaultValueFactory = _ => "onnx" };
        format.AcceptOnlyFromAmong("onnx", "frozen", "savedmodel");
        var command = new Command("export", "Write a trained model as ONNX, a frozen TensorFlow graph or a TensorFlow SavedModel (input images [batch, pixels] in 0..1, outputs logits and predictions).") { dir, output, format };
        command.SetAction(result => TrainCommand.Run(() =>
        {
            var (directory, path) = (result.GetValue(dir)!, result.GetValue(output));
            switch (result.GetValue(format))
            {
                case "frozen": Frozen(directory, path); break;
                case "savedmodel": SavedModel(directory, path); break;
                default: Export(directory, path); break;
            }
        }));
        return command;
    }

    private static void Frozen(string directory, string? path)
    {
        using var trained = TrainedModel.Open(directory);
        path ??= Path.Combine(directory, "frozen.pb");
        var outputs = new[] { trained.Graph.Output.Logits.op.name, trained.Graph.Predictions.op.name };
        var frozen = tf.graph_util.convert_variables_to_constants(trained.Session, trained.Graph.Graph.as_graph_def(), outputs);
        frozen = tf.graph_util.extract_sub_graph(frozen, outputs);
        var parent = Path.GetDirectoryName(Path.GetFullPath(path))!;
        tf.train.write_graph(frozen, parent, Path.GetFileName(path), as_text: path.EndsWith(".pbtxt", StringComparison.Ordinal));
        Console.WriteLine($"wrote {path} ({new FileInfo(path).Length:N0} bytes, a frozen GraphDef of {frozen.Node.Count} nodes): input {trained.Graph.Images.name} " +
                          $"float32 [batch, {trained.Graph.Images.shape[1]}] pixels in 0..1, outputs {trained.Graph.Output.Logits.name} (logits) and {trained.Graph.Predictions.name} (classes)");
    }

    private static void SavedModel(string directory, string? path)
    {
        using var trained = TrainedModel.Open(directory);
        path ??= Path.Combine(directory, "saved_model");
        using (trained.Graph.Graph.as_default())
            tf.saved_model.simple_save(trained.Session, path,
                new Dictionary<string, Tensor> { ["images"] = trained.Graph.Images },
                new Dictionary<string, Tensor> { ["logits"] = trained.Graph.Output.Logits, ["predictions"] = trained.Graph.Predictions });
        Console.WriteLine($"wrote the SavedModel {path} (tag serve, signature serving_default: images -> logits, predictions); see it with: sharpflow inspect {path}");
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
