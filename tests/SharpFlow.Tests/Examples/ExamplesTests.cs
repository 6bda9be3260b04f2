namespace SharpFlow.Tests.Examples;

/// <summary>Every example runs and prints what the seed's snippet prints in TensorFlow.</summary>
[Collection("examples")]
public class ExamplesTests
{
    [Fact]
    public void EveryExampleHasATest()
    {
        var tested = typeof(ExamplesTests).GetMethods()
            .SelectMany(m => m.GetCustomAttributes(typeof(ExampleAttribute), false).Cast<ExampleAttribute>())
            .Select(a => a.File).ToHashSet();
        var files = Directory.GetFiles(Path.Combine(ExampleRunner.RepositoryRoot, "examples"), "*.cs").Select(f => Path.GetFileName(f));
        Assert.All(files, f => Assert.Contains(f, tested));
    }

    [Fact, Example("03-graph-add.cs")]
    public void GraphAdd()
    {
        var output = ExampleRunner.Run("03-graph-add.cs");
        Assert.Equal("Tensor(\"add:0\", shape=(2,), dtype=int32)\n[3 5]\n", output);
    }

    [Fact, Example("03-two-graphs.cs")]
    public void TwoGraphs()
    {
        var lines = ExampleRunner.Run("03-two-graphs.cs").Split('\n');
        Assert.Equal("[3 5]", lines[0]);
        Assert.Equal("[5 5]", lines[1]);
        Assert.StartsWith("ValueError: Tensor(\"add:0\", shape=(2,), dtype=int32) must be from the same graph as", lines[2]);
        Assert.Contains("is not an element of this graph", lines[3]);
    }

    [Fact, Example("04-collections.cs")]
    public void Collections()
    {
        var output = ExampleRunner.Run("04-collections.cs");
        Assert.Contains("GLOBAL_VARIABLES = \"variables\"", output);
        Assert.Contains("TRAINABLE_VARIABLES = \"trainable_variables\"", output);
        Assert.Contains("global variables: w:0, step:0", output);
        Assert.Contains("trainable variables: w:0\n", output);
        Assert.Contains("sum of the losses collection: 4.0", output);
    }

    [Fact, Example("05-sessions.cs")]
    public void Sessions()
    {
        var output = ExampleRunner.Run("05-sessions.cs");
        Assert.Equal("[3 5]\n[3 5]\nFailedPreconditionError: Attempted to use a closed Session.\n", output);
    }

    [Fact, Example("07-08-random-and-constants.cs")]
    public void RandomAndConstants()
    {
        var output = ExampleRunner.Run("07-08-random-and-constants.cs");
        // TensorFlow prints these numbers for tf.random_normal([2, 2], seed=1).
        Assert.Contains("random_normal((2, 2), seed=1):\n[[-0.8113182   1.4845988 ]\n [ 0.06532937 -2.4427042 ]]", output);
        Assert.Contains("range(3, 18, 3): [ 3  6  9 12 15]", output);
        Assert.Contains("lin_space(10.0, 12.0, 3): [10. 11. 12.]", output);
        Assert.Contains("fill([2, 3], 9):\n[[9 9 9]\n [9 9 9]]", output);
        Assert.Contains("constant(-1.0, shape=(2, 3)):\n[[-1. -1. -1.]\n [-1. -1. -1.]]", output);
    }

    [Fact, Example("09-variables.cs")]
    public void Variables()
    {
        var output = ExampleRunner.Run("09-variables.cs");
        Assert.Contains("<tf.Variable 'Variable:0' shape=(2, 2) dtype=float32_ref>", output);
        Assert.Contains("before initialization: Attempting to use uninitialized value Variable", output);
        var adds = output.Split("add =\n").Skip(1).Select(s => s.Split('\n').Take(2)).Select(l => string.Join("\n", l)).ToList();
        Assert.Equal(2, adds.Count);
        Assert.Equal(adds[0], adds[1]); // the same seeds give the same values in a new session
        Assert.Contains("w1 after assign(1) and assign_add(1):\n[[2. 2.]\n [2. 2.]]", output);
    }

    [Fact, Example("11-placeholders.cs")]
    public void Placeholders()
    {
        var output = ExampleRunner.Run("11-placeholders.cs");
        Assert.Contains("Tensor(\"input:0\", shape=(?, 2), dtype=float32)", output);
        Assert.Contains("[[4.2999997 5.9       7.4999995]]", output);
        Assert.Contains("You must feed a value for placeholder tensor 'input' with dtype float and shape [?,2]", output);
        Assert.Contains("Cannot feed value of shape (3,) for Tensor 'input:0', which has shape '(?, 2)'", output);
    }

    [Fact, Example("32-variable-scope.cs")]
    public void VariableScope()
    {
        var output = ExampleRunner.Run("32-variable-scope.cs");
        Assert.StartsWith("foo/v:0\n", output);
        Assert.Contains("Variable foo/v already exists, disallowed.", output);
        Assert.Contains("v1 == v: True", output);
        Assert.Contains("Variable bar/v does not exist", output);
        Assert.Contains("root reuse: False\nroot/foo reuse: True\nroot/foo/bar reuse: True\nroot/w:0", output);
        Assert.Contains("AUTO_REUSE gives the same variable: True", output);
        Assert.EndsWith("[1.]\n", output);
    }
}

[AttributeUsage(AttributeTargets.Method)]
public sealed class ExampleAttribute(string file) : Attribute
{
    public string File { get; } = file;
}
