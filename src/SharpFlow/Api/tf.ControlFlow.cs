#pragma warning disable CS8981
using SharpFlow.Ops.Control;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>
        /// <c>tf.cond(pred, true_fn, false_fn)</c>: <paramref name="true_fn"/>'s result when <paramref name="pred"/> is
        /// true, else <paramref name="false_fn"/>'s. Only the taken branch's ops run; ops a branch creates belong to
        /// it, and tensors it uses from outside enter through a Switch.
        /// </summary>
        public static Tensor cond(TensorLike pred, Func<Tensor> true_fn, Func<Tensor> false_fn, string? name = null) =>
            ControlFlowOps.Cond(pred, () => [true_fn()], () => [false_fn()], name)[0];

        /// <summary><c>tf.cond</c> whose branches return several tensors (of matching dtypes).</summary>
        public static Tensor[] cond(TensorLike pred, Func<Tensor[]> true_fn, Func<Tensor[]> false_fn, string? name = null) =>
            ControlFlowOps.Cond(pred, () => true_fn(), () => false_fn(), name);

        /// <summary><c>tf.cond</c> whose branches return two tensors.</summary>
        public static (Tensor, Tensor) cond(TensorLike pred, Func<(Tensor, Tensor)> true_fn, Func<(Tensor, Tensor)> false_fn, string? name = null)
        {
            var r = ControlFlowOps.Cond(pred, () => { var (a, b) = true_fn(); return [a, b]; }, () => { var (a, b) = false_fn(); return [a, b]; }, name);
            return (r[0], r[1]);
        }

        /// <summary>
        /// <c>tf.cond</c> whose branches are operations (a training step taken or not): the result runs the taken
        /// branch's operation.
        /// </summary>
        public static Operation cond(TensorLike pred, Func<Operation> true_fn, Func<Operation> false_fn, string? name = null) =>
            ControlFlowOps.Cond(pred, () => [true_fn()], () => [false_fn()], name)[0].op;

        /// <summary>
        /// <c>tf.case(pred_fn_pairs, default)</c>: the result of the function paired with the first true predicate,
        /// else of <paramref name="default"/> (or, without one, of the last function). With
        /// <paramref name="exclusive"/>, more than one true predicate is an InvalidArgumentError.
        /// </summary>
        public static Tensor case_(IEnumerable<(TensorLike pred, Func<Tensor> fn)> pred_fn_pairs, Func<Tensor>? @default = null,
            bool exclusive = false, string? name = null) =>
            ControlFlowOps.Case([.. pred_fn_pairs.Select(p => (p.pred, (Func<IReadOnlyList<ITensorOrOperation>>)(() => [p.fn()])))],
                @default is null ? null : () => [@default()], exclusive, name)[0];

        /// <summary>
        /// <c>tf.while_loop(cond, body, loop_vars)</c>: repeats <paramref name="body"/> while <paramref name="cond"/>
        /// holds and returns the loop variables' final values. Each iteration sees the previous iteration's values;
        /// tensors from outside are loop invariants. <paramref name="shape_invariants"/> (null entries keep the
        /// initial shape) lets a variable's shape change; <paramref name="maximum_iterations"/> bounds the count;
        /// <paramref name="back_prop"/>=false builds no gradient.
        /// </summary>
        public static Tensor[] while_loop(Func<Tensor[], Tensor> cond, Func<Tensor[], Tensor[]> body, IReadOnlyList<TensorLike> loop_vars,
            IReadOnlyList<Shape?>? shape_invariants = null, int parallel_iterations = 10, bool back_prop = true, bool swap_memory = false,
            string? name = null, TensorLike? maximum_iterations = null) =>
            ControlFlowOps.WhileLoop(cond, body, loop_vars, shape_invariants, parallel_iterations, back_prop, maximum_iterations, name);

        /// <summary><c>tf.while_loop</c> over a single loop variable.</summary>
        public static Tensor while_loop(Func<Tensor, Tensor> cond, Func<Tensor, Tensor> body, TensorLike loop_var,
            Shape? shape_invariant = null, int parallel_iterations = 10, bool back_prop = true, bool swap_memory = false,
            string? name = null, TensorLike? maximum_iterations = null) =>
            ControlFlowOps.WhileLoop(v => cond(v[0]), v => [body(v[0])], [loop_var], shape_invariant is null ? null : [shape_invariant],
                parallel_iterations, back_prop, maximum_iterations, name)[0];

        /// <summary><c>tf.while_loop</c> over two loop variables.</summary>
        public static (Tensor, Tensor) while_loop(Func<Tensor, Tensor, Tensor> cond, Func<Tensor, Tensor, (Tensor, Tensor)> body,
            (TensorLike, TensorLike) loop_vars, int parallel_iterations = 10, bool back_prop = true, bool swap_memory = false,
            string? name = null, TensorLike? maximum_iterations = null)
        {
            var r = ControlFlowOps.WhileLoop(v => cond(v[0], v[1]), v => { var (a, b) = body(v[0], v[1]); return [a, b]; },
                [loop_vars.Item1, loop_vars.Item2], null, parallel_iterations, back_prop, maximum_iterations, name);
            return (r[0], r[1]);
        }

        /// <summary><c>tf.while_loop</c> over three loop variables.</summary>
        public static (Tensor, Tensor, Tensor) while_loop(Func<Tensor, Tensor, Tensor, Tensor> cond, Func<Tensor, Tensor, Tensor, (Tensor, Tensor, Tensor)> body,
            (TensorLike, TensorLike, TensorLike) loop_vars, int parallel_iterations = 10, bool back_prop = true, bool swap_memory = false,
            string? name = null, TensorLike? maximum_iterations = null)
        {
            var r = ControlFlowOps.WhileLoop(v => cond(v[0], v[1], v[2]), v => { var (a, b, c) = body(v[0], v[1], v[2]); return [a, b, c]; },
                [loop_vars.Item1, loop_vars.Item2, loop_vars.Item3], null, parallel_iterations, back_prop, maximum_iterations, name);
            return (r[0], r[1], r[2]);
        }

        /// <summary>
        /// <c>tf.while_loop</c> whose variables may be TensorArrays (each iteration gets the array after the previous
        /// iteration's writes) as well as tensors and numbers.
        /// </summary>
        public static object[] while_loop(Func<object[], Tensor> cond, Func<object[], object[]> body, IReadOnlyList<object> loop_vars,
            int parallel_iterations = 10, bool back_prop = true, bool swap_memory = false, string? name = null, TensorLike? maximum_iterations = null) =>
            Functional.WhileLoop(cond, body, loop_vars, parallel_iterations, back_prop, maximum_iterations, name);

        /// <summary><c>tf.TensorArray(dtype, size, dynamic_size, clear_after_read, ...)</c>.</summary>
        public static TensorArray TensorArray(DType dtype, TensorLike? size = null, bool dynamic_size = false, bool clear_after_read = true,
            string? tensor_array_name = null, bool infer_shape = true, Shape? element_shape = null, string? name = null) =>
            new(dtype, size, dynamic_size, clear_after_read, tensor_array_name, infer_shape, element_shape, name);

        /// <summary>
        /// <c>tf.map_fn(fn, elems)</c>: <paramref name="fn"/> applied to each slice of <paramref name="elems"/> along
        /// its first axis (in a while loop), the results stacked; <paramref name="dtype"/> when fn changes the dtype.
        /// </summary>
        public static Tensor map_fn(Func<Tensor, Tensor> fn, Tensor elems, DType? dtype = null, int parallel_iterations = 10,
            bool back_prop = true, bool swap_memory = false, bool infer_shape = true, string? name = null) =>
            Functional.MapFn(x => [fn(x[0])], [elems], dtype is null ? null : [dtype.Value], parallel_iterations, back_prop, infer_shape, name)[0];

        /// <summary><c>tf.map_fn</c> over several tensors sliced together, with several results (one dtype each).</summary>
        public static Tensor[] map_fn(Func<Tensor[], Tensor[]> fn, IReadOnlyList<Tensor> elems, IReadOnlyList<DType>? dtype = null,
            int parallel_iterations = 10, bool back_prop = true, bool swap_memory = false, bool infer_shape = true, string? name = null) =>
            Functional.MapFn(fn, elems, dtype, parallel_iterations, back_prop, infer_shape, name);

        /// <summary>
        /// <c>tf.scan(fn, elems, initializer)</c>: every intermediate <c>a = fn(a, x)</c> over the slices of
        /// <paramref name="elems"/>, stacked; without <paramref name="initializer"/> the first slice starts.
        /// </summary>
        public static Tensor scan(Func<Tensor, Tensor, Tensor> fn, Tensor elems, TensorLike? initializer = null, int parallel_iterations = 10,
            bool back_prop = true, bool swap_memory = false, bool infer_shape = true, bool reverse = false, string? name = null) =>
            Functional.Scan(fn, elems, initializer, parallel_iterations, back_prop, infer_shape, reverse, name);

        /// <summary><c>tf.foldl(fn, elems, initializer)</c>: <c>a = fn(a, x)</c> over the slices from the first; the final <c>a</c>.</summary>
        public static Tensor foldl(Func<Tensor, Tensor, Tensor> fn, Tensor elems, TensorLike? initializer = null, int parallel_iterations = 10,
            bool back_prop = true, bool swap_memory = false, string? name = null) =>
            Functional.Fold(fn, elems, initializer, parallel_iterations, back_prop, fromRight: false, name);

        /// <summary><c>tf.foldr(fn, elems, initializer)</c>: <c>a = fn(a, x)</c> over the slices from the last; the final <c>a</c>.</summary>
        public static Tensor foldr(Func<Tensor, Tensor, Tensor> fn, Tensor elems, TensorLike? initializer = null, int parallel_iterations = 10,
            bool back_prop = true, bool swap_memory = false, string? name = null) =>
            Functional.Fold(fn, elems, initializer, parallel_iterations, back_prop, fromRight: true, name);

        /// <summary>
        /// <c>tf.Assert(condition, data)</c>: an InvalidArgumentError <c>assertion failed: [data...]</c> when
        /// <paramref name="condition"/> is false at run time. Strings in <paramref name="data"/> are messages.
        /// </summary>
        public static Operation Assert(TensorLike condition, IReadOnlyList<object> data, int summarize = 3, string? name = null) =>
            Ops.Control.Assert.Build(condition, data, summarize, name);
    }
}
