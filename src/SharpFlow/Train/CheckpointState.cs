using SharpFlow.Checkpoints;

namespace SharpFlow.Train;

/// <summary>
/// TensorFlow's <c>checkpoint</c> state file: the newest checkpoint and the ones still kept, in the protobuf text
/// format TensorFlow writes (<c>model_checkpoint_path: "model.ckpt-1000"</c>, one
/// <c>all_model_checkpoint_paths: "…"</c> line per kept checkpoint, oldest first). Paths inside the
/// checkpoint's own directory are written relative to it, as TensorFlow does.
/// </summary>
/// <param name="model_checkpoint_path">The newest checkpoint's path prefix.</param>
/// <param name="all_model_checkpoint_paths">Every kept checkpoint, oldest first.</param>
public sealed record CheckpointState(string model_checkpoint_path, IReadOnlyList<string> all_model_checkpoint_paths)
{
    /// <summary>The state file's default name.</summary>
    public const string DefaultFileName = CheckpointStateFile.DefaultFileName;

    /// <summary>Reads <paramref name="directory"/>/<paramref name="fileName"/>; null when there is none.</summary>
    public static CheckpointState? Read(string directory, string fileName = DefaultFileName) =>
        CheckpointStateFile.Read(directory, fileName) is { } state ? new CheckpointState(state.Latest, state.All) : null;

    /// <summary>
    /// Parses the text of a state file; relative paths are taken inside <paramref name="directory"/>, and
    /// <paramref name="path"/> names the file in errors.
    /// </summary>
    public static CheckpointState Parse(string text, string directory, string path)
    {
        var (latest, all) = CheckpointStateFile.Parse(text, directory, path);
        return new CheckpointState(latest, all);
    }

    /// <summary>Writes the state file atomically (a temporary file renamed over the old one).</summary>
    public void Write(string directory, string fileName = DefaultFileName) =>
        CheckpointStateFile.Write(directory, fileName, model_checkpoint_path, all_model_checkpoint_paths);
}
