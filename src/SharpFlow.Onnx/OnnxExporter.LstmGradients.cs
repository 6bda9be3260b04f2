using SharpFlow.Framework;
using SharpFlow.Onnx.Proto;

namespace SharpFlow.Onnx;

/// <summary>
/// TensorFlow's fused LSTM (contrib/rnn/kernels/lstm_ops) beyond ONNX's LSTM operator: BlockLSTM as a Loop over the
/// time steps that gives every one of its outputs (cell clipping and a run-time seq_len_max included), and the
/// gradients LSTMBlockCellGrad (one step of <c>LSTMBlockCellBprop</c> in element-wise ops) and BlockLSTMGrad (a
/// Loop from the last time step back to the first, carrying the cell and hidden gradients, as the kernel does), so
/// that the gradient of an <c>LSTMBlockCell</c> or <c>LSTMBlockFusedCell</c> network exports whole.
/// </summary>
internal sealed partial class OnnxExporter
{
    /// <summary>
    /// One forward step of TensorFlow's LSTM block in the kernel's order: <c>[x, h_prev]·w + b</c> split into the
    /// gates i, ci, f, o, <c>i = σ(i + cs_prev·wci)</c>, <c>f = σ(f + forget_bias + cs_prev·wcf)</c>,
    /// <c>ci = tanh(ci)</c>, <c>cs = i·ci + f·cs_prev</c> (clipped to ±cell_clip when that is positive),
    /// <c>o = σ(o + cs·wco)</c>, <c>co = tanh(cs)</c>, <c>h = o·co</c> (the peephole terms with use_peephole).
    /// Returns the values i, cs, f, o, ci, co, h.
    /// </summary>
    private string[] LstmForwardStep(Operation op, string x, string csPrev, string hPrev, string w, string wci, string wcf, string wco, string b)
    {
        var dtype = op.inputs[op.type == "BlockLSTM" ? 1 : 0].dtype;
        var xh = ApplyWith("Concat", [x, hPrev], ("axis", 1L));
        var gates = Apply("Add", Apply("MatMul", xh, w), b);
        var (gi, gci, gf, go) = (Fresh(), Fresh(), Fresh(), Fresh());
        if (_opset >= 18) Node("Split", [gates], [gi, gci, gf, go], ("axis", 1L), ("num_outputs", 4L));
        else Node("Split", [gates], [gi, gci, gf, go], ("axis", 1L));
        var peephole = Attr<bool>(op, "use_peephole");
        var i = Apply("Sigmoid", peephole ? Apply("Add", gi, Apply("Mul", csPrev, wci)) : gi);
        var fSum = Apply("Add", gf, Scalar(Attr<float>(op, "forget_bias"), dtype));
        var f = Apply("Sigmoid", peephole ? Apply("Add", fSum, Apply("Mul", csPrev, wcf)) : fSum);
        var ci = Apply("Tanh", gci);
        var cs = Apply("Add", Apply("Mul", i, ci), Apply("Mul", f, csPrev));
        var clip = Attr<float>(op, "cell_clip");
        if (clip > 0) cs = Apply("Clip", cs, Scalar(-clip, dtype), Scalar(clip, dtype));
        var o = Apply("Sigmoid", peephole ? Apply("Add", Apply("Mul", cs, wco), go) : go);
        var co = Apply("Tanh", cs);
        return [i, cs, f, o, ci, co, Apply("Mul", o, co)];
    }

    /// <summary>
    /// One backward step of the LSTM block (TensorFlow's <c>LSTMBlockCellBprop</c>, which ignores the cell clip as the
    /// kernel does): <c>do = o·(1 − o)·h_grad·co</c>, <c>dcs = (1 − co²)·h_grad·o + cs_grad [+ do·wco]</c>,
    /// <c>dci = (1 − ci²)·dcs·i</c>, <c>df = f·(1 − f)·dcs·cs_prev</c>, <c>di = i·(1 − i)·dcs·ci</c>, dicfo their
    /// concatenation and <c>cs_prev_grad = dcs·f [+ di·wci + df·wcf]</c>. Returns dicfo, cs_prev_grad and (with
    /// peepholes) the per-element peephole gradients <c>di·cs_prev</c>, <c>df·cs_prev</c>, <c>do·cs</c>, which the
    /// caller sums over the batch.
    /// </summary>
    private (string Dicfo, string CsPrevGrad, string[]? Peepholes) LstmBackwardStep(DType dtype, bool peephole, string csPrev, string wci, string wcf, string wco,
        string i, string cs, string f, string o, string ci, string co, string csGrad, string hGrad)
    {
        var one = Scalar(1, dtype);
        string OneMinus(string v) => Apply("Sub", one, v);
        var dO = Apply("Mul", Apply("Mul", Apply("Mul", o, OneMinus(o)), hGrad), co);
        var dcs = Apply("Add", Apply("Mul", Apply("Mul", OneMinus(Apply("Mul", co, co)), hGrad), o), csGrad);
        if (peephole) dcs = Apply("Add", dcs, Apply("Mul", dO, wco));
        var dci = Apply("Mul", Apply("Mul", OneMinus(Apply("Mul", ci, ci)), dcs), i);
        var df = Apply("Mul", Apply("Mul", Apply("Mul", f, OneMinus(f)), dcs), csPrev);
        var di = Apply("Mul", Apply("Mul", Apply("Mul", i, OneMinus(i)), dcs), ci);
        var dicfo = ApplyWith("Concat", [di, dci, df, dO], ("axis", 1L));
        var csPrevGrad = Apply("Mul", dcs, f);
        if (!peephole) return (dicfo, csPrevGrad, null);
        csPrevGrad = Apply("Add", Apply("Add", csPrevGrad, Apply("Mul", di, wci)), Apply("Mul", df, wcf));
        return (dicfo, csPrevGrad, [Apply("Mul", di, csPrev), Apply("Mul", df, csPrev), Apply("Mul", dO, cs)]);
    }

    /// <summary>A sum over the first axis (the batch, or the time steps).</summary>
    private string SumOverAxis0(string x) => ApplyWith("ReduceSum", [x, Ints([0])], ("keepdims", 0L));

    /// <summary>Zeros of <paramref name="like"/>'s shape and <paramref name="dtype"/>.</summary>
    private string ZerosOf(string like, DType dtype) =>
        ApplyWith("ConstantOfShape", [Apply("Shape", like)], ("value", NDArray.Scalar(0.0).Cast(dtype).Reshape(new Shape(1))));

    /// <summary>
    /// LSTMBlockCellGrad: cs_prev_grad and dicfo from <see cref="LstmBackwardStep"/>; wci_grad, wcf_grad and wco_grad
    /// the peephole gradients summed over the batch, or zeros of the peepholes' shape without use_peephole.
    /// </summary>
    private void LstmBlockCellGradOp(Operation op)
    {
        var dtype = op.inputs[0].dtype;
        var peephole = Attr<bool>(op, "use_peephole");
        var (dicfo, csPrevGrad, peepholes) = LstmBackwardStep(dtype, peephole, In(op, 1), In(op, 4), In(op, 5), In(op, 6),
            In(op, 8), In(op, 9), In(op, 10), In(op, 11), In(op, 12), In(op, 13), In(op, 14), In(op, 15));
        Node("Identity", [csPrevGrad], [Out(op.outputs[0])]);
        Node("Identity", [dicfo], [Out(op.outputs[1])]);
        for (var k = 0; k < 3; k++)
        {
            if (peepholes is null) Node("ConstantOfShape", [Apply("Shape", In(op, 4 + k))], [Out(op.outputs[2 + k])], ("value", NDArray.Scalar(0.0).Cast(dtype).Reshape(new Shape(1))));
            else Node("ReduceSum", [peepholes[k], Ints([0])], [Out(op.outputs[2 + k])], ("keepdims", 0L));
        }
        for (var k = 0; k < 5; k++) _names[op.outputs[k]] = Out(op.outputs[k]);
    }

    /// <summary>The time steps of a BlockLSTM or BlockLSTMGrad (its x's first dimension), as an int64 scalar.</summary>
    private string TimeSteps(Operation op) => Dim(In(op, 1), 0);

    /// <summary>
    /// BlockLSTM as one ONNX Loop over the time steps of x (every output, cell_clip, and seq_len_max known only at
    /// run time): the body reads step t of x, carries cs and h, and runs <see cref="LstmForwardStep"/>; its seven
    /// values are the Loop's scan outputs, zero at the steps from seq_len_max on (as the kernel leaves them), where
    /// the carried state stays as it was.
    /// </summary>
    private void BlockLstmLoop(Operation op)
    {
        var dtype = op.inputs[1].dtype;
        var steps = Int64(op.inputs[0]);
        var outer = _current;
        var body = new GraphProto { Name = op.name + "/steps" };
        _current = body;
        try
        {
            var (iteration, condIn, csIn, hIn) = (Fresh(), Fresh(), Fresh(), Fresh());
            body.Input.Add(ScalarInfo(iteration, DType.int64));
            body.Input.Add(ScalarInfo(condIn, DType.@bool));
            body.Input.Add(TypedInfo(csIn, dtype, op, 2));
            body.Input.Add(TypedInfo(hIn, dtype, op, 2));
            var x = ApplyWith("Gather", [In(op, 1), iteration], ("axis", 0L));
            var values = LstmForwardStep(op, x, csIn, hIn, In(op, 4), In(op, 5), In(op, 6), In(op, 7), In(op, 8));
            var active = Apply("Less", iteration, steps);
            var zero = Scalar(0, dtype);
            var condOut = Apply("Identity", condIn);
            body.Output.Add(ScalarInfo(condOut, DType.@bool));
            body.Output.Add(TypedInfo(Apply("Where", active, values[1], csIn), dtype, op, 2));
            body.Output.Add(TypedInfo(Apply("Where", active, values[6], hIn), dtype, op, 2));
            foreach (var v in values) body.Output.Add(TypedInfo(Apply("Where", active, v, zero), dtype, op, 2));
        }
        finally
        {
            _current = outer;
        }
        Node("Loop", [TimeSteps(op), "", In(op, 2), In(op, 3)], [Fresh(), Fresh(), .. op.outputs.Select(Out)], ("body", body));
        foreach (var output in op.outputs) _names[output] = Out(output);
    }

    /// <summary>
    /// BlockLSTMGrad as TensorFlow's kernel computes it: an ONNX Loop over the time steps from the last to the first
    /// (step <c>t = time − 1 − iteration</c>; the steps from seq_len_max on send nothing back), carrying the gradients
    /// of the cell and hidden state that step t sends to step t − 1 (<c>cs_prev_grad</c> and <c>dicfo·w_hᵀ</c>, added
    /// to step t − 1's own cs_grad and h_grad) and the peephole gradients summed so far; each step's dicfo is a scan
    /// output. After the Loop: x_grad = <c>dicfo·w_xᵀ</c>, w_grad = <c>[x, h_prev]ᵀ·dicfo</c> over every step and
    /// row, b_grad the sum of dicfo, cs_prev_grad and h_prev_grad what step 0 sends back.
    /// </summary>
    private void BlockLstmGradOp(Operation op)
    {
        var dtype = op.inputs[1].dtype;
        var peephole = Attr<bool>(op, "use_peephole");
        var steps = Int64(op.inputs[0]);
        var time = TimeSteps(op);
        var (x, csPrev, hPrev, w) = (In(op, 1), In(op, 2), In(op, 3), In(op, 4));
        var (wci, wcf, wco) = (In(op, 5), In(op, 6), In(op, 7));
        // Each step's previous cell and hidden state: the initial ones, then the steps' own.
        var csPrevs = ApplyWith("Concat", [Apply("Unsqueeze", csPrev, Ints([0])), In(op, 10)], ("axis", 0L));
        var hPrevs = ApplyWith("Concat", [Apply("Unsqueeze", hPrev, Ints([0])), In(op, 15)], ("axis", 0L));
        // w's rows: the input's, then the hidden state's.
        var inputSize = Apply("Slice", Apply("Shape", x), Ints([2]), Ints([3]));
        var wx = Apply("Slice", w, Ints([0]), inputSize, Ints([0]));
        var wh = Apply("Slice", w, inputSize, Ints([long.MaxValue]), Ints([0]));
        var whT = ApplyWith("Transpose", [wh], ("perm", new long[] { 1, 0 }));
        var zeros = ZerosOf(csPrev, dtype);
        var peepholeZeros = ZerosOf(wci, dtype);

        var outer = _current;
        var body = new GraphProto { Name = op.name + "/steps_back" };
        _current = body;
        try
        {
            var (iteration, condIn, csCarry, hCarry) = (Fresh(), Fresh(), Fresh(), Fresh());
            var sums = new[] { Fresh(), Fresh(), Fresh() };
            body.Input.Add(ScalarInfo(iteration, DType.int64));
            body.Input.Add(ScalarInfo(condIn, DType.@bool));
            body.Input.Add(TypedInfo(csCarry, dtype, op, 2));
            body.Input.Add(TypedInfo(hCarry, dtype, op, 2));
            foreach (var s in sums) body.Input.Add(TypedInfo(s, dtype, op, 1));
            var t = Apply("Sub", Apply("Sub", time, Long(1)), iteration);
            string At(string sequence) => ApplyWith("Gather", [sequence, t], ("axis", 0L));
            var csGrad = Apply("Add", At(In(op, 16)), csCarry);
            var hGrad = Apply("Add", At(In(op, 17)), hCarry);
            var (dicfo, csPrevGrad, peepholes) = LstmBackwardStep(dtype, peephole, At(csPrevs), wci, wcf, wco,
                At(In(op, 9)), At(In(op, 10)), At(In(op, 11)), At(In(op, 12)), At(In(op, 13)), At(In(op, 14)), csGrad, hGrad);
            var active = Apply("Less", t, steps);
            var zero = Scalar(0, dtype);
            var condOut = Apply("Identity", condIn);
            body.Output.Add(ScalarInfo(condOut, DType.@bool));
            body.Output.Add(TypedInfo(Apply("Where", active, csPrevGrad, csCarry), dtype, op, 2));
            body.Output.Add(TypedInfo(Apply("Where", active, Apply("MatMul", dicfo, whT), hCarry), dtype, op, 2));
            for (var k = 0; k < 3; k++)
                body.Output.Add(TypedInfo(peepholes is null ? Apply("Identity", sums[k]) : Apply("Where", active, Apply("Add", sums[k], SumOverAxis0(peepholes[k])), sums[k]), dtype, op, 1));
            body.Output.Add(TypedInfo(Apply("Where", active, dicfo, zero), dtype, op, 2));
        }
        finally
        {
            _current = outer;
        }
        var (csPrevGradOut, hPrevGradOut, dicfoBack) = (Fresh(), Fresh(), Fresh());
        var peepholeGrads = new[] { Fresh(), Fresh(), Fresh() };
        Node("Loop", [time, "", zeros, zeros, peepholeZeros, peepholeZeros, peepholeZeros], [csPrevGradOut, hPrevGradOut, .. peepholeGrads, dicfoBack], ("body", body));
        var dicfoAll = Reversed(dicfoBack);
        var outs = op.outputs.Select(Out).ToArray();
        Node("MatMul", [dicfoAll, ApplyWith("Transpose", [wx], ("perm", new long[] { 1, 0 }))], [outs[0]]);
        Node("Identity", [csPrevGradOut], [outs[1]]);
        Node("Identity", [hPrevGradOut], [outs[2]]);
        // [x_t, h_prev_t] for every step and row, against every step's and row's dicfo.
        var hBefore = Apply("Slice", hPrevs, Ints([0]), Apply("Unsqueeze", time, Ints([0])), Ints([0]));
        var xh = ApplyWith("Flatten", [ApplyWith("Concat", [x, hBefore], ("axis", 2L))], ("axis", 2L));
        var rows = ApplyWith("Flatten", [dicfoAll], ("axis", 2L));
        Node("MatMul", [ApplyWith("Transpose", [xh], ("perm", new long[] { 1, 0 })), rows], [outs[3]]);
        for (var k = 0; k < 3; k++) Node("Identity", [peepholeGrads[k]], [outs[4 + k]]);
        Node("ReduceSum", [rows, Ints([0])], [outs[7]], ("keepdims", 0L));
        foreach (var output in op.outputs) _names[output] = Out(output);
    }
}
