namespace SharpFlow;

/// <summary>TensorFlow's <c>Tensor.eval()</c> and <c>Operation.run()</c>, using a given or the default session.</summary>
public static class SessionExtensions
{
    /// <summary>Evaluates the tensor in <paramref name="session"/> or the default session (<c>sess.as_default()</c>).</summary>
    public static NDArray eval(this Tensor tensor, FeedDict? feed_dict = null, Session? session = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var s = session ?? Session.get_default()
                ?? throw new ValueError("Cannot evaluate tensor using `eval()`: No default session is registered. Use `with sess.as_default()` or pass an explicit session to `eval(session=sess)`");
        return s.run(tensor, feed_dict);
    }

    /// <summary>Runs the operation in <paramref name="session"/> or the default session.</summary>
    public static void run(this Operation operation, FeedDict? feed_dict = null, Session? session = null)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var s = session ?? Session.get_default()
                ?? throw new ValueError("Cannot execute operation using `run()`: No default session is registered. Use `with sess.as_default():` or pass an explicit session to `run(session=sess)`");
        s.run(operation, feed_dict);
    }
}
