namespace SharpFlow;

/// <summary>TensorFlow's <c>Variable.load(value, session)</c>.</summary>
public static class VariableExtensions
{
    /// <summary>
    /// Sets the variable's value in <paramref name="session"/> (or the default session) by running its
    /// initializer with <paramref name="value"/> fed for the initial value. The value must have the variable's
    /// dtype and a shape its static shape accepts.
    /// </summary>
    public static void load(this Variable variable, NDArray value, Session? session = null)
    {
        ArgumentNullException.ThrowIfNull(variable);
        ArgumentNullException.ThrowIfNull(value);
        var s = session ?? Session.get_default()
                ?? throw new ValueError("Cannot load a variable: no default session is registered; pass session: sess");
        if (value.dtype != variable.dtype)
            throw new InvalidArgumentError($"Cannot load a {value.dtype.name} value into variable {variable.op.name} of dtype {variable.dtype.name}", variable.op.name);
        if (!variable.shape.Accepts(value.shape))
            throw new InvalidArgumentError($"Cannot load a value of shape {value.shape} into variable {variable.op.name} of shape {variable.shape}", variable.op.name);
        s.run(variable.initializer, new FeedDict { [variable.initial_value] = value });
    }
}
