using SharpFlow.Checkpoints.CheckpointOps;
using SharpFlow.Ops.State;

namespace SharpFlow.Checkpoints;

/// <summary>
/// TensorFlow's checkpoint_utils.py: <c>list_variables</c>, <c>load_variable</c> and <c>init_from_checkpoint</c>,
/// with a checkpoint given as a prefix or as a directory whose state file names the newest one.
/// </summary>
internal static class CheckpointUtils
{
    /// <summary>The checkpoint prefix of <paramref name="ckptDirOrFile"/>: the latest in a directory, else the path itself.</summary>
    public static string Prefix(string ckptDirOrFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(ckptDirOrFile);
        if (!Directory.Exists(ckptDirOrFile)) return ckptDirOrFile;
        var state = CheckpointStateFile.Read(ckptDirOrFile);
        if (state is not { Latest: var latest } || !CheckpointStateFile.CheckpointExists(latest))
            throw new ValueError($"Couldn't find 'checkpoint' file or checkpoints in given directory {ckptDirOrFile}");
        return latest;
    }

    public static CheckpointReader Reader(string ckptDirOrFile) => new(Prefix(ckptDirOrFile));

    /// <summary>
    /// TensorFlow's checkpoint_management.py <c>latest_checkpoint</c>: the newest checkpoint recorded in
    /// <paramref name="checkpointDir"/>'s state file <paramref name="latestFilename"/>, or null when there is none or
    /// its files are gone.
    /// </summary>
    public static string? LatestCheckpoint(string checkpointDir, string latestFilename = CheckpointStateFile.DefaultFileName) =>
        CheckpointStateFile.Read(checkpointDir, latestFilename) is { Latest: var latest } && CheckpointStateFile.CheckpointExists(latest) ? latest : null;

    /// <summary><c>list_variables</c>: the (name, shape) of every variable in the checkpoint, sorted by name.</summary>
    public static List<(string Name, Shape Shape)> ListVariables(string ckptDirOrFile) =>
        Reader(ckptDirOrFile).get_variable_to_shape_map().OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, kv.Value)).ToList();

    /// <summary><c>load_variable</c>: the value of the variable <paramref name="name"/> (a trailing <c>:0</c> is dropped).</summary>
    public static NDArray LoadVariable(string ckptDirOrFile, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.EndsWith(":0", StringComparison.Ordinal)) name = name[..^2];
        return Reader(ckptDirOrFile).get_tensor(name);
    }

    /// <summary>
    /// TensorFlow 1.15's <c>_init_from_checkpoint</c>: for each (checkpoint name, variable or name) pair in name order,
    /// a variable (or the name of one made by <c>tf.get_variable</c>) is initialized from the one tensor; otherwise
    /// the pair maps a checkpoint scope to a scope of <c>tf.get_variable</c> variables (both ending in '/', '/' alone
    /// standing for the checkpoint's root), and every variable under the graph scope is initialized from the tensor
    /// of the same relative name under the checkpoint scope. Names, shapes and dtypes are checked now; as in
    /// TensorFlow, a RestoreV2 op reads the values when the initializers run.
    /// </summary>
    public static void InitFromCheckpoint(string ckptDirOrFile, IEnumerable<(string Key, object Value)> assignmentMap)
    {
        ArgumentNullException.ThrowIfNull(assignmentMap);
        var reader = Reader(ckptDirOrFile);
        var variableMap = reader.get_variable_to_shape_map();
        var store = Graph.get_default().BuilderState<VariableScopes.State>().Variables;
        foreach (var (tensorNameInCkpt, currentVarOrName) in assignmentMap.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            ArgumentNullException.ThrowIfNull(tensorNameInCkpt);
            var variable = currentVarOrName as Variable
                ?? (currentVarOrName is string n && store.TryGetValue(n, out var stored) ? stored : null);
            if (variable is not null)
            {
                if (!variableMap.TryGetValue(tensorNameInCkpt, out var shape))
                    throw new ValueError($"Tensor {tensorNameInCkpt} is not found in {ckptDirOrFile} checkpoint {{{string.Join(", ", variableMap.Select(kv => $"'{kv.Key}': {kv.Value.ToListString()}"))}}}");
                if (!variable.shape.IsCompatibleWith(shape))
                    throw new ValueError($"Shape of variable {variable.name} ({variable.shape}) doesn't match with shape of tensor {tensorNameInCkpt} ({shape.ToListString()}) from checkpoint reader.");
                SetInitializer(variable, reader, tensorNameInCkpt);
                continue;
            }
            var current = currentVarOrName as string
                ?? throw new TypeError($"assignment_map values are variables or names, not {currentVarOrName?.GetType().Name ?? "null"}");
            var scopes = current.Contains('/', StringComparison.Ordinal) ? current[..current.LastIndexOf('/')] : "";
            if (!tensorNameInCkpt.EndsWith('/'))
                throw new ValueError($"Assignment map with scope only name {scopes} should map to scope only {tensorNameInCkpt}. Should be 'scope/': 'other_scope/'.");
            var scopeVariables = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var varName in store.Keys)
                if (scopes.Length == 0 || varName.StartsWith(scopes + "/", StringComparison.Ordinal))
                    scopeVariables.Add(varName);
            foreach (var varName in scopeVariables)
            {
                var fullTensorName = varName[scopes.Length..];
                if (current != "/") fullTensorName = fullTensorName[1..];
                if (tensorNameInCkpt != "/") fullTensorName = tensorNameInCkpt + fullTensorName;
                if (fullTensorName.EndsWith('/')) fullTensorName = fullTensorName[..^1];
                if (!variableMap.TryGetValue(fullTensorName, out var shape))
                    throw new ValueError($"Tensor {fullTensorName} ({varName[Math.Min(varName.Length, scopes.Length + 1)..]} in {tensorNameInCkpt}) is not found in {ckptDirOrFile} checkpoint");
                var v = store[varName];
                if (!v.shape.IsCompatibleWith(shape))
                    throw new ValueError($"Shape of variable {v.name} ({v.shape}) doesn't match with shape of tensor {fullTensorName} ({shape.ToListString()}) from checkpoint reader.");
                SetInitializer(v, reader, fullTensorName);
            }
        }
    }

    /// <summary>
    /// As TensorFlow's <c>_set_checkpoint_initializer</c>: the variable's initial value becomes a RestoreV2 op
    /// (<c>checkpoint_initializer</c>) reading the tensor when it runs, its initializer the assignment of it.
    /// </summary>
    private static void SetInitializer(Variable variable, CheckpointReader reader, string tensorName)
    {
        var dtype = reader.DTypeOf(tensorName);
        if (dtype != variable.dtype)
            throw new ValueError($"Tensor {tensorName} in the checkpoint is {dtype.name}, variable {variable.op.name} is {variable.dtype.name}");
        var graph = variable.graph;
        using (graph.control_dependencies(null))
        {
            var restored = RestoreV2.Build(NDArray.FromStrings([reader.prefix]), [tensorName], [""], [variable.dtype], "checkpoint_initializer")[0];
            restored.SetShape(variable.shape);
            var assign = Assign.Build(variable, restored, validateShape: true, useLocking: true);
            variable.initializer = assign.op;
            variable.initial_value = restored;
        }
    }
}
