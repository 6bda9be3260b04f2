#pragma warning disable CS8981

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class contrib
        {
            /// <summary>
            /// TensorFlow 1.x's <c>tf.contrib.framework</c>: the older home of the global-step helpers (the book's
            /// distributed programs call them there).
            /// </summary>
            public static class framework
            {
                /// <summary><c>tf.contrib.framework.get_or_create_global_step</c>, the same as <see cref="train.get_or_create_global_step"/>.</summary>
                public static Variable get_or_create_global_step(Graph? graph = null) => train.get_or_create_global_step(graph);

                /// <summary><c>tf.contrib.framework.get_global_step</c>, the same as <see cref="train.get_global_step"/>.</summary>
                public static Variable? get_global_step(Graph? graph = null) => train.get_global_step(graph);
            }

            /// <summary>
            /// TensorFlow 1.3's <c>tf.contrib.data</c>, where the datasets lived before <c>tf.data</c>: the file
            /// datasets under their old names (called like the classes: <c>tf.contrib.data.TextLineDataset(path)</c>).
            /// </summary>
            public static partial class data
            {
                /// <summary><c>tf.contrib.data.TextLineDataset</c>: <see cref="tf.data.TextLineDataset"/>.</summary>
                public static tf.data.Dataset TextLineDataset(object filenames, string? compression_type = null, long? buffer_size = null) =>
                    new tf.data.TextLineDataset(filenames, compression_type, buffer_size);

                /// <summary><c>tf.contrib.data.TFRecordDataset</c>: <see cref="tf.data.TFRecordDataset"/>.</summary>
                public static tf.data.Dataset TFRecordDataset(object filenames, string? compression_type = null, long? buffer_size = null) =>
                    new tf.data.TFRecordDataset(filenames, compression_type, buffer_size);

                /// <summary><c>tf.contrib.data.FixedLengthRecordDataset</c>: <see cref="tf.data.FixedLengthRecordDataset"/>.</summary>
                public static tf.data.Dataset FixedLengthRecordDataset(object filenames, long record_bytes, long? header_bytes = null, long? footer_bytes = null, long? buffer_size = null) =>
                    new tf.data.FixedLengthRecordDataset(filenames, record_bytes, header_bytes, footer_bytes, buffer_size);
            }
        }
    }
}
