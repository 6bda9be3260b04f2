using SharpFlow.Estimators;
using SharpFlow.GraphIO;
using SharpFlow.Summaries;
using SharpFlow.Train.Monitored;
using Tf = Tensorflow;

namespace SharpFlow.Tests.Estimators;

/// <summary>The Estimator's saver is TensorFlow's: sharded, keeping RunConfig's keep_checkpoint_max and keep_checkpoint_every_n_hours.</summary>
public sealed class EstimatorSaverTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpflow-estimator-saver-").FullName;

    public void Dispose()
    {
        SummaryWriterCache.close(_dir);
        Directory.Delete(_dir, recursive: true);
    }

    private static EstimatorSpec ModelFn(Dictionary<string, Tensor> features, Tensor? labels, string mode, IReadOnlyDictionary<string, object> @params)
    {
        var w = tf.get_variable("w", new Shape(1, 1), initializer: tf.zeros_initializer());
        var pred = tf.reshape(tf.matmul(features["x"], w), new[] { -1 });
        var loss = tf.losses.mean_squared_error(labels!, pred);
        return new EstimatorSpec(mode, loss: loss, train_op: tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step: tf.train.get_global_step()));
    }

    [Fact]
    public void TheCheckpointsSaverDefIsShardedWithRunConfigsHours()
    {
        var x = new float[8, 1];
        var y = new float[8];
        for (var i = 0; i < 8; i++) { x[i, 0] = i; y[i] = 2 * i; }
        var est = tf.estimator.Estimator(ModelFn, model_dir: _dir,
            config: tf.estimator.RunConfig(keep_checkpoint_max: 2, keep_checkpoint_every_n_hours: 3, log_step_count_steps: null, save_summary_steps: 1000));
        est.train(tf.estimator.inputs.numpy_input_fn(new Dictionary<string, Array> { ["x"] = x }, y, batch_size: 4, num_epochs: null, shuffle: false), steps: 3);
        var meta = ProtoFiles.Read<Tf.MetaGraphDef>(Path.Combine(_dir, "model.ckpt-3.meta"));
        Assert.True(meta.SaverDef.Sharded);
        Assert.Equal(3f, meta.SaverDef.KeepCheckpointEveryNHours);
        Assert.Equal(2, meta.SaverDef.MaxToKeep);
        Assert.Contains(meta.GraphDef.Node, n => n.Op == "MergeV2Checkpoints");
        Assert.DoesNotContain(Directory.EnumerateDirectories(_dir), d => Path.GetFileName(d).Contains("_temp_", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(_dir, "model.ckpt-3.data-00000-of-00001")));
    }
}
