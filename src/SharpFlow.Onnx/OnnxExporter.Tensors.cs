using SharpFlow.Framework;

namespace SharpFlow.Onnx;

/// <summary>
/// The exporter's mappings of TensorFlow's splitting, batched products, integer-aware division and the
/// shape-derived ops (ZerosLike, OnesLike, Size, Rank), each in the ONNX operators of opsets 13 to 17.
/// </summary>
internal sealed partial class OnnxExporter
{
    private static long IntAttr(Operation op, string name) =>
        Convert.ToInt64(op.get_attr(name), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Names every output of a multi-output op after its ONNX value.</summary>
    private string[] Outs(Operation op)
    {
        var outs = op.outputs.Select(Out).ToArray();
        for (var i = 0; i < outs.Length; i++) _names[op.outputs[i]] = outs[i];
        return outs;
    }

    /// <summary>
    /// Split (<c>split_dim</c>, <c>value</c>; <c>num_split</c> equal parts, their sizes given where the axis is known) and SplitV (<c>value</c>,
    /// <c>size_splits</c>, <c>split_dim</c>; one <c>-1</c> takes the rest, read from the static shape) as ONNX Split
    /// with the sizes as its input (opset 13 on).
    /// </summary>
    private void SplitOp(Operation op)
    {
        if (op.type == "Split")
        {
            var axis = ConstantOf(op, 0, "split_dim").Cast(DType.int64).ToArray<long>()[0];
            var shape = op.inputs[1].shape;
            var total = shape.IsKnownRank ? shape[(int)(axis < 0 ? axis + shape.ndims : axis)] : -1;
            var n = op.outputs.Count;
            // The sizes written out where the axis is known (readers need not know it); else ONNX's even split.
            string[] inputs = total >= 0 ? [Name(op.inputs[1]), Ints([.. Enumerable.Repeat((long)(total / n), n)])] : [Name(op.inputs[1])];
            // Opset 18 asks an even split for its number of outputs.
            if (inputs.Length == 1 && _opset >= 18) Node("Split", inputs, Outs(op), ("axis", axis), ("num_outputs", (long)n));
            else Node("Split", inputs, Outs(op), ("axis", axis));
            return;
        }
        var splitDim = ConstantOf(op, 2, "split_dim").Cast(DType.int64).ToArray<long>()[0];
        var sizes = ConstantOf(op, 1, "size_splits").Cast(DType.int64).ToArray<long>();
        var rest = Array.IndexOf(sizes, -1L);
        if (rest >= 0)
        {
            var input = op.inputs[0].shape;
            var dim = input.IsKnownRank ? input[(int)(splitDim < 0 ? splitDim + input.ndims : splitDim)] : -1;
            if (dim < 0)
                throw new UnimplementedError($"Cannot export SplitV \"{op.name}\" to ONNX: its size_splits has a -1 and dimension {splitDim} of its input {input} is unknown.", op.name);
            sizes[rest] = dim - sizes.Where((_, i) => i != rest).Sum();
        }
        Node("Split", [Name(op.inputs[0]), Ints(sizes)], Outs(op), ("axis", splitDim));
    }

    /// <summary>Unpack (<c>tf.unstack</c>): ONNX Split into <c>num</c> parts of size 1 along <c>axis</c>, each Squeezed there.</summary>
    private void UnpackOp(Operation op)
    {
        var num = IntAttr(op, "num");
        var axis = IntAttr(op, "axis");
        var parts = Enumerable.Range(0, (int)num).Select(_ => Fresh()).ToArray();
        Node("Split", [Name(op.inputs[0]), Ints([.. Enumerable.Repeat(1L, (int)num)])], parts, ("axis", axis));
        var axes = Ints([axis]);
        var outs = Outs(op);
        for (var i = 0; i < parts.Length; i++) Node("Squeeze", [parts[i], axes], [outs[i]]);
    }

    /// <summary>
    /// BatchMatMul/BatchMatMulV2 as ONNX MatMul (NumPy's broadcasting of the batch dimensions), <c>adj_x</c>/<c>adj_y</c>
    /// as a Transpose of the two last axes (the dtypes ONNX has are real: the adjoint is the transpose).
    /// </summary>
    private void BatchMatMulOp(Operation op)
    {
        string Operand(int i, string adjoint)
        {
            if (!Attr<bool>(op, adjoint)) return Name(op.inputs[i]);
            var rank = op.inputs[i].shape.ndims;
            if (rank < 2)
                throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: {adjoint} of an input of unknown rank.", op.name);
            var perm = Enumerable.Range(0, rank).Select(d => (long)d).ToArray();
            (perm[rank - 2], perm[rank - 1]) = (perm[rank - 1], perm[rank - 2]);
            var t = Fresh();
            Node("Transpose", [Name(op.inputs[i])], [t], ("perm", perm));
            return t;
        }
        Node("MatMul", [Operand(0, "adj_x"), Operand(1, "adj_y")], [Out(op.outputs[0])]);
    }

    /// <summary>
    /// FloorDiv: <c>Floor(x / y)</c> for floating types; for integers (ONNX's Div truncates)
    /// <c>(x - floormod(x, y)) / y</c>, an exact division.
    /// </summary>
    private void FloorDivOp(Operation op, string y)
    {
        var (a, b) = (Name(op.inputs[0]), Name(op.inputs[1]));
        var quotient = Fresh();
        if (op.outputs[0].dtype.is_floating)
        {
            Node("Div", [a, b], [quotient]);
            Node("Floor", [quotient], [y]);
            return;
        }
        var (mod, exact) = (Fresh(), Fresh());
        Node("Mod", [a, b], [mod], ("fmod", 0L));
        Node("Sub", [a, mod], [exact]);
        Node("Div", [exact, b], [y]);
    }

    /// <summary>
    /// FloorMod (the remainder takes the divisor's sign): ONNX Mod with <c>fmod = 0</c> for integers; for floating
    /// types (where ONNX requires <c>fmod = 1</c>) TensorFlow's kernel: <c>r = fmod(x, y)</c>, plus y where r is
    /// non-zero and its sign differs from y's.
    /// </summary>
    private void FloorModOp(Operation op, string y)
    {
        var (a, b) = (Name(op.inputs[0]), Name(op.inputs[1]));
        var dtype = op.outputs[0].dtype;
        if (!dtype.is_floating)
        {
            Node("Mod", [a, b], [y], ("fmod", 0L));
            return;
        }
        var zero = Initializer($"{op.name}/zero_{_counter++}", NDArray.Scalar(0.0).Cast(dtype));
        string Apply(string type, params string[] inputs)
        {
            var r = Fresh();
            Node(type, inputs, [r]);
            return r;
        }
        var rem = Fresh();
        Node("Mod", [a, b], [rem], ("fmod", 1L));
        var adjust = Apply("And", Apply("Not", Apply("Equal", rem, zero)), Apply("Xor", Apply("Less", b, zero), Apply("Less", rem, zero)));
        Node("Where", [adjust, Apply("Add", rem, b), rem], [y]);
    }

    /// <summary>ZerosLike/OnesLike: ONNX ConstantOfShape of the input's Shape, valued 0 or 1 of the op's dtype.</summary>
    private void FilledLike(Operation op, string y, double value)
    {
        var shape = Fresh();
        Node("Shape", [Name(op.inputs[0])], [shape]);
        Node("ConstantOfShape", [shape], [y], ("value", NDArray.Scalar(value).Cast(op.outputs[0].dtype).Reshape(new Shape(1))));
    }

    /// <summary>Size (the element count, <c>out_type</c>) and Rank (int32): ONNX Size, of the input or of its Shape.</summary>
    private void SizeOrRank(Operation op, string y)
    {
        var of = Name(op.inputs[0]);
        if (op.type == "Rank")
        {
            var shape = Fresh();
            Node("Shape", [of], [shape]);
            of = shape;
        }
        var dtype = op.outputs[0].dtype;
        if (dtype == DType.int64)
        {
            Node("Size", [of], [y]);
            return;
        }
        var size = Fresh();
        Node("Size", [of], [size]);
        Node("Cast", [size], [y], ("to", (long)DataTypeOf(dtype, op)));
    }
}
