// Saves checkpoints of four 1M-element variables in a loop, each save holding the step number in every element,
// and prints "saved STEP" after each one, until it is killed. The Saver's crash test kills it at random moments
// and checks that the newest recorded checkpoint always restores whole.
using SharpFlow;
using static SharpFlow.Binding;

if (args.Length is not (1 or 2))
{
    Console.Error.WriteLine("usage: SharpFlow.SaveLoop DIRECTORY [MAX_TO_KEEP]");
    return 2;
}
var maxToKeep = args.Length == 2 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
var step = tf.placeholder(tf.float32, Shape.Scalar, name: "step");
var variables = Enumerable.Range(0, 4).Select(i => tf.Variable(tf.zeros(new[] { 1024, 1024 }), name: $"layer{i}/weights")).ToList();
var assign = tf.group(variables.Select(v => (ITensorOrOperation)tf.assign(v, tf.fill(new[] { 1024, 1024 }, step))).ToArray());
var saver = tf.train.Saver(max_to_keep: maxToKeep);
using var sess = tf.Session();
sess.run(tf.global_variables_initializer());
for (var i = 1; ; i++)
{
    sess.run(assign, new FeedDict { [step] = (float)i });
    saver.save(sess, Path.Combine(args[0], "model.ckpt"), global_step: i);
    Console.WriteLine($"saved {i}");
    Console.Out.Flush();
}
