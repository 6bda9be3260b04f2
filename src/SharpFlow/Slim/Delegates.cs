using SharpFlow.Functions;

namespace SharpFlow.Slim;

// The slim layers are delegates so that arg_scope can name them (slim.arg_scope([slim.conv2d, slim.fully_connected], ...)).
// An argument left null is "not given": it comes from the arg_scope, else TensorFlow's default; slim.None is Python's None.

/// <summary><c>slim.fully_connected</c> / <c>tf.contrib.layers.fully_connected</c>.</summary>
public delegate Tensor FullyConnectedFn(Tensor inputs, int num_outputs, Func<Tensor, Tensor>? activation_fn = null, Delegate? normalizer_fn = null,
    IReadOnlyDictionary<string, object?>? normalizer_params = null, Initializer? weights_initializer = null, Regularizer? weights_regularizer = null,
    Initializer? biases_initializer = null, Regularizer? biases_regularizer = null, Reuse? reuse = null, object? variables_collections = null,
    object? outputs_collections = null, bool? trainable = null, string? scope = null);

/// <summary><c>slim.conv2d</c> / <c>tf.contrib.layers.conv2d</c> (Python's <c>convolution2d</c>).</summary>
public delegate Tensor Conv2dFn(Tensor inputs, int num_outputs, Size2D kernel_size, Size2D? stride = null, string? padding = null,
    string? data_format = null, Size2D? rate = null, Func<Tensor, Tensor>? activation_fn = null, Delegate? normalizer_fn = null,
    IReadOnlyDictionary<string, object?>? normalizer_params = null, Initializer? weights_initializer = null, Regularizer? weights_regularizer = null,
    Initializer? biases_initializer = null, Regularizer? biases_regularizer = null, Reuse? reuse = null, object? variables_collections = null,
    object? outputs_collections = null, bool? trainable = null, string? scope = null);

/// <summary><c>slim.max_pool2d</c> and <c>slim.avg_pool2d</c>.</summary>
public delegate Tensor Pool2dFn(Tensor inputs, Size2D kernel_size, Size2D? stride = null, string? padding = null, string? data_format = null,
    object? outputs_collections = null, string? scope = null);

/// <summary><c>slim.flatten</c>.</summary>
public delegate Tensor FlattenFn(Tensor inputs, object? outputs_collections = null, string? scope = null);

/// <summary><c>slim.dropout</c>: <paramref name="is_training"/> is a bool or a bool tensor.</summary>
public delegate Tensor DropoutFn(Tensor inputs, double? keep_prob = null, Shape? noise_shape = null, TensorLike? is_training = null,
    object? outputs_collections = null, string? scope = null, int? seed = null);

/// <summary>
/// <c>slim.batch_norm</c>: <paramref name="variables_collections"/> is a list, or a dictionary from beta, gamma,
/// moving_mean, moving_variance to lists; <paramref name="param_initializers"/> a dictionary by the same names.
/// </summary>
public delegate Tensor BatchNormFn(Tensor inputs, double? decay = null, bool? center = null, bool? scale = null, double? epsilon = null,
    Func<Tensor, Tensor>? activation_fn = null, IReadOnlyDictionary<string, Initializer>? param_initializers = null,
    string? updates_collections = null, TensorLike? is_training = null, Reuse? reuse = null, object? variables_collections = null,
    object? outputs_collections = null, bool? trainable = null, bool? fused = null, string? data_format = null, string? scope = null);

/// <summary><c>tf.contrib.layers.embed_sequence</c>.</summary>
public delegate Tensor EmbedSequenceFn(Tensor ids, int? vocab_size = null, int? embed_dim = null, bool? unique = null, Initializer? initializer = null,
    Regularizer? regularizer = null, bool? trainable = null, string? scope = null, Reuse? reuse = null);
