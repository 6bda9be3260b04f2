namespace SharpFlow.Train.Input;

/// <summary>The queue-runner collection and <c>tf.train.start_queue_runners</c>.</summary>
public static class QueueRunners
{
    /// <summary>Adds <paramref name="qr"/> to the graph's collection (<c>tf.train.add_queue_runner</c>).</summary>
    public static void Add(QueueRunner qr, string collection = GraphKeys.QUEUE_RUNNERS)
    {
        ArgumentNullException.ThrowIfNull(qr);
        qr.queue.queue_ref.graph.add_to_collection(collection, qr);
    }

    /// <summary>
    /// Starts the threads of every queue runner in the collection of <paramref name="sess"/>'s graph (the default
    /// session when null) and returns them.
    /// </summary>
    public static List<Thread> Start(Session? sess = null, Coordinator? coord = null, bool daemon = true, bool start = true,
        string collection = GraphKeys.QUEUE_RUNNERS)
    {
        sess ??= Session.get_default() ?? throw new ValueError("Cannot start queue runners: No default session is registered. Use `with sess.as_default()` or pass an explicit session to tf.start_queue_runners(sess=sess)");
        var threads = new List<Thread>();
        foreach (var qr in sess.graph.get_collection(collection).OfType<QueueRunner>())
            threads.AddRange(qr.create_threads(sess, coord, daemon, start));
        return threads;
    }
}
