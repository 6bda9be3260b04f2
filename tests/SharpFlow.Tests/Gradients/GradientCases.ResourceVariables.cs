using SharpFlow.Ops.State;

namespace SharpFlow.Tests.Gradients;

/// <summary>Gradient checks of the resource-variable ops TensorFlow 1.15's graphs import with (ReadVariableOp).</summary>
public static partial class GradientCases
{
    private static IEnumerable<GradientCase> ResourceVariablesCases()
    {
        // ReadVariableOp's gradient goes to the handle (TensorFlow's _ReadGrad), which has no inputs: the value read
        // is x (assigned first), and x*x + (read - stop_gradient(x)) has the gradient 2x both ways only when the
        // read adds nothing to x's symbolic gradient.
        yield return C("resource variables", "read_variable_op", x =>
        {
            var handle = VarHandleOp.Build(tf.float64, new Shape(3), sharedName: "v", name: "v");
            var assign = AssignVariableOp.Build(handle, x[0], tf.float64);
            using (x[0].graph.control_dependencies([assign]))
            {
                var read = ReadVariableOp.Build(handle, tf.float64);
                return x[0] * x[0] + (read - tf.stop_gradient(x[0]));
            }
        }, NDArray.FromFlat(new[] { 0.5, -1.25, 2.0 }, new Shape(3)));
    }
}
