using Google.Protobuf;
using Tensorflow;

namespace SharpFlow.GraphIO;

/// <summary>
/// The save and restore nodes TensorFlow's <c>tf.train.Saver</c> puts in a graph (saver.py's BulkSaverBuilder, format
/// V2) and the <c>SaverDef</c> naming them, added to an exported GraphDef: <c>save/Const</c> (the filename, "model"
/// by default, fed with the prefix), <c>save/SaveV2</c> of the variables under their checkpoint names and
/// <c>save/control_dependency</c> (the save tensor), <c>save/RestoreV2</c> with one <c>save/Assign</c> per
/// variable (<c>save/AssignVariableOp</c> after a <c>save/Identity</c> for a resource variable) and
/// <c>save/restore_all</c>. SharpFlow's Saver saves and restores without graph nodes; these make the MetaGraphDef one
/// that TensorFlow's <c>import_meta_graph</c> and <c>saver.restore</c> use as they use their own.
/// </summary>
internal static class SaverDefs
{
    /// <summary>TensorFlow's default <c>keep_checkpoint_every_n_hours</c> (10000: never).</summary>
    public const float DefaultKeepHours = 10000f;

    /// <summary>Adds the nodes to <paramref name="graphDef"/> under a scope <c>save</c> made unique, and returns their SaverDef.</summary>
    public static SaverDef AddNodes(GraphDef graphDef, IReadOnlyList<(string Name, Variable Variable)> variables, int maxToKeep, float keepHours = DefaultKeepHours, bool sharded = false)
    {
        ArgumentNullException.ThrowIfNull(graphDef);
        var taken = graphDef.Node.Select(n => n.Name.Split('/')[0]).ToHashSet(StringComparer.Ordinal);
        var scope = "save";
        for (var i = 1; taken.Contains(scope); i++) scope = $"save_{i}";
        var sorted = variables.OrderBy(v => System.Text.Encoding.UTF8.GetBytes(v.Name), Checkpoints.ByteComparer.Instance).ToList();

        NodeDef Node(string name, string op, params string[] inputs)
        {
            var n = new NodeDef { Name = $"{scope}/{name}", Op = op };
            n.Input.AddRange(inputs);
            graphDef.Node.Add(n);
            return n;
        }
        static AttrValue Type(DType t) => new() { Type = TensorProtos.ToProto(t) };
        static AttrValue Types(IEnumerable<DType> ts)
        {
            var list = new AttrValue.Types.ListValue();
            list.Type.AddRange(ts.Select(TensorProtos.ToProto));
            return new AttrValue { List = list };
        }
        static AttrValue Class(string name)
        {
            var list = new AttrValue.Types.ListValue();
            list.S.Add(ByteString.CopyFromUtf8("loc:@" + name));
            return new AttrValue { List = list };
        }
        void Strings(string name, string[] values)
        {
            var n = Node(name, "Const");
            n.Attr["dtype"] = Type(DType.@string);
            n.Attr["value"] = new AttrValue { Tensor = TensorProtos.ToProto(NDArray.FromStrings(values, values.Length == 1 && name == "Const" ? Shape.Scalar : new Shape(values.Length))) };
        }

        Strings("Const", ["model"]);
        NodeDef Scalar(string name, DType dtype, NDArray value)
        {
            var n = Node(name, "Const");
            n.Attr["dtype"] = Type(dtype);
            n.Attr["value"] = new AttrValue { Tensor = TensorProtos.ToProto(value) };
            return n;
        }
        // Sharded (saver.py's _AddShardedSaveOpsForV2, one device): SaveV2 writes PREFIX_temp_UUID/part-00000-of-00001,
        // MergeV2Checkpoints merges it into PREFIX, and save/Identity (the save tensor) is the prefix after the merge.
        var saveFile = $"{scope}/Const";
        if (sharded)
        {
            Scalar("StringJoin/inputs_1", DType.@string, NDArray.FromStrings([$"_temp_{Guid.NewGuid():N}/part"], Shape.Scalar));
            var join = Node("StringJoin", "StringJoin", $"{scope}/Const", $"{scope}/StringJoin/inputs_1");
            join.Attr["N"] = new AttrValue { I = 2 };
            join.Attr["separator"] = new AttrValue { S = ByteString.Empty };
            Scalar("num_shards", DType.int32, NDArray.Scalar(1));
            Scalar("ShardedFilename/shard", DType.int32, NDArray.Scalar(0));
            Node("ShardedFilename", "ShardedFilename", $"{scope}/StringJoin", $"{scope}/ShardedFilename/shard", $"{scope}/num_shards");
            saveFile = $"{scope}/ShardedFilename";
        }
        var names = sorted.Select(v => v.Name).ToArray();
        var empty = sorted.Select(_ => "").ToArray();
        Strings("SaveV2/tensor_names", names);
        Strings("SaveV2/shape_and_slices", empty);
        var save = Node("SaveV2", "SaveV2", [saveFile, $"{scope}/SaveV2/tensor_names", $"{scope}/SaveV2/shape_and_slices",
            .. sorted.Select(v => IsResource(v.Variable) ? GraphDefExporter.TensorName(v.Variable.value()) : v.Variable.op.name)]);
        save.Attr["dtypes"] = Types(sorted.Select(v => v.Variable.dtype));
        var dependency = Node("control_dependency", "Identity", saveFile, $"^{scope}/SaveV2");
        dependency.Attr["T"] = Type(DType.@string);
        dependency.Attr["_class"] = Class(saveFile);
        var saveTensor = $"{scope}/control_dependency:0";
        if (sharded)
        {
            var pack = Node("MergeV2Checkpoints/checkpoint_prefixes", "Pack", saveFile, $"^{scope}/control_dependency");
            pack.Attr["N"] = new AttrValue { I = 1 };
            pack.Attr["T"] = Type(DType.@string);
            pack.Attr["axis"] = new AttrValue { I = 0 };
            var merge = Node("MergeV2Checkpoints", "MergeV2Checkpoints", pack.Name, $"{scope}/Const", $"^{scope}/control_dependency");
            merge.Attr["delete_old_dirs"] = new AttrValue { B = true };
            var identity = Node("Identity", "Identity", $"{scope}/Const", $"^{scope}/control_dependency", $"^{scope}/MergeV2Checkpoints");
            identity.Attr["T"] = Type(DType.@string);
            saveTensor = $"{scope}/Identity:0";
        }

        Strings("RestoreV2/tensor_names", names);
        Strings("RestoreV2/shape_and_slices", empty);
        var restore = Node("RestoreV2", "RestoreV2", $"{scope}/Const", $"{scope}/RestoreV2/tensor_names", $"{scope}/RestoreV2/shape_and_slices");
        restore.Attr["dtypes"] = Types(sorted.Select(v => v.Variable.dtype));
        var assigns = new List<string>();
        for (var i = 0; i < sorted.Count; i++)
        {
            var v = sorted[i].Variable;
            var suffix = i == 0 ? "" : $"_{i}";
            var identitySuffix = sharded ? $"_{i + 1}" : suffix; // save/Identity is the sharded save tensor
            var restored = i == 0 ? $"{scope}/RestoreV2" : $"{scope}/RestoreV2:{i}";
            if (IsResource(v))
            {
                var identity = Node("Identity" + identitySuffix, "Identity", restored);
                identity.Attr["T"] = Type(v.dtype);
                var assign = Node("AssignVariableOp" + suffix, "AssignVariableOp", v.op.name, identity.Name);
                assign.Attr["dtype"] = Type(v.dtype);
                assigns.Add("^" + assign.Name);
            }
            else
            {
                var assign = Node("Assign" + suffix, "Assign", v.op.name, restored);
                assign.Attr["T"] = Type(v.dtype);
                assign.Attr["_class"] = Class(v.op.name);
                assign.Attr["use_locking"] = new AttrValue { B = true };
                assign.Attr["validate_shape"] = new AttrValue { B = true };
                assigns.Add("^" + assign.Name);
            }
        }
        if (sharded)
        {
            // saver.py's _AddShardedRestoreOps: one restore_shard group per device, grouped into restore_all.
            Node("restore_shard", "NoOp", [.. assigns]);
            Node("restore_all", "NoOp", $"^{scope}/restore_shard");
        }
        else Node("restore_all", "NoOp", [.. assigns]);

        return new SaverDef
        {
            FilenameTensorName = $"{scope}/Const:0",
            SaveTensorName = saveTensor,
            RestoreOpName = $"{scope}/restore_all",
            MaxToKeep = maxToKeep,
            Sharded = sharded,
            KeepCheckpointEveryNHours = keepHours,
            Version = SaverDef.Types.CheckpointFormatVersion.V2,
        };
    }

    private static bool IsResource(Variable v) => v.op.type == "VarHandleOp";
}
