#:project ../src/SharpFlow/SharpFlow.csproj
// tf.estimator.DNNClassifier on Fashion-MNIST with a numeric feature column of 784 pixels: train, evaluate
// (accuracy, loss and the other head metrics), then predict a few test images. The model, its checkpoints,
// graph.pbtxt and TensorBoard events go to MODEL_DIR (training resumes from it on a second run).
// Run: dotnet run examples/estimator-dnn-classifier.cs [-- steps [model_dir]]
using SharpFlow;
using SharpFlow.Data;
using static SharpFlow.Binding;

var steps = args.Length > 0 ? int.Parse(args[0]) : 2000;
var modelDir = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "sharpflow-estimator-dnn");
var data = FashionMnist.read_data_sets(validation_size: 0, seed: 1);
Console.WriteLine($"data: {data.source} ({data.train.num_examples} training, {data.test.num_examples} test examples), model_dir {modelDir}");

var feature_columns = new[] { tf.feature_column.numeric_column("x", shape: new Shape(28 * 28)) };
var classifier = tf.estimator.DNNClassifier(
    hidden_units: [256, 32],
    feature_columns: feature_columns,
    n_classes: 10,
    optimizer: tf.train.AdamOptimizer(1e-3),
    dropout: 0.1,
    model_dir: modelDir,
    config: tf.estimator.RunConfig(tf_random_seed: 1, log_step_count_steps: 500));

var train_input_fn = tf.estimator.inputs.numpy_input_fn(
    x: new Dictionary<string, NDArray> { ["x"] = data.train.images },
    y: data.train.labels.Cast(DType.int32),
    batch_size: 100, num_epochs: null, shuffle: true);
classifier.train(input_fn: train_input_fn, steps: steps);

var test_input_fn = tf.estimator.inputs.numpy_input_fn(
    x: new Dictionary<string, NDArray> { ["x"] = data.test.images },
    y: data.test.labels.Cast(DType.int32),
    batch_size: 500, num_epochs: 1, shuffle: false);
var result = classifier.evaluate(input_fn: test_input_fn);
Console.WriteLine($"global step {result["global_step"]}: test accuracy {result["accuracy"].item<float>():F4}, average loss {result["average_loss"].item<float>():F4}");

string[] names = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
var first = new Dictionary<string, NDArray> { ["x"] = data.test.images[0..5] };
var labels = data.test.labels.Cast(DType.int32).ToArray<int>();
var i = 0;
foreach (var p in classifier.predict(tf.estimator.inputs.numpy_input_fn(x: first, num_epochs: 1, shuffle: false)))
{
    var id = (int)p["class_ids"].ToArray<long>()[0];
    Console.WriteLine($"test image {i}: predicted {names[id]} (p={p["probabilities"].ToArray<float>()[id]:F3}), label {names[labels[i]]}");
    i++;
}
