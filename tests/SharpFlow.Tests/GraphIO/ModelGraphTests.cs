using SharpFlow.Models;
using SharpFlow.Tests.Support;
using Tf = Tensorflow;
using static SharpFlow.Binding;

namespace SharpFlow.Tests.GraphIO;

/// <summary>A whole model's graph (LeNet-5 with its loss, gradients and Adam) through GraphDef and back.</summary>
public class ModelGraphTests
{
    [Fact]
    public void LeNet5sTrainingGraphImportsTrainsAndFreezes()
    {
        var images = NDArray.FromFlat(Enumerable.Range(0, 2 * 28 * 28).Select(i => (float)Math.Sin(i * 0.37)).ToArray(), new Shape(2, 28, 28, 1));
        var labels = NDArray.FromFlat(new[] { 3, 7 }, new Shape(2));
        Tf.GraphDef full, frozen;
        NDArray logitsAfterStep;
        string logitsName;
        using (var g = TestGraph.Enter())
        {
            tf.set_random_seed(1);
            var x = tf.placeholder(tf.float32, new Shape(-1, 28, 28, 1), name: "images");
            var y = tf.placeholder(tf.int32, new Shape(-1), name: "labels");
            var logits = new LeNet5().Build(x).Logits;
            logitsName = logits.op.name;
            var loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: y, logits: logits), name: "loss");
            tf.train.AdamOptimizer(1e-3).minimize(loss, name: "train");
            tf.global_variables_initializer();
            full = g.Graph.as_graph_def();
            using var sess = tf.Session();
            sess.run(g.Graph.get_operation_by_name("init"));
            sess.run(g.Graph.get_operation_by_name("train"), new FeedDict { [x] = images, [y] = labels });
            logitsAfterStep = sess.run(logits, new FeedDict { [x] = images });
            frozen = tf.graph_util.convert_variables_to_constants(sess, full, [logitsName]);
        }
        Assert.DoesNotContain(frozen.Node, n => n.Op == "VariableV2");

        using (var g = TestGraph.Enter())
        {
            tf.import_graph_def(full, name: "");
            Assert.Equal(full.Node.Count, g.Graph.get_operations().Count);
            using var sess = tf.Session();
            sess.run(g.Graph.get_operation_by_name("init"));
            var x = g.Graph.get_tensor_by_name("images:0");
            sess.run(g.Graph.get_operation_by_name("train"), new FeedDict { [x] = images, [g.Graph.get_tensor_by_name("labels:0")] = labels });
            // Same seeds, same initial values, same step: the imported graph trains exactly as the original did.
            Assert.Equal(logitsAfterStep.ToArray<float>(), sess.run(g.Graph.get_tensor_by_name(logitsName + ":0"), new FeedDict { [x] = images }).ToArray<float>());
        }
        using (var g = TestGraph.Enter())
        {
            var r = tf.import_graph_def(frozen, return_elements: ["images:0", logitsName + ":0"])!;
            Assert.Equal(logitsAfterStep.ToArray<float>(), g.Eval((Tensor)r[1], new FeedDict { [(Tensor)r[0]] = images }).ToArray<float>());
        }
    }
}
