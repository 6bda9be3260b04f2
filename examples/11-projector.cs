#:project ../src/SharpFlow/SharpFlow.csproj
// The book's chapter 11, programs 4.1 and 4.2: the Embedding Projector. 4.1 writes a sprite image of the test
// images (inverted, as the book draws them) and a metadata TSV of their labels; 4.2 trains the chapter's
// 784-500-10 network with a moving average and regularisation, keeps the final logits of the test images as a
// variable FINAL_LOGITS, writes projector_config.pbtxt with tf.contrib.tensorboard.plugins.projector and saves a
// checkpoint beside it (`projector` is spelt `Projector` here: C# warns on all-lower-case type aliases). `tensorboard --logdir LOGDIR` then shows the test images clustered by the network.
// Run: dotnet run examples/11-Projector.cs [-- steps [logdir]]
using SharpFlow;
using SharpFlow.Data;
using static SharpFlow.Binding;
using Projector = SharpFlow.Binding.tf.contrib.tensorboard.plugins.projector;

const int INPUT_NODE = 784, OUTPUT_NODE = 10, LAYER1_NODE = 500, BATCH_SIZE = 100;
const double LEARNING_RATE_BASE = 0.8, LEARNING_RATE_DECAY = 0.99, REGULARIZATION_RATE = 0.0001, MOVING_AVERAGE_DECAY = 0.99;
const string SPRITE_FILE = "mnist_sprite.jpg", META_FIEL = "mnist_meta.tsv", TENSOR_NAME = "FINAL_LOGITS";
var TRAINING_STEPS = args.Length > 0 ? int.Parse(args[0]) : 10000;
var LOG_DIR = args.Length > 1 ? args[1] : "log";
Directory.CreateDirectory(LOG_DIR);

var mnist = FashionMnist.read_data_sets(one_hot: true, seed: 1);
Console.WriteLine($"data: {mnist.source} ({mnist.test.num_examples} test images)");

// ----- 4.1: the sprite image and the metadata -----
var images = mnist.test.images.ToArray<float>();
var labels = mnist.test.labels.ToArray<float>();
var n = mnist.test.num_examples;
var m = (int)Math.Ceiling(Math.Sqrt(n));
var sprite = new float[m * 28, m * 28, 1];
for (var i = 0; i < n; i++)
    for (var r = 0; r < 28; r++)
        for (var c = 0; c < 28; c++)
            sprite[i / m * 28 + r, i % m * 28 + c, 0] = 1 - images[i * 784 + r * 28 + c];
// Cells past the last image stay black as in the book's np.ones... inverted; fill them white for a cleaner sheet.
for (var i = n; i < m * m; i++)
    for (var r = 0; r < 28; r++)
        for (var c = 0; c < 28; c++)
            sprite[i / m * 28 + r, i % m * 28 + c, 0] = 1;
using (var sess = tf.Session())
{
    var jpeg = sess.run(tf.image.encode_jpeg(tf.image.convert_image_dtype(tf.constant(sprite), tf.uint8, saturate: true)));
    File.WriteAllBytes(Path.Combine(LOG_DIR, SPRITE_FILE), jpeg.StringBytes(0));
}
using (var meta = new StreamWriter(Path.Combine(LOG_DIR, META_FIEL)))
{
    meta.Write("Index\tLabel\n");
    for (var i = 0; i < n; i++)
    {
        var label = 0;
        for (var k = 1; k < 10; k++) if (labels[i * 10 + k] > labels[i * 10 + label]) label = k;
        meta.Write($"{i}\t{label}\n");
    }
}
Console.WriteLine($"sprite: {m * 28}x{m * 28} pixels ({m}x{m} images), metadata: {n} rows");

// ----- 4.2: training, then the projector's files -----
NDArray Train()
{
    Tensor x, y_;
    using (tf.name_scope("input"))
    {
        x = tf.placeholder(tf.float32, new Shape(-1, INPUT_NODE), name: "x-input");
        y_ = tf.placeholder(tf.float32, new Shape(-1, OUTPUT_NODE), name: "y-input");
    }
    var regularizer = tf.contrib.layers.l2_regularizer(REGULARIZATION_RATE);
    Tensor y;
    using (tf.variable_scope("layer1"))
    {
        var weights = tf.get_variable("weights", new Shape(INPUT_NODE, LAYER1_NODE), initializer: tf.truncated_normal_initializer(stddev: 0.1));
        tf.add_to_collection("losses", regularizer(weights)!);
        var biases = tf.get_variable("biases", new Shape(LAYER1_NODE), initializer: tf.constant_initializer(0.0));
        y = tf.nn.relu(tf.matmul(x, weights) + biases);
    }
    using (tf.variable_scope("layer2"))
    {
        var weights = tf.get_variable("weights", new Shape(LAYER1_NODE, OUTPUT_NODE), initializer: tf.truncated_normal_initializer(stddev: 0.1));
        tf.add_to_collection("losses", regularizer(weights)!);
        var biases = tf.get_variable("biases", new Shape(OUTPUT_NODE), initializer: tf.constant_initializer(0.0));
        y = tf.matmul(y, weights) + biases;
    }
    var global_step = tf.Variable(0, trainable: false);

    Operation variables_averages_op;
    using (tf.name_scope("moving_average"))
    {
        var variable_averages = tf.train.ExponentialMovingAverage(MOVING_AVERAGE_DECAY, global_step);
        variables_averages_op = variable_averages.apply(tf.trainable_variables());
    }
    Tensor loss;
    using (tf.name_scope("loss_function"))
    {
        var cross_entropy = tf.nn.sparse_softmax_cross_entropy_with_logits(logits: y, labels: tf.argmax(y_, 1));
        var cross_entropy_mean = tf.reduce_mean(cross_entropy);
        loss = cross_entropy_mean + tf.add_n(tf.get_collection<Tensor>("losses"));
    }
    Operation train_op;
    using (tf.name_scope("train_step"))
    {
        var learning_rate = tf.train.exponential_decay(LEARNING_RATE_BASE, global_step, mnist.train.num_examples / BATCH_SIZE, LEARNING_RATE_DECAY, staircase: true);
        var train_step = tf.train.GradientDescentOptimizer(learning_rate).minimize(loss, global_step: global_step);
        using (tf.control_dependencies([train_step, variables_averages_op]))
            train_op = tf.no_op(name: "train");
    }
    using var sess = tf.Session();
    sess.run(tf.global_variables_initializer());
    for (var i = 0; i < TRAINING_STEPS; i++)
    {
        var (xs, ys) = mnist.train.next_batch(BATCH_SIZE);
        var (_, loss_value, _) = sess.run((train_op, loss, global_step), new FeedDict { [x] = xs, [y_] = ys });
        if (i % 1000 == 0 || i == TRAINING_STEPS - 1)
            Console.WriteLine($"After {i} training step(s), loss on training batch is {loss_value.item<float>():G6}.");
    }
    return sess.run(y, new FeedDict { [x] = mnist.test.images });
}

void Visualisation(NDArray final_result)
{
    var y = tf.Variable(final_result, name: TENSOR_NAME);
    var summary_writer = tf.summary.FileWriter(LOG_DIR);

    var config = Projector.ProjectorConfig();
    var embedding = config.Embeddings.add();
    embedding.TensorName = y.name;
    // Where the metadata is.
    embedding.MetadataPath = META_FIEL;
    // Where the sprite is, and the size of one image in it.
    embedding.Sprite = Projector.SpriteMetadata();
    embedding.Sprite.ImagePath = SPRITE_FILE;
    embedding.Sprite.SingleImageDim.AddRange([28, 28]);
    Projector.visualize_embeddings(summary_writer, config);

    using var sess = tf.InteractiveSession();
    sess.run(tf.global_variables_initializer());
    var saver = tf.train.Saver();
    var path = saver.save(sess, Path.Combine(LOG_DIR, "model"), TRAINING_STEPS);
    summary_writer.close();
    Console.WriteLine($"projector: {Path.GetFileName(path)} holds {TENSOR_NAME} {final_result.shape}, config in {Projector.PROJECTOR_FILENAME}");
}

var final_result = Train();
using (new Graph().as_default()) Visualisation(final_result);
