using SharpFlow.Checkpoints;
using SharpFlow.Framework;

namespace SharpFlow.Train;

/// <summary>
/// <c>tf.train.Saver</c>: saves variables to a checkpoint and restores them. By default a checkpoint is TensorFlow's
/// format V2, <c>PREFIX.index</c> and <c>PREFIX.data-00000-of-00001</c>, which TensorFlow reads and writes
/// (<c>write_version: CheckpointFormat.SafeTensors</c> writes SharpFlow's earlier single-file
/// <c>PREFIX.safetensors</c> instead); the tensors carry the variables' TensorFlow names (<c>layer1/weights</c>), or the
/// names of a <c>var_list</c> dictionary (<c>ExponentialMovingAverage.variables_to_restore()</c>). <c>save</c>
/// returns the prefix (<c>model.ckpt-1000</c>) and records it in the directory's <c>checkpoint</c> state file;
/// beyond <c>max_to_keep</c> the oldest of this saver's checkpoints are deleted. Files are written to a temporary
/// name and renamed, so a crash during a save leaves the previous checkpoint whole. <c>restore</c> reads either
/// format, whichever the prefix has, and checks every tensor (present, dtype, shape, checksum) before it changes any
/// variable.
/// </summary>
public sealed class Saver
{
    /// <summary>The file extension of a safetensors checkpoint.</summary>
    public const string Extension = Checkpoints.CheckpointStateFile.SafetensorsExtension;

    /// <summary>The file extension of a format V2 checkpoint's index.</summary>
    public const string IndexExtension = Checkpoints.CheckpointStateFile.IndexExtension;

    private readonly List<(string Name, Variable Variable)> _variables;
    private readonly List<(string Path, double Time)> _last = [];

    private static double WallClock() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    private Func<double> _clock = WallClock;
    private double _nextCheckpointTime;

    /// <summary>
    /// The time source (seconds since the Unix epoch) of the checkpoints' save times, for tests; as at construction,
    /// the next checkpoint kept for <see cref="keep_checkpoint_every_n_hours"/> is one saved after now + n hours.
    /// </summary>
    internal void UseClock(Func<double> clock)
    {
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _nextCheckpointTime = clock() + keep_checkpoint_every_n_hours * 3600;
    }

    /// <summary>
    /// TensorFlow's <c>keep_checkpoint_every_n_hours</c>: a checkpoint that drops out of the newest
    /// <see cref="max_to_keep"/> is kept anyway when it was saved after the next keeping time (construction time + n
    /// hours at first, n hours later after each one kept). The default, 10000, keeps none.
    /// </summary>
    public double keep_checkpoint_every_n_hours { get; }

    /// <summary>
    /// TensorFlow's <c>sharded</c>: a save writes <c>PREFIX_temp_UUID/part-00000-of-00001</c> (one shard per device:
    /// SharpFlow has one), which <c>MergeV2Checkpoints</c> merges into <c>PREFIX.index</c> and
    /// <c>PREFIX.data-00000-of-00001</c> before deleting the temporary directory; the graph in the <c>.meta</c> has
    /// TensorFlow's sharded save nodes (<c>StringJoin</c>, <c>ShardedFilename</c>, <c>SaveV2</c>,
    /// <c>MergeV2Checkpoints</c>) and <c>saver_def.sharded</c> is true. Restoring is the same.
    /// </summary>
    public bool sharded { get; }

    /// <summary>
    /// A saver of <paramref name="var_list"/> (default: all global variables) under their op names. With
    /// <paramref name="save_random_state"/> (a SharpFlow extension) each checkpoint also keeps where the session's
    /// random ops stand in their streams, and <see cref="restore"/> puts them back there, so training resumed from
    /// it draws the dropout masks an uninterrupted run would have; TensorFlow's savers keep variables only.
    /// </summary>
    public Saver(IEnumerable<Variable>? var_list = null, int max_to_keep = 5, bool save_random_state = false, CheckpointFormat write_version = CheckpointFormat.V2,
        bool sharded = false, double keep_checkpoint_every_n_hours = GraphIO.SaverDefs.DefaultKeepHours)
        : this((var_list ?? Graph.get_default().get_collection(GraphKeys.GLOBAL_VARIABLES).OfType<Variable>())
            .Select(v => (v.op.name, v)), max_to_keep, write_version, sharded, keep_checkpoint_every_n_hours)
    {
        this.save_random_state = save_random_state;
    }

    /// <summary>The metadata key of the random ops' stream positions in a checkpoint.</summary>
    internal const string RandomStateKey = "sharpflow.random_state";

    /// <summary>Whether checkpoints keep the random ops' stream positions (see the constructor).</summary>
    public bool save_random_state { get; }

    /// <summary>A saver that stores each variable under the name it is given (checkpoint name → variable).</summary>
    public Saver(IReadOnlyDictionary<string, Variable> var_list, int max_to_keep = 5, CheckpointFormat write_version = CheckpointFormat.V2,
        bool sharded = false, double keep_checkpoint_every_n_hours = GraphIO.SaverDefs.DefaultKeepHours)
        : this((var_list ?? throw new ArgumentNullException(nameof(var_list))).Select(kv => (kv.Key, kv.Value)), max_to_keep, write_version, sharded, keep_checkpoint_every_n_hours)
    {
    }

    private Saver(IEnumerable<(string, Variable)> variables, int maxToKeep, CheckpointFormat writeVersion, bool sharded, double keepHours)
    {
        if (!(keepHours > 0)) throw new ValueError($"keep_checkpoint_every_n_hours must be positive, got {keepHours}");
        if (sharded && writeVersion != CheckpointFormat.V2) throw new ValueError("sharded=True needs write_version CheckpointFormat.V2");
        this.sharded = sharded;
        keep_checkpoint_every_n_hours = keepHours;
        UseClock(WallClock);
        if (!Enum.IsDefined(writeVersion)) throw new ValueError($"write_version must be CheckpointFormat.V2 or CheckpointFormat.SafeTensors, got {writeVersion}");
        write_version = writeVersion;
        if (maxToKeep < 0) throw new ValueError($"max_to_keep must be 0 (keep all) or positive, got {maxToKeep}");
        max_to_keep = maxToKeep;
        _variables = variables.ToList();
        if (_variables.Count == 0) throw new ValueError("No variables to save");
        var duplicate = _variables.GroupBy(v => v.Item1).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ValueError($"At least two variables have the same name: {duplicate.Key}");
    }

    private Tensorflow.SaverDef? _saverDef;
    private (Tensor Filename, Operation Restore)? _graphRestore;

    /// <summary>
    /// TensorFlow's <c>saver.saver_def</c>: the names of the filename tensor, save tensor and restore op, with
    /// <c>max_to_keep</c>, <c>keep_checkpoint_every_n_hours</c> and the format version. A saver that
    /// <c>import_meta_graph</c> returned has the MetaGraphDef's; others get theirs when <c>save</c> first writes a
    /// <c>.meta</c> (the graph written there holds the save and restore nodes); null before.
    /// </summary>
    public Tensorflow.SaverDef? saver_def => _saverDef?.Clone();

    /// <summary>Makes this saver the one of an imported SaverDef: <c>restore</c> runs its restore op with the prefix fed to its filename tensor.</summary>
    internal Saver WithSaverDef(Tensorflow.SaverDef def, Tensor filename, Operation restoreOp)
    {
        _saverDef = def.Clone();
        _graphRestore = (filename, restoreOp);
        return this;
    }

    /// <summary>The format <c>save</c> writes.</summary>
    public CheckpointFormat write_version { get; }

    /// <summary>How many recent checkpoints are kept (0: all).</summary>
    public int max_to_keep { get; }

    /// <summary>This saver's checkpoints that are still kept, oldest first (empty with max_to_keep 0, which keeps all).</summary>
    public IReadOnlyList<string> last_checkpoints => _last.Select(c => c.Path).ToList();

    /// <summary>
    /// Saves the variables' values in <paramref name="sess"/> to the checkpoint <c>save_path[-global_step]</c>
    /// (<c>.index</c> and <c>.data-00000-of-00001</c>, or <c>.safetensors</c>) and returns its prefix. With <paramref name="write_state"/> the directory's state file is updated;
    /// with <paramref name="write_meta_graph"/> (TensorFlow's default) the graph goes to <c>PREFIX.meta</c> (<paramref name="meta_graph_suffix"/>) as a MetaGraphDef.
    /// </summary>
    public string save(Session sess, string save_path, int? global_step = null, string latest_filename = CheckpointState.DefaultFileName,
        bool write_state = true, string meta_graph_suffix = "meta", bool write_meta_graph = true)
    {
        ArgumentNullException.ThrowIfNull(sess);
        ArgumentException.ThrowIfNullOrEmpty(save_path);
        var prefix = global_step is { } step ? $"{save_path}-{step}" : save_path;
        var directory = Path.GetDirectoryName(Path.GetFullPath(prefix))!;
        if (!Directory.Exists(directory))
            throw new NotFoundError($"Parent directory of {save_path} doesn't exist, can't save.");
        var values = sess.run(_variables.Select(v => (Tensor)v.Variable.value()).ToList());
        var tensors = new Dictionary<string, NDArray>();
        for (var i = 0; i < values.Length; i++) tensors[_variables[i].Name] = values[i];
        var randomState = save_random_state
            ? string.Join(";", sess.RandomPositions().OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => FormattableString.Invariant($"{p.Key}={p.Value.Low}:{p.Value.High}")))
            : null;
        if (write_version == CheckpointFormat.V2)
        {
            // The random state rides along as one more (string) tensor, which TensorFlow's readers pass over.
            if (randomState is not null && tensors.ContainsKey(RandomStateKey)) throw new ValueError($"A variable may not be saved as {RandomStateKey}");
            // Sharded, as TensorFlow's _AddShardedSaveOpsForV2: the shard goes to a temporary directory and is merged into the prefix.
            var temp = sharded ? $"{prefix}_temp_{Guid.NewGuid():N}" : null;
            var target = temp is null ? prefix : Path.Combine(temp, "part-00000-of-00001");
            if (temp is not null) Directory.CreateDirectory(temp);
            try
            {
                using (var writer = new BundleWriter(target))
                {
                    // In name order, as TensorFlow's savers add them (so the data file is laid out as TensorFlow lays it out).
                    foreach (var (name, value) in tensors.OrderBy(t => System.Text.Encoding.UTF8.GetBytes(t.Key), ByteComparer.Instance)) writer.Add(name, value);
                    if (randomState is not null) writer.Add(RandomStateKey, NDArray.FromStrings([randomState]));
                    writer.Finish();
                }
                if (temp is not null) Checkpoints.CheckpointOps.MergeV2Checkpoints.Merge([target], prefix, deleteOldDirs: true, "save/MergeV2Checkpoints");
            }
            finally
            {
                if (temp is not null && Directory.Exists(temp))
                    try { Directory.Delete(temp, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
        else
        {
            var metadata = new Dictionary<string, string> { ["format"] = "sharpflow-checkpoint" };
            if (randomState is not null) metadata[RandomStateKey] = randomState;
            SafeTensors.Write(prefix + Extension, tensors, metadata);
        }

        // As TensorFlow, each checkpoint gets its MetaGraphDef (PREFIX.meta) of the variables' graph.
        if (write_meta_graph)
        {
            var graph = _variables[0].Variable.graph;
            Tensorflow.MetaGraphDef meta;
            if (_saverDef is not null && _graphRestore is not null || write_version != CheckpointFormat.V2)
                meta = GraphIO.MetaGraphs.Export(graph, saverDef: _saverDef);
            else
            {
                // As TensorFlow's Saver, whose save and restore nodes are in the graph: they are added to the GraphDef written.
                var graphDef = graph.as_graph_def(add_shapes: true);
                _saverDef = GraphIO.SaverDefs.AddNodes(graphDef, _variables, max_to_keep, (float)keep_checkpoint_every_n_hours, sharded);
                meta = GraphIO.MetaGraphs.Export(graph, graphDef, _saverDef);
            }
            GraphIO.ProtoFiles.Write(meta, $"{prefix}.{meta_graph_suffix}");
        }

        if (!write_state) return prefix; // as TensorFlow: neither recorded nor counted for max_to_keep

        // Record first, delete after: the state file never names a checkpoint that is already gone.
        var expired = new List<string>();
        if (max_to_keep > 0)
        {
            _last.RemoveAll(c => c.Path == prefix);
            _last.Add((prefix, _clock()));
            // TensorFlow's _MaybeDeleteOneCheckpoint: one saved after the next keeping time is kept, not deleted.
            while (_last.Count > max_to_keep)
            {
                var (oldest, time) = _last[0];
                _last.RemoveAt(0);
                if (time > _nextCheckpointTime) _nextCheckpointTime += keep_checkpoint_every_n_hours * 3600;
                else expired.Add(oldest);
            }
        }
        new CheckpointState(prefix, max_to_keep > 0 ? last_checkpoints : [prefix]).Write(directory, latest_filename);
        foreach (var old in expired) DeleteCheckpoint(old);
        return prefix;
    }

    /// <summary>Saves at the step held by <paramref name="global_step"/> (the global-step variable or any integer scalar).</summary>
    public string save(Session sess, string save_path, Tensor global_step, string latest_filename = CheckpointState.DefaultFileName,
        bool write_state = true, string meta_graph_suffix = "meta", bool write_meta_graph = true)
    {
        ArgumentNullException.ThrowIfNull(sess);
        ArgumentNullException.ThrowIfNull(global_step);
        var step = sess.run(global_step).Cast(DType.int64).ToArray<long>()[0];
        return save(sess, save_path, checked((int)step), latest_filename, write_state, meta_graph_suffix, write_meta_graph);
    }

    /// <summary>
    /// Takes over checkpoints written earlier (a previous run's <c>get_checkpoint_state().all_model_checkpoint_paths</c>),
    /// so <see cref="max_to_keep"/> counts and deletes them too; those whose files are gone are skipped.
    /// </summary>
    public void recover_last_checkpoints(IEnumerable<string> checkpoint_paths)
    {
        ArgumentNullException.ThrowIfNull(checkpoint_paths);
        _last.Clear();
        // As TensorFlow, each keeps its files' modification time as its save time.
        foreach (var p in checkpoint_paths)
            if (CheckpointExists(p) && !_last.Any(c => c.Path == p))
                _last.Add((p, new DateTimeOffset(File.GetLastWriteTimeUtc(File.Exists(p + IndexExtension) ? p + IndexExtension : p + Extension)).ToUnixTimeMilliseconds() / 1000.0));
    }

    /// <summary>Whether a checkpoint of either format exists under <paramref name="prefix"/>.</summary>
    public static bool CheckpointExists(string prefix) => Checkpoints.CheckpointStateFile.CheckpointExists(prefix);

    /// <summary>Deletes a checkpoint's files: the index first, so that a half-deleted checkpoint never looks whole.</summary>
    private static void DeleteCheckpoint(string prefix)
    {
        static void Delete(string path)
        {
            try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        Delete(prefix + IndexExtension);
        var directory = Path.GetDirectoryName(Path.GetFullPath(prefix))!;
        var name = Path.GetFileName(prefix);
        try
        {
            foreach (var data in Directory.EnumerateFiles(directory, name + ".data-*-of-*"))
                if (System.Text.RegularExpressions.Regex.IsMatch(Path.GetFileName(data)[name.Length..], @"^\.data-\d{5}-of-\d{5}$")) Delete(data);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        Delete(prefix + Extension);
        Delete(prefix + ".meta");
    }

    /// <summary>
    /// Restores the variables from the checkpoint <paramref name="save_path"/> (a prefix returned by
    /// <c>save</c> or <c>latest_checkpoint</c>, TensorFlow's or SharpFlow's, or a <c>.safetensors</c> file). Every
    /// tensor is checked first; on any problem the variables keep their values and the error names the file and the
    /// tensor.
    /// </summary>
    public void restore(Session sess, string save_path)
    {
        ArgumentNullException.ThrowIfNull(sess);
        ArgumentException.ThrowIfNullOrEmpty(save_path);
        Dictionary<string, NDArray> values;
        string? randomState;
        string file;
        if (_graphRestore is { } graphRestore && !save_path.EndsWith(Extension, StringComparison.Ordinal) && File.Exists(save_path + IndexExtension))
        {
            // The imported SaverDef's restore op, as TensorFlow's saver.restore runs it.
            sess.run(graphRestore.Restore, new FeedDict { [graphRestore.Filename] = NDArray.FromStrings([save_path]) });
            return;
        }
        if (!save_path.EndsWith(Extension, StringComparison.Ordinal) && File.Exists(save_path + IndexExtension))
        {
            file = save_path + IndexExtension;
            var reader = new CheckpointReader(save_path);
            foreach (var (name, variable) in _variables)
            {
                if (!reader.has_tensor(name))
                    throw new NotFoundError($"Key {name} not found in checkpoint {save_path}", "save/RestoreV2");
                Check(file, name, variable, reader.DTypeOf(name), reader.ShapeOf(name));
            }
            values = _variables.ToDictionary(v => v.Name, v => reader.get_tensor(v.Name), StringComparer.Ordinal);
            randomState = save_random_state && reader.has_tensor(RandomStateKey) && reader.get_tensor(RandomStateKey) is { dtype.Id: DataType.String, size: 1 } state
                ? System.Text.Encoding.UTF8.GetString(state.StringBytes(0))
                : null;
        }
        else
        {
            file = save_path.EndsWith(Extension, StringComparison.Ordinal) ? save_path : save_path + Extension;
            if (!File.Exists(file))
                throw new NotFoundError($"The passed save_path is not a valid checkpoint: {save_path} (neither {save_path}{IndexExtension} nor {file} exists)");
            var (tensors, metadata) = SafeTensors.Read(file);
            foreach (var (name, variable) in _variables)
            {
                if (!tensors.TryGetValue(name, out var value))
                    throw new NotFoundError($"Key {name} not found in checkpoint {file}");
                Check(file, name, variable, value.dtype, value.shape);
            }
            values = tensors;
            randomState = save_random_state && metadata.TryGetValue(RandomStateKey, out var s) ? s : null;
        }
        var setStreams = randomState is not null ? sess.PrepareRandomPositions(RandomPositions(randomState, file), file) : null;
        foreach (var (name, variable) in _variables) variable.load(values[name], sess);
        setStreams?.Invoke();
    }

    private static void Check(string file, string name, Variable variable, DType dtype, Shape shape)
    {
        if (dtype != variable.dtype)
            throw new InvalidArgumentError($"{file}: tensor '{name}' is {dtype.name}, variable {variable.op.name} is {variable.dtype.name}", variable.op.name);
        if (!variable.shape.Accepts(shape))
            throw new InvalidArgumentError($"{file}: tensor '{name}' has shape {shape.ToListString()}, variable {variable.op.name} has shape {variable.shape.ToListString()}", variable.op.name);
    }

    private static Dictionary<string, (ulong Low, ulong High)> RandomPositions(string text, string file)
    {
        var positions = new Dictionary<string, (ulong, ulong)>(StringComparer.Ordinal);
        foreach (var entry in text.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split('=', ':');
            if (parts.Length != 3 || !ulong.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var low)
                || !ulong.TryParse(parts[2], System.Globalization.CultureInfo.InvariantCulture, out var high))
                throw new DataLossError($"{file}: malformed random state entry '{entry}' (expected op=low:high)");
            positions[parts[0]] = (low, high);
        }
        return positions;
    }
}

/// <summary>The checkpoint format a <see cref="Saver"/> writes (TensorFlow's <c>write_version</c>).</summary>
public enum CheckpointFormat
{
    /// <summary>TensorFlow's format V2 (TensorBundle: <c>.index</c> and <c>.data-00000-of-00001</c>), TensorFlow's default.</summary>
    V2 = 2,

    /// <summary>SharpFlow's single-file safetensors checkpoint (<c>.safetensors</c>), the format before V2.</summary>
    SafeTensors = 100,
}
