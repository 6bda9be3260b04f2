#:project ../src/SharpFlow/SharpFlow.csproj
// A custom model_fn Estimator: a small convnet on Fashion-MNIST written with tf.layers, its EstimatorSpec for
// TRAIN, EVAL and PREDICT, and params. The first train call runs STEPS steps; a second call on the same
// model_dir resumes from its newest checkpoint (the global step goes on), then evaluate and predict.
// Run: dotnet run examples/estimator-custom-model-fn.cs [-- steps [model_dir]]
using SharpFlow;
using SharpFlow.Data;
using SharpFlow.Estimators;
using static SharpFlow.Binding;

var steps = args.Length > 0 ? int.Parse(args[0]) : 500;
var modelDir = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "sharpflow-estimator-convnet");
var data = FashionMnist.read_data_sets(validation_size: 0, seed: 1);
Console.WriteLine($"data: {data.source}, model_dir {modelDir}");

EstimatorSpec model_fn(Dictionary<string, Tensor> features, Tensor? labels, string mode, IReadOnlyDictionary<string, object> @params)
{
    var input = tf.reshape(features["x"], new[] { -1, 28, 28, 1 });
    var conv1 = tf.layers.conv2d(input, filters: 16, kernel_size: 5, padding: "same", activation: t => tf.nn.relu(t), name: "conv1");
    var pool1 = tf.layers.max_pooling2d(conv1, pool_size: 2, strides: 2);
    var conv2 = tf.layers.conv2d(pool1, filters: 32, kernel_size: 5, padding: "same", activation: t => tf.nn.relu(t), name: "conv2");
    var pool2 = tf.layers.max_pooling2d(conv2, pool_size: 2, strides: 2);
    var dense = tf.layers.dense(tf.layers.flatten(pool2), 128, activation: t => tf.nn.relu(t), name: "dense");
    var logits = tf.layers.dense(dense, 10, name: "logits");
    var classes = tf.argmax(logits, 1, output_type: tf.int32);
    if (mode == tf.estimator.ModeKeys.PREDICT)
        return tf.estimator.EstimatorSpec(mode, predictions: new Dictionary<string, Tensor> { ["classes"] = classes, ["probabilities"] = tf.nn.softmax(logits) });
    var loss = tf.losses.sparse_softmax_cross_entropy(labels: labels!, logits: logits);
    if (mode == tf.estimator.ModeKeys.EVAL)
        return tf.estimator.EstimatorSpec(mode, loss: loss,
            eval_metric_ops: new Dictionary<string, (Tensor, Tensor)> { ["accuracy"] = tf.metrics.accuracy(labels!, classes) });
    var optimizer = tf.train.AdamOptimizer((double)@params["learning_rate"]);
    var train_op = optimizer.minimize(loss, global_step: tf.train.get_global_step());
    return tf.estimator.EstimatorSpec(mode, loss: loss, train_op: train_op);
}

var estimator = tf.estimator.Estimator(model_fn, model_dir: modelDir,
    config: tf.estimator.RunConfig(tf_random_seed: 1, save_checkpoints_steps: 100, log_step_count_steps: 100),
    @params: new Dictionary<string, object> { ["learning_rate"] = 1e-3 });

var train_input_fn = tf.estimator.inputs.numpy_input_fn(new Dictionary<string, NDArray> { ["x"] = data.train.images },
    data.train.labels.Cast(DType.int32), batch_size: 64, num_epochs: null, shuffle: true);

Console.WriteLine($"checkpoint before training: {Path.GetFileName(estimator.latest_checkpoint()) ?? "none"}");
estimator.train(train_input_fn, steps: steps);
Console.WriteLine($"after the first train call: {Path.GetFileName(estimator.latest_checkpoint())}");
estimator.train(train_input_fn, steps: steps / 2);
Console.WriteLine($"after the second train call (resumed): {Path.GetFileName(estimator.latest_checkpoint())}");

var eval = estimator.evaluate(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, NDArray> { ["x"] = data.test.images },
    data.test.labels.Cast(DType.int32), batch_size: 500, shuffle: false));
Console.WriteLine($"global step {eval["global_step"]}: test accuracy {eval["accuracy"].item<float>():F4}, loss {eval["loss"].item<float>():F4}");

var predictions = estimator.predict(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, NDArray> { ["x"] = data.test.images[0..8] }, shuffle: false))
    .Select(p => p["classes"].item<int>()).ToArray();
Console.WriteLine($"predicted classes of the first 8 test images: [{string.Join(", ", predictions)}]");
Console.WriteLine($"their labels:                              [{string.Join(", ", data.test.labels.Cast(DType.int32).ToArray<int>().Take(8))}]");
