#:project ../src/SharpFlow/SharpFlow.csproj
// A word-level language model in the shape of TensorFlow's PTB tutorial (models/tutorials/rnn/ptb/ptb_word_lm.py,
// "block" mode): an embedding, 2 layers of tf.contrib.rnn.LSTMBlockCell (forget_bias 0) with DropoutWrapper on
// their outputs, unrolled by static_rnn over num_steps words, a softmax over the vocabulary, sequence_loss summed
// over time, gradients clipped by clip_by_global_norm(5) and plain SGD (lr 1.0, halved each epoch after
// max_epoch). Truncated backprop: each batch row reads its own stretch of the corpus, and the final LSTM state of
// one step is fed as the initial state of the next. Perplexity per epoch on train, valid and test.
//
// The corpus is Debian's `fortunes` package (`apt-get install fortunes`: /usr/share/games/fortunes, 2.8 MB): every
// fortune file's fortunes in file order, lower-cased, split into words and punctuation, an <eos> after each
// fortune. Fortune k goes to valid when k % 10 == 8, to test when k % 10 == 9, else to train (80/10/10). The
// vocabulary is the 10,000 most frequent training words; the rest are <unk>.
//
// `dotnet run examples/ptb-language-model.cs [MAX_MAX_EPOCH] [MAX_STEPS_PER_EPOCH] [FORTUNES_DIR]`
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using SharpFlow;
using SharpFlow.Rnn;
using static SharpFlow.Binding;

var inv = CultureInfo.InvariantCulture;
var maxMaxEpoch = args.Length > 0 ? int.Parse(args[0], inv) : 6;
var maxSteps = args.Length > 1 ? int.Parse(args[1], inv) : int.MaxValue;
var dir = args.Length > 2 ? args[2] : "/usr/share/games/fortunes";
// The "small" config's shape, with a smaller vocabulary and hidden layer for two CPU cores.
const double init_scale = 0.1, learning_rate = 1.0, max_grad_norm = 5, lr_decay = 0.5, keep_prob = 0.8;
const int num_layers = 2, num_steps = 20, hidden_size = 200, max_epoch = 2, batch_size = 20, vocab_limit = 10000;

if (!Directory.Exists(dir))
{
    Console.WriteLine($"no corpus at {dir}: install Debian's fortunes (apt-get install fortunes)");
    return 2;
}

// ---- the corpus ----
var fortunes = new List<string>();
foreach (var file in Directory.GetFiles(dir).Where(f => Path.GetExtension(f) is not (".dat" or ".u8")).Order(StringComparer.Ordinal))
{
    if (new FileInfo(file).Attributes.HasFlag(FileAttributes.ReparsePoint)) continue;
    fortunes.AddRange(File.ReadAllText(file).Split("\n%\n").Select(f => f.Trim()).Where(f => f.Length > 0));
}
var tokenizer = new Regex(@"[a-z0-9]+(?:'[a-z]+)?|[.,!?;:""()-]", RegexOptions.Compiled);
List<string> Words(IEnumerable<string> texts) => [.. texts.SelectMany(t => tokenizer.Matches(t.ToLowerInvariant()).Select(m => m.Value).Append("<eos>"))];
var trainWords = Words(fortunes.Where((_, k) => k % 10 < 8));
var validWords = Words(fortunes.Where((_, k) => k % 10 == 8));
var testWords = Words(fortunes.Where((_, k) => k % 10 == 9));
var vocab = trainWords.GroupBy(w => w).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key)
    .Where(w => w != "<unk>").Take(vocab_limit - 1).Append("<unk>").Select((w, i) => (w, i)).ToDictionary(p => p.w, p => p.i);
var vocab_size = vocab.Count;
int[] Ids(List<string> words) => [.. words.Select(w => vocab.TryGetValue(w, out var i) ? i : vocab["<unk>"])];
var (trainData, validData, testData) = (Ids(trainWords), Ids(validWords), Ids(testWords));
Console.WriteLine($"fortunes: {fortunes.Count} fortunes; words train {trainData.Length}, valid {validData.Length}, test {testData.Length}; vocabulary {vocab_size}");

// ---- the model (PTBModel) ----
tf.set_random_seed(1);
(Tensor input, Tensor targets, Tensor cost, LSTMStateTuple[] initial, LSTMStateTuple[] final, Operation? train, Variable? lr) PTBModel(bool is_training)
{
    var input_data = tf.placeholder(tf.int32, new[] { batch_size, num_steps }, name: "input");
    var targets = tf.placeholder(tf.int32, new[] { batch_size, num_steps }, name: "targets");
    var embedding = tf.get_variable("embedding", new[] { vocab_size, hidden_size }, dtype: tf.float32);
    var inputs = tf.nn.embedding_lookup(embedding, input_data);
    if (is_training && keep_prob < 1) inputs = tf.nn.dropout(inputs, keep_prob);
    RNNCell MakeCell()
    {
        RNNCell cell = tf.contrib.rnn.LSTMBlockCell(hidden_size, forget_bias: 0.0);
        return is_training && keep_prob < 1 ? tf.nn.rnn_cell.DropoutWrapper(cell, output_keep_prob: keep_prob) : cell;
    }
    var cell = tf.nn.rnn_cell.MultiRNNCell(Enumerable.Range(0, num_layers).Select(_ => MakeCell()));
    var initial_state = (object[])cell.zero_state(batch_size, tf.float32);
    var (outputs, state) = tf.nn.static_rnn(cell, tf.unstack(inputs, num: num_steps, axis: 1), initial_state: initial_state);
    var output = tf.reshape(tf.concat(outputs, 1), new[] { -1, hidden_size });
    var softmax_w = tf.get_variable("softmax_w", new[] { hidden_size, vocab_size }, dtype: tf.float32);
    var softmax_b = tf.get_variable("softmax_b", new[] { vocab_size }, dtype: tf.float32);
    var logits = tf.reshape(tf.matmul(output, softmax_w) + softmax_b, new[] { batch_size, num_steps, vocab_size });
    var loss = tf.contrib.seq2seq.sequence_loss(logits, targets, tf.ones(new[] { batch_size, num_steps }, tf.float32),
        average_across_timesteps: false, average_across_batch: true);
    var cost = tf.reduce_sum(loss);
    var initialStates = initial_state.Cast<LSTMStateTuple>().ToArray();
    var finalStates = ((object[])state).Cast<LSTMStateTuple>().ToArray();
    if (!is_training) return (input_data, targets, cost, initialStates, finalStates, null, null);
    var lrVar = tf.Variable(0.0f, trainable: false, name: "lr");
    var tvars = tf.trainable_variables();
    var (grads, _) = tf.clip_by_global_norm(tf.gradients(cost, [.. tvars]), max_grad_norm);
    var optimizer = tf.train.GradientDescentOptimizer(lrVar);
    var train_op = optimizer.apply_gradients(grads.Zip(tvars, (g, v) => (g, v)), global_step: tf.train.get_or_create_global_step());
    return (input_data, targets, cost, initialStates, finalStates, train_op, lrVar);
}

var initializer = tf.random_uniform_initializer(-init_scale, init_scale);
(Tensor input, Tensor targets, Tensor cost, LSTMStateTuple[] initial, LSTMStateTuple[] final, Operation? train, Variable? lr) m, mvalid;
using (tf.variable_scope("Model", reuse: null, initializer: initializer)) m = PTBModel(is_training: true);
using (tf.variable_scope("Model", reuse: true, initializer: initializer)) mvalid = PTBModel(is_training: false);
Console.WriteLine($"trainable variables: {string.Join(", ", tf.trainable_variables().Select(v => $"{v.name} {v.shape}"))}");

using var session = tf.Session();
session.run(tf.global_variables_initializer());

// ptb_producer without queues: the data as [batch_size, batch_len], num_steps columns per step.
double RunEpoch((Tensor input, Tensor targets, Tensor cost, LSTMStateTuple[] initial, LSTMStateTuple[] final, Operation? train, Variable? lr) model,
    int[] data, bool verbose, out int steps, out double seconds)
{
    var batch_len = data.Length / batch_size;
    var epoch_size = Math.Min((batch_len - 1) / num_steps, maxSteps);
    var clock = Stopwatch.StartNew();
    var zero = NDArray.Zeros(tf.float32, new Shape(batch_size, hidden_size));
    var state = Enumerable.Range(0, 2 * num_layers).Select(_ => zero).ToArray();
    var fetches = new List<ITensorOrOperation> { model.cost };
    foreach (var s in model.final) { fetches.Add(s.c); fetches.Add(s.h); }
    if (model.train is { } op) fetches.Add(op);
    double costs = 0;
    var iters = 0;
    var x = new int[batch_size, num_steps];
    var y = new int[batch_size, num_steps];
    for (var step = 0; step < epoch_size; step++)
    {
        for (var b = 0; b < batch_size; b++)
            for (var t = 0; t < num_steps; t++)
            {
                x[b, t] = data[b * batch_len + step * num_steps + t];
                y[b, t] = data[b * batch_len + step * num_steps + t + 1];
            }
        var feed = new FeedDict { [model.input] = NDArray.FromArray(x), [model.targets] = NDArray.FromArray(y) };
        for (var i = 0; i < num_layers; i++) { feed[model.initial[i].c] = state[2 * i]; feed[model.initial[i].h] = state[2 * i + 1]; }
        var vals = session.run(fetches, feed);
        costs += vals[0]!.ToArray<float>()[0];
        for (var k = 0; k < 2 * num_layers; k++) state[k] = vals[1 + k]!;
        iters += num_steps;
        if (verbose && epoch_size >= 10 && step % (epoch_size / 10) == 10)
            Console.WriteLine($"{step * 1.0 / epoch_size:F3} perplexity: {Math.Exp(costs / iters):F3} speed: {iters * batch_size / clock.Elapsed.TotalSeconds:F0} wps");
    }
    (steps, seconds) = (epoch_size, clock.Elapsed.TotalSeconds);
    return Math.Exp(costs / iters);
}

for (var i = 0; i < maxMaxEpoch; i++)
{
    var decay = Math.Pow(lr_decay, Math.Max(i + 1 - max_epoch, 0.0));
    session.run(tf.assign(m.lr!, (float)(learning_rate * decay)));
    Console.WriteLine($"Epoch: {i + 1} Learning rate: {learning_rate * decay:F3}");
    var train_perplexity = RunEpoch(m, trainData, verbose: true, out var steps, out var seconds);
    Console.WriteLine($"Epoch: {i + 1} Train Perplexity: {train_perplexity:F3} ({steps} steps, {steps / seconds:F1} steps/s)");
    var valid_perplexity = RunEpoch(mvalid, validData, verbose: false, out _, out _);
    Console.WriteLine($"Epoch: {i + 1} Valid Perplexity: {valid_perplexity:F3}");
}
var test_perplexity = RunEpoch(mvalid, testData, verbose: false, out _, out _);
Console.WriteLine($"Test Perplexity: {test_perplexity:F3}");
return 0;
