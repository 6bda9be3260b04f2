#pragma warning disable CS8981
using SharpFlow.Keras;
using KC = SharpFlow.Keras.Callbacks;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class keras
        {
            /// <summary><c>tf.keras.callbacks</c>.</summary>
            public static class callbacks
            {
                /// <summary>Stops when the monitored value stops improving.</summary>
                public static KC.EarlyStopping EarlyStopping(string monitor = "val_loss", double min_delta = 0, int patience = 0, int verbose = 0, string mode = "auto",
                    double? baseline = null, bool restore_best_weights = false) => new(monitor, min_delta, patience, verbose, mode, baseline, restore_best_weights);
                /// <summary>Saves the weights after epochs.</summary>
                public static KC.ModelCheckpoint ModelCheckpoint(string filepath, string monitor = "val_loss", int verbose = 0, bool save_best_only = false,
                    bool save_weights_only = true, string mode = "auto", int period = 1) => new(filepath, monitor, verbose, save_best_only, save_weights_only, mode, period);
                /// <summary>Lowers the learning rate on a plateau.</summary>
                public static KC.ReduceLROnPlateau ReduceLROnPlateau(string monitor = "val_loss", double factor = 0.1, int patience = 10, int verbose = 0, string mode = "auto",
                    double min_delta = 1e-4, int cooldown = 0, double min_lr = 0) => new(monitor, factor, patience, verbose, mode, min_delta, cooldown, min_lr);
                /// <summary>Sets the learning rate per epoch.</summary>
                public static KC.LearningRateScheduler LearningRateScheduler(Func<int, double> schedule, int verbose = 0) => new(schedule, verbose);
                /// <summary>Writes the epoch logs to a CSV file.</summary>
                public static KC.CSVLogger CSVLogger(string filename, string separator = ",", bool append = false) => new(filename, separator, append);
                /// <summary>Callbacks from functions.</summary>
                public static KC.LambdaCallback LambdaCallback(Action<int, Dictionary<string, double>>? on_epoch_begin = null, Action<int, Dictionary<string, double>>? on_epoch_end = null,
                    Action<int, Dictionary<string, double>>? on_batch_begin = null, Action<int, Dictionary<string, double>>? on_batch_end = null,
                    Action<Dictionary<string, double>>? on_train_begin = null, Action<Dictionary<string, double>>? on_train_end = null) =>
                    new(on_epoch_begin, on_epoch_end, on_batch_begin, on_batch_end, on_train_begin, on_train_end);
                /// <summary>Writes TensorBoard event files: the graph, the epoch scalars and weight histograms.</summary>
                public static KC.TensorBoard TensorBoard(string log_dir = "./logs", int histogram_freq = 0, bool write_graph = true) => new(log_dir, histogram_freq, write_graph);
                /// <summary>Stops on a NaN loss.</summary>
                public static KC.TerminateOnNaN TerminateOnNaN() => new();
                /// <summary>The history of a fit.</summary>
                public static KC.History History() => new();
            }

            /// <summary><c>tf.keras.datasets</c>, from local files (no download).</summary>
            public static class datasets
            {
                /// <summary>Fashion-MNIST.</summary>
                public static class fashion_mnist
                {
                    /// <summary>((x_train, y_train), (x_test, y_test)) as uint8 arrays.</summary>
                    public static ((NDArray x_train, NDArray y_train), (NDArray x_test, NDArray y_test)) load_data(string? directory = null) =>
                        Datasets.fashion_mnist_load_data(directory);
                }

                /// <summary>MNIST.</summary>
                public static class mnist
                {
                    /// <summary>((x_train, y_train), (x_test, y_test)) as uint8 arrays.</summary>
                    public static ((NDArray x_train, NDArray y_train), (NDArray x_test, NDArray y_test)) load_data(string? directory = null) =>
                        Datasets.mnist_load_data(directory);
                }
            }

            /// <summary><c>tf.keras.utils</c>.</summary>
            public static class utils
            {
                /// <summary>Class ids to one-hot rows.</summary>
                public static NDArray to_categorical(NDArray y, int? num_classes = null) => KerasUtils.to_categorical(y, num_classes);
            }

            /// <summary><c>tf.keras.preprocessing</c>.</summary>
            public static class preprocessing
            {
                /// <summary><c>tf.keras.preprocessing.sequence</c>.</summary>
                public static class sequence
                {
                    /// <summary>Pads sequences to one length.</summary>
                    public static NDArray pad_sequences(IReadOnlyList<IReadOnlyList<int>> sequences, int? maxlen = null, string padding = "pre", string truncating = "pre", int value = 0) =>
                        KerasUtils.pad_sequences(sequences, maxlen, padding, truncating, value);
                }
            }

            /// <summary><c>tf.keras.losses</c>.</summary>
            public static class losses
            {
                /// <summary>Categorical cross entropy.</summary>
                public static Tensor categorical_crossentropy(Tensor y_true, Tensor y_pred) => Losses.categorical_crossentropy(y_true, y_pred);
                /// <summary>Sparse categorical cross entropy.</summary>
                public static Tensor sparse_categorical_crossentropy(Tensor y_true, Tensor y_pred) => Losses.sparse_categorical_crossentropy(y_true, y_pred);
                /// <summary>Binary cross entropy.</summary>
                public static Tensor binary_crossentropy(Tensor y_true, Tensor y_pred) => Losses.binary_crossentropy(y_true, y_pred);
                /// <summary>Mean squared error.</summary>
                public static Tensor mean_squared_error(Tensor y_true, Tensor y_pred) => Losses.mean_squared_error(y_true, y_pred);
                /// <summary>Mean absolute error.</summary>
                public static Tensor mean_absolute_error(Tensor y_true, Tensor y_pred) => Losses.mean_absolute_error(y_true, y_pred);
                /// <summary>A loss by name.</summary>
                public static Func<Tensor, Tensor, Tensor> get(string name) => Losses.get(name);
            }

            /// <summary><c>tf.keras.metrics</c>.</summary>
            public static class metrics
            {
                /// <summary>Categorical accuracy.</summary>
                public static Tensor categorical_accuracy(Tensor y_true, Tensor y_pred) => SharpFlow.Keras.Metrics.categorical_accuracy(y_true, y_pred);
                /// <summary>Sparse categorical accuracy.</summary>
                public static Tensor sparse_categorical_accuracy(Tensor y_true, Tensor y_pred) => SharpFlow.Keras.Metrics.sparse_categorical_accuracy(y_true, y_pred);
                /// <summary>Binary accuracy.</summary>
                public static Tensor binary_accuracy(Tensor y_true, Tensor y_pred) => SharpFlow.Keras.Metrics.binary_accuracy(y_true, y_pred);
            }

            /// <summary><c>tf.keras.activations</c> (usable as <c>activation:</c> arguments).</summary>
            public static class activations
            {
                /// <summary>relu.</summary>
                public static readonly Func<Tensor, Tensor> relu = x => nn.relu(x);
                /// <summary>softmax.</summary>
                public static readonly Func<Tensor, Tensor> softmax = x => nn.softmax(x);
                /// <summary>sigmoid.</summary>
                public static readonly Func<Tensor, Tensor> sigmoid = x => tf.sigmoid(x);
                /// <summary>tanh.</summary>
                public static readonly Func<Tensor, Tensor> tanh = x => tf.tanh(x);
                /// <summary>An activation by name.</summary>
                public static ActivationSpec get(string name) => ActivationSpec.Get(name);
            }

            /// <summary><c>tf.keras.initializers</c>.</summary>
            public static class initializers
            {
                /// <summary>An initializer by name.</summary>
                public static Initializer get(string name) => InitializerSpec.Get(name);
                /// <summary>He normal (truncated, fan-in, scale 2).</summary>
                public static Initializer he_normal(int? seed = null) => new SharpFlow.Ops.Initializers.VarianceScalingInitializer(2.0, "fan_in", "truncated_normal", seed);
                /// <summary>Glorot uniform.</summary>
                public static Initializer glorot_uniform(int? seed = null) => new SharpFlow.Ops.Initializers.GlorotUniformInitializer(seed);
                /// <summary>A constant.</summary>
                public static Initializer Constant(double value = 0) => new SharpFlow.Ops.Initializers.ConstantInitializer(value);
                /// <summary>Normal with Keras's defaults (stddev 0.05).</summary>
                public static Initializer RandomNormal(double mean = 0, double stddev = 0.05, int? seed = null) => new SharpFlow.Ops.Initializers.RandomNormalInitializer(mean, stddev, seed);
                /// <summary>Uniform with Keras's defaults (±0.05).</summary>
                public static Initializer RandomUniform(double minval = -0.05, double maxval = 0.05, int? seed = null) => new SharpFlow.Ops.Initializers.RandomUniformInitializer(minval, maxval, seed);
            }
        }
    }
}
