using SharpFlow.Framework;

namespace SharpFlow.Onnx;

internal sealed partial class OnnxExporter
{
    /// <summary>
    /// How one SharpFlow op type exports: its converter (which writes the ONNX nodes and names the op's outputs), the
    /// lowest opset the mapping needs and a note of the ONNX operators it becomes.
    /// </summary>
    private sealed record ExportSpec(string Type, Action<OnnxExporter, Operation> Convert, string Notes, int Since = MinOpset);

    /// <summary>A row whose converter writes the op's one output <c>y</c>; the row then names the output after it.</summary>
    private static ExportSpec Op(string type, string notes, Action<OnnxExporter, Operation, string> convert, int since = MinOpset) =>
        new(type, (e, op) =>
        {
            var y = e.Out(op.outputs[0]);
            convert(e, op, y);
            e._names[op.outputs[0]] = y;
        }, notes, since);

    /// <summary>A row whose converter names the op's outputs itself (several outputs, or a value passed through).</summary>
    private static ExportSpec Named(string type, string notes, Action<OnnxExporter, Operation> convert, int since = MinOpset) => new(type, convert, notes, since);

    /// <summary>A row for an op that is one ONNX operator with the same inputs and no attributes.</summary>
    private static ExportSpec Same(string type, string onnx) =>
        Op(type, onnx, (e, op, y) => e.Node(onnx, [.. op.inputs.Select(e.Name)], [y]));

    /// <summary>A row for the plumbing of <c>tf.cond</c> and <c>tf.while_loop</c>, which ExportOps turns into If and Loop.</summary>
    private static ExportSpec ControlFlow(string type, string notes) =>
        Named(type, notes, (_, op) => throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX: SharpFlow.Onnx has no mapping for {op.type} outside the tf.cond or tf.while_loop it exports as If or Loop.", op.name));

    private string In(Operation op, int i) => Name(op.inputs[i]);

    /// <summary>The SharpFlow op types the exporter maps, by type: the one table Export and the README's list read.</summary>
    private static readonly Dictionary<string, ExportSpec> Exports = new ExportSpec[]
    {
        // Element-wise math, comparisons and logic: one ONNX operator each, NumPy broadcasting on both sides.
        Same("Relu", "Relu"), Same("Sigmoid", "Sigmoid"), Same("Tanh", "Tanh"), Same("Exp", "Exp"), Same("Log", "Log"),
        Same("Sqrt", "Sqrt"), Same("Abs", "Abs"), Same("Floor", "Floor"), Same("Ceil", "Ceil"), Same("Round", "Round"),
        Same("Sign", "Sign"), Same("Neg", "Neg"), Same("Reciprocal", "Reciprocal"), Same("Erf", "Erf"), Same("Sin", "Sin"),
        Same("Cos", "Cos"), Same("Tan", "Tan"), Same("Asin", "Asin"), Same("Acos", "Acos"), Same("Atan", "Atan"),
        Same("Sinh", "Sinh"), Same("Cosh", "Cosh"), Same("Softplus", "Softplus"), Same("Softsign", "Softsign"),
        Same("Elu", "Elu"), Same("Selu", "Selu"), Same("IsNan", "IsNaN"), Same("Pow", "Pow"), Same("Greater", "Greater"),
        Same("Less", "Less"), Same("Equal", "Equal"), Same("GreaterEqual", "GreaterOrEqual"), Same("LessEqual", "LessOrEqual"),
        Same("LogicalAnd", "And"), Same("LogicalOr", "Or"), Same("LogicalNot", "Not"), Same("SelectV2", "Where"),
        Op("BiasAdd", "Add (NCHW: the bias reshaped to [C, 1, ...])", (e, op, y) => e.BiasAddOp(op, y)), Same("Add", "Add"), Same("AddV2", "Add"), Same("Sub", "Sub"), Same("Mul", "Mul"),
        Same("RealDiv", "Div"), Same("Maximum", "Max"), Same("Minimum", "Min"), Same("Range", "Range"),
        Op("Log1p", "Log of Add 1", (e, op, y) => e.Node("Log", [e.Apply("Add", e.In(op, 0), e.Scalar(1, op.outputs[0].dtype))], [y])),
        Op("Expm1", "Exp, Sub 1", (e, op, y) => e.Node("Sub", [e.Apply("Exp", e.In(op, 0)), e.Scalar(1, op.outputs[0].dtype)], [y])),
        Op("Erfc", "1 Sub Erf", (e, op, y) => e.Node("Sub", [e.Scalar(1, op.outputs[0].dtype), e.Apply("Erf", e.In(op, 0))], [y])),
        // Special functions (composed in float64 as SharpFlow's kernels compute them) and the shuffle, gamma and accidental-hit samplers.
        Op("Lgamma", "Lanczos sum (Stirling beyond 1e7), reflection below 0.5 (Sin, Round), Where at the poles; in float64", (e, op, y) => e.LgammaOp(op, y)),
        Op("Digamma", "reflection (Sin, Cos), eleven masked recurrence steps (Where), the asymptotic series; in float64", (e, op, y) => e.DigammaOp(op, y)),
        Op("Zeta", "Euler-Maclaurin: a Loop summing Pow terms, the tail with twelve Bernoulli corrections; in float64", (e, op, y) => e.ZetaOp(op, y)),
        Op("Polygamma", "Digamma for n = 0, else (-1)^(n+1) Exp(Lgamma(n+1)) Zeta(n+1, x) (as above); in float64", (e, op, y) => e.PolygammaOp(op, y)),
        Op("RandomShuffle", "RandomUniformLike per row, TopK of all, Gather (ONNX Runtime's draws; the seed passed on)", (e, op, y) => e.RandomShuffleOp(op, y)),
        Op("RandomGamma", "Marsaglia-Tsang rejection in a Loop of RandomNormalLike and RandomUniformLike (ONNX Runtime's draws)", (e, op, y) => e.RandomGammaOp(op, y)),
        Named("ComputeAccidentalHits", "Equal against every candidate, ReduceMax of the positions, NonZero, Gather, GatherND, Expand", (e, op) => e.AccidentalHitsOp(op)),
        Same("IsInf", "IsInf"),
        Op("IsFinite", "Not of Or of IsInf, IsNaN", (e, op, y) => e.Node("Not", [e.Apply("Or", e.Apply("IsInf", e.In(op, 0)), e.Apply("IsNaN", e.In(op, 0)))], [y])),
        Op("Atan2", "Atan of Div with the quadrant rules (Where)", (e, op, y) => e.Atan2Op(op, y)),
        Op("DivNoNan", "Where of Equal 0, Div", (e, op, y) => e.DivNoNanOp(op, y)),
        Op("AddN", "Sum", (e, op, y) => e.Node("Sum", [.. op.inputs.Select(e.Name)], [y])),
        Op("Square", "Mul of the input by itself", (e, op, y) => e.Node("Mul", [e.In(op, 0), e.In(op, 0)], [y])),
        Op("Rsqrt", "Reciprocal of Sqrt", (e, op, y) => e.Node("Reciprocal", [e.Apply("Sqrt", e.In(op, 0))], [y])),
        Op("SquaredDifference", "Sub, then Mul by itself", (e, op, y) =>
        {
            var difference = e.Apply("Sub", e.In(op, 0), e.In(op, 1));
            e.Node("Mul", [difference, difference], [y]);
        }),
        Op("NotEqual", "Not of Equal", (e, op, y) => e.Node("Not", [e.Apply("Equal", e.In(op, 0), e.In(op, 1))], [y])),
        Op("Select", "Where (a condition of the values' rank)", (e, op, y) => e.SelectOp(op, y)),
        Op("FloorDiv", "Floor of Div; integers through Mod", (e, op, y) => e.FloorDivOp(op, y)),
        Op("FloorMod", "Mod with TensorFlow's sign", (e, op, y) => e.FloorModOp(op, y)),

        // Activations.
        Op("LeakyRelu", "LeakyRelu", (e, op, y) => e.Node("LeakyRelu", [e.In(op, 0)], [y], ("alpha", Attr<float>(op, "alpha")))),
        Op("Relu6", "Clip to [0, 6]", (e, op, y) => e.Activation("Relu6", e.In(op, 0), y, op.outputs[0].dtype)),
        Op("Softmax", "Softmax over the last axis", (e, op, y) => e.Node("Softmax", [e.In(op, 0)], [y], ("axis", -1L))),
        Op("LogSoftmax", "LogSoftmax over the last axis", (e, op, y) => e.Node("LogSoftmax", [e.In(op, 0)], [y], ("axis", -1L))),

        // Gradient ops of training graphs, as their kernels compute them.
        Op("ReluGrad", "Where of Greater 0", (e, op, y) => e.ElementwiseGradOp(op, y)),
        Op("Relu6Grad", "Where of Greater 0 And Less 6", (e, op, y) => e.ElementwiseGradOp(op, y)),
        Op("LeakyReluGrad", "Where of Greater 0, Mul alpha", (e, op, y) => e.ElementwiseGradOp(op, y)),
        Op("EluGrad", "Where of Greater 0, Mul by outputs + 1", (e, op, y) => e.ElementwiseGradOp(op, y)),
        Op("SeluGrad", "Where of Greater 0, Mul by scale or outputs + scale·alpha", (e, op, y) => e.ElementwiseGradOp(op, y)),
        Op("SoftplusGrad", "Div by 1 + Exp of Neg", (e, op, y) => e.ElementwiseGradOp(op, y)),
        Op("SoftsignGrad", "Div by (1 + Abs) squared", (e, op, y) => e.ElementwiseGradOp(op, y)),
        Op("SigmoidGrad", "dy Mul y·(1 - y)", (e, op, y) => e.ElementwiseGradOp(op, y)),
        Op("TanhGrad", "dy Mul 1 - y·y", (e, op, y) => e.ElementwiseGradOp(op, y)),
        Op("RsqrtGrad", "y·y·y Mul -0.5, Mul dy", (e, op, y) => e.ElementwiseGradOp(op, y)),
        Op("ReciprocalGrad", "Neg dy, Mul y twice", (e, op, y) => e.ElementwiseGradOp(op, y)),
        Op("BiasAddGrad", "ReduceSum over all but the channel axis (NHWC or NCHW)", (e, op, y) => e.BiasAddGradOp(op, y)),

        // Types, shapes and indexing.
        Named("Identity", "Identity (a TensorArray's flow: its sequence)", (e, op) =>
        {
            if (SequenceElement(op.inputs[0]) is not null) e._names[op.outputs[0]] = e.In(op, 0);
            else e.Identity(op);
        }),
        Named("StopGradient", "Identity", (e, op) => e.Identity(op)),
        Named("PlaceholderWithDefault", "Identity", (e, op) => e.Identity(op)),
        Named("PreventGradient", "Identity", (e, op) => e.Identity(op)),
        Op("Cast", "Cast", (e, op, y) => e.Node("Cast", [e.In(op, 0)], [y], ("to", (long)DataTypeOf(op.outputs[0].dtype, op)))),
        Op("Shape", "Shape (Cast to int32)", (e, op, y) => e.ShapeOp(op, y)),
        Op("Size", "Size", (e, op, y) => e.SizeOrRank(op, y)),
        Op("Rank", "Size of Shape", (e, op, y) => e.SizeOrRank(op, y)),
        Op("ZerosLike", "ConstantOfShape", (e, op, y) => e.FilledLike(op, y, 0)),
        Op("OnesLike", "ConstantOfShape", (e, op, y) => e.FilledLike(op, y, 1)),
        Op("Fill", "ConstantOfShape or Expand", (e, op, y) => e.FillOp(op, y)),
        Op("Reshape", "Reshape (allowzero from opset 14: a zero-sized dimension, or a shape known only at run time)", (e, op, y) => e.ReshapeOp(op, y)),
        Op("ExpandDims", "Unsqueeze", (e, op, y) => e.ExpandDimsOp(op, y)),
        Op("Squeeze", "Squeeze", (e, op, y) => e.SqueezeOp(op, y)),
        Op("Transpose", "Transpose (a constant perm)", (e, op, y) => e.Node("Transpose", [e.In(op, 0)], [y], ("perm", e.ConstantOf(op, 1, "perm").ToArray<long>()))),
        Op("Tile", "Tile (constant multiples)", (e, op, y) => e.Node("Tile", [e.In(op, 0), e.Ints(e.ConstantOf(op, 1, "multiples").Cast(DType.int64).ToArray<long>())], [y])),
        Op("Pad", "Pad (constant paddings)", (e, op, y) => e.PadOp(op, y)),
        Op("PadV2", "Pad with its constant value", (e, op, y) => e.PadOp(op, y)),
        Op("BroadcastTo", "Expand", (e, op, y) => e.Node("Expand", [e.In(op, 0), e.Int64(op.inputs[1])], [y])),
        Op("ConcatV2", "Concat", (e, op, y) => e.ConcatOp(op, y)),
        Op("Pack", "Unsqueeze each, Concat", (e, op, y) => e.PackOp(op, y)),
        Named("Split", "Split", (e, op) => e.SplitOp(op)),
        Named("SplitV", "Split (a -1 size from the static shape)", (e, op) => e.SplitOp(op)),
        Named("Unpack", "Split, Squeeze", (e, op) => e.UnpackOp(op)),
        Op("Slice", "Slice", (e, op, _) => e.Slice(op)),
        Op("StridedSlice", "Slice, Squeeze (no ellipsis or new axis)", (e, op, _) => e.StridedSlice(op)),
        Op("GatherV2", "Gather (a constant axis)", (e, op, y) => e.Node("Gather", [e.In(op, 0), e.In(op, 1)], [y], ("axis", e.ConstantOf(op, 2, "axis").Cast(DType.int64).ToArray<long>()[0]))),
        Op("GatherNd", "GatherND", (e, op, y) => e.GatherNdOp(op, y)),
        Op("OneHot", "OneHot (negative indices off)", (e, op, y) => e.OneHotOp(op, y)),
        Named("TopKV2", "TopK", (e, op) => e.TopKOp(op)),
        Op("ArgMax", "ArgMax", (e, op, y) => e.ArgOp(op, y)),
        Op("ArgMin", "ArgMin", (e, op, y) => e.ArgOp(op, y)),
        Op("Cumsum", "CumSum", (e, op, y) => e.Node("CumSum", [e.In(op, 0), e.In(op, 1)], [y], ("exclusive", Attr<bool>(op, "exclusive") ? 1L : 0L), ("reverse", Attr<bool>(op, "reverse") ? 1L : 0L))),
        // Strings and lookup tables (OnnxExporter.Strings.cs): STRING tensors, Cast, the opset-20 string operators, ai.onnx.ml LabelEncoder.
        Op("AsString", "Cast to STRING (integers; float32 as %.8g with Where for nan and inf), Where of \"true\"/\"false\" (bool); other floats and width > 1 refused", (e, op, y) => e.AsStringOp(op, y)),
        Op("StringToNumber", "Cast from STRING (TensorFlow's errors on bad text cannot be reproduced: ONNX Runtime reads an integer's leading digits and wraps int32 overflow)", (e, op, y) => e.StringToNumberOp(op, y)),
        Op("StringJoin", "StringConcat of the inputs and the separator", (e, op, y) => e.StringJoinOp(op, y), since: 20),
        Op("RegexFullMatch", "RegexFullMatch (RE2; a constant pattern)", (e, op, y) => e.RegexFullMatchOp(op, y), since: 20),
        Op("StaticRegexFullMatch", "RegexFullMatch (RE2)", (e, op, y) => e.RegexFullMatchOp(op, y), since: 20),
        Named("StringSplit", "StringSplit at a one-byte delimiter, NonZero of the kept tokens, CumSum, GatherND", (e, op) => e.StringSplitOp(op), since: 20),
        Named("HashTableV2", "no node: each lookup becomes a LabelEncoder of the constants InitializeTableV2 fills it with", (_, _) => { }),
        Op("LookupTableFindV2", "ai.onnx.ml LabelEncoder with the default value (version 2; version 4 tensors for float64 values)", (e, op, y) => e.LookupOp(op, y)),
        Op("Cumprod", "Loop over the axis carrying the product (Transpose, Slice with step -1 for reverse)", (e, op, y) => e.CumprodOp(op, y)),
        Op("ReverseV2", "Slice with steps -1", (e, op, y) => e.ReverseOp(op, y)),
        Op("ReverseSequence", "ReverseSequence (Transposes for other axes)", (e, op, y) => e.ReverseSequenceOp(op, y)),
        Op("SpaceToBatchND", "Pad, Reshape, Transpose, Reshape", (e, op, y) => e.SpaceBatchOp(op, y)),
        Op("BatchToSpaceND", "Reshape, Transpose, Reshape, Slice", (e, op, y) => e.SpaceBatchOp(op, y)),
        Op("Where", "NonZero, Transpose", (e, op, y) => e.WhereOp(op, y)),
        Named("Unique", "Unique (sorted = 0)", (e, op) => e.UniqueOp(op)),
        Op("ScatterNd", "ScatterND (reduction = add) into ConstantOfShape", (e, op, y) => e.ScatterNdOp(op, y), since: 16),
        Op("SparseToDense", "ScatterND into Expand of the default (indices in bounds; order and repeats not checked)", (e, op, y) => e.SparseToDenseOp(op, y)),
        Op("DynamicStitch", "Concat of the flattened indices and data, ScatterND into zeros of max + 1 rows", (e, op, y) => e.DynamicStitchOp(op, y)),
        Op("ParallelDynamicStitch", "Concat of the flattened indices and data, ScatterND into zeros of max + 1 rows", (e, op, y) => e.DynamicStitchOp(op, y)),
        Named("DynamicPartition", "Compress of the flattened data per partition", (e, op) => e.DynamicPartitionOp(op)),
        Op("MatrixBandPart", "Where of a mask from Range", (e, op, y) => e.MatrixBandPartOp(op, y)),
        Op("InvertPermutation", "ScatterElements of Range (not checked to be a permutation)", (e, op, y) => e.InvertPermutationOp(op, y)),
        Op("LinSpace", "Range, Mul, Add; Where for the last value", (e, op, y) => e.LinSpaceOp(op, y)),
        Op("MatrixDiag", "Where of a mask from Range", (e, op, y) => e.MatrixDiagOp(op, y)),
        Op("MatrixDiagPart", "Where of a mask from Range, ReduceSum, Slice", (e, op, y) => e.MatrixDiagPartOp(op, y)),
        Op("UnsortedSegmentSum", "ScatterND (reduction = add) into ConstantOfShape", (e, op, y) => e.SegmentOp(op, y), since: 16),
        Op("UnsortedSegmentProd", "ScatterND (reduction = mul) into ConstantOfShape", (e, op, y) => e.SegmentOp(op, y), since: 16),
        Op("SegmentSum", "ScatterND (reduction = add) into ConstantOfShape of ReduceMax + 1", (e, op, y) => e.SegmentOp(op, y), since: 16),
        Op("SegmentProd", "ScatterND (reduction = mul) into ones of ReduceMax + 1 (an empty segment 1)", (e, op, y) => e.SegmentOp(op, y), since: 16),
        Op("SparseSegmentSum", "Gather of the rows, ScatterND (reduction = add) into ConstantOfShape of ReduceMax + 1", (e, op, y) => e.SegmentOp(op, y), since: 16),
        Op("SparseSegmentMean", "Gather of the rows, ScatterND (reduction = add) of the rows and of ones, Div by the count", (e, op, y) => e.SegmentOp(op, y), since: 16),
        Op("SparseSegmentSqrtN", "Gather of the rows, ScatterND (reduction = add) of the rows and of ones, Div by Sqrt of the count", (e, op, y) => e.SegmentOp(op, y), since: 16),
        Op("SegmentMean", "ScatterND (reduction = add) of the rows and of ones, Div by the count", (e, op, y) => e.SegmentOp(op, y), since: 16),
        Op("UnsortedSegmentMax", "ScatterND (reduction = max) into the dtype's lowest value", (e, op, y) => e.SegmentOp(op, y), since: 18),
        Op("UnsortedSegmentMin", "ScatterND (reduction = min) into the dtype's highest value", (e, op, y) => e.SegmentOp(op, y), since: 18),
        Op("SegmentMax", "ScatterND (reduction = max), Where of the count 0", (e, op, y) => e.SegmentOp(op, y), since: 18),
        Op("SegmentMin", "ScatterND (reduction = min), Where of the count 0", (e, op, y) => e.SegmentOp(op, y), since: 18),
        Op("DepthToSpace", "DepthToSpace (DCR) between Transposes", (e, op, _) => e.SpaceDepth(op)),
        Op("SpaceToDepth", "SpaceToDepth between Transposes", (e, op, _) => e.SpaceDepth(op)),

        // Reductions (TensorFlow's empty axes reduce nothing: Identity).
        Op("Sum", "ReduceSum", (e, op, y) => e.ReduceOp(op, y, "ReduceSum")),
        Op("Mean", "ReduceMean", (e, op, y) => e.ReduceOp(op, y, "ReduceMean")),
        Op("Max", "ReduceMax", (e, op, y) => e.ReduceOp(op, y, "ReduceMax")),
        Op("Min", "ReduceMin", (e, op, y) => e.ReduceOp(op, y, "ReduceMin")),
        Op("Prod", "ReduceProd", (e, op, y) => e.ReduceOp(op, y, "ReduceProd")),

        Op("All", "ReduceMin over Cast to int32", (e, op, y) => e.BooleanReduce(op, y)),
        Op("Any", "ReduceMax over Cast to int32", (e, op, y) => e.BooleanReduce(op, y)),
        Op("L2Loss", "ReduceSumSquare, Mul 0.5", (e, op, y) => e.L2LossOp(op, y)),
        Named("SoftmaxCrossEntropyWithLogits", "LogSoftmax, Mul, ReduceSum; Softmax, Sub", (e, op) => e.SoftmaxCrossEntropy(op)),
        Named("SparseSoftmaxCrossEntropyWithLogits", "LogSoftmax, GatherElements; Softmax, OneHot, Sub", (e, op) => e.SparseSoftmaxCrossEntropy(op)),
        Op("InTopKV2", "GatherElements, Greater, ReduceSum, Less", (e, op, y) => e.InTopKOp(op, y)),

        // Dense layers, convolutions, pooling and normalisation (NHWC between Transposes).
        Op("MatMul", "Gemm", (e, op, y) => e.Node("Gemm", [e.In(op, 0), e.In(op, 1)], [y], ("transA", Attr<bool>(op, "transpose_a") ? 1L : 0L), ("transB", Attr<bool>(op, "transpose_b") ? 1L : 0L))),
        Op("BatchMatMul", "MatMul", (e, op, _) => e.BatchMatMulOp(op)),
        Op("BatchMatMulV2", "MatMul", (e, op, _) => e.BatchMatMulOp(op)),
        Op("Conv2D", "Conv", (e, op, _) => e.Convolution(op)),
        Op("DepthwiseConv2dNative", "Conv (group = channels)", (e, op, _) => e.Convolution(op)),
        Op("_FusedConv2D", "Conv, Add, activation", (e, op, _) => e.Fused(op)),
        Op("_FusedDepthwiseConv2dNative", "Conv, activation", (e, op, _) => e.Fused(op)),
        Op("_FusedMatMul", "Gemm, Add, activation", (e, op, _) => e.Fused(op)),
        Op("MaxPool", "MaxPool", (e, op, _) => e.Pool(op)),
        Op("AvgPool", "AveragePool", (e, op, _) => e.Pool(op)),
        Named("FusedBatchNorm", "BatchNormalization (inference); ReduceMean, Sub, Mul, Sqrt, Div, Add of the batch statistics (training)", (e, op) => e.FusedBatchNorm(op)),
        Named("FusedBatchNormV2", "BatchNormalization (inference); ReduceMean, Sub, Mul, Sqrt, Div, Add of the batch statistics (training)", (e, op) => e.FusedBatchNorm(op)),
        Named("FusedBatchNormV3", "BatchNormalization (inference); ReduceMean, Sub, Mul, Sqrt, Div, Add of the batch statistics (training)", (e, op) => e.FusedBatchNorm(op)),
        Op("BatchNormWithGlobalNormalization", "Sub, Mul by Reciprocal of Sqrt (times gamma), Add", (e, op, y) => e.BatchNormWithGlobalNormalizationOp(op, y)),
        Op("LRN", "LRN", (e, op, _) => e.Lrn(op)),
        Op("ResizeBilinear", "Resize (linear)", (e, op, _) => e.ResizeOp(op)),
        Op("ResizeBicubic", "Resize (cubic, TensorFlow's coefficient)", (e, op, _) => e.ResizeOp(op)),
        Named("MaxPoolWithArgmax", "MaxPool with Indices, NHWC's flat index", (e, op) => e.MaxPoolWithArgmaxOp(op)),
        Op("RGBToHSV", "the kernel's arithmetic in Max, Min, Div, Where", (e, op, y) => e.ColorOp(op, y)),
        Op("HSVToRGB", "the kernel's arithmetic in Abs, Clip, Mul, Add", (e, op, y) => e.ColorOp(op, y)),
        Op("AdjustHue", "RGB to HSV, Add delta, Sub Floor, HSV to RGB", (e, op, y) => e.ColorOp(op, y)),
        Op("AdjustSaturation", "RGB to HSV, Mul, Clip to [0, 1], HSV to RGB", (e, op, y) => e.ColorOp(op, y)),
        Op("NonMaxSuppressionV2", "NonMaxSuppression (one batch and class), Gather of column 2", (e, op, y) => e.NonMaxSuppressionOp(op, y)),
        Op("NonMaxSuppressionV3", "NonMaxSuppression (one batch and class, score threshold), Gather of column 2", (e, op, y) => e.NonMaxSuppressionOp(op, y)),
        Op("CropAndResize", "GatherND of the sampled pixels, bilinear or nearest (a constant crop_size)", (e, op, y) => e.CropAndResizeOp(op, y)),
        Op("ResizeNearestNeighbor", "Resize (nearest)", (e, op, _) => e.ResizeOp(op)),
        Op("Conv2DBackpropInput", "ConvTranspose", (e, op, _) => e.ConvTransposeOp(op)),
        Op("Conv3D", "Conv (NCDHW)", (e, op, _) => e.Volumetric(op)),
        Op("MaxPool3D", "MaxPool (NCDHW)", (e, op, _) => e.Volumetric(op)),
        Op("AvgPool3D", "AveragePool (NCDHW)", (e, op, _) => e.Volumetric(op)),

        // Recurrent layers.
        Op("BlockLSTM", "LSTM (its h output); else a Loop of its steps' gates (every output, cell_clip, seq_len_max)", (e, op, _) => e.BlockLstm(op)),
        // The fused LSTM's gradients and the candidate samplers.
        Named("LSTMBlockCellGrad", "its gates' gradients in element-wise ops, ReduceSum of the peepholes'", (e, op) => e.LstmBlockCellGradOp(op)),
        Named("BlockLSTMGrad", "a Loop from the last step back carrying the cell and hidden gradients; MatMul, ReduceSum of the weights'", (e, op) => e.BlockLstmGradOp(op)),
        Named("UniformCandidateSampler", "RandomUniform, Floor; a Loop of rejection rounds (unique); the expected counts' formula", (e, op) => e.CandidateSamplerOp(op)),
        Named("LogUniformCandidateSampler", "RandomUniform, Exp, Floor, Mod; a Loop of rejection rounds (unique); the expected counts' formula", (e, op) => e.CandidateSamplerOp(op)),
        Named("LSTMBlockCell", "its gates in element-wise ops", (e, op) => e.LstmBlockCell(op)),

        // Control flow: tf.cond as If, tf.while_loop as Loop, TensorArrays as sequences.
        ControlFlow("Switch", "If's branches, Loop's body"),
        ControlFlow("Merge", "If's outputs, Loop's carried values"),
        ControlFlow("Enter", "Loop's initial values, outer values"),
        ControlFlow("Exit", "Loop's outputs"),
        ControlFlow("NextIteration", "Loop's next values"),
        ControlFlow("LoopCond", "Loop's condition"),
        Named("TensorArrayV3", "SequenceEmpty", (e, op) => e.ExportTensorArray(op)),
        Named("TensorArrayWriteV3", "SequenceInsert", (e, op) => e.ExportTensorArray(op)),
        Named("TensorArrayReadV3", "SequenceAt", (e, op) => e.ExportTensorArray(op)),
        Named("TensorArraySizeV3", "SequenceLength", (e, op) => e.ExportTensorArray(op)),
        Named("TensorArrayScatterV3", "SplitToSequence (unstack)", (e, op) => e.ExportTensorArray(op)),
        Named("TensorArrayGatherV3", "ConcatFromSequence (stack)", (e, op) => e.ExportTensorArray(op)),
        Named("TensorArrayGradV3", "a dense tensor of zeros shaped like the forward array stacked (writes add a one-hot mask times the value, reads Gather)", (e, op) => e.ExportTensorArray(op)),
        Named("StackV2", "SequenceEmpty (the stack's sequence carried through the Loops that push or pop)", (e, op) => e.ExportStack(op)),
        Named("StackPushV2", "SequenceInsert at the end (out of range past max_size, so the run fails)", (e, op) => e.ExportStack(op)),
        Named("StackPopV2", "SequenceAt -1, SequenceErase -1", (e, op) => e.ExportStack(op)),

        // TensorFlow 2's functional control flow (lowered on import), a TensorArray's split and concat, the ops that
        // only order others, checks ONNX cannot make, and the random ops (ONNX Runtime's draws, not SharpFlow's).
        Lowered("If", "lowered on import to tf.cond's Switch and Merge: If (then_branch, else_branch)"),
        Lowered("StatelessIf", "lowered on import to tf.cond's Switch and Merge: If (then_branch, else_branch)"),
        Lowered("While", "lowered on import to tf.while_loop: Loop (its body, then cond on the next values)"),
        Lowered("StatelessWhile", "lowered on import to tf.while_loop: Loop (its body, then cond on the next values)"),
        Lowered("PartitionedCall", "inlined on import: its function's body"),
        Lowered("StatefulPartitionedCall", "inlined on import: its function's body"),
        Named("TensorArraySplitV3", "SplitToSequence by the lengths", (e, op) => e.TensorArraySplitOp(op)),
        Named("TensorArrayConcatV3", "ConcatFromSequence; the lengths a Loop of Shape over the sequence", (e, op) => e.TensorArrayConcatOp(op)),
        Dropped("TensorArrayCloseV3", "nothing (no outputs; ONNX frees the sequence with the run)"),
        Dropped("Assert", "nothing: dropped with its control edges (no ONNX operator fails a run, so the check is not in the model)"),
        Dropped("NoOp", "nothing: dropped with its control edges"),
        Dropped("ControlTrigger", "nothing: dropped with its control edges"),
        Named("CheckNumerics", "Identity (no ONNX operator fails a run on NaN or infinity, so the check is not in the model)", (e, op) => e.Identity(op)),
        Op("RandomUniform", "RandomUniformLike of ConstantOfShape (ONNX Runtime's draws; the seed passed on)", (e, op, y) => e.RandomOp(op, y, "RandomUniformLike")),
        Op("RandomStandardNormal", "RandomNormalLike of ConstantOfShape (ONNX Runtime's draws; the seed passed on)", (e, op, y) => e.RandomOp(op, y, "RandomNormalLike")),
        Op("RandomUniformInt", "RandomUniformLike (float64), Mul by maxval - minval, Floor, Add minval", (e, op, y) => e.RandomUniformIntOp(op, y)),
        Op("TruncatedNormal", "RandomNormalLike, Loop redrawing the values of magnitude 2 or more (Where)", (e, op, y) => e.TruncatedNormalOp(op, y)),
        Op("GatherTree", "Loop over time from the end (GatherElements of each beam's parent), CumSum of Equal end_token", (e, op, y) => e.GatherTreeOp(op, y)),
        Named("SampleDistortedBoundingBoxV2", "a Loop over max_attempts of RandomUniform draws (aspect ratio, height, corner), the kernel's crop rules (Sqrt, Round, Where) and coverage test (Min, Max, Div, ReduceSum), the whole image when no attempt is kept (ONNX Runtime's draws; the seed passed on)", (e, op) => e.SampleDistortedBoundingBoxOp(op)),
        Op("DrawBoundingBoxes", "the outline masks of every box (Equal, And over Range), ReduceMax of the box index, Gather of the colour, Where", (e, op, y) => e.DrawBoundingBoxesOp(op, y)),

        // Pooling and convolution gradients of training graphs, as their kernels route each window's gradient.
        Op("MaxPoolGrad", "MaxPool with Indices; ScatterElements (add) from opset 16, one-hot ConvTranspose before", (e, op, y) => e.PoolGradOp(op, y)),
        Op("MaxPool3DGrad", "MaxPool with Indices (NCDHW); ScatterElements (add) from opset 16, one-hot ConvTranspose before", (e, op, y) => e.PoolGradOp(op, y)),
        Op("AvgPoolGrad", "Div by the window's in-bounds count, ConvTranspose with ones per channel", (e, op, y) => e.PoolGradOp(op, y)),
        Op("AvgPool3DGrad", "Div by the window's in-bounds count, ConvTranspose with ones per channel (NCDHW)", (e, op, y) => e.PoolGradOp(op, y)),
        Op("Conv2DBackpropFilter", "Conv of the images [C, N, H, W] by the gradient [O, N, OH, OW], Slice", (e, op, y) => e.ConvBackpropFilterOp(op, y)),
        Op("DepthwiseConv2dNativeBackpropFilter", "Conv (group = channels) of the images [1, C·N, H, W] by the gradient, Slice", (e, op, y) => e.ConvBackpropFilterOp(op, y)),
        Op("DepthwiseConv2dNativeBackpropInput", "ConvTranspose (group = channels)", (e, op, y) => e.BackpropInputOp(op, y)),
        Op("Conv3DBackpropInputV2", "ConvTranspose (NCDHW)", (e, op, y) => e.BackpropInputOp(op, y)),
        Op("Conv3DBackpropFilterV2", "Conv of the volumes [C, N, D, H, W] by the gradient [O, N, OD, OH, OW], Slice", (e, op, y) => e.ConvBackpropFilterOp(op, y)),
        Op("StridedSliceGrad", "Range of the positions, the StridedSlice's Slice of them, ScatterElements into ConstantOfShape (no ellipsis or new axis)", (e, op, y) => e.StridedSliceGradOp(op, y)),
        Named("ConcatOffset", "a running Add of each shape Mul a one-hot of the constant axis", (e, op) => e.ConcatOffsetOp(op)),
        Op("SparseSegmentMeanGrad", "ScatterElements (add) of ones for the counts, Gather, Div, ScatterND (add) into ConstantOfShape", (e, op, y) => e.SparseSegmentGradOp(op, y), since: 16),
        Op("SparseSegmentSqrtNGrad", "ScatterElements (add) of ones, Sqrt of the counts, Gather, Div, ScatterND (add) into ConstantOfShape", (e, op, y) => e.SparseSegmentGradOp(op, y), since: 16),
        Named("FusedBatchNormGrad", "ReduceSum, ReduceMean and element-wise ops, the kernel's formulas (is_training or not)", (e, op) => e.FusedBatchNormGradOp(op)),
        Named("FusedBatchNormGradV2", "ReduceSum, ReduceMean and element-wise ops, the kernel's formulas (is_training or not)", (e, op) => e.FusedBatchNormGradOp(op)),
        Named("FusedBatchNormGradV3", "ReduceSum, ReduceMean and element-wise ops, the kernel's formulas (is_training or not)", (e, op) => e.FusedBatchNormGradOp(op)),
        Op("ResizeBilinearGrad", "MatMul by the rows' and columns' interpolation matrices (constants of the static sizes)", (e, op, y) => e.ResizeGradOp(op, y)),
        Op("ResizeNearestNeighborGrad", "MatMul by the rows' and columns' one-hot matrices (constants of the static sizes)", (e, op, y) => e.ResizeGradOp(op, y)),
        Op("LRNGrad", "Pad and shifted Slices for the depth windows' sums, Pow, Mul, Div, Sub (the kernel's formula)", (e, op, y) => e.LrnGradOp(op, y)),

        // More gradients of training graphs and area resizing (OnnxExporter.MoreGradients.cs).
        Op("MaxPoolGradWithArgmax", "ScatterElements (add) of the grad at the argmax (the batch's offset added without include_batch_in_index)", (e, op, y) => e.MaxPoolGradWithArgmaxOp(op, y), since: 16),
        Op("MaxPoolGradGrad", "MaxPool with Indices (NCHW), Gather of the grad at each window's maximum", (e, op, y) => e.MaxPoolGradGradOp(op, y)),
        Named("BatchNormWithGlobalNormalizationGrad", "ReduceSum, Reciprocal of Sqrt and element-wise ops, the kernel's five formulas", (e, op) => e.BatchNormGlobalGradOp(op)),
        Named("BroadcastGradientArgs", "Concat of ones to pad the shapes, NonZero of Equal 1: each side's reduced axes (shapes known at run time)", (e, op) => e.BroadcastGradientArgsOp(op)),
        Op("ResizeArea", "MatMul by the rows' and columns' area matrices (constants of the static sizes), Mul by the output pixel's area", (e, op, y) => e.ResizeAreaOp(op, y)),
        Op("ResizeBicubicGrad", "MatMul by the transposed rows' and columns' cubic matrices (constants of the static sizes)", (e, op, y) => e.ResizeBicubicGradOp(op, y)),
        Op("CropAndResizeGradImage", "ScatterND (add) of the crops' gradients at the forward's sample pixels, bilinear or nearest (crop sizes known)", (e, op, y) => e.CropAndResizeGradImageOp(op, y), since: 16),
        Op("CropAndResizeGradBoxes", "GatherND of the four pixels around each sample, the kernel's corner gradients, ReduceSum per box, Concat (crop sizes known)", (e, op, y) => e.CropAndResizeGradBoxesOp(op, y)),

        // TensorFlow 1.15 image and matrix ops added with their export (OnnxExporter.NewOps.cs).
        Op("AdjustContrastv2", "ReduceMean over height and width, Sub, Mul, Add (in float32)", (e, op, y) => e.AdjustContrastOp(op, y)),
        Named("NonMaxSuppressionV4", "NonMaxSuppression (one batch and class), Gather of column 2, Pad to max_output_size", (e, op) => e.NonMaxSuppressionPaddedOp(op)),
        Named("NonMaxSuppressionV5", "NonMaxSuppression as V4, Gather of the scores (soft_nms_sigma 0 only)", (e, op) => e.NonMaxSuppressionPaddedOp(op)),
        Op("MatrixSetDiag", "Where of a mask from Range (matrices of known size)", (e, op, y) => e.MatrixSetDiagOp(op, y)),
        // MatrixDiag/DiagPart/SetDiag V2 and V3 (OnnxExporter.MatrixDiag.cs).
        Op("MatrixDiagV2", "Gather of constant indices, Where of the band mask (constant k, known matrix size)", (e, op, y) => e.MatrixDiagBandOp(op, y)),
        Op("MatrixDiagV3", "Gather of constant indices, Where of the band mask (constant k, known matrix size)", (e, op, y) => e.MatrixDiagBandOp(op, y)),
        Op("MatrixDiagPartV2", "Gather of constant indices, Where of the padding mask (constant k, known matrix size)", (e, op, y) => e.MatrixDiagPartBandOp(op, y)),
        Op("MatrixDiagPartV3", "Gather of constant indices, Where of the padding mask (constant k, known matrix size)", (e, op, y) => e.MatrixDiagPartBandOp(op, y)),
        Op("MatrixSetDiagV2", "Gather of constant indices, Where of the band mask (constant k, known matrix size)", (e, op, y) => e.MatrixSetDiagBandOp(op, y)),
        Op("MatrixSetDiagV3", "Gather of constant indices, Where of the band mask (constant k, known matrix size)", (e, op, y) => e.MatrixSetDiagBandOp(op, y)),
    }.ToDictionary(s => s.Type, StringComparer.Ordinal);

    /// <summary>The SharpFlow op types the exporter maps, in ordinal order.</summary>
    internal static IReadOnlyList<string> SupportedOpTypes => [.. Exports.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The ONNX operators an op type becomes, as its row notes them (null for a type without a row).</summary>
    internal static string? NotesOf(string type) => Exports.TryGetValue(type, out var spec) ? spec.Notes : null;

    /// <summary>The README's list of exported op types: their names (with the opset where a mapping needs more than the lowest), wrapped at 118 columns.</summary>
    internal static string ReadmeOpTypeList()
    {
        var items = SupportedOpTypes.Select(type => Exports[type].Since > MinOpset ? $"{type} (opset {Exports[type].Since}+)" : type).ToList();
        var lines = new List<string>();
        var line = $"{items.Count} op types:";
        for (var k = 0; k < items.Count; k++)
        {
            var item = items[k] + (k < items.Count - 1 ? "," : ".");
            if (line.Length + 1 + item.Length > 118)
            {
                lines.Add(line);
                line = item;
            }
            else line += " " + item;
        }
        lines.Add(line);
        return string.Join("\n", lines);
    }

    /// <summary>
    /// ONNX reduction <paramref name="reduce"/> of <paramref name="x"/> over <paramref name="axes"/> into
    /// <paramref name="y"/>: the axes as an input for ReduceSum (opset 13) and every reduction from opset 18, as an
    /// attribute before.
    /// </summary>
    private void Reduce(string reduce, string x, long[] axes, string y, (string Name, object Value) keep)
    {
        if (reduce == "ReduceSum" || _opset >= 18) Node(reduce, [x, Ints(axes)], [y], keep);
        else Node(reduce, [x], [y], ("axes", axes), keep);
    }

    /// <summary>One ONNX operator applied to <paramref name="inputs"/>, into a fresh value.</summary>
    private string Apply(string type, params string[] inputs)
    {
        var r = Fresh();
        Node(type, inputs, [r]);
        return r;
    }

    private void Identity(Operation op)
    {
        var y = Out(op.outputs[0]);
        Node("Identity", [In(op, 0)], [y]);
        _names[op.outputs[0]] = y;
    }

    /// <summary>Select: ONNX Where where the condition has the values' rank (a vector over the first axis is TensorFlow's other form, refused).</summary>
    private void SelectOp(Operation op, string y)
    {
        if (op.inputs[0].shape.ndims != op.inputs[1].shape.ndims || op.inputs[0].shape.ndims < 0)
            throw new UnimplementedError($"Cannot export Select \"{op.name}\" to ONNX: its condition of shape {op.inputs[0].shape} selects rows of {op.inputs[1].shape}.", op.name);
        Node("Where", [In(op, 0), In(op, 1), In(op, 2)], [y]);
    }

    private void ShapeOp(Operation op, string y)
    {
        if (op.outputs[0].dtype == DType.int64) Node("Shape", [In(op, 0)], [y]);
        else Node("Cast", [Apply("Shape", In(op, 0))], [y], ("to", (long)DataTypeOf(op.outputs[0].dtype, op)));
    }

    private void FillOp(Operation op, string y)
    {
        var dims = Fresh();
        Node("Cast", [In(op, 0)], [dims], ("to", 7L));
        if (_constants.TryGetValue(op.inputs[1], out var fillValue))
            Node("ConstantOfShape", [dims], [y], ("value", fillValue.Reshape(new Shape(1))));
        else Node("Expand", [In(op, 1), dims], [y]);
    }

    /// <summary>
    /// Reshape: a constant shape, or one known only at run time (a gradient's shape of an input with an unknown batch).
    /// ONNX reads a 0 as "copy the input's dimension" unless allowzero (opset 14); in TensorFlow it is an empty
    /// dimension: from opset 14 the node says allowzero = 1, at 13 a constant shape without 0 exports as it is and the
    /// rest is refused.
    /// </summary>
    private void ReshapeOp(Operation op, string y)
    {
        if (_constants.ContainsKey(op.inputs[1]))
        {
            var target = ConstantOf(op, 1, "shape").ToArray<long>();
            if (!target.Contains(0)) Node("Reshape", [In(op, 0), Ints(target)], [y]);
            else if (_opset >= 14) Node("Reshape", [In(op, 0), Ints(target)], [y], ("allowzero", 1L));
            else throw new UnimplementedError($"Cannot export Reshape \"{op.name}\" to ONNX at opset {_opset}: its shape has a zero-sized dimension, which ONNX's Reshape reads as the input's before allowzero (opset 14).", op.name);
            return;
        }
        if (_opset < 14)
            throw new UnimplementedError($"Cannot export Reshape \"{op.name}\" to ONNX at opset {_opset}: its shape depends on the inputs and may hold a zero-sized dimension, which ONNX's Reshape reads as the input's before allowzero (opset 14).", op.name);
        Node("Reshape", [In(op, 0), ApplyWith("Cast", [In(op, 1)], ("to", (long)DataTypeOf(DType.int64)))], [y], ("allowzero", 1L));
    }

    private void ExpandDimsOp(Operation op, string y)
    {
        var axis = ConstantOf(op, 1, "axis").Cast(DType.int64).ToArray<long>()[0];
        if (axis < 0) axis += op.inputs[0].shape.ndims + 1;
        Node("Unsqueeze", [In(op, 0), Ints([axis])], [y]);
    }

    private void SqueezeOp(Operation op, string y)
    {
        var dims = Attr<int[]>(op, "squeeze_dims");
        if (dims.Length == 0) Node("Squeeze", [In(op, 0)], [y]);
        else Node("Squeeze", [In(op, 0), Ints([.. dims.Select(d => (long)d)])], [y]);
    }

    /// <summary>Pad and PadV2: TensorFlow's <c>[rank, 2]</c> paddings as ONNX's all befores, then all afters.</summary>
    private void PadOp(Operation op, string y)
    {
        var p = ConstantOf(op, 1, "paddings").ToArray<long>();
        var rank = p.Length / 2;
        string[] inputs = [In(op, 0), Ints([.. Enumerable.Range(0, rank).Select(i => p[2 * i]), .. Enumerable.Range(0, rank).Select(i => p[2 * i + 1])])];
        // PadV2's constant_values: ONNX Pad's constant_value input.
        Node("Pad", op.type == "PadV2" ? [.. inputs, In(op, 2)] : inputs, [y]);
    }

    private void ConcatOp(Operation op, string y)
    {
        var n = op.inputs.Count - 1;
        Node("Concat", [.. Enumerable.Range(0, n).Select(i => In(op, i))], [y], ("axis", ConstantOf(op, n, "axis").ToArray<long>()[0]));
    }

    private void PackOp(Operation op, string y)
    {
        var axis = Convert.ToInt32(op.get_attr("axis"), System.Globalization.CultureInfo.InvariantCulture);
        if (axis < 0) axis += op.inputs[0].shape.ndims + 1;
        var packed = Enumerable.Range(0, op.inputs.Count).Select(k =>
        {
            var u = Fresh();
            Node("Unsqueeze", [In(op, k), Ints([axis])], [u]);
            return u;
        }).ToArray();
        Node("Concat", packed, [y], ("axis", (long)axis));
    }

    private void ArgOp(Operation op, string y)
    {
        var axis = ConstantOf(op, 1, "axis").ToArray<long>()[0];
        var arg = Fresh();
        Node(op.type, [In(op, 0)], [arg], ("axis", axis), ("keepdims", 0L));
        if (op.outputs[0].dtype == DType.int64) Node("Identity", [arg], [y]);
        else Node("Cast", [arg], [y], ("to", (long)DataTypeOf(op.outputs[0].dtype, op)));
    }

    /// <summary>Sum (ReduceSum with its axes as an input, opset 13) and the other reductions (axes as an attribute up to opset 17, an input from 18).</summary>
    private void ReduceOp(Operation op, string y, string reduce)
    {
        var keepDims = ("keepdims", Attr<bool>(op, "keep_dims") ? 1L : 0L);
        if (!_constants.ContainsKey(op.inputs[1]))
        {
            // Axes known at run time (a gradient's BroadcastGradientArgs of shapes with an unknown batch): ONNX takes
            // them as an input from opset 13 (ReduceSum) or 18 (the others); an empty list reduces nothing, as in
            // TensorFlow, with noop_with_empty_axes.
            var since = reduce == "ReduceSum" ? 13 : 18;
            if (_opset < since)
                throw new UnimplementedError($"Cannot export {op.type} \"{op.name}\" to ONNX at opset {_opset}: its axes depend on the inputs, and {reduce} takes them as an input from opset {since}.", op.name);
            var runTimeAxes = Apply("Reshape", ApplyWith("Cast", [In(op, 1)], ("to", (long)DataTypeOf(DType.int64))), Ints([-1]));
            Node(reduce, [In(op, 0), runTimeAxes], [y], keepDims, ("noop_with_empty_axes", 1L));
            return;
        }
        var axes = ConstantOf(op, 1, "axes").ToArray<long>();
        if (axes.Length == 0)
        {
            // TensorFlow reduces nothing over no axes; ONNX would reduce everything.
            Node("Identity", [In(op, 0)], [y]);
            return;
        }
        Reduce(reduce, In(op, 0), axes, y, keepDims);
    }
}
