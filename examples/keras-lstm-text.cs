#:project ../src/SharpFlow/SharpFlow.csproj
// A Keras LSTM text classifier, as the Keras IMDB example (examples/imdb_lstm.py) builds it: word ids padded with
// pad_sequences, Embedding(mask_zero=True) + LSTM + Dense(sigmoid), binary cross entropy, Adam, then the test
// accuracy. The texts are fortunes from two of Debian's `fortunes` files (`apt-get install fortunes`):
// "computers" (label 1) and "people" (label 0); every fifth fortune is held out for the test. Without the package
// a small built-in corpus of made-up sentences stands in.
// Run: dotnet run examples/keras-lstm-text.cs [-- epochs [FORTUNES_DIR]]
using System.Globalization;
using System.Text.RegularExpressions;
using SharpFlow;
using static SharpFlow.Binding;

var inv = CultureInfo.InvariantCulture;
var epochs = args.Length > 0 ? int.Parse(args[0], inv) : 6;
var dir = args.Length > 1 ? args[1] : "/usr/share/games/fortunes";
const int max_features = 5000, maxlen = 60, batch_size = 32;
tf.set_random_seed(7);

// ---- the corpus: (text, label) ----
var texts = new List<(string Text, int Label)>();
string[] files = ["computers", "people"];
if (files.All(f => File.Exists(Path.Combine(dir, f))))
{
    for (var label = 0; label < 2; label++)
        foreach (var f in File.ReadAllText(Path.Combine(dir, files[label])).Split("\n%\n").Select(s => s.Trim()).Where(s => s.Length > 0))
            texts.Add((f, 1 - label));
    Console.WriteLine($"corpus: {dir}/computers and {dir}/people");
}
else
{
    // A stand-in: sentences about computers or about people, built from small word lists.
    string[] machines = ["the program", "my computer", "the compiler", "unix", "the network", "this software", "the kernel", "a bug", "the database", "the terminal"];
    string[] machineVerbs = ["crashed again", "needs more memory", "returns an error", "was rebooted", "runs the code slowly", "lost the files", "has a race condition", "ran out of disk"];
    string[] persons = ["my mother", "the old man", "your friend", "a wise woman", "his brother", "the teacher", "every child", "our neighbour", "the poet", "my aunt"];
    string[] personVerbs = ["laughed at the joke", "loves long walks", "was kind to strangers", "never forgets a face", "sang at the wedding", "told a story", "is always late", "grew old gracefully"];
    var rng = new Random(1);
    for (var i = 0; i < 1200; i++)
    {
        var label = i % 2;
        var (subjects, verbs) = label == 1 ? (machines, machineVerbs) : (persons, personVerbs);
        texts.Add(($"{subjects[rng.Next(subjects.Length)]} {verbs[rng.Next(verbs.Length)]} and {subjects[rng.Next(subjects.Length)]} {verbs[rng.Next(verbs.Length)]}.", label));
    }
    Console.WriteLine($"no fortunes at {dir} (apt-get install fortunes): using the built-in corpus");
}

// ---- words to ids: the most frequent training words get 1..max_features-1, 0 is padding, the rest are dropped ----
var tokenizer = new Regex(@"[a-z0-9]+(?:'[a-z]+)?", RegexOptions.Compiled);
string[] Tokens(string text) => [.. tokenizer.Matches(text.ToLowerInvariant()).Select(m => m.Value)];
var train = texts.Where((_, k) => k % 5 != 4).ToList();
var test = texts.Where((_, k) => k % 5 == 4).ToList();
var vocabulary = train.SelectMany(t => Tokens(t.Text)).GroupBy(w => w).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
    .Take(max_features - 1).Select((g, i) => (g.Key, Id: i + 1)).ToDictionary(p => p.Key, p => p.Id);
(NDArray X, NDArray Y) Encode(List<(string Text, int Label)> set)
{
    var sequences = set.Select(t => (IReadOnlyList<int>)Tokens(t.Text).Where(vocabulary.ContainsKey).Select(w => vocabulary[w]).ToList()).ToList();
    var x = tf.keras.preprocessing.sequence.pad_sequences(sequences, maxlen: maxlen);
    var y = NDArray.FromFlat(set.Select(t => (float)t.Label).ToArray(), new Shape(set.Count, 1));
    return (x, y);
}
var (xTrain, yTrain) = Encode(train);
var (xTest, yTest) = Encode(test);
// Shuffle the training set once (fit's validation_split takes the last 10%).
var order = Enumerable.Range(0, xTrain.shape[0]).ToArray();
new Random(3).Shuffle(order);
var ids = xTrain.ToArray<int>();
var labels = yTrain.ToArray<float>();
xTrain = NDArray.FromFlat(order.SelectMany(i => ids.Skip(i * maxlen).Take(maxlen)).ToArray(), xTrain.shape);
yTrain = NDArray.FromFlat(order.Select(i => labels[i]).ToArray(), yTrain.shape);
Console.WriteLine($"{xTrain.shape[0]} train sequences, {xTest.shape[0]} test sequences, vocabulary {vocabulary.Count + 1}");
Console.WriteLine($"x_train shape: ({string.Join(", ", xTrain.shape.Dims)})");

// ---- the model ----
var model = tf.keras.Sequential();
model.add(tf.keras.layers.Embedding(max_features, 32, mask_zero: true, input_length: maxlen));
model.add(tf.keras.layers.LSTM(32, dropout: 0.2, recurrent_dropout: 0.2));
model.add(tf.keras.layers.Dense(1, activation: "sigmoid"));
model.summary();

model.compile(loss: "binary_crossentropy", optimizer: tf.keras.optimizers.Adam(lr: 0.005), metrics: ["accuracy"]);
model.fit(xTrain, yTrain, batch_size: batch_size, epochs: epochs, verbose: 2, validation_split: 0.1);

var score = model.evaluate(xTest, yTest, batch_size: batch_size, verbose: 0);
Console.WriteLine($"Test score: {score[0].ToString("F4", inv)}");
Console.WriteLine($"Test accuracy: {score[1].ToString("F4", inv)}");
return 0;
