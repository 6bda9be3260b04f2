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
            /// <c>variable -= (variable - value) * (1 - decay)</c> (TensorFlow's <c>moving_averages.assign_moving_average</c>);
            /// with <paramref name="zero_debias"/> (the default) the zero start is debiased through the variables
            /// <c>VARIABLE/biased</c> and <c>VARIABLE/local_step</c>. Returns the updated variable's value.
            /// </summary>
            public static Tensor assign_moving_average(Variable variable, TensorLike value, TensorLike decay, bool zero_debias = true, string? name = null) =>
                MovingAverages.AssignMovingAverage(variable, value, decay, zero_debias, name);

            /// <summary>
            /// The moving average of <paramref name="value"/> weighted by <paramref name="weight"/> (TensorFlow's
            /// <c>moving_averages.weighted_moving_average</c>): the ratio of the moving averages of <c>value * weight</c> and of
            /// <paramref name="weight"/>, kept in the variables <c>WeightedMovingAvg/value_x_weight</c> and <c>WeightedMovingAvg/weight</c>.
            /// </summary>
            public static Tensor weighted_moving_average(Tensor value, TensorLike decay, Tensor weight, bool truediv = true, IEnumerable<string>? collections = null, string? name = null) =>
                MovingAverages.WeightedMovingAverage(value, decay, weight, truediv, collections, name);
        }
    }
}
