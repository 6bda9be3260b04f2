#:project ../src/SharpFlow/SharpFlow.csproj
// Chapter 7's queue programs: a FIFOQueue, a QueueRunner with a Coordinator, files read through
// string_input_producer and a TextLineReader, and shuffle_batch feeding a small model.
using SharpFlow;
using static SharpFlow.Binding;

// ----- 1. A FIFOQueue whose dequeued values are enqueued again, plus one -----
{
    var q = tf.FIFOQueue(2, tf.int32);
    var init = q.enqueue_many(new[] { 0, 10 });
    var x = q.dequeue();
    var y = x + 1;
    var q_inc = q.enqueue(y);
    using var sess = tf.Session();
    sess.run(init);
    for (var i = 0; i < 5; i++)
    {
        var (_, v) = sess.run(((ITensorOrOperation)q_inc, x));
        Console.WriteLine($"queue: {v}");
    }
}

// ----- 2. Five threads fill a queue with random numbers; a Coordinator stops them -----
{
    tf.reset_default_graph();
    var queue = tf.FIFOQueue(100, tf.float32);
    var enqueue_op = queue.enqueue(tf.random_normal(new[] { 1 }));
    var qr = tf.train.QueueRunner(queue, Enumerable.Repeat(enqueue_op, 5));
    tf.train.add_queue_runner(qr);
    var out_tensor = queue.dequeue();
    using var sess = tf.Session();
    var coord = tf.train.Coordinator();
    var threads = tf.train.start_queue_runners(sess: sess, coord: coord);
    for (var i = 0; i < 3; i++) Console.WriteLine($"random: {sess.run(out_tensor).ToArray<float>()[0]:F4}");
    coord.request_stop();
    coord.join(threads);
    Console.WriteLine($"threads stopped: {threads.Count(t => !t.IsAlive)} of {threads.Count}");
}

// ----- 3. Files of text lines read through a filename queue, two epochs -----
var dir = Directory.CreateTempSubdirectory("sharpflow-07-").FullName;
try
{
    tf.reset_default_graph();
    var files = new List<string>();
    for (var i = 0; i < 2; i++)
    {
        var path = Path.Combine(dir, $"data-{i:D5}-of-00002.txt");
        File.WriteAllLines(path, Enumerable.Range(0, 3).Select(j => $"file {i} line {j}"));
        files.Add(path);
    }
    var filename_queue = tf.train.string_input_producer(files, num_epochs: 2, shuffle: false);
    var reader = tf.TextLineReader();
    var (key, value) = reader.read(filename_queue);
    var (keys, lines) = tf.train.batch([key, value], batch_size: 4, allow_smaller_final_batch: true);
    using var sess = tf.Session();
    sess.run(tf.local_variables_initializer());
    var coord = tf.train.Coordinator();
    var threads = tf.train.start_queue_runners(sess: sess, coord: coord);
    try
    {
        while (!coord.should_stop())
        {
            var (k, l) = sess.run((keys, lines));
            var shown = Enumerable.Range(0, l.size).Select(r =>
                $"{Path.GetFileName(System.Text.Encoding.UTF8.GetString(k.StringBytes(r)))}={System.Text.Encoding.UTF8.GetString(l.StringBytes(r))}");
            Console.WriteLine($"batch of {l.size}: {string.Join(", ", shown)}");
        }
    }
    catch (OutOfRangeError)
    {
        Console.WriteLine("Done reading -- epoch limit reached");
    }
    finally
    {
        coord.request_stop();
    }
    coord.join(threads);
}
finally
{
    Directory.Delete(dir, recursive: true);
}

// ----- 4. slice_input_producer + shuffle_batch feeding a linear model y = 2x + 1 -----
{
    tf.reset_default_graph();
    tf.set_random_seed(1);
    var xs = Enumerable.Range(0, 200).Select(i => i / 100f - 1f).ToArray();
    var ys = xs.Select(v => 2 * v + 1).ToArray();
    var (x, y) = tf.train.slice_input_producer([xs, ys], seed: 2);
    var (x_batch, y_batch) = tf.train.shuffle_batch([x, y], batch_size: 20, capacity: 200, min_after_dequeue: 100, num_threads: 2, seed: 3);
    var w = tf.Variable(0.0f, name: "w");
    var b = tf.Variable(0.0f, name: "b");
    var loss = tf.reduce_mean(tf.square(w * x_batch + b - y_batch));
    var train_step = tf.train.GradientDescentOptimizer(0.5).minimize(loss);
    using var sess = tf.Session();
    sess.run(tf.global_variables_initializer());
    sess.run(tf.local_variables_initializer());
    var coord = tf.train.Coordinator();
    var threads = tf.train.start_queue_runners(sess: sess, coord: coord);
    for (var step = 0; step <= 300; step++)
    {
        var (_, l) = sess.run(((ITensorOrOperation)train_step, loss));
        if (step % 100 == 0) Console.WriteLine($"step {step}: loss {l.item<float>():F6}");
    }
    Console.WriteLine($"w = {sess.run(w).item<float>():F3}, b = {sess.run(b).item<float>():F3}");
    coord.request_stop();
    coord.join(threads);
}
