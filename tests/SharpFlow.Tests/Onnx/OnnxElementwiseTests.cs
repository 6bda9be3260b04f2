using static SharpFlow.Tests.Onnx.OnnxCheck;

namespace SharpFlow.Tests.Onnx;

/// <summary>ONNX's element-wise math, logic and activations, imported, give ONNX Runtime's outputs.</summary>
public sealed class OnnxElementwiseTests
{
    private static readonly (string, object)[] NoAttributes = [];

    [Theory]
    [InlineData("Abs", -1, 1)]
    [InlineData("Neg", -1, 1)]
    [InlineData("Exp", -1, 1)]
    [InlineData("Log", 0.1, 3)]
    [InlineData("Sqrt", 0, 3)]
    [InlineData("Reciprocal", 0.5, 3)]
    [InlineData("Floor", -3, 3)]
    [InlineData("Ceil", -3, 3)]
    [InlineData("Round", -3, 3)]
    [InlineData("Sign", -1, 1)]
    [InlineData("Sin", -3, 3)]
    [InlineData("Cos", -3, 3)]
    [InlineData("Tan", -1, 1)]
    [InlineData("Asin", -0.99, 0.99)]
    [InlineData("Acos", -0.99, 0.99)]
    [InlineData("Atan", -3, 3)]
    [InlineData("Sinh", -2, 2)]
    [InlineData("Cosh", -2, 2)]
    [InlineData("Tanh", -2, 2)]
    [InlineData("Asinh", -3, 3)]
    [InlineData("Acosh", 1.01, 4)]
    [InlineData("Atanh", -0.9, 0.9)]
    [InlineData("Erf", -2, 2)]
    [InlineData("Relu", -1, 1)]
    [InlineData("Sigmoid", -3, 3)]
    [InlineData("Softplus", -3, 3)]
    [InlineData("Softsign", -3, 3)]
    [InlineData("HardSwish", -4, 4)]
    [InlineData("Identity", -1, 1)]
    public void UnaryMath(string op, double lo, double hi)
    {
        Agrees(op, 17, NoAttributes, [Uniform(1, lo, hi, 2, 3, 4)]);
        // An image (kept in NHWC inside) and a constant (evaluated at import).
        Agrees(op, 17, NoAttributes, [Uniform(2, lo, hi, 1, 3, 2, 2)]);
        Agrees(op, 17, NoAttributes, [Const(Uniform(3, lo, hi, 5))]);
    }

    [Fact]
    public void UnaryMathInDoublePrecisionAndIntegers()
    {
        foreach (var op in new[] { "Abs", "Neg", "Exp", "Sqrt", "Tanh" })
            Agrees(op, 17, NoAttributes, [Uniform(4, 0, 2, 6).Cast(DType.float64)]);
        foreach (var op in new[] { "Abs", "Neg", "Sign" })
        {
            Agrees(op, 17, NoAttributes, [L(-3, 0, 5, -7)]);
            Agrees(op, 17, NoAttributes, [NDArray.FromFlat(new[] { -3, 0, 5, -7 }, new Shape(4))]);
        }
    }

    [Fact]
    public void RoundHalvesToEven() =>
        Agrees("Round", 17, NoAttributes, [NDArray.FromFlat(new[] { -2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 2.4f, -2.6f }, new Shape(8))]);

    [Fact]
    public void ActivationsWithTheirAttributes()
    {
        var x = Uniform(5, -3, 3, 2, 3, 4);
        Agrees("LeakyRelu", 17, [], [x]);
        Agrees("LeakyRelu", 17, [("alpha", 0.3f)], [x]);
        Agrees("Elu", 17, [], [x]);
        Agrees("Elu", 17, [("alpha", 0.5f)], [x]);
        Agrees("Celu", 17, [("alpha", 2f)], [x]);
        Agrees("Selu", 17, [], [x]);
        Agrees("Selu", 17, [("alpha", 1.5f), ("gamma", 2f)], [x]);
        Agrees("HardSigmoid", 17, [], [x]);
        Agrees("HardSigmoid", 17, [("alpha", 0.3f), ("beta", 0.6f)], [x]);
        Agrees("ThresholdedRelu", 17, [], [x]);
        Agrees("ThresholdedRelu", 17, [("alpha", 0.5f)], [x]);
        Agrees("Shrink", 17, [], [x]);
        Agrees("Shrink", 17, [("lambd", 1f), ("bias", 0.5f)], [x]);
        Agrees("Mish", 18, [], [x]);
        Agrees("Gelu", 20, [], [x]);
        Agrees("Gelu", 20, [("approximate", "tanh")], [x]);
        Agrees("Clip", 11, [], [x, Const(NDArray.Scalar(-0.5f)), Const(NDArray.Scalar(0.7f))]);
        Agrees("Clip", 13, [], [x, None, NDArray.Scalar(0.7f)]);
        Agrees("Clip", 6, [("min", -1f), ("max", 2f)], [x]);
    }

    [Fact]
    public void PReluBroadcastsItsSlopeOverChannels()
    {
        Agrees("PRelu", 16, [], [Uniform(6, -2, 2, 2, 3, 4, 4), Const(Uniform(7, 0, 1, 3, 1, 1))]);
        Agrees("PRelu", 16, [], [Uniform(6, -2, 2, 2, 5), Uniform(8, 0, 1, 5)]);
    }

    [Fact]
    public void BinaryMathBroadcasts()
    {
        var a = Uniform(9, -2, 2, 2, 3, 4);
        var b = Uniform(10, 0.5, 2, 3, 1);
        foreach (var op in new[] { "Add", "Sub", "Mul", "Div" })
        {
            Agrees(op, 14, NoAttributes, [a, b]);
            Agrees(op, 14, NoAttributes, [Uniform(11, -2, 2, 1, 3, 4, 4), Const(Uniform(12, 0.5, 2, 3, 1, 1))]);
        }
        Agrees("Pow", 15, NoAttributes, [Uniform(13, 0.1, 2, 2, 3, 4), Uniform(14, -2, 2, 4)]);
        Agrees("Pow", 15, NoAttributes, [Uniform(13, 0.1, 2, 2, 3), Const(NDArray.Scalar(2L))]);
        Agrees("Div", 14, NoAttributes, [L(7, -7, 7, -7, 6, 0), L(2, 2, -2, -2, 4, 3)]);
        Agrees("Div", 14, NoAttributes, [NDArray.FromFlat(new[] { 7, -7, 7, -7 }, new Shape(4)), NDArray.FromFlat(new[] { 2, 2, -2, -2 }, new Shape(4))]);
    }

    [Fact]
    public void ModWithAndWithoutFmod()
    {
        var a = L(5, -5, 5, -5, 6, -6, 0);
        var b = L(3, 3, -3, -3, 3, 4, 2);
        Agrees("Mod", 13, [], [a, b]);
        Agrees("Mod", 13, [("fmod", 1)], [a, b]);
        Agrees("Mod", 13, [("fmod", 1)], [Uniform(15, -5, 5, 3, 4), Uniform(16, 0.5, 2, 4)]);
        Agrees("Mod", 13, [("fmod", 1)], [Uniform(15, -5, 5, 3, 4), Uniform(16, -2, -0.5, 4)]);
    }

    [Fact]
    public void ComparisonsAndLogic()
    {
        var a = L(1, 2, 3, 4, 5, 6);
        var b = L(3);
        foreach (var op in new[] { "Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual" })
        {
            Agrees(op, 16, NoAttributes, [a, b]);
            Agrees(op, 16, NoAttributes, [Uniform(17, -1, 1, 2, 3), Uniform(18, -1, 1, 3)]);
        }
        var p = NDArray.FromFlat(new[] { true, true, false, false }, new Shape(2, 2));
        var q = NDArray.FromFlat(new[] { true, false }, new Shape(2));
        foreach (var op in new[] { "And", "Or", "Xor" }) Agrees(op, 7, NoAttributes, [p, q]);
        Agrees("Not", 1, NoAttributes, [p]);
    }

    [Fact]
    public void NanAndInfinityTests()
    {
        var x = NDArray.FromFlat(new[] { 1f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, -2f }, new Shape(5));
        Agrees("IsNaN", 13, NoAttributes, [x]);
        Agrees("IsInf", 10, NoAttributes, [x]);
        Agrees("IsInf", 10, [("detect_negative", 0)], [x]);
        Agrees("IsInf", 10, [("detect_positive", 0)], [x]);
    }

    [Fact]
    public void VariadicMinMaxSumMeanBroadcast()
    {
        OnnxArg[] three = [Uniform(19, -1, 1, 2, 3), Uniform(20, -1, 1, 3), Const(Uniform(21, -1, 1, 2, 1))];
        foreach (var op in new[] { "Max", "Min", "Sum", "Mean" })
        {
            Agrees(op, 13, NoAttributes, three);
            Agrees(op, 13, NoAttributes, [Uniform(22, -1, 1, 4)]);
        }
        Agrees("Max", 13, NoAttributes, [L(1, 5, 3), L(4, 2, 6)]);
    }

    [Fact]
    public void WhereBroadcastsAllThree()
    {
        var c = NDArray.FromFlat(new[] { true, false, true }, new Shape(3));
        Agrees("Where", 16, NoAttributes, [c, Uniform(23, -1, 1, 2, 3), Uniform(24, -1, 1, 2, 1)]);
        Agrees("Where", 16, NoAttributes, [c, L(1, 2, 3), Const(L(9))]);
    }

    [Fact]
    public void CastAndCastLike()
    {
        var x = Uniform(25, -3, 3, 2, 4);
        Agrees("Cast", 13, [("to", 7)], [x]);
        Agrees("Cast", 13, [("to", 6)], [x]);
        Agrees("Cast", 13, [("to", 11)], [x]);
        Agrees("Cast", 13, [("to", 9)], [NDArray.FromFlat(new[] { 0f, 1f, -2f, 0f }, new Shape(4))]);
        Agrees("Cast", 13, [("to", 1)], [NDArray.FromFlat(new[] { true, false }, new Shape(2))]);
        Agrees("Cast", 13, [("to", 1)], [L(3, -4, 5)]);
        Agrees("Cast", 13, [("to", 2)], [L(3, 4, 255)]);
        Agrees("CastLike", 15, [], [x, L(1)]);
        Agrees("CastLike", 15, [], [L(3, -4), Uniform(1, 0, 1, 1).Cast(DType.float64)]);
    }

    [Fact]
    public void SoftmaxLogSoftmaxAndHardmaxOverAnyAxis()
    {
        var x = Uniform(26, -2, 2, 2, 3, 4);
        foreach (var op in new[] { "Softmax", "LogSoftmax", "Hardmax" })
        {
            foreach (var axis in new[] { 0, 1, 2, -1, -2 })
            {
                Agrees(op, 13, [("axis", axis)], [x]);
                Agrees(op, 11, [("axis", axis)], [x]);
            }
            Agrees(op, 13, [], [x]);
            Agrees(op, 11, [], [x]);
            Agrees(op, 13, [("axis", 1)], [Uniform(27, -2, 2, 2, 3, 2, 2)]);
        }
        // Ties: Hardmax marks the first maximum.
        Agrees("Hardmax", 13, [], [NDArray.FromFlat(new[] { 1f, 3f, 3f, 0f }, new Shape(1, 4))]);
    }
}
