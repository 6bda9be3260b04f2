#pragma warning disable CS8981 // the facade keeps TensorFlow's lower-case names
namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>A session with TensorFlow's options: <c>tf.Session(config: new tf.ConfigProto(log_device_placement: true))</c>.</summary>
        public static Session Session(SharpFlow.Execution.ConfigProto config, SharpFlow.Graph? graph = null) => new(graph, config);

        /// <summary>An interactive session (the thread's default until closed) with TensorFlow's options.</summary>
        public static Session InteractiveSession(SharpFlow.Execution.ConfigProto config, SharpFlow.Graph? graph = null)
        {
            var session = new Session(graph, config);
            session.BecomeDefaultUntilClosed();
            return session;
        }

        /// <summary>
        /// A device scope on the default graph (<c>with tf.device("/cpu:0"):</c>): ops created inside record the
        /// canonical device (<c>/device:CPU:0</c>); null clears it. A GPU is accepted here; running such an op
        /// needs <c>allow_soft_placement</c>, as in TensorFlow on a machine without one.
        /// </summary>
        public static IDisposable device(string? device_name_or_function) => SharpFlow.Graph.get_default().device(device_name_or_function);

        /// <summary>TensorFlow's <c>tf.ConfigProto</c>: session options.</summary>
        public sealed class ConfigProto : SharpFlow.Execution.ConfigProto
        {
            /// <summary>Options with TensorFlow's field names; see <see cref="SharpFlow.Execution.ConfigProto"/>.</summary>
            public ConfigProto(int intra_op_parallelism_threads = 0, int inter_op_parallelism_threads = 0,
                bool allow_soft_placement = false, bool log_device_placement = false, SharpFlow.Execution.GPUOptions? gpu_options = null)
            {
                this.intra_op_parallelism_threads = intra_op_parallelism_threads;
                this.inter_op_parallelism_threads = inter_op_parallelism_threads;
                this.allow_soft_placement = allow_soft_placement;
                this.log_device_placement = log_device_placement;
                if (gpu_options is not null) this.gpu_options = gpu_options;
            }
        }

        /// <summary>TensorFlow's <c>tf.GPUOptions</c>: accepted and ignored (no GPU).</summary>
        public sealed class GPUOptions : SharpFlow.Execution.GPUOptions
        {
            /// <summary>GPU options with TensorFlow's field names; ignored.</summary>
            public GPUOptions(bool allow_growth = false, double per_process_gpu_memory_fraction = 0)
            {
                this.allow_growth = allow_growth;
                this.per_process_gpu_memory_fraction = per_process_gpu_memory_fraction;
            }
        }

        /// <summary>TensorFlow's <c>tf.RunOptions</c>: <c>new tf.RunOptions(trace_level: tf.RunOptions.FULL_TRACE)</c>.</summary>
        public sealed class RunOptions : SharpFlow.Execution.RunOptions
        {
            /// <summary>Run options with TensorFlow's field names.</summary>
            public RunOptions(TraceLevel trace_level = TraceLevel.NO_TRACE, long timeout_in_ms = 0, bool output_partition_graphs = false)
            {
                this.trace_level = trace_level;
                this.timeout_in_ms = timeout_in_ms;
                this.output_partition_graphs = output_partition_graphs;
            }
        }

        /// <summary>TensorFlow's <c>tf.RunMetadata</c>: filled by a traced <c>sess.run</c>.</summary>
        public sealed class RunMetadata : SharpFlow.Execution.RunMetadata;
    }
}
