using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Framework;

public class GraphTests
{
    [Fact]
    public void NamesAreMadeUniqueLikeTensorFlow()
    {
        using var g = TestGraph.Enter();
        var a = tf.constant(1);
        var b = tf.constant(2);
        Assert.Equal("Const:0", a.name);
        Assert.Equal("Const_1:0", b.name);
        Assert.Equal("add:0", (a + b).name);
        Assert.Equal("add_1:0", (a + b).name);
        // Names are compared case-insensitively, so "Add" after "add" and "add_1" is Add_2, as in TensorFlow.
        Assert.Equal("Add_2:0", tf.add(a, b).name);
        Assert.Equal("Mul:0", tf.multiply(a, b).name);
    }

    [Fact]
    public void ExplicitNamesAreUniquifiedToo()
    {
        using var g = TestGraph.Enter();
        Assert.Equal("a:0", tf.constant(1, name: "a").name);
        Assert.Equal("a_1:0", tf.constant(1, name: "a").name);
        g.Graph.unique_name("b_1");
        Assert.Equal("b:0", tf.constant(1, name: "b").name);
        Assert.Equal("b_2:0", tf.constant(1, name: "b").name); // b_1 is taken
    }

    [Fact]
    public void NameScopesPrefixAndNest()
    {
        using var g = TestGraph.Enter();
        using (tf.name_scope("layer"))
        {
            Assert.Equal("layer/Const:0", tf.constant(1).name);
            using (tf.name_scope("inner"))
                Assert.Equal("layer/inner/x:0", tf.constant(1, name: "x").name);
        }
        using (tf.name_scope("layer"))
            Assert.Equal("layer_1/Const:0", tf.constant(1).name);
        using (tf.name_scope("layer/"))
            Assert.Equal("layer/Const_1:0", tf.constant(1).name); // a trailing slash re-enters the scope
        Assert.Equal("", g.Graph.get_name_scope());
        Assert.Throws<ValueError>(() => tf.name_scope("-bad"));
    }

    [Fact]
    public void OperatorsUseTensorFlowsOpNames()
    {
        using var g = TestGraph.Enter();
        var x = tf.constant(2.0);
        Assert.Equal("add", (x + 1).op.name);
        Assert.Equal("Add", (x + 1).op.type);
        Assert.Equal("sub", (x - 1).op.name);
        Assert.Equal("mul", (x * 2).op.name);
        Assert.Equal("truediv", (x / 2).op.name);
        Assert.Equal("RealDiv", (x / 2).op.type);
        Assert.Equal("Neg", (-x).op.name);
        Assert.Equal("Less", (x < 3.0).op.type);
        // A number converted for an op becomes a constant inside the op's scope, with the op's dtype.
        var y = x * 2;
        Assert.Equal("mul_1/y", y.op.inputs[1].op.name);
        Assert.Equal(tf.float32, y.op.inputs[1].dtype);
    }

    [Fact]
    public void TensorsPrintAsTensorFlow()
    {
        using var g = TestGraph.Enter();
        var a = tf.constant(new[] { 1, 2 }, name: "a");
        Assert.Equal("Tensor(\"a:0\", shape=(2,), dtype=int32)", a.ToString());
        var p = tf.placeholder(tf.float32, new[] { -1, 784 });
        Assert.Equal("Tensor(\"Placeholder:0\", shape=(?, 784), dtype=float32)", p.ToString());
        var any = tf.placeholder(tf.float32);
        Assert.Equal("Tensor(\"Placeholder_1:0\", dtype=float32)", any.ToString());
        Assert.Equal("Tensor(\"Const:0\", shape=(), dtype=float32)", tf.constant(1f).ToString());
    }

    [Fact]
    public void DefaultGraphSwitchesWithAsDefault()
    {
        var outer = tf.get_default_graph();
        var g = tf.Graph();
        using (g.as_default())
        {
            Assert.Same(g, tf.get_default_graph());
            Assert.Same(g, tf.constant(1).graph);
        }
        Assert.Same(outer, tf.get_default_graph());
    }

    [Fact]
    public void CombiningTwoGraphsIsABuildTimeError()
    {
        Tensor a, b;
        using (new Graph().as_default()) a = tf.constant(1, name: "a");
        using (new Graph().as_default()) b = tf.constant(2, name: "b");
        var e = Assert.Throws<ValueError>(() => tf.add(a, b));
        Assert.Equal("Tensor(\"b:0\", shape=(), dtype=int32) must be from the same graph as Tensor(\"a:0\", shape=(), dtype=int32).", e.Message);
        Assert.Throws<ValueError>(() => a + b);
        Assert.Throws<ValueError>(() => tf.group(a.op, b.op));
    }

    [Fact]
    public void OpsAreFoundByName()
    {
        using var g = TestGraph.Enter();
        var a = tf.constant(1, name: "a");
        Assert.Same(a.op, g.Graph.get_operation_by_name("a"));
        Assert.Same(a.op.outputs[0], g.Graph.get_tensor_by_name("a:0"));
        Assert.Throws<KeyNotFoundException>(() => g.Graph.get_operation_by_name("missing"));
        Assert.Throws<KeyNotFoundException>(() => g.Graph.get_tensor_by_name("a:1"));
        Assert.Throws<ValueError>(() => g.Graph.get_tensor_by_name("a"));
    }

    [Fact]
    public void OpIdsCountFromOneInCreationOrder()
    {
        using var g = TestGraph.Enter();
        var a = tf.constant(1);
        var b = a + 2; // creates add/y then add
        Assert.Equal(3, g.Graph.LastId);
        Assert.Equal(new[] { "Const", "add/y", "add" }, g.Graph.get_operations().Select(o => o.name));
        Assert.Equal(new[] { b.op }, a.consumers());
    }

    [Fact]
    public void ControlDependenciesApplyInsideTheScope()
    {
        using var g = TestGraph.Enter();
        var a = tf.constant(1, name: "a");
        var b = tf.constant(2, name: "b");
        Tensor c, d, e;
        using (tf.control_dependencies([a.op]))
        {
            c = tf.constant(3, name: "c");
            d = c + b; // c was created inside the scope, so d needs no extra dependency
            using (tf.control_dependencies(null))
                e = tf.constant(4, name: "e");
        }
        Assert.Equal(new[] { a.op }, c.op.control_inputs);
        Assert.Empty(d.op.control_inputs);
        Assert.Empty(e.op.control_inputs);
        Assert.Contains("input: \"^a\"", c.op.ToString());
    }

    [Fact]
    public void CollectionsKeepOrderAndFilterByScope()
    {
        using var g = TestGraph.Enter();
        Tensor a, b;
        using (tf.name_scope("one")) a = tf.constant(1, name: "x");
        using (tf.name_scope("two")) b = tf.constant(2, name: "x");
        tf.add_to_collection("mine", a);
        tf.add_to_collection("mine", b);
        tf.add_to_collection("mine", "no name");
        Assert.Equal(3, tf.get_collection("mine").Count);
        Assert.Equal(new object[] { b }, tf.get_collection("mine", scope: "two"));
        Assert.Empty(tf.get_collection("missing"));
        tf.get_collection_ref("mine").Clear();
        Assert.Empty(tf.get_collection("mine"));
    }

    [Fact]
    public void FinalizedGraphRejectsNewOps()
    {
        using var g = TestGraph.Enter();
        g.Graph.finalize();
        var e = Assert.Throws<InvalidOperationException>(() => tf.constant(1));
        Assert.Equal("Graph is finalized and cannot be modified.", e.Message);
    }

    [Fact]
    public void OperationPrintsItsNodeDef()
    {
        using var g = TestGraph.Enter();
        var sum = tf.add(tf.constant(1, name: "a"), tf.constant(2, name: "b"), name: "sum");
        var text = sum.op.ToString();
        Assert.StartsWith("name: \"sum\"\nop: \"Add\"\ninput: \"a\"\ninput: \"b\"\n", text);
        Assert.Contains("type: DT_INT32", text);
    }
}
