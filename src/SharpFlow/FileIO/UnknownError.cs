namespace SharpFlow;

/// <summary>TensorFlow's <c>tf.errors.UnknownError</c>: a failure of no other class (an I/O error of the operating system).</summary>
public class UnknownError(string message, string? nodeName = null, Exception? innerException = null)
    : OpError(message, nodeName, innerException)
{
    /// <inheritdoc/>
    public override string error_code => "UNKNOWN";
    internal override OpError WithNode(string nodeName) => new UnknownError(RawMessage, nodeName, InnerException);
}
