using SharpFlow.Framework;
using SharpFlow.Framework.Dispatch;
using SharpFlow.Kernels;
using SharpFlow.Ops.ArrayOps;

namespace SharpFlow.Ops.NN;

/// <summary>
/// What FusedBatchNorm, FusedBatchNormV2 and FusedBatchNormV3 share (TensorFlow's FusedBatchNormOpBase and
/// FusedBatchNormShape): inputs x, scale, offset, mean, variance; outputs y, batch_mean, batch_variance,
/// reserve_space_1, reserve_space_2 (V3: reserve_space_3); attrs T, U (V2, V3), epsilon, exponential_avg_factor,
/// data_format, is_training. Training normalizes with the batch's mean and biased variance and returns the unbiased
/// (Bessel-corrected, n/(n-1)) variance as batch_variance (moved towards the given mean and variance by
/// exponential_avg_factor when it is not 1); reserve_space_1/2 hold the batch mean and the biased variance, which the
/// gradient reads. Inference normalizes with the given mean and variance and returns them. float32 (float16 x with
/// float32 statistics for V2 and V3, widened to float32 as TensorFlow's CPU kernel does); SharpFlow also runs
/// float64 (T = U = float64), which TensorFlow's CPU kernels do not register, so gradients can be checked precisely.
/// </summary>
internal abstract class FusedBatchNormOpBase : OpDef
{
    internal static readonly OpAttr<DType> TAttr = new("T");
    internal static readonly OpAttr<DType> U = new("U");

    /// <summary>1, 2 or 3.</summary>
    protected abstract int Version { get; }

    public override void InferShapes(InferenceContext ctx)
    {
        var (t, u) = FusedBatchNormAttrs.CheckTypes(ctx, Version, [(0, "x")], [(1, "scale"), (2, "offset"), (3, "mean"), (4, "variance")]);
        var format = FusedBatchNormAttrs.Format(ctx, Version, m => ctx.Error(m));
        var rank = format.Length;
        var x = ctx.InputShape(0);
        if (x.IsKnownRank && x.ndims != rank) throw ctx.Error($"Shape must be rank {rank} but is rank {x.ndims}: input x {x.ToListString()}");
        var isTraining = FusedBatchNormAttrs.IsTraining(ctx);
        var factor = FusedBatchNormAttrs.ExponentialAvgFactor(ctx);
        var channelIndex = format.IndexOf('C');
        var channels = x.IsKnownRank ? x[channelIndex] : -1;
        // scale and offset, and the mean and variance when they are read (inference, or a running average).
        var inputs = isTraining && factor == 1f ? 3 : 5;
        string[] names = ["x", "scale", "offset", "mean", "variance"];
        for (var i = 1; i < inputs; i++)
            channels = FusedBatchNormAttrs.MergeVector(ctx, ctx.InputShape(i), names[i], channels);
        var y = FusedBatchNormAttrs.WithChannels(x.IsKnownRank ? x : Shape.UnknownDims(rank), channelIndex, channels);
        ctx.AddOutput(t, y);
        for (var i = 0; i < 4; i++) ctx.AddOutput(u, new Shape(channels));
        if (Version == 3) ctx.AddOutput(u, Shape.Unknown);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var format = FusedBatchNormAttrs.Format(op, Version, m => new InvalidArgumentError(m, op.name));
        var epsilon = FusedBatchNormAttrs.Epsilon(op);
        var isTraining = FusedBatchNormAttrs.IsTraining(op);
        var factor = FusedBatchNormAttrs.ExponentialAvgFactor(op);
        var version = Version;
        return OpKernel.From(ctx => Compute(ctx, format, epsilon, isTraining, factor, version));
    }

    private static void Compute(OpKernelContext ctx, string format, float epsilon, bool isTraining, float factor, int version)
    {
        var (x, scale, offset, mean, variance) = (ctx.Input(0), ctx.Input(1), ctx.Input(2), ctx.Input(3), ctx.Input(4));
        if (x.ndim != 4 && x.ndim != 5) throw ctx.InvalidArgument($"input must be 4 or 5-dimensional{x.shape.ToListString()}");
        if (x.ndim != format.Length) throw ctx.InvalidArgument($"input must be {format.Length}-dimensional for data_format {format}{x.shape.ToListString()}");
        if (scale.ndim != 1) throw ctx.InvalidArgument($"scale must be 1-dimensional{scale.shape.ToListString()}");
        if (offset.ndim != 1) throw ctx.InvalidArgument($"offset must be 1-dimensional{offset.shape.ToListString()}");
        if (mean.ndim != 1) throw ctx.InvalidArgument($"estimated_mean must be 1-dimensional{mean.shape.ToListString()}");
        if (variance.ndim != 1) throw ctx.InvalidArgument($"estimated_variance must be 1-dimensional{variance.shape.ToListString()}");
        var (outer, channels, inner) = FusedBatchNormAttrs.Layout(x.shape, format);
        if (scale.shape[0] != channels)
            throw ctx.InvalidArgument($"scale must have the same number of elements as the channels of x, got {scale.shape[0]} and {channels}");
        if (offset.shape[0] != channels)
            throw ctx.InvalidArgument($"offset must have the same number of elements as the channels of x, got {offset.shape[0]} and {channels}");
        if (isTraining && factor == 1f)
        {
            // TensorFlow 1.15's kernel: the statistics come from the batch, so none may be given.
            if (mean.shape[0] != 0) throw ctx.InvalidArgument($"estimated_mean must be empty for training{mean.shape.ToListString()}");
            if (variance.shape[0] != 0) throw ctx.InvalidArgument($"estimated_variance must be empty for training{variance.shape.ToListString()}");
        }
        else
        {
            var prefix = isTraining ? "When exponential_avg_factor != 1" : "When is_training=false";
            if (mean.shape[0] != channels)
                throw ctx.InvalidArgument($"{prefix}, mean must have the same number of elements as the channels of x, got {mean.shape[0]} and {channels}");
            if (variance.shape[0] != channels)
                throw ctx.InvalidArgument($"{prefix}, variance must have the same number of elements as the channels of x, got {variance.shape[0]} and {channels}");
        }

        var u = scale.dtype;
        var y = ctx.AllocateUninitializedOutput(0, x.dtype, x.shape);
        var vector = new Shape(channels);
        var batchMean = ctx.AllocateOutput(1, u, vector);
        var batchVariance = ctx.AllocateOutput(2, u, vector);
        var saved1 = ctx.AllocateOutput(3, u, vector);
        var saved2 = ctx.AllocateOutput(4, u, vector);
        if (version == 3) ctx.AllocateOutput(5, u, Shape.Scalar);
        if (x.size == 0)
        {
            // TensorFlow: an empty input gives NaN statistics.
            if (u == DType.float32) { batchMean.AsSpan<float>().Fill(float.NaN); batchVariance.AsSpan<float>().Fill(float.NaN); }
            else { batchMean.AsSpan<double>().Fill(double.NaN); batchVariance.AsSpan<double>().Fill(double.NaN); }
            return;
        }
        var wide = x.dtype == DType.float16 ? x.Cast(DType.float32) : x;
        var wideY = x.dtype == DType.float16 ? NDArray.Zeros(DType.float32, x.shape) : y;
        if (u == DType.float32)
            Run<float>(wide, scale, offset, mean, variance, wideY, batchMean, batchVariance, saved1, saved2, epsilon, isTraining, factor, outer, channels, inner);
        else
            Run<double>(wide, scale, offset, mean, variance, wideY, batchMean, batchVariance, saved1, saved2, epsilon, isTraining, factor, outer, channels, inner);
        if (x.dtype == DType.float16) CastKernel.Cast(wideY, y);
    }

    private static void Run<T>(NDArray x, NDArray scale, NDArray offset, NDArray mean, NDArray variance, NDArray y, NDArray batchMean, NDArray batchVariance,
        NDArray saved1, NDArray saved2, float epsilon, bool isTraining, float factor, int outer, int channels, int inner)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var eps = T.CreateChecked(epsilon);
        if (!isTraining)
        {
            FusedBatchNormKernels.Normalize(x.AsReadOnlySpan<T>(), scale.AsReadOnlySpan<T>(), offset.AsReadOnlySpan<T>(), mean.AsReadOnlySpan<T>(),
                variance.AsReadOnlySpan<T>(), eps, outer, channels, inner, y.AsSpan<T>());
            mean.AsReadOnlySpan<T>().CopyTo(batchMean.AsSpan<T>());
            variance.AsReadOnlySpan<T>().CopyTo(batchVariance.AsSpan<T>());
            // TensorFlow's CPU kernel leaves the reserve spaces unwritten in inference; they hold the given statistics here.
            mean.AsReadOnlySpan<T>().CopyTo(saved1.AsSpan<T>());
            variance.AsReadOnlySpan<T>().CopyTo(saved2.AsSpan<T>());
            return;
        }
        var m = saved1.AsSpan<T>();
        var v = saved2.AsSpan<T>();
        FusedBatchNormKernels.Moments(x.AsReadOnlySpan<T>(), outer, channels, inner, m, v);
        FusedBatchNormKernels.Normalize(x.AsReadOnlySpan<T>(), scale.AsReadOnlySpan<T>(), offset.AsReadOnlySpan<T>(), m, v, eps, outer, channels, inner, y.AsSpan<T>());
        var n = (long)outer * inner;
        // Bessel's correction, as TensorFlow: n / max(n - 1, 1).
        var adjust = T.CreateChecked((double)n / System.Math.Max(n - 1, 1));
        var f = T.CreateChecked(factor);
        var bm = batchMean.AsSpan<T>();
        var bv = batchVariance.AsSpan<T>();
        for (var c = 0; c < channels; c++)
        {
            if (factor == 1f)
            {
                bm[c] = m[c];
                bv[c] = v[c] * adjust;
            }
            else
            {
                bm[c] = (T.One - f) * mean.AsReadOnlySpan<T>()[c] + f * m[c];
                bv[c] = (T.One - f) * variance.AsReadOnlySpan<T>()[c] + f * adjust * v[c];
            }
        }
    }

    /// <summary>
    /// nn_grad.py's <c>_BaseFusedBatchNormGrad</c>: while training, the FusedBatchNormGrad op of the same version
    /// reads the reserve spaces (the batch's statistics); in inference it reads the given (population) mean and
    /// variance, on NHWC (an NCHW x and gradient are transposed there and back). mean and variance get no gradient.
    /// </summary>
    public override Tensor?[] Gradient(Operation op, IReadOnlyList<Tensor?> grads)
    {
        var x = op.inputs[0];
        var gradY = grads[0] ?? ZerosLike.Def.Apply(op.outputs[0], null, true, null);
        var scale = op.inputs[1];
        var epsilon = FusedBatchNormAttrs.Epsilon(op);
        var format = FusedBatchNormAttrs.DataFormatAttr.Of(op);
        var isTraining = FusedBatchNormAttrs.IsTraining(op);
        Tensor? reserve3 = Version == 3 ? op.outputs[5] : null;
        Tensor[] r;
        if (isTraining)
            r = FusedBatchNormGradOpBase.BuildFor(Version, gradY, x, scale, op.outputs[3], op.outputs[4], reserve3, epsilon, format, true);
        else
        {
            var nchw = format == "NCHW";
            if (nchw)
            {
                x = Transpose.Build(x, new[] { 0, 2, 3, 1 });
                gradY = Transpose.Build(gradY, new[] { 0, 2, 3, 1 });
            }
            r = FusedBatchNormGradOpBase.BuildFor(Version, gradY, x, scale, op.inputs[3], op.inputs[4], reserve3, epsilon, nchw ? "NHWC" : format, false);
            if (nchw) r[0] = Transpose.Build(r[0], new[] { 0, 3, 1, 2 });
        }
        return [r[0], r[1], r[2], null, null];
    }

    /// <summary>
    /// A tensor input as it is (the shape function names a wrong dtype, as TensorFlow's op builder does); a value
    /// becomes a constant of <paramref name="dtype"/>.
    /// </summary>
    internal static Tensor Stat(OpBuilder b, TensorLike value, string name, DType dtype) =>
        value.Value is Tensor ? b.Convert(value, name) : b.Convert(value, name, dtype);

    /// <summary>Creates the op of this version (TensorFlow's generated <c>gen_nn_ops.fused_batch_norm*</c>).</summary>
    protected Tensor[] BuildOp(string opType, TensorLike x, TensorLike scale, TensorLike offset, TensorLike mean, TensorLike variance,
        double epsilon, double exponentialAvgFactor, string dataFormat, bool isTraining, string? name)
    {
        using var b = OpBuilder.Begin(name, opType, x, scale, offset, mean, variance);
        var xs = b.Convert(x, "x");
        var u = Version == 1 ? xs.dtype : xs.dtype == DType.float16 ? DType.float32 : xs.dtype;
        var inputs = new[] { xs, Stat(b, scale, "scale", u), Stat(b, offset, "offset", u), Stat(b, mean, "mean", u), Stat(b, variance, "variance", u) };
        var attrs = new Dictionary<string, object>
        {
            { TAttr, xs.dtype }, { FusedBatchNormAttrs.EpsilonAttr, (float)epsilon }, { FusedBatchNormAttrs.DataFormatAttr, dataFormat }, { FusedBatchNormAttrs.IsTrainingAttr, isTraining },
        };
        if (Version > 1) U.Set(attrs, inputs[1].dtype);
        // TensorFlow 1.15 has no exponential_avg_factor; it is written only when it means something.
        if (exponentialAvgFactor != 1.0) FusedBatchNormAttrs.ExponentialAvgFactorAttr.Set(attrs, (float)exponentialAvgFactor);
        return [.. b.Create(this, inputs, attrs).outputs];
    }
}

/// <summary>
/// What FusedBatchNormGrad, V2 and V3 share (TensorFlow's FusedBatchNormGradOpBase and FusedBatchNormGradShape):
/// inputs y_backprop, x, scale, reserve_space_1, reserve_space_2 (V3: reserve_space_3, unread on the CPU);
/// outputs x_backprop, scale_backprop, offset_backprop and two empty placeholders. With is_training the reserve
/// spaces are the forward op's batch mean and biased variance; otherwise they are the population statistics.
/// TensorFlow's second-order rule (<c>_FusedBatchNormGradGrad</c>, a GradientTape over <c>_BatchNormGrad</c>) is not
/// implemented: these ops are marked not differentiable.
/// </summary>
internal abstract class FusedBatchNormGradOpBase : OpDef
{
    internal static readonly OpAttr<DType> T = new("T");
    internal static readonly OpAttr<DType> U = new("U");

    /// <summary>1, 2 or 3.</summary>
    protected abstract int Version { get; }

    public override bool NotDifferentiable => true;

    public override void InferShapes(InferenceContext ctx)
    {
        (int, string)[] vectors = Version == 3
            ? [(2, "scale"), (3, "reserve_space_1"), (4, "reserve_space_2"), (5, "reserve_space_3")]
            : [(2, "scale"), (3, "reserve_space_1"), (4, "reserve_space_2")];
        var (t, u) = FusedBatchNormAttrs.CheckTypes(ctx, Version, [(0, "y_backprop"), (1, "x")], vectors);
        var format = FusedBatchNormAttrs.Format(ctx, Version, m => ctx.Error(m));
        var rank = format.Length;
        var (dy, x) = (ctx.InputShape(0), ctx.InputShape(1));
        if (dy.IsKnownRank && dy.ndims != rank) throw ctx.Error($"Shape must be rank {rank} but is rank {dy.ndims}: input y_backprop {dy.ToListString()}");
        if (x.IsKnownRank && x.ndims != rank) throw ctx.Error($"Shape must be rank {rank} but is rank {x.ndims}: input x {x.ToListString()}");
        var channelIndex = format.IndexOf('C');
        var channels = dy.IsKnownRank ? dy[channelIndex] : -1;
        var xc = x.IsKnownRank ? x[channelIndex] : -1;
        if (channels >= 0 && xc >= 0 && channels != xc)
            throw ctx.Error($"Dimensions must be equal, but are {channels} and {xc}: the channels of y_backprop {dy.ToListString()} and x {x.ToListString()}");
        if (channels < 0) channels = xc;
        string[] names = ["", "", "scale", "reserve_space_1", "reserve_space_2"];
        for (var i = 2; i < 5; i++) channels = FusedBatchNormAttrs.MergeVector(ctx, ctx.InputShape(i), names[i], channels);
        var shape = dy.IsKnownRank ? dy : x.IsKnownRank ? x : Shape.UnknownDims(rank);
        ctx.AddOutput(t, FusedBatchNormAttrs.WithChannels(shape, channelIndex, channels));
        ctx.AddOutput(u, new Shape(channels));
        ctx.AddOutput(u, new Shape(channels));
        // The placeholders' run-time shape is [0]; TensorFlow's shape function says [channels] in inference.
        var placeholder = FusedBatchNormAttrs.IsTraining(ctx) ? new Shape(0) : new Shape(channels);
        ctx.AddOutput(u, placeholder);
        ctx.AddOutput(u, placeholder);
    }

    public override OpKernel CreateKernel(Operation op)
    {
        var format = FusedBatchNormAttrs.Format(op, Version, m => new InvalidArgumentError(m, op.name));
        var epsilon = FusedBatchNormAttrs.Epsilon(op);
        var isTraining = FusedBatchNormAttrs.IsTraining(op);
        return OpKernel.From(ctx => Compute(ctx, format, epsilon, isTraining));
    }

    private static void Compute(OpKernelContext ctx, string format, float epsilon, bool isTraining)
    {
        var (dy, x, scale, mean, variance) = (ctx.Input(0), ctx.Input(1), ctx.Input(2), ctx.Input(3), ctx.Input(4));
        if (dy.ndim != 4 && dy.ndim != 5) throw ctx.InvalidArgument($"input must be 4 or 5-dimensional{dy.shape.ToListString()}");
        if (x.ndim != 4 && x.ndim != 5) throw ctx.InvalidArgument($"input must be 4 or 5-dimensional{x.shape.ToListString()}");
        if (x.ndim != format.Length) throw ctx.InvalidArgument($"input must be {format.Length}-dimensional for data_format {format}{x.shape.ToListString()}");
        if (scale.ndim != 1) throw ctx.InvalidArgument($"scale must be 1-dimensional{scale.shape.ToListString()}");
        if (mean.ndim != 1) throw ctx.InvalidArgument($"saved mean must be 1-dimensional{mean.shape.ToListString()}");
        if (variance.ndim != 1) throw ctx.InvalidArgument($"saved variance must be 1-dimensional{variance.shape.ToListString()}");
        if (x.shape != dy.shape)
            throw ctx.InvalidArgument($"x and y_backprop must have same shape, but x has shape {x.shape.ToListString()} and y_backprop has shape {dy.shape.ToListString()}");
        var (outer, channels, inner) = FusedBatchNormAttrs.Layout(x.shape, format);
        if (scale.shape[0] != channels)
            throw ctx.InvalidArgument($"scale must have the same number of elements as the channels of x, got {scale.shape[0]} and {channels}");
        if (mean.shape[0] != channels)
            throw ctx.InvalidArgument($"reserve_space_1 must have the same number of elements as the channels of x, got {mean.shape[0]} and {channels}");
        if (variance.shape[0] != channels)
            throw ctx.InvalidArgument($"reserve_space_2 must have the same number of elements as the channels of x, got {variance.shape[0]} and {channels}");
        var u = scale.dtype;
        var dx = ctx.AllocateUninitializedOutput(0, x.dtype, x.shape);
        var dscale = ctx.AllocateOutput(1, u, scale.shape);
        var doffset = ctx.AllocateOutput(2, u, scale.shape);
        ctx.AllocateOutput(3, u, new Shape(0));
        ctx.AllocateOutput(4, u, new Shape(0));
        if (x.size == 0) return;
        var half = x.dtype == DType.float16;
        var wideDy = half ? dy.Cast(DType.float32) : dy;
        var wideX = half ? x.Cast(DType.float32) : x;
        var wideDx = half ? NDArray.Zeros(DType.float32, x.shape) : dx;
        if (u == DType.float32)
            FusedBatchNormKernels.Grad(wideDy.AsReadOnlySpan<float>(), wideX.AsReadOnlySpan<float>(), scale.AsReadOnlySpan<float>(), mean.AsReadOnlySpan<float>(),
                variance.AsReadOnlySpan<float>(), epsilon, isTraining, outer, channels, inner, wideDx.AsSpan<float>(), dscale.AsSpan<float>(), doffset.AsSpan<float>());
        else
            FusedBatchNormKernels.Grad(wideDy.AsReadOnlySpan<double>(), wideX.AsReadOnlySpan<double>(), scale.AsReadOnlySpan<double>(), mean.AsReadOnlySpan<double>(),
                variance.AsReadOnlySpan<double>(), epsilon, isTraining, outer, channels, inner, wideDx.AsSpan<double>(), dscale.AsSpan<double>(), doffset.AsSpan<double>());
        if (half) CastKernel.Cast(wideDx, dx);
    }

    /// <summary>The grad op of <paramref name="version"/> (1: FusedBatchNormGrad, 2: V2, 3: V3).</summary>
    internal static Tensor[] BuildFor(int version, TensorLike yBackprop, TensorLike x, TensorLike scale, TensorLike reserveSpace1, TensorLike reserveSpace2,
        TensorLike? reserveSpace3, double epsilon, string dataFormat, bool isTraining, string? name = null) => version switch
        {
            1 => FusedBatchNormGrad.Build(yBackprop, x, scale, reserveSpace1, reserveSpace2, epsilon, dataFormat, isTraining, name),
            2 => FusedBatchNormGradV2.Build(yBackprop, x, scale, reserveSpace1, reserveSpace2, epsilon, dataFormat, isTraining, name),
            _ => FusedBatchNormGradV3.Build(yBackprop, x, scale, reserveSpace1, reserveSpace2, reserveSpace3 ?? throw new ArgumentNullException(nameof(reserveSpace3)),
                epsilon, dataFormat, isTraining, name),
        };

    /// <summary>Creates the op of this version (TensorFlow's generated <c>gen_nn_ops.fused_batch_norm_grad*</c>).</summary>
    protected Tensor[] BuildOp(string opType, TensorLike yBackprop, TensorLike x, TensorLike scale, TensorLike reserveSpace1, TensorLike reserveSpace2,
        TensorLike? reserveSpace3, double epsilon, string dataFormat, bool isTraining, string? name)
    {
        using var b = OpBuilder.Begin(name, opType, yBackprop, x, scale, reserveSpace1, reserveSpace2);
        var dy = b.Convert(yBackprop, "y_backprop");
        var u = Version == 1 ? dy.dtype : dy.dtype == DType.float16 ? DType.float32 : dy.dtype;
        var inputs = new List<Tensor>
        {
            dy, FusedBatchNormOpBase.Stat(b, x, "x", dy.dtype), FusedBatchNormOpBase.Stat(b, scale, "scale", u),
            FusedBatchNormOpBase.Stat(b, reserveSpace1, "reserve_space_1", u), FusedBatchNormOpBase.Stat(b, reserveSpace2, "reserve_space_2", u),
        };
        if (Version == 3) inputs.Add(FusedBatchNormOpBase.Stat(b, reserveSpace3 ?? throw new ArgumentNullException(nameof(reserveSpace3)), "reserve_space_3", u));
        var attrs = new Dictionary<string, object> { { T, dy.dtype }, { FusedBatchNormAttrs.EpsilonAttr, (float)epsilon }, { FusedBatchNormAttrs.DataFormatAttr, dataFormat }, { FusedBatchNormAttrs.IsTrainingAttr, isTraining } };
        if (Version > 1) U.Set(attrs, u);
        return [.. b.Create(this, [.. inputs], attrs).outputs];
    }
}

/// <summary>The attributes, type rules and layouts the fused batch norm ops share.</summary>
internal static class FusedBatchNormAttrs
{
    internal static readonly OpAttr<float> EpsilonAttr = new("epsilon", 0.0001f);
    internal static readonly OpAttr<bool> IsTrainingAttr = new("is_training", true);
    internal static readonly OpAttr<float> ExponentialAvgFactorAttr = new("exponential_avg_factor", 1f);
    internal static readonly OpAttr<string> DataFormatAttr = new("data_format", "NHWC");

    /// <summary>The op's epsilon (a float attr).</summary>
    public static float Epsilon(Operation op) => EpsilonAttr.Of(op);

    /// <summary>The op's is_training (default true).</summary>
    public static bool IsTraining(Operation op) => IsTrainingAttr.Of(op);

    /// <summary>The is_training of the op a shape rule is building.</summary>
    public static bool IsTraining(InferenceContext ctx) => IsTrainingAttr.Of(ctx);

    /// <summary>exponential_avg_factor, absent in TensorFlow 1.15's graphs (then 1).</summary>
    public static float ExponentialAvgFactor(Operation op) => ExponentialAvgFactorAttr.Of(op);

    /// <summary>The exponential_avg_factor of the op a shape rule is building.</summary>
    public static float ExponentialAvgFactor(InferenceContext ctx) => ExponentialAvgFactorAttr.Of(ctx);

    /// <summary>data_format: NHWC or NCHW, and for V3 also NDHWC or NCDHW (default NHWC).</summary>
    public static string Format(Operation op, int version, Func<string, Exception> error) => CheckFormat(DataFormatAttr.Of(op), version, error);

    /// <summary>The data_format of the op a shape rule is building, checked.</summary>
    public static string Format(InferenceContext ctx, int version, Func<string, Exception> error) => CheckFormat(DataFormatAttr.Of(ctx), version, error);

    private static string CheckFormat(string format, int version, Func<string, Exception> error)
    {
        var allowed = version == 3 ? new[] { "NHWC", "NCHW", "NDHWC", "NCDHW" } : ["NHWC", "NCHW"];
        if (!allowed.Contains(format))
            throw error($"Value for attr 'data_format' of \"{format}\" is not in the list of allowed values: {string.Join(", ", allowed.Select(a => $"\"{a}\""))}");
        return format;
    }

    /// <summary>The tensor as [outer, channels, inner]: channels last has inner 1, channels first has outer N.</summary>
    public static (int Outer, int Channels, int Inner) Layout(Shape shape, string format)
    {
        var dims = shape.Dims;
        if (format[^1] == 'C')
        {
            var c = dims[^1];
            var outer = 1L;
            for (var i = 0; i < dims.Length - 1; i++) outer *= dims[i];
            return (checked((int)outer), c, 1);
        }
        var inner = 1L;
        for (var i = 2; i < dims.Length; i++) inner *= dims[i];
        return (dims[0], dims[1], checked((int)inner));
    }

    /// <summary>
    /// The op's type rule: x (and y_backprop) of type T, the vectors of type U. V1 takes float32 only (T for all);
    /// V2 and V3 take a float16 or float32 x with float32 statistics. float64 everywhere is SharpFlow's extension.
    /// </summary>
    public static (DType T, DType U) CheckTypes(InferenceContext ctx, int version, (int Index, string Name)[] tInputs, (int Index, string Name)[] uInputs)
    {
        var t = ctx.InputDType(tInputs[0].Index);
        var allowed = version == 1 ? "float32" : "float16, bfloat16, float32";
        if (t != DType.float32 && t != DType.float64 && !(version > 1 && t == DType.float16))
            throw ctx.TypeError($"Value passed to parameter '{tInputs[0].Name}' has DataType {t.name} not in list of allowed values: {allowed}");
        foreach (var (i, name) in tInputs.Skip(1))
            if (ctx.InputDType(i) != t)
                throw ctx.TypeError($"Input '{name}' of '{ctx.OpType}' Op has type {ctx.InputDType(i).name} that does not match type {t.name} of argument '{tInputs[0].Name}'.");
        var u = ctx.InputDType(uInputs[0].Index);
        var expected = t == DType.float64 ? DType.float64 : DType.float32;
        foreach (var (i, name) in uInputs)
            if (ctx.InputDType(i) != expected)
                throw ctx.TypeError(version == 1
                    ? $"Input '{name}' of '{ctx.OpType}' Op has type {ctx.InputDType(i).name} that does not match type {t.name} of argument '{tInputs[0].Name}'."
                    : $"Value passed to parameter '{name}' has DataType {ctx.InputDType(i).name} not in list of allowed values: float32 (with x of type {t.name})");
        return (t, u);
    }

    /// <summary><paramref name="shape"/> with dimension <paramref name="index"/> set to <paramref name="channels"/>.</summary>
    public static Shape WithChannels(Shape shape, int index, int channels)
    {
        var dims = shape.Dims;
        dims[index] = channels;
        return new Shape(dims);
    }

    /// <summary>Merges a vector input's length with the channel count (TensorFlow's WithRank(1) and Merge).</summary>
    public static int MergeVector(InferenceContext ctx, Shape s, string name, int channels)
    {
        if (!s.IsKnownRank) return channels;
        if (s.ndims != 1) throw ctx.Error($"Shape must be rank 1 but is rank {s.ndims}: input {name} {s.ToListString()}");
        if (s[0] < 0) return channels;
        if (channels >= 0 && channels != s[0])
            throw ctx.Error($"Dimensions must be equal, but are {channels} and {s[0]}: the channels of x and input {name}");
        return s[0];
    }
}
