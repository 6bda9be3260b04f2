#:project ../src/SharpFlow/SharpFlow.csproj
#:project ../src/SharpFlow.Models/SharpFlow.Models.csproj
#:project ../src/SharpFlow.Distributed/SharpFlow.Distributed.csproj
#:property PublishAot=false
// (MPI.NET builds its reduction operations with Reflection.Emit, which a file-based program's default native-AOT
// settings forbid.)
// Data-parallel training written as Horovod's TensorFlow examples write it (tensorflow_mnist.py): hvd.init(), an
// optimizer wrapped in hvd.DistributedOptimizer (the gradients averaged across ranks in one allreduce per step),
// hvd.broadcast_global_variables(0) after the initializer, each rank's shard of every global batch, and rank 0
// alone reporting. Every rank prints a hash of its variables at the end: they are equal.
// Run: dotnet run examples/horovod-lenet5.cs [-- steps]                       (a job of one rank)
//      dotnet build examples/horovod-lenet5.cs && mpiexec -n 2 dotnet run --no-build examples/horovod-lenet5.cs [-- steps]
using SharpFlow;
using SharpFlow.Data;
using SharpFlow.Distributed;
using SharpFlow.Models;
using static SharpFlow.Binding;

hvd.init();
var steps = args.Length > 0 ? int.Parse(args[0]) : 300;
const int GlobalBatch = 64; // split among the ranks; the learning rate is the one for this batch

var data = FashionMnist.read_data_sets(validation_size: 5000, seed: 1); // the same batches on every rank
tf.set_random_seed(1);
var images = tf.placeholder(tf.float32, new Shape(-1, 28, 28, 1), name: "images");
var labels = tf.placeholder(tf.int32, new Shape(-1), name: "labels");
var logits = new LeNet5().Build(images, training: true).Logits;
var loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels: labels, logits: logits));
var accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.cast(tf.argmax(logits, 1), tf.int32), labels), tf.float32));
var global_step = tf.train.get_or_create_global_step();
var opt = hvd.DistributedOptimizer(tf.train.AdamOptimizer(1e-3));
var train_op = opt.minimize(loss, global_step: global_step);

NDArray Images(NDArray flat) => flat.Reshape(new Shape(flat.shape[0], 28, 28, 1));

using var sess = tf.Session();
sess.run(tf.global_variables_initializer());
sess.run(hvd.broadcast_global_variables(0)); // every rank starts from rank 0's initial weights
if (hvd.rank() == 0) Console.WriteLine($"rank 0 of {hvd.size()}: global batch {GlobalBatch}, {GlobalBatch / hvd.size()} images per rank per step");
for (var step = 1; step <= steps; step++)
{
    var (x, y) = data.train.next_batch(GlobalBatch);
    var feed = new FeedDict { [images] = hvd.shard(Images(x)), [labels] = hvd.shard(y.Cast(DType.int32)) };
    var (_, value) = sess.run((train_op, loss), feed);
    if (hvd.rank() == 0 && (step % 100 == 0 || step == steps)) Console.WriteLine($"step {step}: loss on rank 0's shard {value.item<float>():F4}");
}
if (hvd.rank() == 0)
{
    var test = new FeedDict { [images] = Images(data.test.images[..2000]), [labels] = data.test.labels[..2000].Cast(DType.int32) };
    Console.WriteLine($"test accuracy: {sess.run(accuracy, test).item<float>():F4} on 2000 images after {sess.run(global_step.value()).item<long>()} steps");
}
var hash = 14695981039346656037UL;
foreach (var v in sess.run(tf.global_variables().Select(v => (Tensor)v.value()).ToList()))
    foreach (var b in v.AsBytes()) hash = (hash ^ b) * 1099511628211UL;
Console.Error.WriteLine($"rank {hvd.rank()}: variables hash {hash:x16}");
hvd.shutdown();
