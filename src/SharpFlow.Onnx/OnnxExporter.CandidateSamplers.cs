using SharpFlow.Framework;
using SharpFlow.Onnx.Proto;

namespace SharpFlow.Onnx;

/// <summary>
/// TensorFlow's UniformCandidateSampler and LogUniformCandidateSampler (range_sampler.cc) as ONNX's RandomUniform:
/// the draws cannot be SharpFlow's (ONNX Runtime has its own generator, seeded from the op's seeds as the other
/// random ops are), but the classes follow the same distribution, and the expected counts are the same functions of
/// the sampled classes and the number of draws, computed as SharpFlow's kernel computes them.
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>The candidate samplers: exported as nodes that draw on every run, never frozen into one draw.</summary>
    private static readonly HashSet<string> SamplerTypes = new(StringComparer.Ordinal) { "UniformCandidateSampler", "LogUniformCandidateSampler" };

    /// <summary>
    /// The classes of uniform draws <paramref name="u"/> (float64 in [0, 1)): UniformSampler's
    /// <c>floor(u · range)</c> (below range), LogUniformSampler's <c>(floor(exp(u · log(range + 1))) − 1) mod range</c>.
    /// </summary>
    private string SampledClasses(bool logUniform, string u, long range)
    {
        if (!logUniform)
            return Apply("Min", ApplyWith("Cast", [Apply("Floor", Apply("Mul", u, Scalar(range, DType.float64)))], ("to", 7L)), Long(range - 1));
        var e = Apply("Exp", Apply("Mul", u, Scalar(System.Math.Log(range + 1.0), DType.float64)));
        return Apply("Mod", Apply("Sub", ApplyWith("Cast", [Apply("Floor", e)], ("to", 7L)), Long(1)), Long(range));
    }

    /// <summary>
    /// The probability of each class in <paramref name="classes"/> (int64), as float32: <c>1 / range</c>, or
    /// <c>log((k + 2) / (k + 1)) / log(range + 1)</c> in float64 then rounded.
    /// </summary>
    private string ClassProbability(bool logUniform, string classes, long range)
    {
        if (!logUniform) return Apply("Expand", Scalar(1.0f / range, DType.float32), Apply("Shape", classes));
        var k = ApplyWith("Cast", [classes], ("to", 11L));
        var ratio = Apply("Div", Apply("Add", k, Scalar(2, DType.float64)), Apply("Add", k, Scalar(1, DType.float64)));
        return ApplyWith("Cast", [Apply("Div", Apply("Log", ratio), Scalar(System.Math.Log(range + 1.0), DType.float64))], ("to", 1L));
    }

    /// <summary>
    /// RangeSampler's expected count of a class of probability <paramref name="p"/> in a batch of
    /// <paramref name="batch"/> classes drawn in <paramref name="tries"/> draws: <c>p · batch</c> when every draw
    /// was kept, else <c>1 − (1 − p)^tries</c> as <c>−expm1(tries · log1p(−p))</c> in float64, with the kernel's
    /// series for log1p and expm1 below 1e-4.
    /// </summary>
    private string ExpectedCount(string p, long batch, string? tries)
    {
        var kept = Apply("Mul", p, Scalar(batch, DType.float32));
        if (tries is null) return kept;
        string D(double v) => Scalar(v, DType.float64);
        string Small(string v) => Apply("Less", Apply("Abs", v), D(1e-4));
        var x = Apply("Neg", ApplyWith("Cast", [p], ("to", 11L)));
        // x·(1 − x·(0.5 − x·(1/3 − x/4))), else log(1 + x).
        var log1pSeries = Apply("Mul", x, Apply("Sub", D(1), Apply("Mul", x, Apply("Sub", D(0.5), Apply("Mul", x, Apply("Sub", D(1.0 / 3), Apply("Div", x, D(4))))))));
        var log1p = Apply("Where", Small(x), log1pSeries, Apply("Log", Apply("Add", D(1), x)));
        var y = Apply("Mul", ApplyWith("Cast", [tries], ("to", 11L)), log1p);
        // y·(1 + y·(0.5 + y·(1/6 + y/24))), else exp(y) − 1.
        var expm1Series = Apply("Mul", y, Apply("Add", D(1), Apply("Mul", y, Apply("Add", D(0.5), Apply("Mul", y, Apply("Add", D(1.0 / 6), Apply("Div", y, D(24))))))));
        var expm1 = Apply("Where", Small(y), expm1Series, Apply("Sub", Apply("Exp", y), D(1)));
        var count = ApplyWith("Cast", [Apply("Neg", expm1)], ("to", 1L));
        return Apply("Where", Apply("Equal", tries, Long(batch)), kept, count);
    }

    /// <summary>
    /// UniformCandidateSampler and LogUniformCandidateSampler. Without <c>unique</c>: num_sampled draws at once (a
    /// RandomUniform of float64), each expected count <c>p · num_sampled</c>. With <c>unique</c>, TensorFlow's
    /// rejection sampling: a Loop that draws one class per round and keeps it when it is new, until num_sampled are
    /// kept, counting the draws (tries), which the expected counts then read. Refused: unique with num_sampled above
    /// range_max (the kernel fails, the Loop would never end), and a uniform range_max above 2^53 (a float64 draw
    /// cannot reach every class equally, as the kernel's exact 64-bit draw does).
    /// </summary>
    private void CandidateSamplerOp(Operation op)
    {
        var logUniform = op.type == "LogUniformCandidateSampler";
        var (numSampled, range, unique) = (Attr<long>(op, "num_sampled"), Attr<long>(op, "range_max"), Attr<bool>(op, "unique"));
        if (unique && numSampled > range)
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: unique with num_sampled {numSampled} above range_max {range} (the kernel fails: \"Sampler's range is too small.\"; a Loop of rejection rounds would never end).", op.name);
        if (!logUniform && range > 1L << 53)
            throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: range_max {range} above 2^53 (a float64 uniform draw cannot reach every class with the same probability, as the kernel's exact 64-bit draw does).", op.name);
        var outs = op.outputs.Select(Out).ToArray();
        string sampled;
        string? tries = null;
        if (!unique)
            sampled = SampledClasses(logUniform, ApplyWith("RandomUniform", [], [("dtype", 11L), ("shape", new[] { numSampled }), .. SeedOf(op)]), range);
        else
        {
            var outer = _current;
            var body = new GraphProto { Name = op.name + "/rejection_rounds" };
            _current = body;
            try
            {
                var (iteration, condIn, kept, draws) = (Fresh(), Fresh(), Fresh(), Fresh());
                body.Input.Add(ScalarInfo(iteration, DType.int64));
                body.Input.Add(ScalarInfo(condIn, DType.@bool));
                body.Input.Add(TypedInfo(kept, DType.int64, op, 1));
                body.Input.Add(ScalarInfo(draws, DType.int64));
                var drawn = SampledClasses(logUniform, ApplyWith("RandomUniform", [], [("dtype", 11L), ("shape", new[] { 1L }), .. SeedOf(op)]), range);
                var seen = ApplyWith("ReduceSum", [ApplyWith("Cast", [Apply("Equal", kept, drawn)], ("to", 7L))], ("keepdims", 0L));
                var isNew = Apply("Unsqueeze", Apply("Equal", seen, Long(0)), Ints([0]));
                var next = ApplyWith("Concat", [kept, ApplyWith("Compress", [drawn, isNew], ("axis", 0L))], ("axis", 0L));
                body.Output.Add(ScalarInfo(Apply("Less", Apply("Size", next), Long(numSampled)), DType.@bool));
                body.Output.Add(TypedInfo(next, DType.int64, op, 1));
                body.Output.Add(ScalarInfo(Apply("Add", draws, Long(1)), DType.int64));
            }
            finally
            {
                _current = outer;
            }
            (sampled, tries) = (Fresh(), Fresh());
            var none = Initializer($"{op.name}/no_classes", NDArray.FromFlat(Array.Empty<long>(), new Shape(0)));
            Node("Loop", ["", Initializer($"{op.name}/true", NDArray.Scalar(true)), none, Long(0)], [sampled, tries], ("body", body));
        }
        Node("Identity", [sampled], [outs[0]]);
        Node("Identity", [ExpectedCount(ClassProbability(logUniform, In(op, 0), range), numSampled, tries)], [outs[1]]);
        Node("Identity", [ExpectedCount(ClassProbability(logUniform, sampled, range), numSampled, tries)], [outs[2]]);
        for (var k = 0; k < 3; k++) _names[op.outputs[k]] = outs[k];
    }
}
