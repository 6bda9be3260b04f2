#:project ../src/SharpFlow/SharpFlow.csproj
// A seq2seq model with attention that learns to reverse digit strings of length 3 to 8, written as a
// TensorFlow 1.x program: an embedding and an encoder LSTM (dynamic_rnn with sequence lengths), a decoder LSTM
// wrapped in an AttentionWrapper over the encoder outputs (LuongAttention), trained with TrainingHelper and
// sequence_loss, and evaluated with greedy decoding (GreedyEmbeddingHelper) through dynamic_decode, and with beam
// search (BeamSearchDecoder, beam width 3, over the encoder outputs, lengths and state tiled with tile_batch).
// `dotnet run examples/seq2seq-attention.cs [MAX_STEPS]`: trains until the held-out sequence accuracy reaches
// 0.98 (checked every 100 steps) or MAX_STEPS (default 3000).
using SharpFlow;
using SharpFlow.Rnn.Seq2Seq;
using static SharpFlow.Binding;

const int GO = 10, EOS = 11, VOCAB = 12, EMBED = 16, UNITS = 64, BATCH = 64, MIN_LEN = 3, MAX_LEN = 8, BEAM = 3;
var MAX_STEPS = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 3000;

// A batch: sources padded with EOS, decoder inputs [GO, reversed], targets [reversed, EOS], weights on real steps.
static (int[,] src, int[] srcLen, int[,] decIn, int[,] tgt, float[,] w, int[][] raw) Batch(Random r, int n)
{
    var src = new int[n, MAX_LEN];
    var decIn = new int[n, MAX_LEN + 1];
    var tgt = new int[n, MAX_LEN + 1];
    var w = new float[n, MAX_LEN + 1];
    var len = new int[n];
    var raw = new int[n][];
    for (var i = 0; i < n; i++)
    {
        len[i] = r.Next(MIN_LEN, MAX_LEN + 1);
        raw[i] = [.. Enumerable.Range(0, len[i]).Select(_ => r.Next(10))];
        var rev = raw[i].Reverse().ToArray();
        for (var t = 0; t < MAX_LEN; t++) src[i, t] = t < len[i] ? raw[i][t] : EOS;
        for (var t = 0; t <= MAX_LEN; t++)
        {
            decIn[i, t] = t == 0 ? GO : t - 1 < len[i] ? rev[t - 1] : EOS;
            tgt[i, t] = t < len[i] ? rev[t] : EOS;
            w[i, t] = t <= len[i] ? 1 : 0;
        }
    }
    return (src, len, decIn, tgt, w, raw);
}

tf.set_random_seed(1);
var source = tf.placeholder(tf.int32, new Shape(-1, MAX_LEN), name: "source");
var sourceLength = tf.placeholder(tf.int32, new Shape(-1), name: "source_length");
var decoderInputs = tf.placeholder(tf.int32, new Shape(-1, MAX_LEN + 1), name: "decoder_inputs");
var targets = tf.placeholder(tf.int32, new Shape(-1, MAX_LEN + 1), name: "targets");
var weights = tf.placeholder(tf.float32, new Shape(-1, MAX_LEN + 1), name: "weights");
var batchSize = tf.size(sourceLength);

var embedding = tf.get_variable("embedding", new Shape(VOCAB, EMBED));
Tensor encoderOutputs;
object encoderState;
using (tf.variable_scope("encoder"))
{
    var encoderCell = tf.nn.rnn_cell.BasicLSTMCell(UNITS);
    (encoderOutputs, encoderState) = tf.nn.dynamic_rnn(encoderCell, tf.nn.embedding_lookup(embedding, source),
        sequence_length: sourceLength, dtype: tf.float32);
}
// The memory layer in its own variable scope, so that the beam search's mechanism (over tiled memory) reuses it.
LuongAttention attention;
using (tf.variable_scope("attention"))
    attention = tf.contrib.seq2seq.LuongAttention(UNITS, encoderOutputs, memory_sequence_length: sourceLength);
var decoderCell = tf.contrib.seq2seq.AttentionWrapper(tf.nn.rnn_cell.BasicLSTMCell(UNITS), attention, attention_layer_size: UNITS);
var projection = tf.layers.Dense(VOCAB, name: "output_projection");
AttentionWrapperState InitialState() => ((AttentionWrapperState)decoderCell.zero_state(batchSize, tf.float32)).clone(cell_state: encoderState);

// Training: teacher forcing.
var trainHelper = tf.contrib.seq2seq.TrainingHelper(tf.nn.embedding_lookup(embedding, decoderInputs), sourceLength + 1);
var (trainOutputs, _, _) = tf.contrib.seq2seq.dynamic_decode(tf.contrib.seq2seq.BasicDecoder(decoderCell, trainHelper, InitialState(), projection));
var logits = trainOutputs.rnn_output;
var steps = tf.shape(logits)[1];
var upToSteps = tf.stack(new[] { tf.constant(-1), steps });
var loss = tf.contrib.seq2seq.sequence_loss(logits, tf.slice(targets, new[] { 0, 0 }, upToSteps), tf.slice(weights, new[] { 0, 0 }, upToSteps));
var optimizer = tf.train.AdamOptimizer(0.01);
var gradsAndVars = optimizer.compute_gradients(loss);
var (clipped, _) = tf.clip_by_global_norm(gradsAndVars.Select(gv => gv.Item1).ToList(), 5.0);
var trainOp = optimizer.apply_gradients(gradsAndVars.Select((gv, i) => (clipped[i], gv.Item2)).ToList());

// Inference: greedy decoding with the same variables.
var greedyHelper = tf.contrib.seq2seq.GreedyEmbeddingHelper(embedding, tf.fill(tf.expand_dims(batchSize, 0), GO), EOS);
var (inferOutputs, _, inferLengths) = tf.contrib.seq2seq.dynamic_decode(
    tf.contrib.seq2seq.BasicDecoder(decoderCell, greedyHelper, InitialState(), projection), maximum_iterations: MAX_LEN + 1);
var predictions = inferOutputs.sample_id;

// Inference with beam search, on the same variables (reused): a new attention mechanism over the encoder outputs and
// lengths tiled BEAM times, wrapping the same LSTM cell, started from the tiled encoder state; the best beam first.
Tensor beamPredictions;
using (tf.variable_scope(tf.get_variable_scope(), reuse: true))
{
    LuongAttention tiledAttention;
    using (tf.variable_scope("attention"))
        tiledAttention = tf.contrib.seq2seq.LuongAttention(UNITS, tf.contrib.seq2seq.tile_batch(encoderOutputs, BEAM),
            memory_sequence_length: tf.contrib.seq2seq.tile_batch(sourceLength, BEAM));
    var beamCell = tf.contrib.seq2seq.AttentionWrapper(decoderCell.cell, tiledAttention, attention_layer_size: UNITS);
    var beamInitialState = ((AttentionWrapperState)beamCell.zero_state(batchSize * BEAM, tf.float32))
        .clone(cell_state: tf.contrib.seq2seq.tile_batch(encoderState, BEAM));
    var beamDecoder = tf.contrib.seq2seq.BeamSearchDecoder(beamCell, embedding, tf.fill(tf.expand_dims(batchSize, 0), GO), EOS,
        beamInitialState, BEAM, output_layer: projection);
    var (beamOutputs, _, _) = tf.contrib.seq2seq.dynamic_decode(beamDecoder, maximum_iterations: MAX_LEN + 1, scope: "decoder");
    beamPredictions = beamOutputs.predicted_ids[.., .., 0];
}

Console.WriteLine("variables: " + string.Join(", ", tf.trainable_variables().Select(v => v.name)));
using var sess = tf.Session();
sess.run(tf.global_variables_initializer());
var rng = new Random(1);
var test = Batch(new Random(12345), 500);
FeedDict Feed((int[,] src, int[] srcLen, int[,] decIn, int[,] tgt, float[,] w, int[][] raw) b) => new()
{
    [source] = NDArray.FromArray(b.src), [sourceLength] = NDArray.FromArray(b.srcLen), [decoderInputs] = NDArray.FromArray(b.decIn),
    [targets] = NDArray.FromArray(b.tgt), [weights] = NDArray.FromArray(b.w),
};
List<int> Decoded(int[,] ids, int i)
{
    var result = new List<int>();
    for (var t = 0; t < ids.GetLength(1) && ids[i, t] != EOS; t++) result.Add(ids[i, t]);
    return result;
}
(double accuracy, int[,] ids) Evaluate(Tensor? decoded = null)
{
    var ids = (int[,])sess.run(decoded ?? predictions, new FeedDict { [source] = NDArray.FromArray(test.src), [sourceLength] = NDArray.FromArray(test.srcLen) }).ToMultiDimArray();
    var correct = Enumerable.Range(0, test.raw.Length).Count(i => Decoded(ids, i).SequenceEqual(test.raw[i].Reverse()));
    return ((double)correct / test.raw.Length, ids);
}
var watch = System.Diagnostics.Stopwatch.StartNew();
var accuracy = 0.0;
var step = 0;
while (step < MAX_STEPS)
{
    var (_, l) = sess.run((trainOp, loss), Feed(Batch(rng, BATCH)));
    step++;
    if (step % 100 == 0)
    {
        accuracy = Evaluate().accuracy;
        Console.WriteLine($"step {step}: loss {l.ToArray<float>()[0]:F4}, greedy sequence accuracy {accuracy:F3} ({watch.Elapsed.TotalSeconds:F0} s)");
        if (accuracy >= 0.98) break;
    }
}
var (final, decoded) = Evaluate();
Console.WriteLine($"sequence accuracy: {final:F3} after {step} steps");
var (beamAccuracy, _) = Evaluate(beamPredictions);
Console.WriteLine($"beam search (width {BEAM}) sequence accuracy: {beamAccuracy:F3}");
for (var i = 0; i < 5; i++)
    Console.WriteLine($"  {string.Concat(test.raw[i])} -> {string.Concat(Decoded(decoded, i))}");
