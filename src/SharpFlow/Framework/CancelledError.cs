namespace SharpFlow;

/// <summary>
/// An operation was cancelled (TensorFlow's <c>tf.errors.CancelledError</c>): an enqueue into a closed queue, or an
/// enqueue or dequeue that was waiting when its queue was closed with <c>cancel_pending_enqueues</c> or its session
/// was closed.
/// </summary>
public class CancelledError(string message, string? nodeName = null, Exception? innerException = null)
    : OpError(message, nodeName, innerException)
{
    /// <inheritdoc/>
    public override string error_code => "CANCELLED";
    internal override OpError WithNode(string nodeName) => new CancelledError(RawMessage, nodeName, InnerException);
}
