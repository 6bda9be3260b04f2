using SharpFlow.Framework;
using SharpFlow.Kernels;
using SharpFlow.Onnx.Proto;

namespace SharpFlow.Onnx;

/// <summary>
/// The special functions (Lgamma, Digamma, Zeta, Polygamma), which ONNX has no operator for, composed of element-wise
/// operators in float64 as SharpFlow's kernels compute them (the same recurrences, series, reflections and values at
/// the poles), the result cast to the op's dtype; and RandomShuffle, RandomGamma and ComputeAccidentalHits.
/// </summary>
internal sealed partial class OnnxExporter
{
    private const long OnnxFloat64 = 11, OnnxInt64 = 7, OnnxInt32 = 6;

    /// <summary>A float64 scalar initializer.</summary>
    private string F64(double value) => Scalar(value, DType.float64);

    /// <summary>An input of the op as float64: itself, or a Cast.</summary>
    private string InFloat64(Operation op, int i) =>
        op.inputs[i].dtype == DType.float64 ? In(op, i) : ApplyWith("Cast", [In(op, i)], ("to", OnnxFloat64));

    /// <summary>A float64 value into the op's output <paramref name="y"/>, cast to the op's dtype.</summary>
    private void FromFloat64(Operation op, string value, string y)
    {
        var dtype = op.outputs[0].dtype;
        if (dtype == DType.float64) Node("Identity", [value], [y]);
        else Node("Cast", [value], [y], ("to", (long)DataTypeOf(dtype, op)));
    }

    /// <summary>x reduced to [-1, 1] by an even integer, <c>x - 2·round(x / 2)</c> (Round halves to even, as Math.Round).</summary>
    private string HalfTurns(string x) => Apply("Sub", x, Apply("Mul", F64(2), Apply("Round", Apply("Div", x, F64(2)))));

    /// <summary>sin(πx), exact at the integers (0) and half-integers (±1), as the kernels' SinPi.</summary>
    private string SinPi(string x)
    {
        var r = HalfTurns(x);
        var abs = Apply("Abs", r);
        var sin = Apply("Sin", Apply("Mul", F64(System.Math.PI), r));
        var atHalf = Apply("Where", Apply("Equal", abs, F64(0.5)), Apply("Sign", r), sin);
        return Apply("Where", Apply("Or", Apply("Equal", r, F64(0)), Apply("Equal", abs, F64(1))), F64(0), atHalf);
    }

    /// <summary>cos(πx), 0 at the half-integers, as the kernels' CosPi.</summary>
    private string CosPi(string x)
    {
        var r = HalfTurns(x);
        return Apply("Where", Apply("Equal", Apply("Abs", r), F64(0.5)), F64(0), Apply("Cos", Apply("Mul", F64(System.Math.PI), r)));
    }

    /// <summary>Whether x is a pole of Γ: x ≤ 0 and an integer (−∞ included).</summary>
    private string NonPositiveInteger(string x) => Apply("And", Apply("LessOrEqual", x, F64(0)), Apply("Equal", x, Apply("Floor", x)));

    /// <summary>
    /// log|Γ(x)| of a float64 value, as SharpFlow's kernel: the Lanczos sum (g = 7, nine terms) for x ≥ 0.5, Stirling's
    /// series beyond 1e7, the reflection <c>log(π / |sin πx|) − lgamma(1 − x)</c> below 0.5; 0 at 1 and 2, +∞ at the
    /// poles and at ±∞, NaN for NaN.
    /// </summary>
    private string LgammaOf(string x)
    {
        var reflect = Apply("Less", x, F64(0.5));
        var z = Apply("Where", reflect, Apply("Sub", F64(1), x), x);
        var zm1 = Apply("Sub", z, F64(1));
        var sum = F64(SpecialFunctions.LanczosCoefficients[0]);
        for (var i = 1; i < SpecialFunctions.LanczosCoefficients.Length; i++)
            sum = Apply("Add", sum, Apply("Div", F64(SpecialFunctions.LanczosCoefficients[i]), Apply("Add", zm1, F64(i))));
        var t = Apply("Add", zm1, F64(7.5));
        var lanczos = Apply("Add", Apply("Sub", Apply("Add", F64(0.91893853320467274), Apply("Mul", Apply("Add", zm1, F64(0.5)), Apply("Log", t))), t), Apply("Log", sum));
        var stirling = Apply("Add", Apply("Add", Apply("Sub", Apply("Mul", Apply("Sub", z, F64(0.5)), Apply("Log", z)), z), F64(0.91893853320467274)),
            Apply("Div", F64(1), Apply("Mul", F64(12), z)));
        var positive = Apply("Where", Apply("Greater", z, F64(1e7)), stirling, lanczos);
        var reflected = Apply("Sub", Apply("Log", Apply("Div", F64(System.Math.PI), Apply("Abs", SinPi(x)))), positive);
        var value = Apply("Where", reflect, reflected, positive);
        value = Apply("Where", Apply("Or", Apply("Equal", x, F64(1)), Apply("Equal", x, F64(2))), F64(0), value);
        return Apply("Where", Apply("Or", NonPositiveInteger(x), Apply("IsInf", x)), F64(double.PositiveInfinity), value);
    }

    /// <summary>
    /// ψ(x) of a float64 value, as SharpFlow's kernel: the reflection <c>−π cos(πx) / sin(πx)</c> with x → 1 − x for
    /// x ≤ 0, the recurrence ψ(x) = ψ(x + 1) − 1/x until x ≥ 10 (eleven masked steps, more than any x needs), then
    /// <c>ln x − 1/(2x) − Σ B₂ₖ/(2k x²ᵏ)</c> (five terms); NaN at the poles, at −∞ and for NaN, +∞ at +∞.
    /// </summary>
    private string DigammaOf(string x)
    {
        var reflect = Apply("LessOrEqual", x, F64(0));
        var result = Apply("Where", reflect, Apply("Div", Apply("Mul", F64(-System.Math.PI), CosPi(x)), SinPi(x)), F64(0));
        var y = Apply("Where", reflect, Apply("Sub", F64(1), x), x);
        for (var step = 0; step < 11; step++)
        {
            var below = Apply("Less", y, F64(10));
            result = Apply("Where", below, Apply("Sub", result, Apply("Div", F64(1), y)), result);
            y = Apply("Where", below, Apply("Add", y, F64(1)), y);
        }
        var inv2 = Apply("Div", F64(1), Apply("Mul", y, y));
        var series = Apply("Mul", inv2, Apply("Sub", F64(1.0 / 252), Apply("Mul", inv2, Apply("Sub", F64(1.0 / 240), Apply("Mul", inv2, F64(1.0 / 132))))));
        series = Apply("Mul", inv2, Apply("Sub", F64(1.0 / 12), Apply("Mul", inv2, Apply("Sub", F64(1.0 / 120), series))));
        var value = Apply("Sub", Apply("Sub", Apply("Add", result, Apply("Log", y)), Apply("Div", F64(0.5), y)), series);
        return Apply("Where", NonPositiveInteger(x), F64(double.NaN), value);
    }

    /// <summary>
    /// The Hurwitz zeta function ζ(s, q) = Σₖ (q + k)^−s of float64 values (broadcast together), by the
    /// Euler–Maclaurin sum of SharpFlow's kernel and Cephes: the terms (q + k)^−s summed in a Loop for k &lt; 10 and
    /// while q + k &lt; 10 (so that the tail starts at a ≥ 10 also for a negative q), then the tail from a on,
    /// <c>a^(1−s)/(s−1) + a^−s/2</c> plus twelve Bernoulli corrections (each added until one is below 1e-17 of the
    /// sum, as the kernel stops). The kernel sums further while a &lt; s, which changes its value only below
    /// float64's rounding (past ten terms the remainder is (q/a)^s-small). +∞ at s = 1 and where q ≤ 0 is an
    /// integer; NaN for s &lt; 1, for a non-integer s with q ≤ 0 (a negative base) and for NaN.
    /// </summary>
    private string ZetaOf(string s, string q, string opName)
    {
        var shape = Apply("Shape", Apply("Add", s, q));
        (s, q) = (Apply("Expand", s, shape), Apply("Expand", q, shape));
        var zero = F64(0);
        var nonPositiveQ = Apply("LessOrEqual", q, zero);
        var pole = Apply("And", nonPositiveQ, Apply("Equal", q, Apply("Floor", q)));
        var negativeBase = Apply("And", nonPositiveQ, Apply("Not", Apply("Equal", s, Apply("Floor", s))));
        // The elements whose sum the loop runs for: not a pole, a NaN or an infinite q (those are set below).
        var live = Apply("Not", Apply("Or", Apply("Or", pole, negativeBase), Apply("Or", Apply("IsInf", q), Apply("IsNaN", q))));
        var minusS = Apply("Neg", s);
        var ten = F64(10);
        string Summing(string iteration, string a) =>
            Apply("And", live, Apply("Or", Apply("Less", iteration, Long(10)), Apply("Less", a, ten)));

        var outer = _current;
        var body = new GraphProto { Name = opName + "/zeta_terms" };
        _current = body;
        string nextA, nextSum;
        var (iteration, condIn, a, sum) = (Fresh(), Fresh(), Fresh(), Fresh());
        try
        {
            body.Input.Add(ScalarInfo(iteration, DType.int64));
            body.Input.Add(ScalarInfo(condIn, DType.@bool));
            body.Input.Add(TensorInfo(a, DType.float64));
            body.Input.Add(TensorInfo(sum, DType.float64));
            var summing = Summing(iteration, a);
            nextSum = Apply("Where", summing, Apply("Add", sum, Apply("Pow", a, minusS)), sum);
            nextA = Apply("Where", summing, Apply("Add", a, F64(1)), a);
            var more = Apply("Greater", ApplyWith("ReduceSum", [ApplyWith("Cast", [Summing(Apply("Add", iteration, Long(1)), nextA)], ("to", OnnxInt64))], ("keepdims", 0L)), Long(0));
            body.Output.Add(ScalarInfo(more, DType.@bool));
            body.Output.Add(TensorInfo(nextA, DType.float64));
            body.Output.Add(TensorInfo(nextSum, DType.float64));
        }
        finally
        {
            _current = outer;
        }
        var (w, total) = (Fresh(), Fresh());
        var sum0 = ApplyWith("ConstantOfShape", [shape], ("value", NDArray.FromFlat(new double[] { 0 }, new Shape(1))));
        var start = Initializer($"true_{_counter++}", NDArray.Scalar(true));
        Node("Loop", ["", start, q, sum0], [w, total], ("body", body));

        // The tail from w on.
        total = Apply("Add", total, Apply("Add", Apply("Div", Apply("Pow", w, Apply("Sub", F64(1), s)), Apply("Sub", s, F64(1))), Apply("Mul", F64(0.5), Apply("Pow", w, minusS))));
        var rising = s;
        var power = Apply("Pow", w, Apply("Sub", minusS, F64(1)));
        var inv2 = Apply("Div", F64(1), Apply("Mul", w, w));
        string? done = null;
        for (var k = 0; k < SpecialFunctions.ZetaCorrections.Length; k++)
        {
            var term = Apply("Mul", Apply("Mul", F64(SpecialFunctions.ZetaCorrections[k]), rising), power);
            var added = Apply("Add", total, term);
            total = done is null ? added : Apply("Where", done, total, added);
            var small = Apply("Less", Apply("Abs", term), Apply("Mul", Apply("Abs", added), F64(1e-17)));
            done = done is null ? small : Apply("Or", done, small);
            if (k == SpecialFunctions.ZetaCorrections.Length - 1) break;
            rising = Apply("Mul", rising, Apply("Mul", Apply("Add", s, F64(2 * k + 1)), Apply("Add", s, F64(2 * k + 2))));
            power = Apply("Mul", power, inv2);
        }
        var inf = F64(double.PositiveInfinity);
        var nan = F64(double.NaN);
        var value = Apply("Where", pole, inf, Apply("Where", negativeBase, nan, total));
        value = Apply("Where", Apply("Less", s, F64(1)), nan, value);
        value = Apply("Where", Apply("Equal", s, F64(1)), inf, value);
        return Apply("Where", Apply("Or", Apply("IsNaN", s), Apply("IsNaN", q)), nan, value);
    }

    private static ValueInfoProto TensorInfo(string name, DType dtype) =>
        new() { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = DataTypeOf(dtype) } } };

    /// <summary>Lgamma: log|Γ(x)| composed in float64 (<see cref="LgammaOf"/>).</summary>
    private void LgammaOp(Operation op, string y) => FromFloat64(op, LgammaOf(InFloat64(op, 0)), y);

    /// <summary>Digamma: ψ(x) composed in float64 (<see cref="DigammaOf"/>).</summary>
    private void DigammaOp(Operation op, string y) => FromFloat64(op, DigammaOf(InFloat64(op, 0)), y);

    /// <summary>Zeta(x, q): the Hurwitz zeta function composed in float64 (<see cref="ZetaOf"/>).</summary>
    private void ZetaOp(Operation op, string y) => FromFloat64(op, ZetaOf(InFloat64(op, 0), InFloat64(op, 1), op.name), y);

    /// <summary>
    /// Polygamma(a, x) = ψ⁽ᵃ⁾(x), as SharpFlow's kernel: ψ(x) for a = 0, else <c>(−1)^(a+1) · a! · ζ(a + 1, x)</c>
    /// (a! as exp(lgamma(a + 1))); NaN where a is negative, not an integer, or NaN.
    /// </summary>
    private void PolygammaOp(Operation op, string y)
    {
        var (n, x) = (InFloat64(op, 0), InFloat64(op, 1));
        var np1 = Apply("Add", n, F64(1));
        var factorial = Apply("Exp", LgammaOf(np1));
        var odd = Apply("Equal", Apply("Sub", n, Apply("Mul", F64(2), Apply("Floor", Apply("Div", n, F64(2))))), F64(1));
        var signed = Apply("Mul", Apply("Where", odd, F64(1), F64(-1)), factorial);
        var value = Apply("Where", Apply("Equal", n, F64(0)), DigammaOf(x), Apply("Mul", signed, ZetaOf(np1, x, op.name)));
        var invalid = Apply("Or", Apply("Or", Apply("IsNaN", n), Apply("IsNaN", x)), Apply("Or", Apply("Less", n, F64(0)), Apply("Not", Apply("Equal", n, Apply("Floor", n)))));
        FromFloat64(op, Apply("Where", invalid, F64(double.NaN), value), y);
    }

    /// <summary>
    /// RandomShuffle: a random permutation of the rows, the ranks of float64 RandomUniformLike draws (one per row,
    /// the op's seed passed on): TopK of all of them, Gather of the rows in that order. A scalar passes through, as
    /// in TensorFlow; an input of unknown rank is refused (ONNX's Shape cannot tell a scalar from a vector).
    /// </summary>
    private void RandomShuffleOp(Operation op, string y)
    {
        var x = op.inputs[0];
        if (!x.shape.IsKnownRank)
            throw new UnimplementedError($"Cannot export RandomShuffle \"{op.name}\" to ONNX: the rank of its input {x.name} is unknown, and a scalar (passed through) cannot be told from the rows to shuffle.", op.name);
        if (x.shape.ndims == 0)
        {
            Node("Identity", [Name(x)], [y]);
            return;
        }
        var rows = ApplyWith("Slice", [Apply("Shape", Name(x)), Ints([0]), Ints([1])]);
        var zeros = ApplyWith("ConstantOfShape", [rows], ("value", NDArray.FromFlat(new double[] { 0 }, new Shape(1))));
        var draws = ApplyWith("RandomUniformLike", [zeros], SeedOf(op));
        var order = Fresh();
        Node("TopK", [draws, rows], [Fresh(), order], ("axis", 0L));
        Node("Gather", [Name(x), order], [y], ("axis", 0L));
    }

    /// <summary>
    /// RandomGamma: samples of Gamma(alpha, 1) in the shape <c>shape + alpha.shape</c>, by TensorFlow's kernel's
    /// algorithm in float64: Marsaglia and Tsang's rejection (d = α − 1/3, c = 1/√(9d); x normal, v = (1 + cx)³,
    /// accepted where v &gt; 0 and u &lt; 1 − 0.0331x⁴ or log u &lt; x²/2 + d(1 − v + log v)) in a Loop that draws
    /// again (RandomNormalLike, RandomUniformLike) for the samples not yet accepted; for α &lt; 1 with α + 1 and times
    /// u^(1/α); for α = 1 the exponential −log(1 − u). Where d ≤ 0 (α ≤ −2/3) or α is NaN, SharpFlow's kernel never
    /// stops drawing; the model gives NaN there. The draws are ONNX Runtime's (seeded by the op's seed).
    /// </summary>
    private void RandomGammaOp(Operation op, string y)
    {
        var full = ApplyWith("Concat", [Int64(op.inputs[0]), Apply("Shape", In(op, 1))], ("axis", 0L));
        var alpha = Apply("Expand", InFloat64(op, 1), full);
        var lessThanOne = Apply("Less", alpha, F64(1));
        var d = Apply("Add", alpha, Apply("Where", lessThanOne, F64(2.0 / 3), F64(-1.0 / 3)));
        var c = Apply("Div", F64(1.0 / 3), Apply("Sqrt", d));
        var isOne = Apply("Equal", alpha, F64(1));
        var accepted0 = Apply("Or", isOne, Apply("Not", Apply("Greater", d, F64(0))));
        var result0 = ApplyWith("ConstantOfShape", [full], ("value", NDArray.FromFlat(new double[] { double.NaN }, new Shape(1))));
        string AnyPending(string accepted) =>
            Apply("Greater", ApplyWith("ReduceSum", [ApplyWith("Cast", [Apply("Not", accepted)], ("to", OnnxInt64))], ("keepdims", 0L)), Long(0));

        var outer = _current;
        var body = new GraphProto { Name = op.name + "/gamma_rounds" };
        _current = body;
        var (iteration, condIn, result, accepted) = (Fresh(), Fresh(), Fresh(), Fresh());
        try
        {
            body.Input.Add(ScalarInfo(iteration, DType.int64));
            body.Input.Add(ScalarInfo(condIn, DType.@bool));
            body.Input.Add(TensorInfo(result, DType.float64));
            body.Input.Add(TensorInfo(accepted, DType.@bool));
            var x = ApplyWith("RandomNormalLike", [result], SeedOf(op, 1));
            var u = ApplyWith("RandomUniformLike", [result], SeedOf(op, 2));
            var v1 = Apply("Add", F64(1), Apply("Mul", c, x));
            var v = Apply("Mul", Apply("Mul", v1, v1), v1);
            var x2 = Apply("Mul", x, x);
            var squeeze = Apply("Less", u, Apply("Sub", F64(1), Apply("Mul", Apply("Mul", F64(0.0331), x2), x2)));
            var logTest = Apply("Less", Apply("Log", u), Apply("Add", Apply("Mul", F64(0.5), x2), Apply("Mul", d, Apply("Add", Apply("Sub", F64(1), v), Apply("Log", v)))));
            var ok = Apply("And", Apply("Greater", v1, F64(0)), Apply("Or", squeeze, logTest));
            var nextResult = Apply("Where", Apply("And", Apply("Not", accepted), ok), Apply("Mul", d, v), result);
            var nextAccepted = Apply("Or", accepted, ok);
            body.Output.Add(ScalarInfo(AnyPending(nextAccepted), DType.@bool));
            body.Output.Add(TensorInfo(nextResult, DType.float64));
            body.Output.Add(TensorInfo(nextAccepted, DType.@bool));
        }
        finally
        {
            _current = outer;
        }
        var sampled = Fresh();
        Node("Loop", ["", AnyPending(accepted0), result0, accepted0], [sampled, Fresh()], ("body", body));
        var last = ApplyWith("RandomUniformLike", [sampled], SeedOf(op, 3));
        var boosted = Apply("Where", lessThanOne, Apply("Mul", sampled, Apply("Pow", last, Apply("Div", F64(1), alpha))), sampled);
        var exponential = Apply("Neg", Apply("Log", Apply("Sub", F64(1), last)));
        FromFloat64(op, Apply("Where", isOne, exponential, boosted), y);
    }

    /// <summary>
    /// ComputeAccidentalHits, as the kernel: for each true class in row-major order that is among the sampled
    /// candidates, its row (int32), the last position of that candidate in the sample (int64) and the weight
    /// −FLT_MAX. Equal of the classes against every candidate, the largest matching position (ReduceMax, −1 for
    /// none), NonZero of the hits (row-major), Gather and GatherND.
    /// </summary>
    private void AccidentalHitsOp(Operation op)
    {
        var (trueClasses, sampled) = (In(op, 0), In(op, 1));
        var columns = Apply("Unsqueeze", trueClasses, Ints([2]));
        var matches = Apply("Equal", columns, sampled);
        var count = Apply("Squeeze", Apply("Shape", sampled), Ints([0]));
        var positions = Apply("Range", Long(0), count, Long(1));
        var none = Apply("Sub", Apply("Mul", columns, Long(0)), Long(1));
        var candidates = ApplyWith("Concat", [Apply("Where", matches, positions, none), none], ("axis", 2L));
        var last = Fresh();
        Reduce("ReduceMax", candidates, [2], last, ("keepdims", 0L));
        var hits = Apply("NonZero", Apply("GreaterOrEqual", last, Long(0)));
        var outs = op.outputs.Select(Out).ToArray();
        Node("Cast", [ApplyWith("Gather", [hits, Long(0)], ("axis", 0L))], [outs[0]], ("to", OnnxInt32));
        Node("GatherND", [last, Apply("Transpose", hits)], [outs[1]]);
        Node("Expand", [Scalar(-float.MaxValue, DType.float32), Apply("Shape", outs[1])], [outs[2]]);
        for (var k = 0; k < outs.Length; k++) _names[op.outputs[k]] = outs[k];
    }
}
