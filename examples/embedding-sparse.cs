#:project ../src/SharpFlow/SharpFlow.csproj
// An embedding model trained with a sparse optimizer: the gradient of tf.nn.embedding_lookup is a tf.IndexedSlices,
// so AdagradOptimizer updates only the rows of the embedding table that a batch looked up (SparseApplyAdagrad), and
// the rows of words never seen stay exactly as they were initialized.
using SharpFlow;
using static SharpFlow.Binding;

const int Vocabulary = 5000, Seen = 2000, Dim = 16, Length = 10, Batch = 64, Steps = 400;
var random = new Random(7);

// Sentences of 10 word ids from the first 2,000 words: ids 0-49 are "positive" words, 50-99 "negative" ones, the
// rest neutral. A sentence is positive when it has more positive than negative words. Words 2,000-4,999 never occur.
(int[,] Ids, float[,] Labels) Sentences(int count)
{
    var ids = new int[count, Length];
    var labels = new float[count, 1];
    for (var s = 0; s < count; s++)
    {
        var (positive, negative) = (random.Next(0, 4), random.Next(0, 4));
        if (positive == negative) positive++;
        var words = Enumerable.Range(0, positive).Select(_ => random.Next(0, 50))
            .Concat(Enumerable.Range(0, negative).Select(_ => random.Next(50, 100)))
            .Concat(Enumerable.Range(0, Length - positive - negative).Select(_ => random.Next(100, Seen)))
            .OrderBy(_ => random.Next()).ToArray();
        for (var w = 0; w < Length; w++) ids[s, w] = words[w];
        labels[s, 0] = positive > negative ? 1 : 0;
    }
    return (ids, labels);
}

tf.set_random_seed(1);
var wordIds = tf.placeholder(tf.int32, new Shape(-1, Length), name: "word_ids");
var labels = tf.placeholder(tf.float32, new Shape(-1, 1), name: "labels");
var embeddings = tf.Variable(tf.random_uniform(new Shape(Vocabulary, Dim), -0.1, 0.1), name: "embeddings");
var sentence = tf.reduce_mean(tf.nn.embedding_lookup(embeddings, wordIds), axis: 1);
var logits = tf.layers.dense(sentence, 1, name: "classifier");
var loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels: labels, logits: logits));
var optimizer = tf.train.AdagradOptimizer(0.5);
var gradsAndVars = optimizer.compute_gradients(loss);
var train = optimizer.apply_gradients(gradsAndVars);
var accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.cast(tf.greater(logits, 0.0), tf.float32), labels), tf.float32));

Console.WriteLine($"gradient of the embeddings: {gradsAndVars.Single(gv => gv.var == embeddings).grad!.GetType().Name}");
Console.WriteLine($"update ops of the embeddings: {string.Join(", ", train.graph.get_operations().Where(o => o.name.StartsWith("Adagrad/update_embeddings/", StringComparison.Ordinal)).Select(o => o.type).Distinct().Order())}");

using var sess = tf.Session();
sess.run(tf.global_variables_initializer());
var before = sess.run(embeddings).ToArray<float>();
for (var step = 1; step <= Steps; step++)
{
    var (ids, y) = Sentences(Batch);
    var result = sess.run([train, loss], new FeedDict { [wordIds] = NDArray.FromArray(ids), [labels] = NDArray.FromArray(y) });
    if (step % 100 == 0) Console.WriteLine($"step {step}: loss {result[1]!.ToArray<float>()[0]:F4}");
}
var (testIds, testLabels) = Sentences(2000);
Console.WriteLine($"test accuracy: {sess.run(accuracy, new FeedDict { [wordIds] = NDArray.FromArray(testIds), [labels] = NDArray.FromArray(testLabels) }).ToArray<float>()[0]:P1}");

var after = sess.run(embeddings).ToArray<float>();
int Changed(int from, int to) => Enumerable.Range(from, to - from).Count(row => !before.AsSpan(row * Dim, Dim).SequenceEqual(after.AsSpan(row * Dim, Dim)));
Console.WriteLine($"rows of words seen in training changed: {Changed(0, Seen)} of {Seen}");
Console.WriteLine($"rows of words never seen changed: {Changed(Seen, Vocabulary)} of {Vocabulary - Seen}");
