using SharpFlow.Tests.Data.Pipeline;

namespace SharpFlow.Tests.Train;

/// <summary>
/// The older names the book's programs call (TensorFlow 1.3–1.4): <c>tf.contrib.framework</c>'s global step,
/// <c>tf.contrib.data</c>'s file datasets, and <c>tf.moving_average_variables()</c>.
/// </summary>
public class ContribAliasesTests
{
    [Fact]
    public void ContribFrameworkGivesTheSameGlobalStepAsTfTrain()
    {
        using var g = TestGraph.Enter();
        Assert.Null(tf.contrib.framework.get_global_step());
        var step = tf.contrib.framework.get_or_create_global_step();
        Assert.Same(step, tf.train.get_global_step());
        Assert.Same(step, tf.contrib.framework.get_or_create_global_step());
        Assert.Equal("global_step", step.op.name);
    }

    [Fact]
    public void ContribDataReadsFilesLikeTfData()
    {
        var dir = Directory.CreateTempSubdirectory("sharpflow-contrib-data-").FullName;
        try
        {
            var path = Path.Combine(dir, "lines.csv");
            File.WriteAllText(path, "x,y\n1,2\n3,4\n");
            using var g = TestGraph.Enter();
            var next = tf.contrib.data.TextLineDataset(path).skip(1).make_one_shot_iterator().get_next();
            using var sess = tf.Session();
            var lines = DatasetTests.All(sess, next).Select(v => System.Text.Encoding.UTF8.GetString(v.StringBytes())).ToList();
            Assert.Equal(["1,2", "3,4"], lines);
            Assert.IsType<tf.data.TFRecordDataset>(tf.contrib.data.TFRecordDataset(path));
            Assert.IsType<tf.data.FixedLengthRecordDataset>(tf.contrib.data.FixedLengthRecordDataset(path, 4));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void MovingAverageVariablesAreThoseAnEmaAverages()
    {
        using var g = TestGraph.Enter();
        var a = tf.Variable(1.0, name: "a");
        var b = tf.Variable(2.0, name: "b");
        tf.Variable(3.0, name: "c");
        Assert.Empty(tf.moving_average_variables());
        tf.train.ExponentialMovingAverage(0.99).apply([a, b]);
        Assert.Equal([a, b], tf.moving_average_variables());
        Assert.Equal([b], tf.moving_average_variables(scope: "b"));
    }
}
