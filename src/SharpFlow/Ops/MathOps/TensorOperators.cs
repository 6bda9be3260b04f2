namespace SharpFlow;

/// <summary>
/// The operators on tensors (<c>+ - * / %</c>, unary <c>-</c>, comparisons). They live with the ops they build, so
/// the Framework layer (Tensor itself) does not depend on the op builders.
/// </summary>
public partial class Tensor
{
    // Operators build ops into the operands' graph with TensorFlow's names; a number or array operand is
    // converted to the other operand's dtype, as TensorFlow converts Python values.
    /// <summary><c>x + y</c> (op "add"); a number takes the other operand's dtype.</summary>
    public static Tensor operator +(Tensor x, Tensor y) => Ops.MathOps.Add.Operator(x, y);
    /// <summary><c>x + y</c> (op "add"); a number takes the other operand's dtype.</summary>
    public static Tensor operator +(Tensor x, TensorLike y) => Ops.MathOps.Add.Operator(x, y);
    /// <summary><c>x + y</c> (op "add"); a number takes the other operand's dtype.</summary>
    public static Tensor operator +(TensorLike x, Tensor y) => Ops.MathOps.Add.Operator(x, y);
    /// <summary><c>x - y</c> (op "sub").</summary>
    public static Tensor operator -(Tensor x, Tensor y) => Ops.MathOps.Sub.Operator(x, y);
    /// <summary><c>x - y</c> (op "sub").</summary>
    public static Tensor operator -(Tensor x, TensorLike y) => Ops.MathOps.Sub.Operator(x, y);
    /// <summary><c>x - y</c> (op "sub").</summary>
    public static Tensor operator -(TensorLike x, Tensor y) => Ops.MathOps.Sub.Operator(x, y);
    /// <summary><c>x * y</c> (op "mul").</summary>
    public static Tensor operator *(Tensor x, Tensor y) => Ops.MathOps.Mul.Operator(x, y);
    /// <summary><c>x * y</c> (op "mul").</summary>
    public static Tensor operator *(Tensor x, TensorLike y) => Ops.MathOps.Mul.Operator(x, y);
    /// <summary><c>x * y</c> (op "mul").</summary>
    public static Tensor operator *(TensorLike x, Tensor y) => Ops.MathOps.Mul.Operator(x, y);
    /// <summary><c>x / y</c>: true division (op "truediv"); integers are cast to floats first, as in Python 3.</summary>
    public static Tensor operator /(Tensor x, Tensor y) => Ops.MathOps.RealDiv.TrueDiv(x, y);
    /// <summary><c>x / y</c>: true division (op "truediv"); integers are cast to floats first, as in Python 3.</summary>
    public static Tensor operator /(Tensor x, TensorLike y) => Ops.MathOps.RealDiv.TrueDiv(x, y);
    /// <summary><c>x / y</c>: true division (op "truediv"); integers are cast to floats first, as in Python 3.</summary>
    public static Tensor operator /(TensorLike x, Tensor y) => Ops.MathOps.RealDiv.TrueDiv(x, y);
    /// <summary><c>x % y</c>: floor modulo (op "mod").</summary>
    public static Tensor operator %(Tensor x, Tensor y) => Ops.MathOps.FloorMod.Operator(x, y);
    /// <summary><c>x % y</c>: floor modulo (op "mod").</summary>
    public static Tensor operator %(Tensor x, TensorLike y) => Ops.MathOps.FloorMod.Operator(x, y);
    /// <summary><c>x % y</c>: floor modulo (op "mod").</summary>
    public static Tensor operator %(TensorLike x, Tensor y) => Ops.MathOps.FloorMod.Operator(x, y);
    /// <summary><c>x &lt; y</c> (op "Less").</summary>
    public static Tensor operator <(Tensor x, Tensor y) => Ops.MathOps.Less.Build(x, y);
    /// <summary><c>x &lt; y</c> (op "Less").</summary>
    public static Tensor operator <(Tensor x, TensorLike y) => Ops.MathOps.Less.Build(x, y);
    /// <summary><c>x &lt; y</c> (op "Less").</summary>
    public static Tensor operator <(TensorLike x, Tensor y) => Ops.MathOps.Less.Build(x, y);
    /// <summary><c>x &gt; y</c> (op "Greater").</summary>
    public static Tensor operator >(Tensor x, Tensor y) => Ops.MathOps.Greater.Build(x, y);
    /// <summary><c>x &gt; y</c> (op "Greater").</summary>
    public static Tensor operator >(Tensor x, TensorLike y) => Ops.MathOps.Greater.Build(x, y);
    /// <summary><c>x &gt; y</c> (op "Greater").</summary>
    public static Tensor operator >(TensorLike x, Tensor y) => Ops.MathOps.Greater.Build(x, y);
    /// <summary><c>x &lt;= y</c> (op "LessEqual").</summary>
    public static Tensor operator <=(Tensor x, Tensor y) => Ops.MathOps.LessEqual.Build(x, y);
    /// <summary><c>x &lt;= y</c> (op "LessEqual").</summary>
    public static Tensor operator <=(Tensor x, TensorLike y) => Ops.MathOps.LessEqual.Build(x, y);
    /// <summary><c>x &lt;= y</c> (op "LessEqual").</summary>
    public static Tensor operator <=(TensorLike x, Tensor y) => Ops.MathOps.LessEqual.Build(x, y);
    /// <summary><c>x &gt;= y</c> (op "GreaterEqual").</summary>
    public static Tensor operator >=(Tensor x, Tensor y) => Ops.MathOps.GreaterEqual.Build(x, y);
    /// <summary><c>x &gt;= y</c> (op "GreaterEqual").</summary>
    public static Tensor operator >=(Tensor x, TensorLike y) => Ops.MathOps.GreaterEqual.Build(x, y);
    /// <summary><c>x &gt;= y</c> (op "GreaterEqual").</summary>
    public static Tensor operator >=(TensorLike x, Tensor y) => Ops.MathOps.GreaterEqual.Build(x, y);
    /// <summary><c>-x</c> (op "Neg").</summary>
    public static Tensor operator -(Tensor x) => Ops.MathOps.Neg.Build(x);
}
