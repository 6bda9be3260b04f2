namespace SharpFlow;

/// <summary>TensorFlow's <c>tf.errors.AlreadyExistsError</c>: a file or entity to create exists already.</summary>
public class AlreadyExistsError(string message, string? nodeName = null, Exception? innerException = null)
    : OpError(message, nodeName, innerException)
{
    /// <inheritdoc/>
    public override string error_code => "ALREADY_EXISTS";
    internal override OpError WithNode(string nodeName) => new AlreadyExistsError(RawMessage, nodeName, InnerException);
}
