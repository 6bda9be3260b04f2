#:project ../src/SharpFlow/SharpFlow.csproj
// The book's chapter 7 dataset programs with tf.data: from_tensor_slices + map + shuffle + batch + repeat feeding a
// softmax-regression/MLP on the embedded Fashion-MNIST sample, trained until the one-shot iterator's
// OutOfRangeError; the test set read through an initializable iterator whose dataset takes placeholders; and a
// TFRecord file of the images written and read back through TFRecordDataset with a parsing map.
// Usage: dotnet run examples/07-tf-data.cs [epochs]
using SharpFlow.FileIO;
using System.Diagnostics;
using SharpFlow;
using SharpFlow.Data;
using static SharpFlow.Binding;

var epochs = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10;
var data = FashionMnist.read_sample(validation_size: 0, seed: 1);
Console.WriteLine($"{data.train.num_examples} training and {data.test.num_examples} test images (embedded sample)");
tf.set_random_seed(1);

// ----- training input: one-shot iterator over from_tensor_slices -> map -> shuffle -> batch -> repeat -----
var train_ds = tf.data.Dataset.from_tensor_slices((data.train.images, data.train.labels))
    .map((image, label) => (image * 2.0f - 1.0f, label), num_parallel_calls: 2)  // pixels to [-1, 1]
    .shuffle(buffer_size: 1000)
    .batch(100)
    .repeat(epochs)
    .prefetch(2);
Console.WriteLine($"train dataset: {train_ds}");
var (images, labels) = train_ds.make_one_shot_iterator().get_next();

Tensor Model(Tensor x, bool reuse)
{
    using var scope = tf.variable_scope("model", reuse: reuse);
    var w1 = tf.get_variable("w1", new Shape(784, 100), initializer: tf.truncated_normal_initializer(stddev: 0.1));
    var b1 = tf.get_variable("b1", new Shape(100), initializer: tf.zeros_initializer());
    var w2 = tf.get_variable("w2", new Shape(100, 10), initializer: tf.truncated_normal_initializer(stddev: 0.1));
    var b2 = tf.get_variable("b2", new Shape(10), initializer: tf.zeros_initializer());
    return tf.matmul(tf.nn.relu(tf.matmul(x, w1) + b1), w2) + b2;
}

var logits = Model(images, reuse: false);
var loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: labels, logits: logits));
var train_step = tf.train.AdamOptimizer(0.001).minimize(loss);

// ----- test input: an initializable iterator over a dataset made of placeholders -----
var image_input = tf.placeholder(tf.float32, new Shape(-1, 784));
var label_input = tf.placeholder(tf.int32, new Shape(-1));
var test_ds = tf.data.Dataset.from_tensor_slices((image_input, label_input)).map((image, label) => (image * 2.0f - 1.0f, label)).batch(128);
var test_iterator = test_ds.make_initializable_iterator();
var (test_images, test_labels) = test_iterator.get_next();
var test_logits = Model(test_images, reuse: true);
var correct = tf.reduce_sum(tf.cast(tf.equal(tf.cast(tf.argmax(test_logits, 1), tf.int32), test_labels), tf.int32));

using (var sess = tf.Session())
{
    sess.run(tf.global_variables_initializer());
    var watch = Stopwatch.StartNew();
    var step = 0;
    while (true)
    {
        try
        {
            var (_, l) = sess.run((train_step, loss));
            step++;
            if (step % 100 == 0) Console.WriteLine($"step {step}: loss {l.ToArray<float>()[0]:F4}");
        }
        catch (OutOfRangeError)
        {
            Console.WriteLine($"End of dataset after {step} steps ({epochs} epochs), {step * 100 / watch.Elapsed.TotalSeconds:F0} images/s");
            break;
        }
    }

    sess.run(test_iterator.initializer, new FeedDict { [image_input] = data.test.images, [label_input] = data.test.labels });
    var right = 0;
    while (true)
    {
        try { right += sess.run(correct).ToArray<int>()[0]; }
        catch (OutOfRangeError) { break; }
    }
    Console.WriteLine($"test accuracy: {(double)right / data.test.num_examples:F4}");
}

// ----- TFRecord: write the first test images as raw bytes, read them back through TFRecordDataset -----
var file = Path.Combine(Path.GetTempPath(), $"sharpflow-07-{Environment.ProcessId}.tfrecord");
var pixels = data.test.images.ToArray<float>();
using (var stream = File.Create(file))
    for (var i = 0; i < 5; i++)
    {
        var bytes = new byte[785];
        for (var p = 0; p < 784; p++) bytes[p] = (byte)Math.Round(pixels[i * 784 + p] * 255);
        bytes[784] = (byte)data.test.labels.ToArray<int>()[i];
        SharpFlow.FileIO.TFRecord.Write(stream, bytes);
    }
var records = new tf.data.TFRecordDataset(file).batch(5);
var record_batch = records.make_one_shot_iterator().get_next();
using (var sess = tf.Session())
{
    var batch = sess.run(record_batch);
    var labelsRead = Enumerable.Range(0, batch.size).Select(i => (int)batch.StringBytes(i)[784]).ToArray();
    Console.WriteLine($"read back {batch.size} TFRecords of {batch.StringBytes(0).Length} bytes, labels [{string.Join(", ", labelsRead)}]: {FashionMnist.ClassNames[labelsRead[0]]}, ...");
}
File.Delete(file);
