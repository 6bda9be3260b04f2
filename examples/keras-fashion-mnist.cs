#:project ../src/SharpFlow/SharpFlow.csproj
// The book's chapter-10 Keras program on Fashion-MNIST: a Sequential CNN (Conv2D, MaxPooling2D, Flatten, Dense),
// compile with categorical cross entropy and accuracy, fit with validation_split, evaluate on the test set.
// tf.keras in graph mode: the layers add their ops to the default graph, Keras's session runs them.
// Run: dotnet run examples/keras-fashion-mnist.cs [-- epochs [training images]]
using SharpFlow;
using static SharpFlow.Binding;

var epochs = args.Length > 0 ? int.Parse(args[0]) : 10;
var limit = args.Length > 1 ? int.Parse(args[1]) : int.MaxValue;
const int num_classes = 10, img_rows = 28, img_cols = 28;
tf.set_random_seed(1);

var ((trainX, trainY), (testX, testY)) = tf.keras.datasets.fashion_mnist.load_data();
if (trainX.shape[0] > limit) (trainX, trainY) = (trainX[..limit], trainY[..limit]);

// x.reshape(n, 28, 28, 1).astype('float32') / 255
NDArray Prepare(NDArray images)
{
    var pixels = images.Cast(tf.float32).ToArray<float>();
    for (var i = 0; i < pixels.Length; i++) pixels[i] /= 255f;
    return NDArray.FromFlat(pixels, new Shape(images.shape[0], img_rows, img_cols, 1));
}
trainX = Prepare(trainX);
testX = Prepare(testX);
trainY = tf.keras.utils.to_categorical(trainY, num_classes);
testY = tf.keras.utils.to_categorical(testY, num_classes);
Console.WriteLine($"x_train shape: ({string.Join(", ", trainX.shape.Dims)}), {trainX.shape[0]} train samples, {testX.shape[0]} test samples");

var model = tf.keras.Sequential();
model.add(tf.keras.layers.Conv2D(32, kernel_size: (5, 5), activation: "relu", input_shape: [img_rows, img_cols, 1]));
model.add(tf.keras.layers.MaxPooling2D(pool_size: (2, 2)));
model.add(tf.keras.layers.Conv2D(64, (5, 5), activation: "relu"));
model.add(tf.keras.layers.MaxPooling2D(pool_size: (2, 2)));
model.add(tf.keras.layers.Flatten());
model.add(tf.keras.layers.Dense(500, activation: "relu"));
model.add(tf.keras.layers.Dropout(0.25));
model.add(tf.keras.layers.Dense(num_classes, activation: "softmax"));
model.summary();

model.compile(loss: "categorical_crossentropy", optimizer: tf.keras.optimizers.Adam(), metrics: ["accuracy"]);
var history = model.fit(trainX, trainY, batch_size: 128, epochs: epochs, verbose: 2, validation_split: 0.1);

var score = model.evaluate(testX, testY, verbose: 0);
Console.WriteLine($"Test loss: {score[0]:F4}");
Console.WriteLine($"Test accuracy: {score[1]:F4}");
