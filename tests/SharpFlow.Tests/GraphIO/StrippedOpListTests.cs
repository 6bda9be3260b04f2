using Google.Protobuf;
using SharpFlow.GraphIO;
using SharpFlow.Tests.Checkpoints;
using SharpFlow.Tests.Support;
using Tf = Tensorflow;
using static SharpFlow.Binding;

namespace SharpFlow.Tests.GraphIO;

/// <summary>
/// <c>meta_info_def.stripped_op_list</c>: export_meta_graph writes TensorFlow's OpDef of every op type the graph
/// uses (those in SharpFlow's table), checked against the list TensorFlow itself wrote into the regression
/// model's model.meta, and SharpFlow's nodes keep to those OpDefs (TensorFlow's importer checks them).
/// </summary>
public sealed class StrippedOpListTests
{
    private static Dictionary<string, Tf.OpDef> TensorFlowsList() =>
        ProtoFiles.Read<Tf.MetaGraphDef>(TfFiles.CheckpointPrefix + ".meta").MetaInfoDef.StrippedOpList.Op.ToDictionary(o => o.Name);

    [Fact]
    public void TheTableHoldsTensorFlowsOwnOpDefs()
    {
        var written = TensorFlowsList();
        Assert.True(written.Count >= 30);
        foreach (var (name, def) in written)
            Assert.Equal(def, TfOpDefs.Find(name));
        Assert.Null(TfOpDefs.Find("NoSuchOp"));
    }

    // The regression model TensorFlow wrote (model.meta), built the same way in SharpFlow.
    private static Tf.MetaGraphDef RegressionModel()
    {
        using var g = TestGraph.Enter();
        var x = tf.placeholder(tf.float32, name: "X");
        var y = tf.placeholder(tf.float32, name: "Y");
        var w = tf.Variable(0.5f, name: "W");
        var b = tf.Variable(0.1f, name: "b");
        var pred = tf.add(tf.multiply(x, w), b, name: "pred");
        var loss = tf.reduce_sum(tf.pow(tf.subtract(pred, y), 2f)) / 2f;
        tf.train.GradientDescentOptimizer(0.01).minimize(loss);
        return tf.train.export_meta_graph();
    }

    [Fact]
    public void ExportMetaGraphWritesTensorFlowsOpDefsForTheOpsItUses()
    {
        var meta = RegressionModel();
        var list = meta.MetaInfoDef.StrippedOpList.Op;
        var types = meta.GraphDef.Node.Select(n => n.Op).Distinct().ToHashSet();
        Assert.Equal(list.Select(o => o.Name).Order(StringComparer.Ordinal), list.Select(o => o.Name));
        Assert.Equal(types.Where(t => TfOpDefs.Find(t) is not null).Order(StringComparer.Ordinal), list.Select(o => o.Name));
        var tensorFlows = TensorFlowsList();
        foreach (var type in new[] { "Add", "ApplyGradientDescent", "Assign", "Const", "Identity", "Mul", "NoOp", "Placeholder", "Pow", "Sub", "Sum", "VariableV2" })
        {
            Assert.True(list.Any(o => o.Name == type), $"{type} is not in the list: {string.Join(", ", list.Select(o => o.Name))}");
            Assert.Equal(tensorFlows[type], list.Single(o => o.Name == type));
        }
    }

    [Fact]
    public void SharpFlowsNodesKeepToTheOpDefs()
    {
        var meta = RegressionModel();
        var checkedNodes = 0;
        foreach (var node in meta.GraphDef.Node)
        {
            if (TfOpDefs.Find(node.Op) is not { } def) continue;
            checkedNodes++;
            foreach (var attr in def.Attr.Where(a => a.DefaultValue is null))
                Assert.True(node.Attr.ContainsKey(attr.Name), $"{node.Name} ({node.Op}) lacks attr {attr.Name}");
            foreach (var name in node.Attr.Keys.Where(k => !k.StartsWith('_')))
                Assert.True(def.Attr.Any(a => a.Name == name), $"{node.Name} ({node.Op}) has attr {name}, which TensorFlow's {node.Op} does not define");
            var inputs = node.Input.Count(i => !i.StartsWith('^'));
            if (def.InputArg.All(a => a.NumberAttr.Length == 0 && a.TypeListAttr.Length == 0))
                Assert.True(def.InputArg.Count == inputs, $"{node.Name} ({node.Op}) has {inputs} inputs, TensorFlow's {node.Op} {def.InputArg.Count}");
        }
        Assert.True(checkedNodes > 30, $"only {checkedNodes} nodes checked");
    }

    [SkippableFact]
    public void ProtocReadsTheStrippedOpList()
    {
        Protoc.SkipUnlessAvailable();
        var text = Protoc.Decode("tensorflow.MetaGraphDef", RegressionModel().ToByteArray());
        Assert.Contains("stripped_op_list {\n    op {\n      name: \"Add\"", text);
        Assert.Contains("name: \"VariableV2\"", text);
        Assert.Contains("is_stateful: true", text);
    }
}
