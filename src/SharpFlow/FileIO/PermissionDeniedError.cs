namespace SharpFlow;

/// <summary>TensorFlow's <c>tf.errors.PermissionDeniedError</c>: the caller may not read or write a file.</summary>
public class PermissionDeniedError(string message, string? nodeName = null, Exception? innerException = null)
    : OpError(message, nodeName, innerException)
{
    /// <inheritdoc/>
    public override string error_code => "PERMISSION_DENIED";
    internal override OpError WithNode(string nodeName) => new PermissionDeniedError(RawMessage, nodeName, InnerException);
}
