#:project ../src/SharpFlow/SharpFlow.csproj
// The book's chapter 8 recurrent network: an LSTM (two layers of 30 units) predicts sin(x) from its 10 previous
// values, sampled every 0.01. Written as the book's TensorFlow 1.x program: MultiRNNCell of BasicLSTMCells,
// dynamic_rnn, the last step's output through a dense layer, mean squared error, Adagrad with rate 0.1.
// `dotnet run examples/sine-lstm.cs [TRAINING_STEPS]` (the book trains 10000 steps).
using SharpFlow;
using static SharpFlow.Binding;

const int HIDDEN_SIZE = 30, NUM_LAYERS = 2, TIMESTEPS = 10, BATCH_SIZE = 32;
const int TRAINING_EXAMPLES = 10000, TESTING_EXAMPLES = 1000;
const double SAMPLE_GAP = 0.01;
var TRAINING_STEPS = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10000;

// X[i] = sin of TIMESTEPS consecutive points, y[i] = sin of the next one.
static (float[,,] X, float[,] y) GenerateData(double[] seq)
{
    var n = seq.Length - TIMESTEPS;
    var x = new float[n, TIMESTEPS, 1];
    var y = new float[n, 1];
    for (var i = 0; i < n; i++)
    {
        for (var t = 0; t < TIMESTEPS; t++) x[i, t, 0] = (float)seq[i + t];
        y[i, 0] = (float)seq[i + TIMESTEPS];
    }
    return (x, y);
}

static double[] Sine(double start, int count) =>
    Enumerable.Range(0, count).Select(i => Math.Sin(start + i * SAMPLE_GAP)).ToArray();

var testStart = (TRAINING_EXAMPLES + TIMESTEPS) * SAMPLE_GAP;
var (trainX, trainY) = GenerateData(Sine(0, TRAINING_EXAMPLES + TIMESTEPS));
var (testX, testY) = GenerateData(Sine(testStart, TESTING_EXAMPLES + TIMESTEPS));

tf.set_random_seed(1);
var X = tf.placeholder(tf.float32, new Shape(-1, TIMESTEPS, 1), name: "X");
var y = tf.placeholder(tf.float32, new Shape(-1, 1), name: "y");
var cell = tf.nn.rnn_cell.MultiRNNCell(Enumerable.Range(0, NUM_LAYERS).Select(_ => (SharpFlow.Rnn.RNNCell)tf.nn.rnn_cell.BasicLSTMCell(HIDDEN_SIZE)));
var (outputs, _) = tf.nn.dynamic_rnn(cell, X, dtype: tf.float32);
var output = outputs[.., -1, ..];
var predictions = tf.layers.dense(output, 1);
var loss = tf.losses.mean_squared_error(labels: y, predictions: predictions);
var train_op = tf.train.AdagradOptimizer(0.1).minimize(loss);

using var sess = tf.Session();
sess.run(tf.global_variables_initializer());
var order = new Random(1);
var n = trainY.GetLength(0);
var batchX = new float[BATCH_SIZE, TIMESTEPS, 1];
var batchY = new float[BATCH_SIZE, 1];
for (var step = 0; step < TRAINING_STEPS; step++)
{
    for (var b = 0; b < BATCH_SIZE; b++)
    {
        var i = order.Next(n);
        for (var t = 0; t < TIMESTEPS; t++) batchX[b, t, 0] = trainX[i, t, 0];
        batchY[b, 0] = trainY[i, 0];
    }
    var (_, l) = sess.run((train_op, loss), new FeedDict { [X] = NDArray.FromArray(batchX), [y] = NDArray.FromArray(batchY) });
    if (step % 1000 == 0 || step == TRAINING_STEPS - 1) Console.WriteLine($"train step: {step}, loss: {l.ToArray<float>()[0]:F6}");
}

var predicted = sess.run(predictions, new FeedDict { [X] = NDArray.FromArray(testX) }).ToArray<float>();
var rmse = Math.Sqrt(predicted.Select((p, i) => (p - testY[i, 0]) * (double)(p - testY[i, 0])).Average());
Console.WriteLine($"Root Mean Square Error is: {rmse:F6}");
