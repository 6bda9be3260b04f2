using Google.Protobuf;
using SharpFlow.GraphIO;
using SharpFlow.Ops.State;
using SharpFlow.Tests.Support;
using Tf = Tensorflow;
using static SharpFlow.Binding;

namespace SharpFlow.Tests.GraphIO;

/// <summary>
/// TensorFlow 1.15's resource variables imported from a GraphDef and a MetaGraphDef: VarHandleOp, ReadVariableOp,
/// AssignVariableOp, VarIsInitializedOp, AssignAddVariableOp, AssignSubVariableOp and ResourceGather with TensorFlow's
/// attrs (dtype, shape, container, shared_name), initialised, run, saved and restored by the checkpoint key of the
/// variable's name.
/// </summary>
public sealed class ResourceVariableTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-resource-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    // What TensorFlow 1.15 writes for
    //   x = tf.placeholder(tf.float32, [None, 2], name="x")
    //   w = tf.get_variable("w", initializer=tf.constant([[1., 2.], [3., 4.]]), use_resource=True)
    //   y = tf.matmul(x, w, name="y"); inc = w.assign_add(tf.ones([2, 2])); saver = tf.train.Saver()
    // (the names and attrs of its nodes; the Saver's nodes as saveable_object_util builds them for a resource variable).
    private const string GraphText = """
        node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } }
               attr { key: "shape" value { shape { dim { size: -1 } dim { size: 2 } } } } }
        node { name: "Const" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
               attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 2 } dim { size: 2 } }
                      float_val: 1 float_val: 2 float_val: 3 float_val: 4 } } } }
        node { name: "w" op: "VarHandleOp" attr { key: "_class" value { list { s: "loc:@w" } } }
               attr { key: "container" value { s: "" } } attr { key: "dtype" value { type: DT_FLOAT } }
               attr { key: "shape" value { shape { dim { size: 2 } dim { size: 2 } } } }
               attr { key: "shared_name" value { s: "w" } } }
        node { name: "w/IsInitialized/VarIsInitializedOp" op: "VarIsInitializedOp" input: "w" }
        node { name: "w/Assign" op: "AssignVariableOp" input: "w" input: "Const" attr { key: "dtype" value { type: DT_FLOAT } } }
        node { name: "w/Read/ReadVariableOp" op: "ReadVariableOp" input: "w" attr { key: "dtype" value { type: DT_FLOAT } } }
        node { name: "y/ReadVariableOp" op: "ReadVariableOp" input: "w" attr { key: "dtype" value { type: DT_FLOAT } } }
        node { name: "y" op: "MatMul" input: "x" input: "y/ReadVariableOp" attr { key: "T" value { type: DT_FLOAT } }
               attr { key: "transpose_a" value { b: false } } attr { key: "transpose_b" value { b: false } } }
        node { name: "ones" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
               attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 2 } dim { size: 2 } } float_val: 1 } } } }
        node { name: "AssignAddVariableOp" op: "AssignAddVariableOp" input: "w" input: "ones" attr { key: "dtype" value { type: DT_FLOAT } } }
        node { name: "AssignSubVariableOp" op: "AssignSubVariableOp" input: "w" input: "ones" attr { key: "dtype" value { type: DT_FLOAT } } }
        node { name: "ReadVariableOp" op: "ReadVariableOp" input: "w" input: "^AssignAddVariableOp" attr { key: "dtype" value { type: DT_FLOAT } } }
        node { name: "rows" op: "Const" attr { key: "dtype" value { type: DT_INT32 } }
               attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape { dim { size: 3 } } int_val: 1 int_val: 0 int_val: 1 } } } }
        node { name: "ResourceGather" op: "ResourceGather" input: "w" input: "rows" attr { key: "Tindices" value { type: DT_INT32 } }
               attr { key: "batch_dims" value { i: 0 } } attr { key: "dtype" value { type: DT_FLOAT } }
               attr { key: "validate_indices" value { b: true } } }
        node { name: "save/Const" op: "Const" attr { key: "dtype" value { type: DT_STRING } }
               attr { key: "value" value { tensor { dtype: DT_STRING tensor_shape { } string_val: "model" } } } }
        node { name: "save/SaveV2/tensor_names" op: "Const" attr { key: "dtype" value { type: DT_STRING } }
               attr { key: "value" value { tensor { dtype: DT_STRING tensor_shape { dim { size: 1 } } string_val: "w" } } } }
        node { name: "save/SaveV2/shape_and_slices" op: "Const" attr { key: "dtype" value { type: DT_STRING } }
               attr { key: "value" value { tensor { dtype: DT_STRING tensor_shape { dim { size: 1 } } string_val: "" } } } }
        node { name: "save/SaveV2" op: "SaveV2" input: "save/Const" input: "save/SaveV2/tensor_names"
               input: "save/SaveV2/shape_and_slices" input: "w/Read/ReadVariableOp"
               attr { key: "dtypes" value { list { type: DT_FLOAT } } } }
        node { name: "save/control_dependency" op: "Identity" input: "save/Const" input: "^save/SaveV2"
               attr { key: "T" value { type: DT_STRING } } attr { key: "_class" value { list { s: "loc:@save/Const" } } } }
        node { name: "save/RestoreV2/tensor_names" op: "Const" attr { key: "dtype" value { type: DT_STRING } }
               attr { key: "value" value { tensor { dtype: DT_STRING tensor_shape { dim { size: 1 } } string_val: "w" } } } }
        node { name: "save/RestoreV2/shape_and_slices" op: "Const" attr { key: "dtype" value { type: DT_STRING } }
               attr { key: "value" value { tensor { dtype: DT_STRING tensor_shape { dim { size: 1 } } string_val: "" } } } }
        node { name: "save/RestoreV2" op: "RestoreV2" input: "save/Const" input: "save/RestoreV2/tensor_names"
               input: "save/RestoreV2/shape_and_slices" attr { key: "dtypes" value { list { type: DT_FLOAT } } } }
        node { name: "save/Identity" op: "Identity" input: "save/RestoreV2" attr { key: "T" value { type: DT_FLOAT } } }
        node { name: "save/AssignVariableOp" op: "AssignVariableOp" input: "w" input: "save/Identity"
               attr { key: "dtype" value { type: DT_FLOAT } } }
        node { name: "save/restore_all" op: "NoOp" input: "^save/AssignVariableOp" }
        versions { producer: 134 }
        """;

    private static Tf.GraphDef Graph() => TextFormat.Parse<Tf.GraphDef>(GraphText);

    private static Tf.MetaGraphDef Meta()
    {
        var meta = new Tf.MetaGraphDef
        {
            GraphDef = Graph(),
            SaverDef = new Tf.SaverDef
            {
                FilenameTensorName = "save/Const:0", SaveTensorName = "save/control_dependency:0", RestoreOpName = "save/restore_all",
                MaxToKeep = 5, KeepCheckpointEveryNHours = 10000, Version = Tf.SaverDef.Types.CheckpointFormatVersion.V2,
            },
        };
        var variable = new Tf.VariableDef
        {
            VariableName = "w:0", InitializerName = "w/Assign", SnapshotName = "w/Read/ReadVariableOp:0",
            InitialValueName = "Const:0", Trainable = true, IsResource = true,
        }.ToByteString();
        foreach (var key in new[] { "variables", "trainable_variables" })
            meta.CollectionDef[key] = new Tf.CollectionDef { BytesList = new Tf.CollectionDef.Types.BytesList { Value = { variable } } };
        return meta;
    }

    private static readonly float[,] X = { { 1f, 1f }, { 2f, -1f } };

    [Fact]
    public void ImportedResourceVariableInitialisesRunsAndUpdates()
    {
        using var g = TestGraph.Enter();
        tf.import_graph_def(Graph(), name: "");
        var graph = g.Graph;
        Assert.Equal(DType.resource, graph.get_tensor_by_name("w:0").dtype);
        Assert.Equal(new Shape(2, 2), graph.get_tensor_by_name("w/Read/ReadVariableOp:0").shape);
        Assert.Equal(new Shape(3, 2), graph.get_tensor_by_name("ResourceGather:0").shape);
        var y = graph.get_tensor_by_name("y:0");
        var x = graph.get_tensor_by_name("x:0");
        using var sess = tf.Session();
        Assert.False(sess.run(graph.get_tensor_by_name("w/IsInitialized/VarIsInitializedOp:0")).ToArray<bool>()[0]);
        sess.run(graph.get_operation_by_name("w/Assign"));
        Assert.True(sess.run(graph.get_tensor_by_name("w/IsInitialized/VarIsInitializedOp:0")).ToArray<bool>()[0]);
        Assert.Equal(new[] { 4f, 6f, -1f, 0f }, sess.run(y, new FeedDict { [x] = X }).ToArray<float>());
        // ReadVariableOp runs after the AssignAddVariableOp it depends on: w + 1.
        Assert.Equal(new[] { 2f, 3f, 4f, 5f }, sess.run(graph.get_tensor_by_name("ReadVariableOp:0")).ToArray<float>());
        Assert.Equal(new[] { 4f, 5f, 2f, 3f, 4f, 5f }, sess.run(graph.get_tensor_by_name("ResourceGather:0")).ToArray<float>());
        sess.run(graph.get_operation_by_name("AssignSubVariableOp"));
        sess.run(graph.get_operation_by_name("AssignSubVariableOp"));
        Assert.Equal(new[] { 0f, 1f, 2f, 3f }, sess.run(graph.get_tensor_by_name("w/Read/ReadVariableOp:0")).ToArray<float>());
    }

    [Fact]
    public void ReadingBeforeInitialisationIsTensorFlowsFailedPrecondition()
    {
        using var g = TestGraph.Enter();
        tf.import_graph_def(Graph(), name: "");
        using var sess = tf.Session();
        var e = Assert.Throws<FailedPreconditionError>(() => sess.run(g.Graph.get_tensor_by_name("w/Read/ReadVariableOp:0")));
        Assert.Contains("Error while reading resource variable w from Container: localhost. This could mean that the variable was uninitialized. " +
                        "Not found: Resource localhost/w/N10tensorflow3VarE does not exist.", e.Message);
        Assert.Contains("w/Read/ReadVariableOp", e.Message);
        Assert.Throws<FailedPreconditionError>(() => sess.run(g.Graph.get_operation_by_name("AssignAddVariableOp")));
        Assert.Throws<FailedPreconditionError>(() => sess.run(g.Graph.get_tensor_by_name("ResourceGather:0")));
    }

    [Fact]
    public void EachSessionHoldsItsOwnValueAndSharedNamesShareIt()
    {
        using var g = TestGraph.Enter();
        tf.import_graph_def(Graph(), name: "");
        var second = VarHandleOp.Build(tf.float32, new Shape(2, 2), sharedName: "w", name: "w_again");
        var read = ReadVariableOp.Build(second, tf.float32);
        using var a = tf.Session();
        using var b = tf.Session();
        a.run(g.Graph.get_operation_by_name("w/Assign"));
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, a.run(read).ToArray<float>());
        Assert.Throws<FailedPreconditionError>(() => b.run(read));
    }

    [Fact]
    public void BadDtypesAndShapesNameTheOp()
    {
        using var g = TestGraph.Enter();
        var h = VarHandleOp.Build(tf.float32, new Shape(2), sharedName: "v", name: "v");
        Assert.Contains("ReadVariableOp", Assert.Throws<TypeError>(() => ReadVariableOp.Build(h, tf.int32, name: "ReadVariableOp")).Message);
        Assert.Contains("wrong dtype", Assert.Throws<TypeError>(() => ReadVariableOp.Build(h, tf.int32)).Message);
        var bad = Assert.Throws<ValueError>(() => AssignVariableOp.Build(h, tf.constant(new[] { 1f, 2f, 3f }), tf.float32, name: "bad_assign"));
        Assert.Contains("bad_assign", bad.Message);
        Assert.Contains("AssignAddVariableOp", Assert.Throws<TypeError>(() => AssignVariableOp.Build(tf.constant(1f), tf.constant(1f), tf.float32, name: "AssignAddVariableOp")).Message);
        var fed = tf.placeholder(tf.float32, name: "fed");
        var assign = AssignVariableOp.Build(h, fed, tf.float32, name: "assign_fed");
        using var sess = tf.Session();
        var e = Assert.Throws<InvalidArgumentError>(() => sess.run(assign, new FeedDict { [fed] = new[] { 1f, 2f, 3f } }));
        Assert.Contains("Trying to assign to variable with tensor with wrong shape. Expected [2] got [3]", e.Message);
        Assert.Contains("assign_fed", e.Message);
        sess.run(assign, new FeedDict { [fed] = new[] { 1f, 2f } });
        var gather = ResourceGather.Build(h, tf.constant(new[] { 2 }), tf.float32, name: "gather");
        var ge = Assert.Throws<InvalidArgumentError>(() => sess.run(gather));
        Assert.Contains("indices[0] = 2 is not in [0, 2)", ge.Message);
        Assert.Contains("gather", ge.Message);
    }

    [Fact]
    public void ImportMetaGraphSavesAndRestoresUnderTheVariablesName()
    {
        var prefix = Path.Combine(_dir, "model.ckpt");
        using (var g = TestGraph.Enter())
        {
            var saver = tf.train.import_meta_graph(Meta())!;
            var w = Assert.IsType<Variable>(g.Graph.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES).Single());
            Assert.Equal(("w:0", tf.float32, new Shape(2, 2)), (w.name, w.dtype, w.shape));
            using var sess = tf.Session();
            sess.run(tf.global_variables_initializer());
            sess.run(g.Graph.get_operation_by_name("AssignAddVariableOp"));
            Assert.Equal(prefix, saver.save(sess, prefix, write_meta_graph: false));
        }
        var reader = tf.train.NewCheckpointReader(prefix);
        Assert.Equal(["w"], reader.get_variable_to_shape_map().Keys);
        Assert.Equal(new[] { 2f, 3f, 4f, 5f }, reader.get_tensor("w").ToArray<float>());

        using (var g = TestGraph.Enter())
        {
            var saver = tf.train.import_meta_graph(Meta())!;
            using var sess = tf.Session();
            saver.restore(sess, prefix);
            Assert.Equal(new[] { 2f, 3f, 4f, 5f }, sess.run(g.Graph.get_tensor_by_name("w/Read/ReadVariableOp:0")).ToArray<float>());
            // The variable object reads and assigns through the resource ops.
            var w = (Variable)g.Graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES).Single();
            Assert.Equal(new[] { 0f, 0f, 0f, 0f }, sess.run(w.assign(tf.zeros(new[] { 2, 2 }))).ToArray<float>());
            Assert.Equal(new[] { 1f, 1f, 1f, 1f }, sess.run(w.assign_add(tf.ones(new[] { 2, 2 }))).ToArray<float>());
        }
    }

    [Fact]
    public void TensorFlowsOwnSaveAndRestoreOpsRunOnTheResourceVariable()
    {
        var prefix = Path.Combine(_dir, "tf-ops");
        using var g = TestGraph.Enter();
        tf.import_graph_def(Graph(), name: "");
        var graph = g.Graph;
        var filename = graph.get_tensor_by_name("save/Const:0");
        using (var sess = tf.Session())
        {
            sess.run(graph.get_operation_by_name("w/Assign"));
            sess.run(graph.get_operation_by_name("AssignAddVariableOp"));
            sess.run(graph.get_tensor_by_name("save/control_dependency:0"), new FeedDict { [filename] = NDArray.FromStrings([prefix]) });
        }
        Assert.Equal(new[] { 2f, 3f, 4f, 5f }, tf.train.load_variable(prefix, "w").ToArray<float>());
        using (var sess = tf.Session())
        {
            sess.run(graph.get_operation_by_name("save/restore_all"), new FeedDict { [filename] = NDArray.FromStrings([prefix]) });
            Assert.Equal(new[] { 2f, 3f, 4f, 5f }, sess.run(graph.get_tensor_by_name("w/Read/ReadVariableOp:0")).ToArray<float>());
        }
    }

    [Fact]
    public void ExportedMetaGraphMarksTheVariableAsAResource()
    {
        using var g = TestGraph.Enter();
        tf.train.import_meta_graph(Meta());
        var meta = tf.train.export_meta_graph();
        var def = Tf.VariableDef.Parser.ParseFrom(meta.CollectionDef["variables"].BytesList.Value.Single());
        Assert.True(def.IsResource);
        Assert.Equal(("w:0", "w/Assign", "w/Read/ReadVariableOp:0"), (def.VariableName, def.InitializerName, def.SnapshotName));
        Assert.Equal("VarHandleOp", meta.GraphDef.Node.Single(n => n.Name == "w").Op);
        Assert.Equal("w", meta.GraphDef.Node.Single(n => n.Name == "w").Attr["shared_name"].S.ToStringUtf8());
    }
}
