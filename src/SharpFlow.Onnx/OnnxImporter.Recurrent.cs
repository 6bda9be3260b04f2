using SharpFlow.Onnx.Proto;
using static SharpFlow.Binding;

namespace SharpFlow.Onnx;

internal sealed partial class OnnxImporter
{
    private static readonly string[] RecurrentAttributes = ["activation_alpha", "activation_beta", "activations", "clip", "direction", "hidden_size", "layout"];

    /// <summary>The three recurrent operators: their gates and how one step updates the state.</summary>
    private enum Recurrence { Rnn, Gru, Lstm }

    /// <summary>
    /// ONNX's RNN, GRU and LSTM: each direction a <c>tf.scan</c> over the time steps (so the sequence length may be
    /// unknown at import), its state <c>h</c> (and <c>c</c>) held past a batch entry's <c>sequence_lens</c> and its
    /// outputs there zero; the reverse direction reads each sequence reversed within its length. Gate orders are
    /// ONNX's (LSTM iofc, GRU zrh), activations and clipping as the operator's attributes say.
    /// </summary>
    private void Recurrent(NodeProto node, Recurrence kind)
    {
        var gates = kind switch { Recurrence.Lstm => 4, Recurrence.Gru => 3, _ => 1 };
        var direction = Attr(node, "direction", "forward");
        var directions = direction switch
        {
            "forward" => new[] { false },
            "reverse" => [true],
            "bidirectional" => [false, true],
            _ => throw Unsupported(node, "direction", direction),
        };
        var layout = Attr(node, "layout", 0L);
        if (layout is not (0 or 1)) throw Unsupported(node, "layout", layout);
        var inputForget = kind == Recurrence.Lstm && Attr(node, "input_forget", 0L) != 0;

        var x = X(node, 0);
        if (x.shape.ndims != 3) throw Invalid(node, $"its input X has shape {x.shape}, not rank 3.");
        if (layout == 1) x = tf.transpose(x, new[] { 1, 0, 2 });
        var dtype = x.dtype;
        var w = ConstantOrTensor(node, 1);
        var r = ConstantOrTensor(node, 2);
        var hidden = r.shape.ndims == 3 && r.shape[2] >= 0 ? r.shape[2] : (int)Attr(node, "hidden_size", -1L);
        if (hidden <= 0) throw Unsupported(node, "a recurrence whose hidden size is unknown at import");
        if (AttrOf(node, "hidden_size") is { } hsAttr && hsAttr.I != hidden) throw Invalid(node, $"hidden_size {hsAttr.I} does not match R's shape {r.shape}.");
        if (w.shape.ndims != 3 || w.shape[0] != directions.Length || w.shape[1] != gates * hidden)
            throw Invalid(node, $"W has shape {w.shape}, not [{directions.Length}, {gates * hidden}, input_size].");

        var activations = Activations(node, kind, directions.Length);
        var clip = AttrOf(node, "clip")?.F;
        var linearBeforeReset = kind == Recurrence.Gru && Attr(node, "linear_before_reset", 0L) != 0;

        // The time mask [T, B, 1]: 1 where a step is within its batch entry's sequence length.
        Tensor? lengths = Has(node, 4) ? tf.cast(X(node, 4), DType.int32) : null;
        var steps = tf.shape(x)[0];
        var mask = lengths is null
            ? tf.ones_like(tf.slice(x, new[] { 0, 0, 0 }, new[] { -1, -1, 1 }))
            : tf.expand_dims(tf.transpose(tf.sequence_mask(lengths, steps, dtype)), -1);

        Tensor? State(int input)
        {
            if (!Has(node, input)) return null;
            var s = X(node, input);
            return layout == 1 ? tf.transpose(s, new[] { 1, 0, 2 }) : s;
        }
        var (h0, c0) = (State(5), kind == Recurrence.Lstm ? State(6) : null);
        var bias = Has(node, 3) ? ConstantOrTensor(node, 3) : null;
        var peephole = kind == Recurrence.Lstm && Has(node, 7) ? ConstantOrTensor(node, 7) : null;

        var ys = new List<Tensor>();
        var hs = new List<Tensor>();
        var cs = new List<Tensor>();
        for (var d = 0; d < directions.Length; d++)
        {
            var reverse = directions[d];
            var wt = tf.transpose(tf.gather(w, d));                 // [I, G·H]
            var rt = tf.transpose(tf.gather(r, d));                 // [H, G·H]
            Tensor? wb = null, rb = null;
            if (bias is not null)
            {
                var b = tf.gather(bias, d);
                wb = tf.slice(b, new[] { 0 }, new[] { gates * hidden });
                rb = tf.slice(b, new[] { gates * hidden }, new[] { gates * hidden });
            }
            var p = peephole is null ? null : tf.gather(peephole, d);
            var zeros = tf.fill(tf.concat(new[] { tf.slice(tf.shape(x), new[] { 1 }, new[] { 1 }), tf.constant(new[] { hidden }) }, 0), S(0, dtype));
            var h = h0 is null ? zeros : tf.gather(h0, d);
            var c = kind != Recurrence.Lstm ? null : c0 is null ? zeros : tf.gather(c0, d);
            var input = reverse
                ? lengths is null ? tf.reverse(x, new[] { 0 }) : tf.reverse_sequence(x, lengths, seq_axis: 0, batch_axis: 1)
                : x;
            var inputSize = x.shape[2];
            var (f, g, hAct) = activations[d];

            Tensor Gate(Tensor pre, Func<Tensor, Tensor> act) =>
                act(clip is { } cl ? tf.clip_by_value(pre, S(-cl, dtype), S(cl, dtype)) : pre);
            Tensor Part(Tensor t, int k) => tf.slice(t, new[] { 0, k * hidden }, new[] { -1, hidden });
            Tensor Part1(Tensor t, int k) => tf.slice(t, new[] { k * hidden }, new[] { hidden });

            // One step: the state [B, H] (LSTM: [B, 2H], h then c) and the input with its mask column [B, I + 1].
            Tensor Step(Tensor state, Tensor xm)
            {
                var xt = tf.slice(xm, new[] { 0, 0 }, new[] { -1, inputSize });
                var m = tf.slice(xm, new[] { 0, inputSize }, new[] { -1, 1 });
                var hPrev = kind == Recurrence.Lstm ? tf.slice(state, new[] { 0, 0 }, new[] { -1, hidden }) : state;
                var xw = tf.matmul(xt, wt);
                if (wb is not null) xw += wb;
                Tensor next;
                if (kind == Recurrence.Rnn)
                {
                    var pre = xw + tf.matmul(hPrev, rt);
                    if (rb is not null) pre += rb;
                    next = Gate(pre, f);
                }
                else if (kind == Recurrence.Gru)
                {
                    var rz = tf.slice(rt, new[] { 0, 0 }, new[] { -1, 2 * hidden });
                    var rh = tf.slice(rt, new[] { 0, 2 * hidden }, new[] { -1, hidden });
                    var hr = tf.matmul(hPrev, rz);
                    if (rb is not null) hr += tf.slice(rb, new[] { 0 }, new[] { 2 * hidden });
                    var z = Gate(Part(xw, 0) + Part(hr, 0), f);
                    var rg = Gate(Part(xw, 1) + Part(hr, 1), f);
                    var rbh = rb is null ? null : Part1(rb, 2);
                    Tensor candidate;
                    if (linearBeforeReset)
                    {
                        var lin = tf.matmul(hPrev, rh);
                        if (rbh is not null) lin += rbh;
                        candidate = Gate(Part(xw, 2) + rg * lin, g);
                    }
                    else
                    {
                        var pre = Part(xw, 2) + tf.matmul(rg * hPrev, rh);
                        if (rbh is not null) pre += rbh;
                        candidate = Gate(pre, g);
                    }
                    next = (S(1, dtype) - z) * candidate + z * hPrev;
                }
                else
                {
                    var cPrev = tf.slice(state, new[] { 0, hidden }, new[] { -1, hidden });
                    var pre = xw + tf.matmul(hPrev, rt);
                    if (rb is not null) pre += rb;
                    var (pi, po, pf) = p is null ? (null, null, null) : (Part1(p, 0), Part1(p, 1), Part1(p, 2));
                    var iPre = Part(pre, 0);
                    var fPre = Part(pre, 2);
                    if (pi is not null) iPre += pi * cPrev;
                    if (pf is not null) fPre += pf * cPrev;
                    var i = Gate(iPre, f);
                    var fg = inputForget ? S(1, dtype) - i : Gate(fPre, f);
                    var cell = Gate(Part(pre, 3), g);
                    var cNew = fg * cPrev + i * cell;
                    var oPre = Part(pre, 1);
                    if (po is not null) oPre += po * cNew;
                    var o = Gate(oPre, f);
                    var hNew = o * hAct(cNew);
                    next = tf.concat(new[] { hNew, cNew }, 1);
                }
                // Past a sequence's length the state is held.
                return m * next + (S(1, dtype) - m) * state;
            }

            var initial = kind == Recurrence.Lstm ? tf.concat(new[] { h, c! }, 1) : h;
            var scanned = tf.scan(Step, tf.concat(new[] { input, mask }, 2), initial);   // [T, B, H or 2H]
            var y = tf.slice(scanned, new[] { 0, 0, 0 }, new[] { -1, -1, hidden }) * mask;
            var last = tf.gather(scanned, steps - 1);
            hs.Add(tf.slice(last, new[] { 0, 0 }, new[] { -1, hidden }));
            if (kind == Recurrence.Lstm) cs.Add(tf.slice(last, new[] { 0, hidden }, new[] { -1, hidden }));
            if (reverse) y = lengths is null ? tf.reverse(y, new[] { 0 }) : tf.reverse_sequence(y, lengths, seq_axis: 0, batch_axis: 1);
            ys.Add(y);
        }

        var yAll = tf.stack(ys, axis: 1);        // [T, D, B, H]
        var hAll = tf.stack(hs, axis: 0);        // [D, B, H]
        if (layout == 1)
        {
            yAll = tf.transpose(yAll, new[] { 2, 0, 1, 3 });
            hAll = tf.transpose(hAll, new[] { 1, 0, 2 });
        }
        Set(node, 0, yAll);
        Set(node, 1, hAll);
        if (kind == Recurrence.Lstm)
        {
            var cAll = tf.stack(cs, axis: 0);
            Set(node, 2, layout == 1 ? tf.transpose(cAll, new[] { 1, 0, 2 }) : cAll);
        }
    }

    private Tensor ConstantOrTensor(NodeProto node, int index) => X(node, index);

    /// <summary>
    /// The activations of each direction (f, g, h), from the attribute or the operator's defaults; the alphas and
    /// betas are taken in order by the activations that have them, as ONNX Runtime reads them.
    /// </summary>
    private (Func<Tensor, Tensor> F, Func<Tensor, Tensor> G, Func<Tensor, Tensor> H)[] Activations(NodeProto node, Recurrence kind, int directions)
    {
        var per = kind switch { Recurrence.Lstm => 3, Recurrence.Gru => 2, _ => 1 };
        string[] defaults = kind switch { Recurrence.Lstm => ["Sigmoid", "Tanh", "Tanh"], Recurrence.Gru => ["Sigmoid", "Tanh"], _ => ["Tanh"] };
        var names = AttrOf(node, "activations") is { } a ? a.Strings.Select(s => s.ToStringUtf8()).ToList() : [.. Enumerable.Repeat(defaults, directions).SelectMany(s => s)];
        if (names.Count == per && directions == 2) names = [.. names, .. names];
        if (names.Count != per * directions) throw Invalid(node, $"{names.Count} activations for {directions} direction(s) of {per}.");
        var alphas = new Queue<float>(AttrOf(node, "activation_alpha")?.Floats ?? []);
        var betas = new Queue<float>(AttrOf(node, "activation_beta")?.Floats ?? []);
        float Next(Queue<float> q, float fallback) => q.Count > 0 ? q.Dequeue() : fallback;
        Func<Tensor, Tensor> Activation(string name)
        {
            switch (name.ToLowerInvariant())
            {
                case "sigmoid": return t => tf.sigmoid(t);
                case "tanh": return t => tf.tanh(t);
                case "relu": return t => tf.nn.relu(t);
                case "softsign": return t => t / (S(1, t.dtype) + tf.abs(t));
                case "softplus": return t => tf.nn.softplus(t);
                case "leakyrelu": { var al = Next(alphas, 0.01f); return t => LeakyRelu(t, al); }
                case "thresholdedrelu": { var al = Next(alphas, 1f); return t => tf.where(tf.greater(t, S(al, t.dtype)), t, tf.zeros_like(t)); }
                case "elu": { var al = Next(alphas, 1f); return t => Elu(t, al); }
                case "hardsigmoid": { var (al, be) = (Next(alphas, 0.2f), Next(betas, 0.5f)); return t => HardSigmoid(t, al, be); }
                case "scaledtanh": { var (al, be) = (Next(alphas, 1f), Next(betas, 1f)); return t => S(al, t.dtype) * tf.tanh(S(be, t.dtype) * t); }
                case "affine": { var (al, be) = (Next(alphas, 1f), Next(betas, 0f)); return t => S(al, t.dtype) * t + S(be, t.dtype); }
                default: throw Unsupported(node, "activations", name);
            }
        }
        var fns = names.Select(Activation).ToArray();
        return [.. Enumerable.Range(0, directions).Select(d => (fns[d * per], per > 1 ? fns[d * per + 1] : fns[d * per], per > 2 ? fns[d * per + 2] : fns[d * per]))];
    }
}
