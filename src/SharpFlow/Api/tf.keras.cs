#pragma warning disable CS8981
using SharpFlow.Keras;
using SharpFlow.Keras.Engine;
using K = SharpFlow.Keras;
using KL = SharpFlow.Keras.Layers;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>
        /// TensorFlow 1.x's <c>tf.keras</c> in graph mode: layers are objects that create their weights on first
        /// call; models are built with <see cref="Sequential"/>, the functional <see cref="Model(Tensor, Tensor, string?)"/>
        /// or a subclass of <see cref="Keras.Engine.Model"/>, then compiled, fitted and evaluated in
        /// <see cref="backend.get_session"/>'s session.
        /// </summary>
        public static partial class keras
        {
            /// <summary>A symbolic input <c>input_1</c> of shape <c>(batch_size, *shape)</c>.</summary>
            public static Tensor Input(int[]? shape = null, int? batch_size = null, string? name = null, DType? dtype = null, Tensor? tensor = null,
                int[]? batch_shape = null) =>
                new InputLayer(shape, batch_size, dtype, tensor, name, batch_shape).output;

            /// <summary>A stack of layers.</summary>
            public static Sequential Sequential(IEnumerable<Layer>? layers = null, string? name = null) => new(layers, name);

            /// <summary>A functional model from one input to one output.</summary>
            public static Model Model(Tensor inputs, Tensor outputs, string? name = null) => new(inputs, outputs, name);

            /// <summary>A functional model from several inputs to several outputs.</summary>
            public static Model Model(Tensor[] inputs, Tensor[] outputs, string? name = null) => new(inputs, outputs, name);

            /// <summary><c>tf.keras.layers</c>.</summary>
            public static partial class layers
            {
                /// <summary>An input layer (a placeholder) for a Sequential model.</summary>
                public static InputLayer InputLayer(int[]? input_shape = null, int? batch_size = null, DType? dtype = null, string? name = null) =>
                    new(input_shape, batch_size, dtype, null, name);

                /// <summary>A fully connected layer.</summary>
                public static KL.Dense Dense(int units, ActivationSpec? activation = null, bool use_bias = true, InitializerSpec? kernel_initializer = null,
                    InitializerSpec? bias_initializer = null, KerasRegularizer? kernel_regularizer = null, KerasRegularizer? bias_regularizer = null,
                    KerasRegularizer? activity_regularizer = null, int[]? input_shape = null, string? name = null, bool trainable = true, int? input_dim = null,
                    KerasConstraint? kernel_constraint = null, KerasConstraint? bias_constraint = null) =>
                    new(units, activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer, activity_regularizer,
                        input_shape, name, trainable, input_dim, kernel_constraint, bias_constraint);

                /// <summary>An activation as a layer.</summary>
                public static KL.Activation Activation(ActivationSpec activation, int[]? input_shape = null, string? name = null) => new(activation, input_shape, name);

                /// <summary>Dropout while training.</summary>
                public static KL.Dropout Dropout(double rate, int[]? noise_shape = null, int? seed = null, int[]? input_shape = null, string? name = null) =>
                    new(rate, noise_shape, seed, input_shape, name);

                /// <summary>Flattens each sample.</summary>
                public static KL.Flatten Flatten(int[]? input_shape = null, string? name = null) => new(input_shape, name);

                /// <summary>Reshapes each sample.</summary>
                public static KL.Reshape Reshape(int[] target_shape, int[]? input_shape = null, string? name = null) => new(target_shape, input_shape, name);

                /// <summary>Permutes the non-batch axes (from 1).</summary>
                public static KL.Permute Permute(int[] dims, int[]? input_shape = null, string? name = null) => new(dims, input_shape, name);

                /// <summary>Repeats a vector n times.</summary>
                public static KL.RepeatVector RepeatVector(int n, int[]? input_shape = null, string? name = null) => new(n, input_shape, name);

                /// <summary>A function as a layer.</summary>
                public static KL.Lambda Lambda(Func<Tensor, Tensor> function, int[]? output_shape = null, int[]? input_shape = null, string? name = null) =>
                    new(function, output_shape, input_shape, name);
            }

            /// <summary><c>tf.keras.backend</c>.</summary>
            public static partial class backend
            {
                /// <summary>The session Keras runs its models in.</summary>
                public static Session get_session() => Backend.get_session();
                /// <summary>Makes Keras use <paramref name="session"/>.</summary>
                public static void set_session(Session session) => Backend.set_session(session);
                /// <summary>The learning-phase placeholder.</summary>
                public static Tensor learning_phase() => Backend.learning_phase();
                /// <summary>Resets the default graph and Keras's names.</summary>
                public static void clear_session() => Backend.clear_session();
                /// <summary>1e-7.</summary>
                public static double epsilon() => Backend.epsilon();
                /// <summary>"float32".</summary>
                public static string floatx() => Backend.floatx();
                /// <summary>A variable's value.</summary>
                public static NDArray get_value(Variable x) => Backend.get_value(x);
                /// <summary>Sets a variable's value.</summary>
                public static void set_value(Variable x, NDArray value) => Backend.set_value(x, value);
                /// <summary>Keras's per-prefix counter.</summary>
                public static int get_uid(string prefix = "") => Backend.get_uid(prefix);
            }

            /// <summary><c>tf.keras.optimizers</c> (Keras 2.2.4's rules).</summary>
            public static class optimizers
            {
                /// <summary>SGD with momentum, Nesterov and decay.</summary>
                public static K.SGD SGD(double lr = 0.01, double momentum = 0.0, double decay = 0.0, bool nesterov = false, double? clipnorm = null, double? clipvalue = null) =>
                    new(lr, momentum, decay, nesterov, clipnorm, clipvalue);
                /// <summary>RMSprop.</summary>
                public static K.RMSprop RMSprop(double lr = 0.001, double rho = 0.9, double? epsilon = null, double decay = 0.0, double? clipnorm = null, double? clipvalue = null) =>
                    new(lr, rho, epsilon, decay, clipnorm, clipvalue);
                /// <summary>Adagrad.</summary>
                public static K.Adagrad Adagrad(double lr = 0.01, double? epsilon = null, double decay = 0.0, double? clipnorm = null, double? clipvalue = null) =>
                    new(lr, epsilon, decay, clipnorm, clipvalue);
                /// <summary>Adadelta.</summary>
                public static K.Adadelta Adadelta(double lr = 1.0, double rho = 0.95, double? epsilon = null, double decay = 0.0, double? clipnorm = null, double? clipvalue = null) =>
                    new(lr, rho, epsilon, decay, clipnorm, clipvalue);
                /// <summary>Adam (AMSGrad optional).</summary>
                public static K.Adam Adam(double lr = 0.001, double beta_1 = 0.9, double beta_2 = 0.999, double? epsilon = null, double decay = 0.0, bool amsgrad = false,
                    double? clipnorm = null, double? clipvalue = null) => new(lr, beta_1, beta_2, epsilon, decay, amsgrad, clipnorm, clipvalue);
                /// <summary>Adamax.</summary>
                public static K.Adamax Adamax(double lr = 0.002, double beta_1 = 0.9, double beta_2 = 0.999, double? epsilon = null, double decay = 0.0,
                    double? clipnorm = null, double? clipvalue = null) => new(lr, beta_1, beta_2, epsilon, decay, clipnorm, clipvalue);
                /// <summary>Nadam.</summary>
                public static K.Nadam Nadam(double lr = 0.002, double beta_1 = 0.9, double beta_2 = 0.999, double? epsilon = null, double schedule_decay = 0.004,
                    double? clipnorm = null, double? clipvalue = null) => new(lr, beta_1, beta_2, epsilon, schedule_decay, clipnorm, clipvalue);
                /// <summary>An optimizer by name.</summary>
                public static KerasOptimizer get(string name) => KerasOptimizer.get(name);
            }

            /// <summary><c>tf.keras.regularizers</c>: Keras's penalties (no halving).</summary>
            public static class regularizers
            {
                /// <summary><c>l·Σ|w|</c>.</summary>
                public static KerasRegularizer l1(double l = 0.01) => new(l1: l);
                /// <summary><c>l·Σw²</c>.</summary>
                public static KerasRegularizer l2(double l = 0.01) => new(l2: l);
                /// <summary>Both.</summary>
                public static KerasRegularizer l1_l2(double l1 = 0.01, double l2 = 0.01) => new(l1, l2);
            }
        }
    }
}
