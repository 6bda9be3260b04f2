using SharpFlow.Framework;
using SharpFlow.Onnx.Proto;

namespace SharpFlow.Onnx;

/// <summary>
/// TensorFlow's shape-driven random ops as ONNX's random operators. The values cannot be SharpFlow's (its Philox
/// stream is TensorFlow's; ONNX Runtime draws from its own generator): the model draws from the same distribution,
/// with a fixed seed when the op has one, so that two runs of the model in new sessions give the same values and each
/// run in a session new ones, as TensorFlow's seeded ops do.
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>The random ops the exporter maps: exported as nodes, never frozen into one draw.</summary>
    private static readonly HashSet<string> RandomTypes = new(StringComparer.Ordinal) { "RandomUniform", "RandomStandardNormal", "RandomUniformInt", "TruncatedNormal",
        "RandomShuffle", "RandomGamma", "SampleDistortedBoundingBoxV2" };

    /// <summary>
    /// The ONNX seed of a random op: none when its <c>seed</c> and <c>seed2</c> are both 0 (TensorFlow then draws
    /// differently in every session), else <c>(seed · 1000003 + seed2) mod 2^24</c> (a float holds it exactly),
    /// plus <paramref name="offset"/> for a second generator of the same op.
    /// </summary>
    private static (string Name, object Value)[] SeedOf(Operation op, long offset = 0)
    {
        var seed = Convert.ToInt64(op.get_attr("seed"), System.Globalization.CultureInfo.InvariantCulture);
        var seed2 = Convert.ToInt64(op.get_attr("seed2"), System.Globalization.CultureInfo.InvariantCulture);
        if (seed == 0 && seed2 == 0) return [];
        const long modulus = 1L << 24;
        var combined = ((unchecked(seed * 1_000_003L + seed2) + offset) % modulus + modulus) % modulus;
        return [("seed", (float)combined)];
    }

    /// <summary>
    /// Draws of <paramref name="like"/> (RandomUniformLike: [0, 1); RandomNormalLike: mean 0, scale 1) in the shape
    /// the op's input 0 gives, as float64 for a float64 op and float32 otherwise.
    /// </summary>
    private string Draw(Operation op, string like, DType drawn)
    {
        var zeros = ApplyWith("ConstantOfShape", [Int64(op.inputs[0])], ("value", NDArray.Scalar(0.0).Cast(drawn).Reshape(new Shape(1))));
        return ApplyWith(like, [zeros], SeedOf(op));
    }

    private static DType DrawnType(DType dtype) => dtype == DType.float64 ? DType.float64 : DType.float32;

    /// <summary>A value of <paramref name="from"/> into <paramref name="y"/> as <paramref name="dtype"/>: an Identity, or a Cast.</summary>
    private void CastInto(string x, DType from, DType dtype, string y, Operation op)
    {
        if (from == dtype) Node("Identity", [x], [y]);
        else Node("Cast", [x], [y], ("to", (long)DataTypeOf(dtype, op)));
    }

    /// <summary>RandomUniform and RandomStandardNormal: RandomUniformLike or RandomNormalLike of ConstantOfShape, Cast to a half dtype.</summary>
    private void RandomOp(Operation op, string y, string like)
    {
        var dtype = op.outputs[0].dtype;
        var drawn = DrawnType(dtype);
        CastInto(Draw(op, like, drawn), drawn, dtype, y, op);
    }

    /// <summary>
    /// RandomUniformInt: <c>minval + floor(u · (maxval - minval))</c> for u uniform in [0, 1) drawn as float64 (the
    /// difference taken in int64, the floor kept below <c>maxval - minval</c>), so every integer of [minval, maxval)
    /// is equally likely up to float64's rounding. TensorFlow's kernel fails when minval ≥ maxval; the model does not
    /// check it.
    /// </summary>
    private void RandomUniformIntOp(Operation op, string y)
    {
        var u = Draw(op, "RandomUniformLike", DType.float64);
        var (lo, hi) = (Int64(op.inputs[1]), Int64(op.inputs[2]));
        var range = Apply("Sub", hi, lo);
        var scaled = ApplyWith("Cast", [Apply("Floor", Apply("Mul", u, ApplyWith("Cast", [range], ("to", 11L))))], ("to", 7L));
        var k = Apply("Min", scaled, Apply("Sub", range, Long(1)));
        CastInto(Apply("Add", lo, k), DType.int64, op.outputs[0].dtype, y, op);
    }

    /// <summary>
    /// TruncatedNormal: a standard normal draw whose values of magnitude 2 or more are drawn again until none is,
    /// which is TensorFlow's distribution (its kernel keeps |x| &lt; 2 and redraws the rest): RandomNormalLike, then a
    /// Loop while any |x| ≥ 2 that replaces those values (Where) with a new RandomNormalLike (its seed the op's
    /// plus one).
    /// </summary>
    private void TruncatedNormalOp(Operation op, string y)
    {
        var dtype = op.outputs[0].dtype;
        var drawn = DrawnType(dtype);
        var two = Scalar(2, drawn);
        var first = Draw(op, "RandomNormalLike", drawn);
        var anyOutside = (string x) => Apply("Greater", ApplyWith("ReduceSum", [ApplyWith("Cast", [Apply("GreaterOrEqual", Apply("Abs", x), two)], ("to", 7L))], ("keepdims", 0L)), Long(0));
        var condInit = anyOutside(first);

        var outer = _current;
        var body = new GraphProto { Name = op.name + "/redraw" };
        _current = body;
        string x;
        try
        {
            var (iteration, condIn) = (Fresh(), Fresh());
            x = Fresh();
            body.Input.Add(ScalarInfo(iteration, DType.int64));
            body.Input.Add(ScalarInfo(condIn, DType.@bool));
            body.Input.Add(new ValueInfoProto { Name = x, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = DataTypeOf(drawn, op) } } });
            var redrawn = ApplyWith("RandomNormalLike", [x], SeedOf(op, 1));
            var next = Apply("Where", Apply("GreaterOrEqual", Apply("Abs", x), two), redrawn, x);
            body.Output.Add(ScalarInfo(anyOutside(next), DType.@bool));
            body.Output.Add(new ValueInfoProto { Name = next, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = DataTypeOf(drawn, op) } } });
        }
        finally
        {
            _current = outer;
        }
        var truncated = Fresh();
        Node("Loop", ["", condInit, first], [truncated], ("body", body));
        CastInto(truncated, drawn, dtype, y, op);
    }
}
