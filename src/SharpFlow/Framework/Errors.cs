namespace SharpFlow;

/// <summary>
/// A run-time failure of an op, as TensorFlow's <c>tf.errors.OpError</c>: it carries the name of the node that
/// failed and the message in TensorFlow's form (<c>message\n\t [[{{node name}}]]</c>).
/// </summary>
public class OpError : Exception
{
    /// <summary>Creates the error; <paramref name="nodeName"/> is the failing op's name, if known.</summary>
    public OpError(string message, string? nodeName = null, Exception? innerException = null)
        : base(Compose(message, nodeName), innerException)
    {
        RawMessage = message;
        NodeName = nodeName;
    }

    /// <summary>The message without the node suffix.</summary>
    public string RawMessage { get; }

    /// <summary>The name of the op that failed, when known (TensorFlow's <c>e.op.name</c>).</summary>
    public string? NodeName { get; }

    /// <summary>TensorFlow's error code name (<c>INVALID_ARGUMENT</c>, ...).</summary>
    public virtual string error_code => "UNKNOWN";

    private static string Compose(string message, string? nodeName) =>
        nodeName is null ? message : $"{message}\n\t [[{{{{node {nodeName}}}}}]]";

    /// <summary>Returns the same error with the failing node's name attached (used by the executor).</summary>
    internal virtual OpError WithNode(string nodeName) => new(RawMessage, nodeName, this);
}

/// <summary>Bad arguments or values at run time (wrong feed shape, integer division by zero, ...).</summary>
public class InvalidArgumentError(string message, string? nodeName = null, Exception? innerException = null)
    : OpError(message, nodeName, innerException)
{
    /// <inheritdoc/>
    public override string error_code => "INVALID_ARGUMENT";
    internal override OpError WithNode(string nodeName) => new InvalidArgumentError(RawMessage, nodeName, InnerException);
}

/// <summary>The system is not in a state the op needs: an uninitialized variable, a closed session.</summary>
public class FailedPreconditionError(string message, string? nodeName = null, Exception? innerException = null)
    : OpError(message, nodeName, innerException)
{
    /// <inheritdoc/>
    public override string error_code => "FAILED_PRECONDITION";
    internal override OpError WithNode(string nodeName) => new FailedPreconditionError(RawMessage, nodeName, InnerException);
}

/// <summary>Something asked for (a file, a tensor name) does not exist.</summary>
public class NotFoundError(string message, string? nodeName = null, Exception? innerException = null)
    : OpError(message, nodeName, innerException)
{
    /// <inheritdoc/>
    public override string error_code => "NOT_FOUND";
    internal override OpError WithNode(string nodeName) => new NotFoundError(RawMessage, nodeName, InnerException);
}

/// <summary>An iteration or read ran past its end.</summary>
public class OutOfRangeError(string message, string? nodeName = null, Exception? innerException = null)
    : OpError(message, nodeName, innerException)
{
    /// <inheritdoc/>
    public override string error_code => "OUT_OF_RANGE";
    internal override OpError WithNode(string nodeName) => new OutOfRangeError(RawMessage, nodeName, InnerException);
}

/// <summary>Unrecoverable data loss or corruption (a corrupt file).</summary>
public class DataLossError(string message, string? nodeName = null, Exception? innerException = null)
    : OpError(message, nodeName, innerException)
{
    /// <inheritdoc/>
    public override string error_code => "DATA_LOSS";
    internal override OpError WithNode(string nodeName) => new DataLossError(RawMessage, nodeName, InnerException);
}

/// <summary>A size over a limit: a tensor too large to allocate.</summary>
public class ResourceExhaustedError(string message, string? nodeName = null, Exception? innerException = null)
    : OpError(message, nodeName, innerException)
{
    /// <inheritdoc/>
    public override string error_code => "RESOURCE_EXHAUSTED";
    internal override OpError WithNode(string nodeName) => new ResourceExhaustedError(RawMessage, nodeName, InnerException);
}

/// <summary>An operation or dtype combination SharpFlow does not implement.</summary>
public class UnimplementedError(string message, string? nodeName = null, Exception? innerException = null)
    : OpError(message, nodeName, innerException)
{
    /// <inheritdoc/>
    public override string error_code => "UNIMPLEMENTED";
    internal override OpError WithNode(string nodeName) => new UnimplementedError(RawMessage, nodeName, InnerException);
}

/// <summary>An invariant of SharpFlow itself was broken (a bug): please report it.</summary>
public class InternalError(string message, string? nodeName = null, Exception? innerException = null)
    : OpError(message, nodeName, innerException)
{
    /// <inheritdoc/>
    public override string error_code => "INTERNAL";
    internal override OpError WithNode(string nodeName) => new InternalError(RawMessage, nodeName, InnerException);
}

/// <summary>
/// A graph-building mistake with a value: incompatible shapes, an unknown scope, a missing variable, ops of two
/// graphs combined. TensorFlow raises Python's <c>ValueError</c> for these.
/// </summary>
public class ValueError : ArgumentException
{
    /// <summary>Creates the error.</summary>
    public ValueError(string message) : base(message) { }

    /// <summary>Creates the error with its cause.</summary>
    public ValueError(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>A graph-building mistake with a type: a dtype an op does not accept. TensorFlow raises <c>TypeError</c>.</summary>
public class TypeError : ArgumentException
{
    /// <summary>Creates the error.</summary>
    public TypeError(string message) : base(message) { }

    /// <summary>Creates the error with its cause.</summary>
    public TypeError(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>
/// A lookup that found nothing at graph-building time: an op type without a gradient rule. TensorFlow raises
/// Python's <c>LookupError</c>.
/// </summary>
public class LookupError : InvalidOperationException
{
    /// <summary>Creates the error.</summary>
    public LookupError(string message) : base(message) { }

    /// <summary>Creates the error with its cause.</summary>
    public LookupError(string message, Exception innerException) : base(message, innerException) { }
}
