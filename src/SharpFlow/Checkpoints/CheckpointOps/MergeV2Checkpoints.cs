using System.Text;
using SharpFlow.Checkpoints;
using SharpFlow.Framework;
using SharpFlow.Ops;

namespace SharpFlow.Checkpoints.CheckpointOps;

/// <summary>
/// MergeV2Checkpoints (TensorFlow's io_ops, the last step of a sharded save): the checkpoints
/// <c>checkpoint_prefixes</c> (each written by one SaveV2) become one checkpoint <c>destination_prefix</c>, and
/// their files are deleted (with <c>delete_old_dirs</c>, their directories too when left empty). Every tensor is read
/// and checked, then written in name order as TensorFlow's merged bundle lays it out (one data shard).
/// </summary>
internal sealed class MergeV2Checkpoints : OpDef
{
    public static readonly MergeV2Checkpoints Def = new();

    private static readonly OpAttr<bool> DeleteOldDirs = new("delete_old_dirs", true);

    public override string Type => "MergeV2Checkpoints";

    public override bool IsStateful => true;

    public override bool NotDifferentiable => true;

    public override bool AcceptsStrings => true;

    public override void InferShapes(InferenceContext ctx)
    {
        if (ctx.InputDType(0) != DType.@string || ctx.InputDType(1) != DType.@string)
            throw ctx.TypeError("checkpoint_prefixes and destination_prefix must be string tensors");
        SaveV2.CheckRank(ctx, 0, 1, "checkpoint_prefixes");
        SaveV2.CheckRank(ctx, 1, 0, "destination_prefix");
    }

    public override OpKernel CreateKernel(Operation op) => OpKernel.From(ctx =>
    {
        var sources = ctx.Input(0);
        var destination = Encoding.UTF8.GetString(SaveV2.ScalarString(ctx.Input(1), "destination_prefix", ctx));
        var deleteOldDirs = DeleteOldDirs.Of(op);
        var prefixes = Enumerable.Range(0, sources.size).Select(i => Encoding.UTF8.GetString(sources.StringBytes(i))).ToList();
        Merge(prefixes, destination, deleteOldDirs, op.name);
    });

    /// <summary>
    /// The kernel's work: merges the checkpoints <paramref name="prefixes"/> into <paramref name="destination"/> and
    /// deletes their files (and, with <paramref name="deleteOldDirs"/>, their directories left empty); errors name
    /// <paramref name="opName"/>. The sharded <c>tf.train.Saver</c> merges through it too.
    /// </summary>
    internal static void Merge(IReadOnlyList<string> prefixes, string destination, bool deleteOldDirs, string opName)
    {
        var tensors = new SortedDictionary<byte[], (string Name, NDArray Value)>(ByteComparer.Instance);
        foreach (var prefix in prefixes)
        {
            if (!File.Exists(TensorBundle.IndexFile(prefix)))
                throw new NotFoundError($"MergeV2Checkpoints: {TensorBundle.IndexFile(prefix)} not found", opName);
            var reader = new CheckpointReader(prefix);
            foreach (var name in reader.Names)
                if (!tensors.TryAdd(Encoding.UTF8.GetBytes(name), (name, reader.get_tensor(name))))
                    throw new InvalidArgumentError($"MergeV2Checkpoints: tensor '{name}' is in more than one of the checkpoints {string.Join(", ", prefixes)}", opName);
        }
        using (var writer = new BundleWriter(destination))
        {
            foreach (var (_, (name, value)) in tensors) writer.Add(name, value);
            writer.Finish();
        }
        foreach (var prefix in prefixes)
        {
            if (prefix == destination) continue;
            File.Delete(TensorBundle.IndexFile(prefix));
            var dir = Path.GetDirectoryName(Path.GetFullPath(prefix))!;
            foreach (var data in Directory.EnumerateFiles(dir, Path.GetFileName(prefix) + ".data-*")) File.Delete(data);
            if (deleteOldDirs && !Directory.EnumerateFileSystemEntries(dir).Any()) Directory.Delete(dir);
        }
    }

    /// <summary>Merges the checkpoints <paramref name="checkpointPrefixes"/> into <paramref name="destinationPrefix"/> when run.</summary>
    public static Operation Build(TensorLike checkpointPrefixes, TensorLike destinationPrefix, bool deleteOldDirs = true, string? name = null)
    {
        using var b = OpBuilder.Begin(name, "MergeV2Checkpoints", checkpointPrefixes, destinationPrefix);
        return b.Create(Def, [b.Convert(checkpointPrefixes, "checkpoint_prefixes", DType.@string), b.Convert(destinationPrefix, "destination_prefix", DType.@string)],
            new() { { DeleteOldDirs, deleteOldDirs } });
    }
}
