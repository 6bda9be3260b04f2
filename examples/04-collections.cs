#:project ../src/SharpFlow/SharpFlow.csproj
// Seed §4: the collections TensorFlow keeps in a graph, and user collections.
using SharpFlow;
using static SharpFlow.Binding;

Console.WriteLine($"GLOBAL_VARIABLES = \"{tf.GraphKeys.GLOBAL_VARIABLES}\"");
Console.WriteLine($"TRAINABLE_VARIABLES = \"{tf.GraphKeys.TRAINABLE_VARIABLES}\"");
Console.WriteLine($"LOSSES = \"{tf.GraphKeys.LOSSES}\"");
Console.WriteLine($"SUMMARIES = \"{tf.GraphKeys.SUMMARIES}\"");
Console.WriteLine($"MOVING_AVERAGE_VARIABLES = \"{tf.GraphKeys.MOVING_AVERAGE_VARIABLES}\"");
Console.WriteLine($"REGULARIZATION_LOSSES = \"{tf.GraphKeys.REGULARIZATION_LOSSES}\"");
Console.WriteLine($"UPDATE_OPS = \"{tf.GraphKeys.UPDATE_OPS}\"");

var w = tf.Variable(tf.zeros((2, 2)), name: "w");
var step = tf.Variable(0, trainable: false, name: "step");
Console.WriteLine($"global variables: {string.Join(", ", tf.global_variables().Select(v => v.name))}");
Console.WriteLine($"trainable variables: {string.Join(", ", tf.trainable_variables().Select(v => v.name))}");

tf.add_to_collection("losses", tf.constant(1.5f, name: "loss1"));
tf.add_to_collection("losses", tf.constant(2.5f, name: "loss2"));
var total = tf.add_n(tf.get_collection("losses"));
using var sess = tf.Session();
Console.WriteLine($"sum of the losses collection: {sess.run(total)}");
Console.WriteLine($"collections: {string.Join(", ", tf.get_default_graph().get_all_collection_keys())}");
