#:project ../src/SharpFlow/SharpFlow.csproj
// tf.keras's functional API: a model with two inputs and two outputs. Each Fashion-MNIST image is cut into its
// left and right halves; one shared Dense encoder reads both halves (a shared layer, so its weights serve both),
// the codes are concatenated, and two heads predict the class (softmax) and whether it is footwear (sigmoid:
// sandals, sneakers and ankle boots). compile takes one loss per output and loss_weights; fit reports each.
// Run: dotnet run examples/keras-functional.cs [-- epochs]
using SharpFlow;
using static SharpFlow.Binding;

var epochs = args.Length > 0 ? int.Parse(args[0]) : 5;
tf.set_random_seed(2);
var ((trainX, trainY), (testX, testY)) = tf.keras.datasets.fashion_mnist.load_data();

// Left and right halves as [n, 392] floats in 0..1; labels as class ids and footwear flags.
(NDArray left, NDArray right, NDArray classes, NDArray footwear) Split(NDArray images, NDArray labels)
{
    var n = images.shape[0];
    var px = images.ToArray<byte>();
    var l = new float[n * 392];
    var r = new float[n * 392];
    for (var i = 0; i < n; i++)
        for (var row = 0; row < 28; row++)
            for (var col = 0; col < 28; col++)
            {
                var v = px[i * 784 + row * 28 + col] / 255f;
                if (col < 14) l[i * 392 + row * 14 + col] = v; else r[i * 392 + row * 14 + col - 14] = v;
            }
    var ids = labels.ToArray<byte>();
    return (NDArray.FromFlat(l, new Shape(n, 392)), NDArray.FromFlat(r, new Shape(n, 392)),
        NDArray.FromFlat(ids.Select(b => (int)b).ToArray(), new Shape(n)),
        NDArray.FromFlat(ids.Select(b => b is 5 or 7 or 9 ? 1f : 0f).ToArray(), new Shape(n, 1)));
}
var train = Split(trainX, trainY);
var test = Split(testX, testY);

var leftInput = tf.keras.Input(shape: [392], name: "left_half");
var rightInput = tf.keras.Input(shape: [392], name: "right_half");
var encoder = tf.keras.layers.Dense(64, activation: "relu", name: "half_encoder");
var merged = tf.keras.layers.concatenate([encoder.Apply(leftInput), encoder.Apply(rightInput)]);
var hidden = tf.keras.layers.Dense(64, activation: "relu").Apply(merged);
var classOutput = tf.keras.layers.Dense(10, activation: "softmax", name: "class").Apply(hidden);
var footwearOutput = tf.keras.layers.Dense(1, activation: "sigmoid", name: "footwear").Apply(hidden);
var model = tf.keras.Model([leftInput, rightInput], [classOutput, footwearOutput]);
model.summary();

model.compile(optimizer: "rmsprop", losses: ["sparse_categorical_crossentropy", "binary_crossentropy"], loss_weights: [1.0, 0.5],
    metrics: ["accuracy"]);
Console.WriteLine("metrics: " + string.Join(", ", model.metrics_names));
var history = model.fit([train.left, train.right], [train.classes, train.footwear], batch_size: 64, epochs: epochs, verbose: 2);

var scores = model.evaluate([test.left, test.right], [test.classes, test.footwear], verbose: 0);
for (var i = 0; i < scores.Length; i++) Console.WriteLine($"test {model.metrics_names[i]}: {scores[i]:F4}");
var predictions = model.predict([test.left[..3], test.right[..3]]);
Console.WriteLine($"predicted footwear probabilities of the first 3 test images: {predictions[1]}");
