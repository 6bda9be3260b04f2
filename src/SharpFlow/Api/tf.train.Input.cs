#pragma warning disable CS8981 // the facade keeps TensorFlow's lower-case names
using SharpFlow.Train.Input;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary><c>tf.count_up_to(ref, limit)</c>: increments an integer variable, OutOfRangeError once it reaches <paramref name="limit"/>; outputs the value before.</summary>
        public static Tensor count_up_to(Variable @ref, long limit, string? name = null) => Ops.State.CountUpTo.Build(@ref, limit, name);

        public static partial class train
        {
            /// <summary><c>tf.train.Coordinator()</c>: stops a group of threads together and reports their exceptions.</summary>
            public static Coordinator Coordinator(IEnumerable<Type>? clean_stop_exception_types = null) => new(clean_stop_exception_types);

            /// <summary><c>tf.train.QueueRunner(queue, enqueue_ops)</c>: threads that run the enqueue ops into the queue.</summary>
            public static QueueRunner QueueRunner(QueueBase queue, IEnumerable<Operation> enqueue_ops, Operation? close_op = null, Operation? cancel_op = null,
                IEnumerable<Type>? queue_closed_exception_types = null) =>
                new(queue, enqueue_ops, close_op, cancel_op, queue_closed_exception_types);

            /// <summary><c>tf.train.add_queue_runner(qr)</c>: registers the runner for <see cref="start_queue_runners"/>.</summary>
            public static void add_queue_runner(QueueRunner qr, string collection = SharpFlow.GraphKeys.QUEUE_RUNNERS) => QueueRunners.Add(qr, collection);

            /// <summary>
            /// <c>tf.train.start_queue_runners(sess, coord)</c>: starts the threads of every registered queue runner in
            /// <paramref name="sess"/> (the default session when null) and returns them.
            /// </summary>
            public static List<Thread> start_queue_runners(Session? sess = null, Coordinator? coord = null, bool daemon = true, bool start = true,
                string collection = SharpFlow.GraphKeys.QUEUE_RUNNERS) =>
                QueueRunners.Start(sess, coord, daemon, start, collection);

            /// <inheritdoc cref="Inputs.limit_epochs"/>
            public static Tensor limit_epochs(Tensor tensor, int? num_epochs = null, string? name = null) => Inputs.limit_epochs(tensor, num_epochs, name);

            /// <inheritdoc cref="Inputs.input_producer"/>
            public static QueueBase input_producer(Tensor input_tensor, Shape? element_shape = null, int? num_epochs = null, bool shuffle = true, int? seed = null,
                int capacity = 32, string? shared_name = null, string? summary_name = null, string? name = null, Operation? cancel_op = null) =>
                Inputs.input_producer(input_tensor, element_shape, num_epochs, shuffle, seed, capacity, shared_name, summary_name, name, cancel_op);

            /// <inheritdoc cref="Inputs.string_input_producer(IReadOnlyList{string}, int?, bool, int?, int, string?, string?, Operation?)"/>
            public static QueueBase string_input_producer(IReadOnlyList<string> string_tensor, int? num_epochs = null, bool shuffle = true, int? seed = null,
                int capacity = 32, string? shared_name = null, string? name = null, Operation? cancel_op = null) =>
                Inputs.string_input_producer(string_tensor, num_epochs, shuffle, seed, capacity, shared_name, name, cancel_op);

            /// <inheritdoc cref="Inputs.string_input_producer(Tensor, int?, bool, int?, int, string?, string?, Operation?)"/>
            public static QueueBase string_input_producer(Tensor string_tensor, int? num_epochs = null, bool shuffle = true, int? seed = null,
                int capacity = 32, string? shared_name = null, string? name = null, Operation? cancel_op = null) =>
                Inputs.string_input_producer(string_tensor, num_epochs, shuffle, seed, capacity, shared_name, name, cancel_op);

            /// <inheritdoc cref="Inputs.range_input_producer"/>
            public static QueueBase range_input_producer(TensorLike limit, int? num_epochs = null, bool shuffle = true, int? seed = null, int capacity = 32,
                string? shared_name = null, string? name = null) =>
                Inputs.range_input_producer(limit, num_epochs, shuffle, seed, capacity, shared_name, name);

            /// <inheritdoc cref="Inputs.slice_input_producer"/>
            public static Tensor[] slice_input_producer(IReadOnlyList<TensorLike> tensor_list, int? num_epochs = null, bool shuffle = true, int? seed = null,
                int capacity = 32, string? shared_name = null, string? name = null) =>
                Inputs.slice_input_producer(tensor_list, num_epochs, shuffle, seed, capacity, shared_name, name);

            /// <inheritdoc cref="Inputs.batch"/>
            public static Tensor[] batch(IReadOnlyList<Tensor> tensors, int batch_size, int num_threads = 1, int capacity = 32, bool enqueue_many = false,
                Shape[]? shapes = null, bool dynamic_pad = false, bool allow_smaller_final_batch = false, string? shared_name = null, string? name = null) =>
                Inputs.batch(tensors, batch_size, num_threads, capacity, enqueue_many, shapes, dynamic_pad, allow_smaller_final_batch, shared_name, name);

            /// <inheritdoc cref="Inputs.batch_join"/>
            public static Tensor[] batch_join(IReadOnlyList<IReadOnlyList<Tensor>> tensors_list, int batch_size, int capacity = 32, bool enqueue_many = false,
                Shape[]? shapes = null, bool dynamic_pad = false, bool allow_smaller_final_batch = false, string? shared_name = null, string? name = null) =>
                Inputs.batch_join(tensors_list, batch_size, capacity, enqueue_many, shapes, dynamic_pad, allow_smaller_final_batch, shared_name, name);

            /// <inheritdoc cref="Inputs.shuffle_batch"/>
            public static Tensor[] shuffle_batch(IReadOnlyList<Tensor> tensors, int batch_size, int capacity, int min_after_dequeue, int num_threads = 1,
                int? seed = null, bool enqueue_many = false, Shape[]? shapes = null, bool allow_smaller_final_batch = false, string? shared_name = null, string? name = null) =>
                Inputs.shuffle_batch(tensors, batch_size, capacity, min_after_dequeue, num_threads, seed, enqueue_many, shapes, allow_smaller_final_batch, shared_name, name);

            /// <inheritdoc cref="Inputs.shuffle_batch_join"/>
            public static Tensor[] shuffle_batch_join(IReadOnlyList<IReadOnlyList<Tensor>> tensors_list, int batch_size, int capacity, int min_after_dequeue,
                int? seed = null, bool enqueue_many = false, Shape[]? shapes = null, bool allow_smaller_final_batch = false, string? shared_name = null, string? name = null) =>
                Inputs.shuffle_batch_join(tensors_list, batch_size, capacity, min_after_dequeue, seed, enqueue_many, shapes, allow_smaller_final_batch, shared_name, name);
        }
    }
}
