namespace SharpFlow;

/// <summary><c>session.run</c> of sparse tensors and <c>SparseTensor.eval()</c>, using a given or the default session.</summary>
public static class SparseTensorSessionExtensions
{
    /// <summary>Runs the three parts of <paramref name="fetch"/> in one step.</summary>
    public static SparseTensorValue run(this Session session, SparseTensor fetch, FeedDict? feed_dict = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(fetch);
        var r = session.run([fetch.indices, fetch.values, fetch.dense_shape], feed_dict);
        return new SparseTensorValue(r[0], r[1], r[2]);
    }

    /// <summary>The sparse tensor's value in <paramref name="session"/> (or the default session).</summary>
    public static SparseTensorValue eval(this SparseTensor sparse_tensor, FeedDict? feed_dict = null, Session? session = null)
    {
        ArgumentNullException.ThrowIfNull(sparse_tensor);
        var s = session ?? Session.get_default() ?? throw new ValueError("Cannot evaluate a SparseTensor without a session: pass one or use `using (sess.as_default())`.");
        return s.run(sparse_tensor, feed_dict);
    }
}
