namespace SharpFlow.Tests.Framework;

/// <summary>
/// <c>tf.logging</c> (levels, verbosity, TensorFlow's <c>INFO:tensorflow:</c> lines, %-formatting) and
/// <c>tf.app.flags</c>/<c>tf.app.run</c> (absl's command-line syntax), as the book's distributed programs use them.
/// </summary>
[Collection("tf.logging and tf.app state")]
public class LoggingAndFlagsTests
{
    [Fact]
    public void MessagesBelowTheVerbosityAreDroppedAndTheRestFormattedAsTensorFlowDoes()
    {
        var before = (tf.logging.Output, tf.logging.get_verbosity());
        var output = new StringWriter();
        try
        {
            tf.logging.Output = output;
            Assert.Equal(tf.logging.WARN, tf.logging.get_verbosity());
            tf.logging.info("hidden");
            tf.logging.set_verbosity(tf.logging.INFO);
            tf.logging.info("step %d, loss %f (%s) 100%%", 3, 0.25, "train");
            tf.logging.warn("careful");
            tf.logging.debug("hidden too");
            tf.logging.error("bad");
            for (var i = 0; i < 5; i++) tf.logging.log_every_n(tf.logging.INFO, "every %d", 2, i);
            for (var i = 0; i < 5; i++) tf.logging.log_first_n(tf.logging.INFO, "first %d", 2, i);
            Assert.Equal(
                "INFO:tensorflow:step 3, loss 0.250000 (train) 100%\nWARNING:tensorflow:careful\nERROR:tensorflow:bad\n" +
                "INFO:tensorflow:every 0\nINFO:tensorflow:every 2\nINFO:tensorflow:every 4\nINFO:tensorflow:first 0\nINFO:tensorflow:first 1\n",
                output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
            Assert.Throws<TypeError>(() => tf.logging.error("%s and %s", "one"));
        }
        finally
        {
            tf.logging.Output = before.Output;
            tf.logging.set_verbosity(before.Item2);
        }
    }

    [Fact]
    public void FlagsTakeTheirDefaultsThenTheCommandLine()
    {
        tf.app.flags.DEFINE_string("test_job_name", "worker", "ps or worker");
        tf.app.flags.DEFINE_integer("test_task_id", 0, "task index");
        tf.app.flags.DEFINE_float("test_learning_rate", 0.01, "");
        tf.app.flags.DEFINE_boolean("test_sync", true, "");
        var flags = tf.app.flags.FLAGS;
        Assert.Equal("worker", (string)flags.test_job_name);
        Assert.Equal(0L, (long)flags.test_task_id);

        string[]? seen = null;
        var code = tf.app.run(argv => { seen = argv; return 7; },
            ["prog", "--test_job_name=ps", "--test_task_id", "2", "data.csv", "--test_learning_rate=0.5", "--notest_sync", "--", "--raw"]);
        Assert.Equal(7, code);
        Assert.Equal(["prog", "data.csv", "--raw"], seen!);
        Assert.Equal("ps", (string)flags.test_job_name);
        Assert.Equal(2L, (long)flags.test_task_id);
        Assert.Equal(0.5, (double)flags.test_learning_rate);
        Assert.False((bool)flags.test_sync);

        Assert.Equal("Unknown command line flag 'test_nope'", Assert.Throws<ValueError>(() => tf.app.run(_ => { }, ["prog", "--test_nope=1"])).Message);
        Assert.Equal("flag --test_task_id=two: could not convert to int", Assert.Throws<ValueError>(() => tf.app.run(_ => { }, ["prog", "--test_task_id=two"])).Message);
        Assert.Equal("flag --test_job_name is defined twice", Assert.Throws<ValueError>(() => tf.app.flags.DEFINE_string("test_job_name", "x")).Message);
        Assert.Equal("no flag named --test_missing is defined", Assert.Throws<ValueError>(() => (object)flags.test_missing).Message);
    }
}
