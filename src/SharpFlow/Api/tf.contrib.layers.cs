#pragma warning disable CS8981 // the facade keeps TensorFlow's lower-case names
using SharpFlow.Slim;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class contrib
        {
            /// <summary>
            /// <c>tf.contrib.layers</c> (TF 1.15): layers with contrib's variable names, defaults and collections. A layer
            /// argument left out (null) comes from the enclosing <c>arg_scope</c>, else TensorFlow's default
            /// (<c>fully_connected</c>'s and <c>conv2d</c>'s activation_fn is relu); pass <see cref="None"/> for Python's
            /// <c>None</c> (<c>activation_fn: tf.contrib.layers.None</c>).
            /// </summary>
            public static partial class layers
            {
                /// <summary>Python's <c>None</c> for a layer argument whose default is not None.</summary>
                public static NoneType None => NoneType.Instance;

                /// <summary>
                /// <c>fully_connected(inputs, num_outputs, activation_fn=relu, ...)</c>: variables
                /// <c>fully_connected/weights</c> (xavier) and <c>fully_connected/biases</c> (zeros; none with a normalizer_fn).
                /// </summary>
                public static readonly FullyConnectedFn fully_connected = SlimLayers.FullyConnectedOp;

                /// <summary><c>conv2d(inputs, num_outputs, kernel_size, stride=1, padding='SAME', activation_fn=relu, ...)</c>: <c>Conv/weights</c>, <c>Conv/biases</c>.</summary>
                public static readonly Conv2dFn conv2d = SlimLayers.Convolution2dOp;

                /// <summary>The same function as <see cref="conv2d"/>.</summary>
                public static readonly Conv2dFn convolution2d = SlimLayers.Convolution2dOp;

                /// <summary><c>max_pool2d(inputs, kernel_size, stride=2, padding='VALID')</c> in name scope <c>MaxPool2D</c>.</summary>
                public static readonly Pool2dFn max_pool2d = SlimLayers.MaxPool2dOp;

                /// <summary><c>avg_pool2d(inputs, kernel_size, stride=2, padding='VALID')</c> in name scope <c>AvgPool2D</c>.</summary>
                public static readonly Pool2dFn avg_pool2d = SlimLayers.AvgPool2dOp;

                /// <summary><c>flatten(inputs)</c>: [batch, k] in name scope <c>Flatten</c>.</summary>
                public static readonly FlattenFn flatten = SlimLayers.FlattenOp;

                /// <summary><c>dropout(inputs, keep_prob=0.5, noise_shape=None, is_training=True)</c>.</summary>
                public static readonly DropoutFn dropout = SlimLayers.DropoutOp;

                /// <summary>
                /// <c>batch_norm(inputs, decay=0.999, center=True, scale=False, epsilon=0.001, activation_fn=None, ...,
                /// updates_collections=UPDATE_OPS, is_training=True)</c>: <c>BatchNorm/beta</c>, <c>BatchNorm/gamma</c> (with
                /// scale), <c>BatchNorm/moving_mean</c>, <c>BatchNorm/moving_variance</c>, all model variables; the moving
                /// statistics' updates go into <c>updates_collections</c> (None: they run with the output).
                /// </summary>
                public static readonly BatchNormFn batch_norm = SlimLayers.BatchNormOp;

                /// <summary><c>embed_sequence(ids, vocab_size, embed_dim)</c>: <c>EmbedSequence/embeddings</c> looked up per id.</summary>
                public static readonly EmbedSequenceFn embed_sequence = SlimLayers.EmbedSequenceOp;

                /// <summary><c>xavier_initializer(uniform=True)</c>: variance scaling, factor 1, FAN_AVG.</summary>
                public static Initializer xavier_initializer(bool uniform = true, int? seed = null, DType? dtype = null) =>
                    new ContribVarianceScalingInitializer(1.0, "FAN_AVG", uniform, seed, dtype);

                /// <summary><c>xavier_initializer_conv2d</c>, the same as <see cref="xavier_initializer"/>.</summary>
                public static Initializer xavier_initializer_conv2d(bool uniform = true, int? seed = null, DType? dtype = null) =>
                    xavier_initializer(uniform, seed, dtype);

                /// <summary>contrib's <c>variance_scaling_initializer(factor=2.0, mode='FAN_IN', uniform=False)</c> (He et al.).</summary>
                public static Initializer variance_scaling_initializer(double factor = 2.0, string mode = "FAN_IN", bool uniform = false, int? seed = null, DType? dtype = null) =>
                    new ContribVarianceScalingInitializer(factor, mode, uniform, seed, dtype);

                /// <summary><c>repeat(inputs, repetitions, layer, *args, scope=...)</c>: the layer in scopes <c>scope/scope_1</c>, <c>scope/scope_2</c>...</summary>
                public static Tensor repeat(Tensor inputs, int repetitions, Delegate layer, object?[] args, string? scope = null,
                    IReadOnlyDictionary<string, object?>? kwargs = null) =>
                    SlimLayers.Repeat(inputs, repetitions, layer, args ?? [], scope, kwargs);

                /// <summary><c>stack(inputs, layer, stack_args, scope=...)</c>: the layer once per entry (a value or a tuple of positional arguments).</summary>
                public static Tensor stack(Tensor inputs, Delegate layer, IEnumerable<object?> stack_args, string? scope = null,
                    IReadOnlyDictionary<string, object?>? kwargs = null) =>
                    SlimLayers.Stack(inputs, layer, stack_args, scope, kwargs);

                /// <summary>
                /// <c>optimize_loss(loss, global_step, learning_rate, optimizer)</c>: a training tensor (the loss, after the
                /// update). <paramref name="optimizer"/> is a name (Adagrad, Adam, Ftrl, Momentum, RMSProp, SGD), an
                /// <see cref="Train.Optimizer"/>, a <c>Func&lt;Tensor, Optimizer&gt;</c> of the learning rate, a
                /// <c>Func&lt;Optimizer&gt;</c> or an Optimizer type; <paramref name="clip_gradients"/> a float (global norm)
                /// or a function of the (gradient, variable) list. A float learning rate becomes the variable
                /// <c>OptimizeLoss/learning_rate</c>; the update ops run before the loss.
                /// </summary>
                public static Tensor optimize_loss(Tensor loss, Variable? global_step, TensorLike? learning_rate, object optimizer,
                    double? gradient_noise_scale = null, IReadOnlyDictionary<Variable, double>? gradient_multipliers = null, object? clip_gradients = null,
                    Func<Tensor, Tensor, Tensor>? learning_rate_decay_fn = null, IEnumerable<ITensorOrOperation>? update_ops = null,
                    IEnumerable<Variable>? variables = null, string? name = null, IEnumerable<string>? summaries = null,
                    bool colocate_gradients_with_ops = false, bool increment_global_step = true) =>
                    SlimTraining.OptimizeLoss(loss, global_step, learning_rate, optimizer, gradient_noise_scale, gradient_multipliers, clip_gradients,
                        learning_rate_decay_fn, update_ops, variables, name, summaries, increment_global_step);

                /// <summary>The names of the optimizers <see cref="optimize_loss"/> takes by name.</summary>
                public static IReadOnlyList<string> OPTIMIZER_CLS_NAMES { get; } = ["Adagrad", "Adam", "Ftrl", "Momentum", "RMSProp", "SGD"];
            }
        }
    }
}
