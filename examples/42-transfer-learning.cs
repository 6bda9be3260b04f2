#:project ../src/SharpFlow.Onnx/SharpFlow.Onnx.csproj
#:package Microsoft.ML.DnnImageFeaturizer.ResNet18@0.23.1
#:package Microsoft.ML.OnnxRuntime.Managed@1.31.1
// Seed §42: transfer learning. Keep a trained network's convolutional layers frozen, compute the "bottleneck"
// features of every image once, and train only a new final fully connected layer on them, as TensorFlow's
// retrain.py does. The trained network is ResNet18 pretrained on ImageNet (the NuGet package
// Microsoft.ML.DnnImageFeaturizer.ResNet18 ships it as ONNX; the package copies it next to this program), the new
// problem Fashion-MNIST with only a few labelled images per class. `sharpflow transfer` runs the comparison with
// LeNet-5 trained from scratch.
// First, retrain.py's own path, on a TensorFlow file: a small convnet SharpFlow trains on Fashion-MNIST is frozen
// (tf.graph_util.convert_variables_to_constants) and written as a binary GraphDef (tf.train.write_graph); a fresh
// graph reads that .pb, imports it with tf.import_graph_def, takes its bottleneck tensor (the layer before the
// logits) through return_elements, and a new final layer is trained on the bottleneck values alone.
// Run: dotnet run examples/42-transfer-learning.cs [-- images_per_class test_images]
using System.Diagnostics;
using SharpFlow;
using SharpFlow.Data;
using SharpFlow.GraphIO;
using SharpFlow.Onnx;
using static SharpFlow.Binding;

var PER_CLASS = args.Length > 0 ? int.Parse(args[0]) : 100;
var TEST_IMAGES = args.Length > 1 ? int.Parse(args[1]) : 1000;
const int BOTTLENECK_SIZE = 512, CLASSES = 10, TRAINING_STEPS = 3000, BATCH_SIZE = 100;

var data = FashionMnist.read_data_sets(seed: 1);

// A few labelled images per class, and the first test images.
var trainLabels = data.train.labels.ToArray<int>();
var chosen = Enumerable.Range(0, trainLabels.Length).GroupBy(i => trainLabels[i]).OrderBy(g => g.Key).SelectMany(g => g.Take(PER_CLASS)).ToArray();
NDArray Rows(NDArray source, IReadOnlyList<int> rows)
{
    var width = source.shape[1];
    var values = source.ToArray<float>();
    return NDArray.FromFlat(rows.SelectMany(r => values.AsSpan(r * width, width).ToArray()).ToArray(), new Shape(rows.Count, width));
}
var trainImages = Rows(data.train.images, chosen);
var trainY = NDArray.FromFlat(chosen.Select(i => trainLabels[i]).ToArray(), new Shape(chosen.Length));
var testCount = Math.Min(TEST_IMAGES, data.test.num_examples);
var testImages = Rows(data.test.images, Enumerable.Range(0, testCount).ToArray());
var testY = NDArray.FromFlat(data.test.labels.ToArray<int>()[..testCount], new Shape(testCount));

// retrain.py's path. 1. Train a small convnet, freeze it and write it as frozen_convnet.pb.
const int FROZEN_STEPS = 300, FROZEN_BOTTLENECK = 64;
var work = Directory.CreateTempSubdirectory("sharpflow-42-").FullName;
string frozenPath;
var convnet = new Graph();
using (convnet.as_default())
{
    var input = tf.placeholder(tf.float32, new Shape(-1, 784), name: "input");
    var y = tf.placeholder(tf.int32, new Shape(-1), name: "y");
    var h = tf.reshape(input, new[] { -1, 28, 28, 1 });
    h = tf.layers.max_pooling2d(tf.layers.conv2d(h, 8, 5, padding: "same", activation: tf.nn.relu, name: "conv1"), 2, 2);
    h = tf.layers.max_pooling2d(tf.layers.conv2d(h, 16, 5, padding: "same", activation: tf.nn.relu, name: "conv2"), 2, 2);
    var fc = tf.layers.dense(tf.reshape(h, new[] { -1, 7 * 7 * 16 }), FROZEN_BOTTLENECK, activation: tf.nn.relu, name: "fc");
    var bottleneckOut = tf.identity(fc, name: "bottleneck");
    var convLogits = tf.layers.dense(bottleneckOut, CLASSES, name: "logits");
    tf.nn.softmax(convLogits, name: "final_result");
    var convLoss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: y, logits: convLogits));
    var convTrain = tf.train.AdamOptimizer(0.002).minimize(convLoss);
    var convAccuracy = tf.reduce_mean(tf.cast(tf.equal(tf.cast(tf.argmax(convLogits, 1), tf.int32), y), tf.float32));
    using var s = tf.Session(graph: convnet);
    s.run(tf.global_variables_initializer());
    for (var i = 0; i < FROZEN_STEPS; i++)
    {
        var (xs, ys) = data.train.next_batch(50);
        s.run(convTrain, new FeedDict { [input] = xs, [y] = ys });
    }
    var convTest = (float)s.run(convAccuracy, new FeedDict { [input] = testImages, [y] = testY });
    Console.WriteLine($"convnet trained {FROZEN_STEPS} steps: test accuracy {convTest:F4} on {testCount} images");
    var frozen = tf.graph_util.convert_variables_to_constants(s, convnet.as_graph_def(), ["final_result"]);
    frozenPath = tf.train.write_graph(frozen, work, "frozen_convnet.pb", as_text: false);
    Console.WriteLine($"wrote frozen_convnet.pb: {frozen.Node.Count} nodes, {frozen.Node.Count(n => n.Op == "Const")} constants, " +
                      $"{frozen.Node.Count(n => n.Op is "VariableV2" or "VarHandleOp")} variables, {new FileInfo(frozenPath).Length} bytes");
}

// 2. A fresh graph: read the .pb, import it, and train a new final layer on its bottleneck values.
var retrain = new Graph();
using (retrain.as_default())
{
    var graph_def = tf.GraphDef();
    graph_def.ParseFromString(File.ReadAllBytes(frozenPath));
    var returned = tf.import_graph_def(graph_def, name: "", return_elements: ["input:0", "bottleneck:0"])!;
    var (jpegInput, bottleneckTensor) = ((Tensor)returned[0], (Tensor)returned[1]);
    Console.WriteLine($"imported {Path.GetFileName(frozenPath)}: bottleneck tensor {bottleneckTensor.name} {bottleneckTensor.shape}, " +
                      $"{tf.global_variables().Count} variables");
    var bottleneckPlaceholder = tf.placeholder(tf.float32, new Shape(-1, FROZEN_BOTTLENECK), name: "BottleneckInputPlaceholder");
    var truth = tf.placeholder(tf.int32, new Shape(-1), name: "GroundTruthInput");
    var finalLogits = tf.layers.dense(bottleneckPlaceholder, CLASSES, name: "final_training_ops");
    var finalLoss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: truth, logits: finalLogits));
    var finalTrain = tf.train.AdamOptimizer(0.01).minimize(finalLoss);
    var finalAccuracy = tf.reduce_mean(tf.cast(tf.equal(tf.cast(tf.argmax(finalLogits, 1), tf.int32), truth), tf.float32));
    using var s = tf.Session(graph: retrain);
    s.run(tf.global_variables_initializer());
    var trainValues = s.run(bottleneckTensor, new FeedDict { [jpegInput] = trainImages });
    var testValues = s.run(bottleneckTensor, new FeedDict { [jpegInput] = testImages });
    for (var i = 0; i < 500; i++) s.run(finalTrain, new FeedDict { [bottleneckPlaceholder] = trainValues, [truth] = trainY });
    var retrained = (float)s.run(finalAccuracy, new FeedDict { [bottleneckPlaceholder] = testValues, [truth] = testY });
    Console.WriteLine($"new final layer on the frozen graph's bottlenecks of {trainImages.shape[0]} images: test accuracy {retrained:F4} on {testCount} images");
}
Directory.Delete(work, recursive: true);

// The same with ResNet18 pretrained on ImageNet.

// The frozen part: grey 28x28 images become 224x224 RGB in 0..255, go through ResNet18's own preprocessing model,
// then through ResNet18 up to its global average pool. Both ONNX models are imported with their weights as constants.
var models = Path.Combine(AppContext.BaseDirectory, "DnnImageModels");
var images = tf.placeholder(tf.float32, new Shape(-1, 784), name: "images");
var rgb = tf.image.grayscale_to_rgb(tf.reshape(images, new[] { -1, 28, 28, 1 }));
var resized = tf.image.resize_images(rgb, [224, 224]) * 255f;
var preprocess = OnnxModel.Load(Path.Combine(models, "ResNetPrepOnnx", "ResNetPreprocess.onnx"))
    .Import(new OnnxImportOptions { Nhwc = true, Name = "preprocess", InputMap = new Dictionary<string, Tensor> { ["OriginalInput"] = resized } });
var resnet = OnnxModel.Load(Path.Combine(models, "ResNet18Onnx", "ResNet18.onnx"))
    .Import(new OnnxImportOptions { Nhwc = true, Name = "resnet18", InputMap = new Dictionary<string, Tensor> { ["Input247"] = preprocess.Outputs["PreprocessedInput"] } });
var bottleneck = tf.reshape(resnet.Outputs["Pooling395_Output_0"], new[] { -1, BOTTLENECK_SIZE }, name: "bottleneck");

// The new final layer reads the bottleneck values from a placeholder (retrain.py's BottleneckInputPlaceholder), so
// training feeds cached values and never runs ResNet18 again.
var bottleneck_input = tf.placeholder_with_default(bottleneck, new Shape(-1, BOTTLENECK_SIZE), name: "BottleneckInputPlaceholder");
var labels = tf.placeholder(tf.int32, new Shape(-1), name: "labels");
var logits = tf.layers.dense(bottleneck_input, CLASSES, name: "final_training_ops");
// Weight decay on the new kernel (§27): with few labelled images a softmax over 512 features overfits.
var kernel = tf.trainable_variables().Single(v => v.op.name == "final_training_ops/kernel");
var loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: labels, logits: logits)) + 0.01f * tf.nn.l2_loss(kernel.value());
var train_step = tf.train.AdamOptimizer(0.001).minimize(loss);
var accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.cast(tf.argmax(logits, 1), tf.int32), labels), tf.float32));
Console.WriteLine($"trainable variables: {string.Join(", ", tf.trainable_variables().Select(v => $"{v.name} {v.shape}"))}");

using var sess = tf.Session();
sess.run(tf.global_variables_initializer());

// Bottleneck values: one ResNet18 pass per image, in batches of 32.
NDArray Bottlenecks(NDArray imageRows)
{
    var n = imageRows.shape[0];
    var result = new float[n * BOTTLENECK_SIZE];
    for (var start = 0; start < n; start += 32)
    {
        var rows = Rows(imageRows, Enumerable.Range(start, Math.Min(32, n - start)).ToArray());
        sess.run(bottleneck, new FeedDict { [images] = rows }).ToArray<float>().CopyTo(result, start * BOTTLENECK_SIZE);
    }
    return NDArray.FromFlat(result, new Shape(n, BOTTLENECK_SIZE));
}
var clock = Stopwatch.StartNew();
var trainBottlenecks = Bottlenecks(trainImages);
var testBottlenecks = Bottlenecks(testImages);
Console.WriteLine($"bottlenecks of {trainImages.shape[0]} training and {testCount} test images in {clock.Elapsed.TotalSeconds:F0} s");

var set = new DataSet(trainBottlenecks, trainY, seed: 1);
for (var i = 0; i < TRAINING_STEPS; i++)
{
    var (xs, ys) = set.next_batch(Math.Min(BATCH_SIZE, trainBottlenecks.shape[0]));
    sess.run(train_step, new FeedDict { [bottleneck_input] = xs, [labels] = ys });
    if (i % 1000 == 0 || i == TRAINING_STEPS - 1)
        Console.WriteLine($"step {i}: training loss {(float)sess.run(loss, new FeedDict { [bottleneck_input] = trainBottlenecks, [labels] = trainY }):F4}");
}
var test = (float)sess.run(accuracy, new FeedDict { [bottleneck_input] = testBottlenecks, [labels] = testY });
Console.WriteLine($"{PER_CLASS} labelled images per class: test accuracy {test:F4} on {testCount} images");
