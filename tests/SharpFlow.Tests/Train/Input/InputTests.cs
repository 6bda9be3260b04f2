using System.Text;
using SharpFlow.Tests.Ops.Queues;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Train.Input;

// After tensorflow/python/training/input_test.py.
public class InputTests
{
    private static string[] Strings(NDArray a) => Enumerable.Range(0, a.size).Select(i => Encoding.UTF8.GetString(a.StringBytes(i))).ToArray();

    private static void JoinAll(List<Thread> threads) => threads.ForEach(t => Assert.True(t.Join(Threads.Limit), $"{t.Name} did not end"));

    [Fact]
    public void LimitEpochs()
    {
        using var g = TestGraph.Enter();
        var loveMe = tf.constant(NDArray.FromStrings(["Love Me"]));
        var twice = tf.train.limit_epochs(loveMe, num_epochs: 2);
        Assert.Equal("limit_epochs", twice.op.name);
        Assert.Equal("limit_epochs/epochs:0", tf.local_variables().Single().name);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        sess.run(tf.local_variables_initializer());
        Assert.Equal(["Love Me"], Strings(sess.run(twice)));
        Assert.Equal(["Love Me"], Strings(sess.run(twice)));
        var e = Assert.Throws<OutOfRangeError>(() => sess.run(twice));
        Assert.Equal("Reached limit of 2", e.RawMessage);
        Assert.Throws<ValueError>(() => tf.train.limit_epochs(loveMe, num_epochs: 0));
    }

    [Fact]
    public void InputProducerWithoutShuffle()
    {
        using var g = TestGraph.Enter();
        var input = new[,] { { 1, 2, 3, 4 }, { 5, 6, 7, 8 }, { 9, 10, 11, 12 } };
        var queue = tf.train.input_producer(tf.constant(input), num_epochs: 3, shuffle: false);
        var many = queue.dequeue_many(9);
        var one = queue.dequeue();
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        sess.run(tf.local_variables_initializer());
        var threads = tf.train.start_queue_runners(sess);
        var expected = Enumerable.Repeat(input.Cast<int>(), 3).SelectMany(x => x).ToArray();
        AssertArray.Equal(expected, sess.run(many));
        Assert.Throws<OutOfRangeError>(() => sess.run(one));
        JoinAll(threads);
    }

    [Fact]
    public void StringInputProducerWithoutShuffle()
    {
        using var g = TestGraph.Enter();
        string[] strings = ["to", "be", "or", "not", "to", "be"];
        var queue = tf.train.string_input_producer(strings, num_epochs: 3, shuffle: false);
        Assert.Equal("input_producer", queue.name);
        var many = queue.dequeue_many(strings.Length * 3);
        var one = queue.dequeue();
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        sess.run(tf.local_variables_initializer());
        var threads = tf.train.start_queue_runners(sess);
        Assert.Equal(strings.Concat(strings).Concat(strings), Strings(sess.run(many)));
        var e = Assert.Throws<OutOfRangeError>(() => sess.run(one));
        Assert.Matches(@"^FIFOQueue '_\d+_input_producer' is closed and has insufficient elements \(requested 1, current size 0\)$", e.RawMessage);
        JoinAll(threads);
    }

    [Fact]
    public void StringInputProducerShufflesEachEpoch()
    {
        using var g = TestGraph.Enter();
        string[] strings = ["a", "b", "c"];
        const int epochs = 200;
        var queue = tf.train.string_input_producer(strings, num_epochs: epochs, shuffle: true, seed: 271828);
        var many = queue.dequeue_many(strings.Length * epochs);
        using var sess = tf.Session();
        sess.run(tf.local_variables_initializer());
        var threads = tf.train.start_queue_runners(sess);
        var output = Strings(sess.run(many));
        var frequency = new Dictionary<string, int>();
        for (var i = 0; i < epochs; i++)
        {
            var epoch = output[(i * 3)..(i * 3 + 3)];
            Assert.Equal(strings, epoch.Order());
            var key = string.Concat(epoch);
            frequency[key] = frequency.GetValueOrDefault(key) + 1;
        }
        // Every one of the six orders shows up, none overwhelmingly (expected ~33 each).
        Assert.Equal(6, frequency.Count);
        Assert.All(frequency.Values, f => Assert.InRange(f, 10, 70));
        Assert.Throws<OutOfRangeError>(() => sess.run(queue.dequeue()));
        JoinAll(threads);
    }

    [Fact]
    public void StringInputProducerRejectsAnEmptyList()
    {
        using var g = TestGraph.Enter();
        var e = Assert.Throws<ValueError>(() => tf.train.string_input_producer(Array.Empty<string>()));
        Assert.Equal("string_input_producer requires a non-null input tensor", e.Message);
        var empty = tf.placeholder(tf.@string, new Shape(-1));
        var queue = tf.train.string_input_producer(empty);
        using var sess = tf.Session();
        var f = Assert.Throws<InvalidArgumentError>(() => sess.run(tf.get_collection<SharpFlow.Train.Input.QueueRunner>(GraphKeys.QUEUE_RUNNERS)[0].enqueue_ops[0],
            new FeedDict { [empty] = NDArray.FromStrings([], new Shape(0)) }));
        Assert.Contains("string_input_producer requires a non-null input tensor", f.Message);
    }

    [Fact]
    public void RangeInputProducerWithoutShuffle()
    {
        using var g = TestGraph.Enter();
        var queue = tf.train.range_input_producer(32, num_epochs: 3, shuffle: false);
        var many = queue.dequeue_many(96);
        using var sess = tf.Session();
        sess.run(tf.local_variables_initializer());
        var threads = tf.train.start_queue_runners(sess);
        AssertArray.Equal(Enumerable.Range(0, 32).Concat(Enumerable.Range(0, 32)).Concat(Enumerable.Range(0, 32)).ToArray(), sess.run(many));
        Assert.Throws<OutOfRangeError>(() => sess.run(queue.dequeue()));
        JoinAll(threads);
    }

    [Fact]
    public void SliceInputProducerGivesMatchingRows()
    {
        using var g = TestGraph.Enter();
        var ints = new[] { 2, 3, 5, 7 };
        var floats = new[] { 0.5f, 1.5f, 2.5f, 3.5f };
        var (i, f) = tf.train.slice_input_producer([ints, floats], num_epochs: 2, shuffle: true, seed: 161803);
        using var sess = tf.Session();
        sess.run(tf.local_variables_initializer());
        var threads = tf.train.start_queue_runners(sess);
        var seen = new List<int>();
        for (var k = 0; k < 8; k++)
        {
            var (vi, vf) = sess.run((i, f));
            var index = Array.IndexOf(ints, vi.item<int>());
            Assert.Equal(floats[index], vf.item<float>());
            seen.Add(vi.item<int>());
        }
        Assert.Equal(ints.Concat(ints).Order(), seen.Order());
        Assert.Throws<OutOfRangeError>(() => sess.run(i));
        JoinAll(threads);
    }

    [Fact]
    public void BatchOnOneThread()
    {
        using var g = TestGraph.Enter();
        const int batchSize = 10, numBatches = 3;
        var examples = tf.Variable(tf.constant(0L));
        var counter = tf.count_up_to(examples, numBatches * batchSize);
        var batched = tf.train.batch([counter, counter * 2], batch_size: batchSize);
        Assert.Equal("batch", batched[0].op.name);
        Assert.Equal(new Shape(batchSize), batched[0].shape);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var threads = tf.train.start_queue_runners(sess);
        for (var b = 0; b < numBatches; b++)
        {
            var (x, y) = sess.run((batched[0], batched[1]));
            var expected = Enumerable.Range(b * batchSize, batchSize).Select(v => (long)v).ToArray();
            AssertArray.Equal(expected, x);
            AssertArray.Equal(expected.Select(v => v * 2).ToArray(), y);
        }
        Assert.Throws<OutOfRangeError>(() => sess.run(batched[0]));
        JoinAll(threads);
    }

    [Fact]
    public void BatchAllowsASmallerFinalBatch()
    {
        using var g = TestGraph.Enter();
        const int batchSize = 10, numBatches = 3, extra = 5;
        var examples = tf.Variable(tf.constant(0L));
        var counter = tf.count_up_to(examples, numBatches * batchSize + extra);
        var (batched, _) = tf.train.batch([counter, counter + 1], batch_size: batchSize, allow_smaller_final_batch: true);
        Assert.Equal(new Shape(-1), batched.shape);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var threads = tf.train.start_queue_runners(sess);
        for (var b = 0; b < numBatches; b++)
            AssertArray.Equal(Enumerable.Range(b * batchSize, batchSize).Select(v => (long)v).ToArray(), sess.run(batched));
        AssertArray.Equal(Enumerable.Range(numBatches * batchSize, extra).Select(v => (long)v).ToArray(), sess.run(batched));
        Assert.Throws<OutOfRangeError>(() => sess.run(batched));
        JoinAll(threads);
    }

    [Fact]
    public void BatchOfManyEnqueuedRowsOnTwoThreads()
    {
        using var g = TestGraph.Enter();
        var examples = tf.Variable(tf.constant(0L));
        var counter = tf.count_up_to(examples, 40);
        var rows = tf.stack([counter, counter]);
        var batched = tf.train.batch([rows], batch_size: 10, num_threads: 2, enqueue_many: true)[0];
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var threads = tf.train.start_queue_runners(sess);
        var all = new List<long>();
        for (var b = 0; b < 8; b++) all.AddRange(sess.run(batched).ToArray<long>());
        Assert.Equal(Enumerable.Range(0, 40).SelectMany(v => new[] { (long)v, v }).Order(), all.Order());
        Assert.Throws<OutOfRangeError>(() => sess.run(batched));
        JoinAll(threads);
    }

    [Fact]
    public void BatchWithDynamicPadPadsEachBatch()
    {
        using var g = TestGraph.Enter();
        var examples = tf.Variable(tf.constant(0));
        var counter = tf.count_up_to(examples, 4);
        var row = tf.fill(tf.reshape(counter, new[] { 1 }), counter);
        Assert.Equal(new Shape(-1), row.shape);
        var batched = tf.train.batch([row], batch_size: 2, dynamic_pad: true)[0];
        Assert.Equal(new Shape(2, -1), batched.shape);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var threads = tf.train.start_queue_runners(sess);
        var first = sess.run(batched);
        Assert.Equal(new Shape(2, 1), first.shape);
        AssertArray.Equal(new[] { 0, 1 }, first);
        var second = sess.run(batched);
        AssertArray.Equal(new[] { 2, 2, 0, 3, 3, 3 }, second);
        JoinAll(threads);
    }

    [Fact]
    public void ShuffleBatchScramblesButKeepsEveryElement()
    {
        using var g = TestGraph.Enter();
        const int batchSize = 10, numBatches = 3;
        var examples = tf.Variable(tf.constant(0L));
        var counter = tf.count_up_to(examples, numBatches * batchSize);
        var batched = tf.train.shuffle_batch([counter, counter * 3], batch_size: batchSize, capacity: 32, min_after_dequeue: 16, seed: 141421);
        Assert.Equal("shuffle_batch", batched[0].op.name);
        Assert.Equal("RandomShuffleQueueV2", batched[0].op.inputs[0].op.type);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var threads = tf.train.start_queue_runners(sess);
        var all = new List<long>();
        for (var b = 0; b < numBatches; b++)
        {
            var (x, y) = sess.run((batched[0], batched[1]));
            Assert.Equal(x.ToArray<long>().Select(v => v * 3), y.ToArray<long>());
            all.AddRange(x.ToArray<long>());
        }
        var deltas = all.Zip(all.Skip(1), (a, b) => b - a).ToList();
        Assert.False(deltas.All(d => d == deltas[0]));
        Assert.Equal(Enumerable.Range(0, 30).Select(v => (long)v), all.Order());
        Assert.Throws<OutOfRangeError>(() => sess.run(batched[0]));
        JoinAll(threads);
        Assert.Throws<ValueError>(() => tf.train.shuffle_batch([counter], 2, capacity: 10, min_after_dequeue: 10));
    }

    [Fact]
    public void ShuffleBatchWithASeedGivesEveryElement()
    {
        long[] Run()
        {
            using var g = TestGraph.Enter();
            tf.set_random_seed(7);
            var examples = tf.Variable(tf.constant(0L));
            var counter = tf.count_up_to(examples, 20);
            var batched = tf.train.shuffle_batch([counter], batch_size: 20, capacity: 20, min_after_dequeue: 5, seed: 3)[0];
            using var sess = tf.Session();
            sess.run(tf.global_variables_initializer());
            var threads = tf.train.start_queue_runners(sess);
            var result = sess.run(batched).ToArray<long>();
            JoinAll(threads);
            return result;
        }
        // Which elements are in the queue when each is drawn depends on thread timing, so only the set is fixed.
        var a = Run();
        Assert.Equal(Enumerable.Range(0, 20).Select(v => (long)v), a.Order());
    }

    [Fact]
    public void BatchJoinTakesFromEveryList()
    {
        using var g = TestGraph.Enter();
        var a = tf.Variable(tf.constant(0L));
        var b = tf.Variable(tf.constant(100L));
        var ca = tf.count_up_to(a, 5);
        var cb = tf.count_up_to(b, 105);
        var batched = tf.train.batch_join([[ca], [cb]], batch_size: 5, allow_smaller_final_batch: true)[0];
        var shuffled = tf.train.shuffle_batch_join([[ca], [cb]], batch_size: 2, capacity: 8, min_after_dequeue: 1);
        Assert.Single(shuffled);
        using var sess = tf.Session();
        sess.run(tf.global_variables_initializer());
        var runners = tf.get_collection<SharpFlow.Train.Input.QueueRunner>(GraphKeys.QUEUE_RUNNERS);
        Assert.Equal(2, runners.Count);
        Assert.Equal(2, runners[0].enqueue_ops.Count);
        // Only the batch_join runner: the shuffle_batch_join one would compete for the same counters.
        var threads = runners[0].create_threads(sess, start: true);
        var all = new List<long>();
        while (true)
        {
            try { all.AddRange(sess.run(batched).ToArray<long>()); }
            catch (OutOfRangeError) { break; }
        }
        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 100, 101, 102, 103, 104 }, all.Order());
        JoinAll(threads);
    }
}
