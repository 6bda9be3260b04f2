#pragma warning disable CS8981
using SharpFlow.Train;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class train
        {
            /// <summary>
            /// Cosine decay: <c>learning_rate * ((1 - alpha) * 0.5 * (1 + cos(pi * min(global_step, decay_steps) / decay_steps)) + alpha)</c>.
            /// </summary>
            public static Tensor cosine_decay(TensorLike learning_rate, Tensor? global_step, TensorLike decay_steps, double alpha = 0.0, string? name = null) =>
                LearningRateDecay.Cosine(learning_rate, global_step, decay_steps, alpha, name);

            /// <summary>
            /// Cosine decay with warm restarts (SGDR): the first period lasts <paramref name="first_decay_steps"/>, each next
            /// one <paramref name="t_mul"/> times longer and starting <paramref name="m_mul"/> times lower.
            /// </summary>
            public static Tensor cosine_decay_restarts(TensorLike learning_rate, Tensor? global_step, TensorLike first_decay_steps, double t_mul = 2.0,
                double m_mul = 1.0, double alpha = 0.0, string? name = null) =>
                LearningRateDecay.CosineRestarts(learning_rate, global_step, first_decay_steps, t_mul, m_mul, alpha, name);

            /// <summary>
            /// Linear cosine decay: <c>learning_rate * ((alpha + linear) * 0.5 * (1 + cos(pi * 2 * num_periods * step / decay_steps)) + beta)</c>,
            /// <c>linear = (decay_steps - step) / decay_steps</c>, the step capped at <paramref name="decay_steps"/>.
            /// </summary>
            public static Tensor linear_cosine_decay(TensorLike learning_rate, Tensor? global_step, TensorLike decay_steps, double num_periods = 0.5,
                double alpha = 0.0, double beta = 0.001, string? name = null) =>
                LearningRateDecay.LinearCosine(learning_rate, global_step, decay_steps, num_periods, alpha, beta, null, name);

            /// <summary>
            /// Linear cosine decay with Gaussian noise of variance <c>initial_variance / (1 + step)^variance_decay</c> added to
            /// the linear part (a random op: seeded by <c>tf.set_random_seed</c> as in TensorFlow).
            /// </summary>
            public static Tensor noisy_linear_cosine_decay(TensorLike learning_rate, Tensor? global_step, TensorLike decay_steps, double initial_variance = 1.0,
                double variance_decay = 0.55, double num_periods = 0.5, double alpha = 0.0, double beta = 0.001, string? name = null) =>
                LearningRateDecay.LinearCosine(learning_rate, global_step, decay_steps, num_periods, alpha, beta, (initial_variance, variance_decay), name);
        }
    }
}
