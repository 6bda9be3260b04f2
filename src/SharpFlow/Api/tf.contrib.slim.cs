#pragma warning disable CS8981 // the facade keeps TensorFlow's lower-case names
using SharpFlow.Functions;
using SharpFlow.Slim;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class contrib
        {
            /// <summary>
            /// TF-Slim (<c>tf.contrib.slim</c>, <c>import tensorflow.contrib.slim as slim</c>): the contrib layers,
            /// <c>arg_scope</c>, variable helpers, losses, <c>learning.create_train_op</c> and the nets VGG-16 and
            /// Inception-v3 with slim's variable names, so slim's published checkpoints load by name.
            /// </summary>
            public static partial class slim
            {
                /// <summary>Python's <c>None</c> for a slim argument whose default is not None (<c>activation_fn: slim.None</c>).</summary>
                public static NoneType None => NoneType.Instance;

                /// <inheritdoc cref="layers.fully_connected"/>
                public static readonly FullyConnectedFn fully_connected = SlimLayers.FullyConnectedOp;
                /// <inheritdoc cref="layers.conv2d"/>
                public static readonly Conv2dFn conv2d = SlimLayers.Convolution2dOp;
                /// <inheritdoc cref="layers.conv2d"/>
                public static readonly Conv2dFn convolution2d = SlimLayers.Convolution2dOp;
                /// <inheritdoc cref="layers.max_pool2d"/>
                public static readonly Pool2dFn max_pool2d = SlimLayers.MaxPool2dOp;
                /// <inheritdoc cref="layers.avg_pool2d"/>
                public static readonly Pool2dFn avg_pool2d = SlimLayers.AvgPool2dOp;
                /// <inheritdoc cref="layers.flatten"/>
                public static readonly FlattenFn flatten = SlimLayers.FlattenOp;
                /// <inheritdoc cref="layers.dropout"/>
                public static readonly DropoutFn dropout = SlimLayers.DropoutOp;
                /// <inheritdoc cref="layers.batch_norm"/>
                public static readonly BatchNormFn batch_norm = SlimLayers.BatchNormOp;

                /// <summary>
                /// <c>with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=..., ...) as sc</c>: while the
                /// returned context is not disposed, the listed functions take these arguments when their caller leaves them
                /// out. Arguments not named here go in <paramref name="kwargs"/>. A function that does not take an argument
                /// of the scope fails when it is called, as in Python.
                /// </summary>
                public static ArgScopeContext arg_scope(IEnumerable<Delegate> list_ops_or_scope, Func<Tensor, Tensor>? activation_fn = null,
                    Delegate? normalizer_fn = null, IReadOnlyDictionary<string, object?>? normalizer_params = null, Initializer? weights_initializer = null,
                    Regularizer? weights_regularizer = null, Initializer? biases_initializer = null, Regularizer? biases_regularizer = null,
                    string? padding = null, Size2D? stride = null, string? data_format = null, TensorLike? is_training = null, double? keep_prob = null,
                    double? decay = null, double? epsilon = null, bool? center = null, bool? scale = null, string? updates_collections = null,
                    object? variables_collections = null, object? outputs_collections = null, bool? trainable = null, bool? fused = null,
                    Reuse? reuse = null, IReadOnlyDictionary<string, object?>? kwargs = null) =>
                    ArgScopes.Enter(list_ops_or_scope, activation_fn, normalizer_fn, normalizer_params, weights_initializer, weights_regularizer,
                        biases_initializer, biases_regularizer, padding, stride, data_format, is_training, keep_prob, decay, epsilon, center, scale,
                        updates_collections, variables_collections, outputs_collections, trainable, fused, reuse, kwargs);

                /// <summary><c>with slim.arg_scope(sc)</c>: re-enters a captured scope (it replaces the current one).</summary>
                public static ArgScopeContext arg_scope(ArgScope list_ops_or_scope) => ArgScopes.Push(list_ops_or_scope);

                /// <summary>The current arg scope (<c>slim.current_arg_scope()</c>).</summary>
                public static ArgScope current_arg_scope() => ArgScopes.Current;

                /// <summary>Whether a function takes arg_scope arguments (<c>slim.has_arg_scope</c>).</summary>
                public static bool has_arg_scope(Delegate func) => ArgScopes.IsRegistered(func);

                /// <inheritdoc cref="layers.repeat"/>
                public static Tensor repeat(Tensor inputs, int repetitions, Delegate layer, object?[] args, string? scope = null,
                    IReadOnlyDictionary<string, object?>? kwargs = null) => layers.repeat(inputs, repetitions, layer, args, scope, kwargs);

                /// <inheritdoc cref="layers.stack"/>
                public static Tensor stack(Tensor inputs, Delegate layer, IEnumerable<object?> stack_args, string? scope = null,
                    IReadOnlyDictionary<string, object?>? kwargs = null) => layers.stack(inputs, layer, stack_args, scope, kwargs);

                /// <inheritdoc cref="layers.l2_regularizer(double, string?)"/>
                public static Regularizer l2_regularizer(double scale, string? scope = null) => layers.l2_regularizer(scale, scope);
                /// <inheritdoc cref="layers.l1_regularizer(double, string?)"/>
                public static Regularizer l1_regularizer(double scale, string? scope = null) => layers.l1_regularizer(scale, scope);
                /// <inheritdoc cref="layers.xavier_initializer"/>
                public static Initializer xavier_initializer(bool uniform = true, int? seed = null, DType? dtype = null) => layers.xavier_initializer(uniform, seed, dtype);
                /// <inheritdoc cref="layers.variance_scaling_initializer"/>
                public static Initializer variance_scaling_initializer(double factor = 2.0, string mode = "FAN_IN", bool uniform = false, int? seed = null, DType? dtype = null) =>
                    layers.variance_scaling_initializer(factor, mode, uniform, seed, dtype);

                /// <summary><c>slim.model_variable</c>: a <c>get_variable</c> in GLOBAL_VARIABLES and MODEL_VARIABLES.</summary>
                public static Variable model_variable(string name, Shape? shape = null, DType? dtype = null, Initializer? initializer = null,
                    Regularizer? regularizer = null, bool trainable = true, IEnumerable<string>? collections = null) =>
                    SlimLayers.ModelVariable(name, shape, dtype ?? DType.float32, initializer, regularizer, trainable, collections ?? [], name);

                /// <summary><c>slim.get_variables(scope, suffix, collection)</c>: the collection's variables whose names start with <paramref name="scope"/>.</summary>
                public static List<Variable> get_variables(string? scope = null, string? suffix = null, string collection = SharpFlow.GraphKeys.GLOBAL_VARIABLES) =>
                    SlimTraining.GetVariables(scope, suffix, collection);

                /// <summary><c>slim.get_model_variables(scope, suffix)</c>.</summary>
                public static List<Variable> get_model_variables(string? scope = null, string? suffix = null) =>
                    SlimTraining.GetVariables(scope, suffix, SharpFlow.GraphKeys.MODEL_VARIABLES);

                /// <summary><c>slim.get_trainable_variables(scope, suffix)</c>.</summary>
                public static List<Variable> get_trainable_variables(string? scope = null, string? suffix = null) =>
                    SlimTraining.GetVariables(scope, suffix, SharpFlow.GraphKeys.TRAINABLE_VARIABLES);

                /// <summary><c>slim.get_variables_to_restore(include, exclude)</c>: global variables under <paramref name="include"/> (all by default) less those under <paramref name="exclude"/>.</summary>
                public static List<Variable> get_variables_to_restore(IEnumerable<string>? include = null, IEnumerable<string>? exclude = null) =>
                    SlimTraining.GetVariablesToRestore(include, exclude);

                /// <summary><c>slim.assign_from_checkpoint_fn(model_path, var_list)</c>: restores the variables by their names; null when none is left.</summary>
                public static Action<Session>? assign_from_checkpoint_fn(string model_path, IEnumerable<Variable> var_list, bool ignore_missing_vars = false,
                    bool reshape_variables = false) =>
                    SlimTraining.AssignFromCheckpointFn(model_path, (var_list ?? throw new ValueError("var_list cannot be empty")).ToDictionary(v => v.op.name, v => v),
                        ignore_missing_vars);

                /// <summary><c>slim.assign_from_checkpoint_fn</c> with checkpoint names mapped to variables.</summary>
                public static Action<Session>? assign_from_checkpoint_fn(string model_path, IReadOnlyDictionary<string, Variable> var_list, bool ignore_missing_vars = false,
                    bool reshape_variables = false) =>
                    SlimTraining.AssignFromCheckpointFn(model_path, var_list, ignore_missing_vars);

                /// <summary><c>slim.utils</c>.</summary>
                public static class utils
                {
                    /// <summary>The tensors of an outputs collection by alias (<c>vgg_16/conv1/conv1_1</c>).</summary>
                    public static Dictionary<string, Tensor> convert_collection_to_dict(string collection, bool clear_collection = false) =>
                        SlimLayers.CollectionToDict(collection, clear_collection);

                    /// <summary>The aliases a layer gave its output.</summary>
                    public static IReadOnlyList<string> get_tensor_aliases(Tensor tensor) => SlimLayers.AliasesOf(tensor);
                }

                /// <summary><c>slim.losses</c> (contrib's losses: logits first).</summary>
                public static class losses
                {
                    /// <summary><c>slim.losses.softmax_cross_entropy(logits, onehot_labels, weights=1.0, label_smoothing=0)</c>, added to LOSSES.</summary>
                    public static Tensor softmax_cross_entropy(Tensor logits, Tensor onehot_labels, TensorLike? weights = null, double label_smoothing = 0, string? scope = null) =>
                        Losses.SoftmaxCrossEntropy(onehot_labels, logits, weights, label_smoothing, scope, SharpFlow.GraphKeys.LOSSES, Functions.Reduction.SUM_BY_NONZERO_WEIGHTS);

                    /// <summary><c>slim.losses.sparse_softmax_cross_entropy(logits, labels, weights=1.0)</c>.</summary>
                    public static Tensor sparse_softmax_cross_entropy(Tensor logits, Tensor labels, TensorLike? weights = null, string? scope = null) =>
                        Losses.SparseSoftmaxCrossEntropy(labels, logits, weights, scope, SharpFlow.GraphKeys.LOSSES, Functions.Reduction.SUM_BY_NONZERO_WEIGHTS);

                    /// <summary><c>slim.losses.mean_squared_error(predictions, labels, weights=1.0)</c>.</summary>
                    public static Tensor mean_squared_error(Tensor predictions, Tensor labels, TensorLike? weights = null, string? scope = null) =>
                        Losses.MeanSquaredError(labels, predictions, weights, scope, SharpFlow.GraphKeys.LOSSES, Functions.Reduction.SUM_BY_NONZERO_WEIGHTS);

                    /// <summary>Adds a loss to LOSSES.</summary>
                    public static void add_loss(Tensor loss, string loss_collection = SharpFlow.GraphKeys.LOSSES) => Losses.AddLoss(loss, loss_collection);

                    /// <summary>The losses of LOSSES.</summary>
                    public static List<Tensor> get_losses(string? scope = null, string loss_collection = SharpFlow.GraphKeys.LOSSES) => Losses.GetLosses(scope, loss_collection);

                    /// <summary>The regularization losses.</summary>
                    public static List<Tensor> get_regularization_losses(string? scope = null) => Losses.GetRegularizationLosses(scope);

                    /// <summary>The sum of the losses, with the regularization losses by default.</summary>
                    public static Tensor get_total_loss(bool add_regularization_losses = true, string name = "total_loss") =>
                        Losses.GetTotalLoss(add_regularization_losses, name, null);
                }

                /// <summary><c>slim.learning</c>.</summary>
                public static class learning
                {
                    /// <summary>
                    /// <c>slim.learning.create_train_op(total_loss, optimizer)</c>: a tensor that runs the update ops, then the
                    /// gradient step (clipped per gradient by <paramref name="clip_gradient_norm"/> when positive), and returns the
                    /// loss, checked for inf and NaN. <paramref name="global_step"/>: null creates or takes the global step;
                    /// <c>slim.None</c> increments none.
                    /// </summary>
                    public static Tensor create_train_op(Tensor total_loss, Train.Optimizer optimizer, object? global_step = null,
                        IEnumerable<ITensorOrOperation>? update_ops = null, IEnumerable<Variable>? variables_to_train = null, double clip_gradient_norm = 0,
                        bool summarize_gradients = false, IReadOnlyDictionary<Variable, double>? gradient_multipliers = null, bool check_numerics = true) =>
                        SlimTraining.CreateTrainOp(total_loss, optimizer, global_step, update_ops, variables_to_train, clip_gradient_norm,
                            summarize_gradients, gradient_multipliers, check_numerics);
                }
            }
        }
    }
}
