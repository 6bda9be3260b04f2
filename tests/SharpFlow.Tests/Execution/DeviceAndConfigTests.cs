using SharpFlow.FileIO;
using SharpFlow.Execution;
using SharpFlow.Summaries;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Execution;

/// <summary>tf.ConfigProto, tf.device scopes and placement, log_device_placement, InteractiveSession's eval/run.</summary>
[Collection("Console")]
public class DeviceAndConfigTests
{
    private const string Cpu = "/job:localhost/replica:0/task:0/device:CPU:0";

    [Theory]
    [InlineData("/cpu:0", "/device:CPU:0")]
    [InlineData("/CPU:0", "/device:CPU:0")]
    [InlineData("/device:CPU:0", "/device:CPU:0")]
    [InlineData("/gpu:1", "/device:GPU:1")]
    [InlineData("/job:localhost/replica:0/task:0/device:CPU:0", Cpu)]
    [InlineData("/job:worker", "/job:worker")]
    [InlineData("/device:GPU:*", "/device:GPU:*")]
    public void DeviceStringsAreCanonical(string spec, string canonical)
    {
        using var g = TestGraph.Enter();
        using (tf.device(spec))
            Assert.Equal(canonical, tf.constant(1.0).op.device);
    }

    [Fact]
    public void AnUnknownDevicePartIsAValueError()
    {
        using var g = TestGraph.Enter();
        var e = Assert.Throws<ValueError>(() => tf.device("/foo:0"));
        Assert.Equal("Unknown attribute: 'foo' in '/foo:0'", e.Message);
    }

    [Fact]
    public void ScopesNestOverrideAndClear()
    {
        using var g = TestGraph.Enter();
        var outside = tf.constant(0.0);
        Assert.Equal("", outside.op.device);
        using (tf.device("/cpu:0"))
        {
            var a = tf.constant(1.0);
            using (tf.device("/gpu:0"))
            {
                var b = tf.constant(2.0);
                Assert.Equal("/device:GPU:0", b.op.device);
                using (tf.device(null))
                    Assert.Equal("", tf.constant(3.0).op.device);
            }
            var c = a + 1.0;
            Assert.Equal("/device:CPU:0", a.op.device);
            Assert.Equal("/device:CPU:0", c.op.device);
        }
        Assert.Equal("", tf.constant(4.0).op.device);
        // TensorFlow 1.x merges a partial inner device into the outer one.
        using (tf.device("/job:localhost/replica:0/task:0"))
        using (tf.device("/cpu:0"))
            Assert.Equal("/job:localhost/replica:0/task:0/device:CPU:0", tf.constant(5.0).op.device);
        using (tf.device("/job:worker/device:GPU:1"))
        using (tf.device("/job:localhost"))
            Assert.Equal("/job:localhost/device:GPU:1", tf.constant(6.0).op.device);
    }

    [Fact]
    public void TheDeviceScopeBelongsToTheThreadThatOpenedIt()
    {
        using var g = TestGraph.Enter();
        using (tf.device("/gpu:0"))
        {
            string? other = null;
            var t = new Thread(() =>
            {
                using (g.Graph.as_default()) other = tf.constant(1.0).op.device;
            });
            t.Start();
            t.Join();
            Assert.Equal("", other);
            Assert.Equal("/device:GPU:0", tf.constant(1.0).op.device);
        }
    }

    [Fact]
    public void TheGraphDefCarriesTheDevice()
    {
        using var g = TestGraph.Enter();
        using (tf.device("/cpu:0")) tf.constant(1.0, name: "on_cpu");
        tf.constant(2.0, name: "anywhere");
        var devices = new Dictionary<string, string>();
        foreach (var node in ProtoReader.Fields(Google.Protobuf.MessageExtensions.ToByteArray(g.Graph.as_graph_def())).Where(f => f.Number == 1))
        {
            var fields = ProtoReader.Fields(node.Data);
            devices[fields.First(f => f.Number == 1).AsString] = fields.FirstOrDefault(f => f.Number == 4).Data.Length > 0 ? fields.First(f => f.Number == 4).AsString : "";
        }
        Assert.Equal("/device:CPU:0", devices["on_cpu"]);
        Assert.Equal("", devices["anywhere"]);
    }

    [Fact]
    public void CpuDevicesRunAndAGpuNeedsSoftPlacement()
    {
        using var g = TestGraph.Enter();
        Tensor onCpu, onGpu;
        using (tf.device("/job:localhost/replica:0/task:0/device:CPU:0")) onCpu = tf.constant(2.0) * 3.0;
        using (tf.device("/gpu:0")) onGpu = tf.constant(1.0, name: "a") + 1.0;
        using (var sess = tf.Session())
        {
            Assert.Equal(6.0, (double)sess.run(onCpu));
            var e = Assert.Throws<InvalidArgumentError>(() => sess.run(onGpu));
            Assert.Contains("Cannot assign a device for operation a: {{node a}} was explicitly assigned to /device:GPU:0 but available devices are [ /job:localhost/replica:0/task:0/device:CPU:0 ]. Make sure the device specification refers to a valid device.", e.Message);
            // Still refused on the next try: nothing was half-created.
            Assert.Throws<InvalidArgumentError>(() => sess.run(onGpu));
        }
        using (var soft = tf.Session(config: new tf.ConfigProto(allow_soft_placement: true)))
            Assert.Equal(2.0, (double)soft.run(onGpu));
    }

    [Fact]
    public void ConfigFieldsAreKeptAndGpuOptionsAccepted()
    {
        using var g = TestGraph.Enter();
        var config = new tf.ConfigProto(intra_op_parallelism_threads: 2, inter_op_parallelism_threads: 1,
            gpu_options: new tf.GPUOptions(allow_growth: true, per_process_gpu_memory_fraction: 0.5));
        config.gpu_options.allow_growth = false;
        using var sess = tf.Session(config: config, graph: g.Graph);
        Assert.Same(config, sess.config);
        Assert.Equal(2, sess.config.intra_op_parallelism_threads);
        Assert.Equal(0.5, sess.config.gpu_options.per_process_gpu_memory_fraction);
        Assert.Equal(3.0, (double)sess.run(tf.constant(1.0) + 2.0));
        using var plain = tf.Session();
        Assert.False(plain.config.log_device_placement);
    }

    [Fact]
    public void LogDevicePlacementPrintsEachOpOnceToStandardError()
    {
        using var g = TestGraph.Enter();
        var a = tf.constant(1.0, name: "a");
        var b = tf.add(a, 2.0, name: "b");
        var c = tf.multiply(b, 3.0, name: "c");
        var log = new StringWriter();
        var old = Console.Error;
        Console.SetError(log);
        try
        {
            using var sess = tf.Session(config: new tf.ConfigProto(log_device_placement: true));
            sess.run(b);
            sess.run(b);
            sess.run(c);
        }
        finally
        {
            Console.SetError(old);
        }
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains($"a: (Const): {Cpu}", lines);
        Assert.Contains($"b: (AddV2): {Cpu}", lines.Select(l => l.Replace("(Add)", "(AddV2)")));
        Assert.Contains(lines, l => l.StartsWith("c: (Mul): ", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("a: ", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("b: ", StringComparison.Ordinal));
    }

    [Fact]
    public void InteractiveSessionServesEvalAndRun()
    {
        using var g = TestGraph.Enter();
        var v = tf.Variable(1.0);
        var inc = v.assign_add(2.0);
        var x = tf.placeholder(tf.float64, Shape.Scalar);
        var sess = tf.InteractiveSession(config: new tf.ConfigProto(allow_soft_placement: true));
        try
        {
            Assert.Same(sess, tf.get_default_session());
            v.initializer.run();
            inc.op.run();
            Assert.Equal(3.0, (double)v.value().eval());
            Assert.Equal(7.0, (double)(x + 4.0).eval(new FeedDict { [x] = NDArray.Scalar(3.0) }));
        }
        finally
        {
            sess.close();
        }
        Assert.Null(tf.get_default_session());
        Assert.Throws<ValueError>(() => v.value().eval());
    }
}
