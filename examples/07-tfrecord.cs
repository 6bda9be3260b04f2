#:project ../src/SharpFlow/SharpFlow.csproj
// Chapter 7: Fashion-MNIST to a TFRecord file of tf.train.Example records (image_raw bytes, label and pixels as
// int64), then read back with tf_record_iterator, parse_single_example and decode_raw, as the book's chapter 7
// does (it reads through a TFRecordReader queue; here the records are fed to the parsing graph), and once more
// as a batch with parse_example. The file is also written GZIP-compressed.
// Run: dotnet run examples/07-tfrecord.cs [-- examples]
using SharpFlow;
using SharpFlow.Data;
using SharpFlow.FileIO;
using static SharpFlow.Binding;

var count = args.Length > 0 ? int.Parse(args[0]) : 1000;
var data = FashionMnist.read_data_sets(validation_size: 0);
var images = data.train.images.ToArray<float>();
var labels = data.train.labels.Cast(tf.int64).ToArray<long>();
var pixels = data.train.images.shape[1];
var num_examples = Math.Min(count, data.train.num_examples);
Console.WriteLine($"data: {data.source}, writing {num_examples} examples of {pixels} pixels");

Feature _int64_feature(long value) => tf.train.Feature(int64_list: tf.train.Int64List(value));
Feature _bytes_feature(byte[] value) => tf.train.Feature(bytes_list: tf.train.BytesList(value));

var dir = Path.Combine(Path.GetTempPath(), "sharpflow-07-tfrecord");
tf.gfile.MakeDirs(dir);
var filename = Path.Combine(dir, "output.tfrecords");
var original = new byte[num_examples][];
foreach (var (path, options) in new[] { (filename, (TFRecordOptions?)null), (filename + ".gz", tf.python_io.TFRecordOptions(TFRecordCompressionType.GZIP)) })
{
    using var writer = tf.python_io.TFRecordWriter(path, options);
    for (var index = 0; index < num_examples; index++)
    {
        // The pictures as uint8 bytes, as input_data.read_data_sets(dtype=tf.uint8) gives them.
        var image_raw = new byte[pixels];
        for (var k = 0; k < pixels; k++) image_raw[k] = (byte)Math.Round(images[index * pixels + k] * 255);
        original[index] = image_raw;
        var example = tf.train.Example(features: tf.train.Features(feature: new Dictionary<string, Feature>
        {
            ["pixels"] = _int64_feature(pixels),
            ["label"] = _int64_feature(labels[index]),
            ["image_raw"] = _bytes_feature(image_raw),
        }));
        writer.write(example.SerializeToString());
    }
}
Console.WriteLine($"wrote {new FileInfo(filename).Length} bytes ({new FileInfo(filename + ".gz").Length} with GZIP)");

// Reading: one serialized example in, its features out.
var serialized_example = tf.placeholder(tf.@string, Shape.Scalar);
var features = tf.parse_single_example(serialized_example, features: new Dictionary<string, FeatureSpec>
{
    ["image_raw"] = tf.FixedLenFeature(Shape.Scalar, tf.@string),
    ["pixels"] = tf.FixedLenFeature(Shape.Scalar, tf.int64),
    ["label"] = tf.FixedLenFeature(Shape.Scalar, tf.int64),
});
var image = tf.decode_raw(features["image_raw"], tf.uint8);
var label = tf.cast(features["label"], tf.int32);
var num_pixels = tf.cast(features["pixels"], tf.int32);

using var sess = tf.Session();
var read = 0;
var same = 0;
foreach (var record in tf.python_io.tf_record_iterator(filename))
{
    var (img, lbl, n) = sess.run((image, label, num_pixels), new FeedDict { [serialized_example] = new NDArray(new[] { record }, Shape.Scalar) });
    if (read < 3) Console.WriteLine($"record {read}: label {(int)lbl} ({FashionMnist.ClassNames[(int)lbl]}), pixels {(int)n}, first bytes [{string.Join(" ", img.ToArray<byte>().Skip(300).Take(6))}]");
    if (img.ToArray<byte>().AsSpan().SequenceEqual(original[read]) && (int)lbl == labels[read]) same++;
    read++;
}
Console.WriteLine($"read {read} records, {same} identical to what was written");

// The compressed file, parsed as a batch.
var batch = tf.python_io.tf_record_iterator(filename + ".gz", tf.python_io.TFRecordOptions("GZIP")).Take(100).ToArray();
var serialized = tf.placeholder(tf.@string, new Shape(-1));
var parsed = tf.parse_example(serialized, new Dictionary<string, FeatureSpec>
{
    ["image_raw"] = tf.FixedLenFeature(Shape.Scalar, tf.@string),
    ["label"] = tf.FixedLenFeature(Shape.Scalar, tf.int64),
});
var batch_images = tf.reshape(tf.decode_raw(parsed["image_raw"], tf.uint8), new[] { -1, 28, 28, 1 });
var (shape, batch_labels) = sess.run((tf.shape(batch_images), parsed["label"]), new FeedDict { [serialized] = new NDArray(batch, new Shape(batch.Length)) });
Console.WriteLine($"GZIP batch: images {shape}, labels {string.Join(" ", batch_labels.ToArray<long>().Take(10))} ...");

// The book's own reading program: a file-name queue, a TFRecordReader (here on the GZIP file), parse_single_example,
// and the queue runners started under a Coordinator.
var filename_queue = tf.train.string_input_producer([filename + ".gz"], shuffle: false);
var reader = tf.TFRecordReader(compression_type: "GZIP");
var (_, serialized_record) = reader.read(filename_queue);
var queued = tf.parse_single_example(serialized_record, features: new Dictionary<string, FeatureSpec>
{
    ["image_raw"] = tf.FixedLenFeature(Shape.Scalar, tf.@string),
    ["label"] = tf.FixedLenFeature(Shape.Scalar, tf.int64),
});
var queued_image = tf.decode_raw(queued["image_raw"], tf.uint8);
var queued_label = tf.cast(queued["label"], tf.int32);
var coord = tf.train.Coordinator();
var threads = tf.train.start_queue_runners(sess: sess, coord: coord);
var queuedSame = 0;
for (var i = 0; i < num_examples; i++)
{
    var (img, lbl) = sess.run((queued_image, queued_label));
    if (img.ToArray<byte>().AsSpan().SequenceEqual(original[i]) && (int)lbl == labels[i]) queuedSame++;
}
coord.request_stop();
coord.join(threads);
Console.WriteLine($"read {num_examples} records through a TFRecordReader queue, {queuedSame} identical to what was written");
tf.gfile.DeleteRecursively(dir);
