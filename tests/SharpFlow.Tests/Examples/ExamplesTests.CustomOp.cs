namespace SharpFlow.Tests.Examples;

public partial class ExamplesTests
{
    /// <summary>
    /// TensorFlow's ZeroOut written in a separate program against the public API only (no internals): forward,
    /// gradient, the shape rule's refusal, and a GraphDef round trip after tf.load_op_library.
    /// </summary>
    [Fact, Example("custom-op.cs")]
    public void CustomOp()
    {
        var output = ExampleRunner.Run("custom-op.cs");
        Assert.Contains("zero_out: [[1. 0. 0.]\n [0. 0. 0.]]\nshape: (2, 3)\n", output);
        Assert.Contains("gradient: [[2. 0. 0.]\n [0. 0. 0.]]\n", output);
        Assert.Contains("refused: ZeroOut \"scalar\": ZeroOut expects a tensor of rank 1 or more, got a scalar\n", output);
        Assert.Contains("registered: ZeroOut\n", output);
        Assert.Contains("imported zero_out: [[9. 0. 0.]\n [0. 0. 0.]]\n", output);
    }
}
