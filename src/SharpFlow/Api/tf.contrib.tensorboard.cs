#pragma warning disable CS8981
using Google.Protobuf;
using Google.Protobuf.Collections;
using SharpFlow.GraphIO;
using SharpFlow.Summaries;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class contrib
        {
            /// <summary><c>tf.contrib.tensorboard</c>: TensorBoard's plugins.</summary>
            public static class tensorboard
            {
                /// <summary><c>tf.contrib.tensorboard.plugins</c>.</summary>
                public static class plugins
                {
                    /// <summary>
                    /// <c>tf.contrib.tensorboard.plugins.projector</c>: the Embedding Projector's configuration
                    /// (<c>projector_config.pbtxt</c> beside the event files, naming the checkpoint tensors to show, their
                    /// metadata TSV and their sprite image).
                    /// </summary>
                    public static class projector
                    {
                        /// <summary>The file TensorBoard's projector plugin reads in a log directory.</summary>
                        public const string PROJECTOR_FILENAME = "projector_config.pbtxt";

                        /// <summary><c>projector.ProjectorConfig()</c>: an empty configuration (add embeddings with <c>config.Embeddings.add()</c>).</summary>
                        public static Tensorflow.ProjectorConfig ProjectorConfig() => new();

                        /// <summary><c>projector.EmbeddingInfo()</c>: one embedding's configuration.</summary>
                        public static Tensorflow.EmbeddingInfo EmbeddingInfo() => new();

                        /// <summary><c>projector.SpriteMetadata()</c>: a sprite image's path and the size of one image in it.</summary>
                        public static Tensorflow.SpriteMetadata SpriteMetadata() => new();

                        /// <summary>
                        /// <c>projector.visualize_embeddings(summary_writer, config)</c>: writes <paramref name="config"/> in
                        /// text format to <c>projector_config.pbtxt</c> in the writer's log directory, where TensorBoard's
                        /// projector finds it (with the checkpoints of the same directory when
                        /// <c>model_checkpoint_path</c> is empty).
                        /// </summary>
                        public static void visualize_embeddings(FileWriter summary_writer, Tensorflow.ProjectorConfig config)
                        {
                            ArgumentNullException.ThrowIfNull(config);
                            var logdir = summary_writer?.get_logdir() ?? throw new ValueError("Summary writer must have a logdir");
                            Directory.CreateDirectory(logdir);
                            using var file = new StreamWriter(Path.Combine(logdir, PROJECTOR_FILENAME));
                            TextFormat.Print(config, file);
                        }
                    }
                }
            }
        }
    }
}

/// <summary>Python's protobuf forms that TensorFlow programs use on messages.</summary>
public static class ProtoExtensions
{
    /// <summary>
    /// Python's <c>repeated_field.add()</c>: appends a new, empty message and returns it to be filled in
    /// (<c>var embedding = config.Embeddings.add(); embedding.TensorName = y.name;</c>).
    /// </summary>
    public static T add<T>(this RepeatedField<T> field) where T : class, IMessage<T>, new()
    {
        ArgumentNullException.ThrowIfNull(field);
        var item = new T();
        field.Add(item);
        return item;
    }
}
