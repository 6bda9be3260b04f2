using System.Runtime.CompilerServices;

namespace SharpFlow;

#pragma warning disable CA1034, CA1720, CA1716, CS8981 // the facade mirrors TensorFlow's module layout and names

public static partial class Binding
{
    public static partial class tf
    {
        public static partial class data
        {
            // Nested elements, as the book's chapter 9 builds them: Dataset.zip((src, trg)) of (ids, length) pairs gives
            // ((src_ids, src_len), (trg_ids, trg_len)), and Python's map(lambda src_tuple, trg_tuple: ...) receives the
            // two inner tuples. In C# the lambda types its parameters as DatasetElement, which deconstruct into
            // tensors (var (ids, len) = src;) or index further (src.element(0)). These overloads rank below the tensor
            // ones, so an untyped lambda keeps meaning tensors.
            public partial class Dataset
            {
                /// <summary>
                /// <c>map</c> with the whole element as one structure (<c>(DatasetElement e) =&gt; ...</c>): for nested
                /// elements, <c>e.element(0)</c> is the first part as a structure, <c>e[1]</c> a tensor part.
                /// </summary>
                [OverloadResolutionPriority(-1)]
                public Dataset map(Func<DatasetElement, object> map_func, TensorLike num_parallel_calls = default)
                {
                    ArgumentNullException.ThrowIfNull(map_func);
                    return MapCore(e => map_func(e), num_parallel_calls);
                }

                /// <summary>
                /// <c>map</c> on a pair of structures (<c>(DatasetElement src, DatasetElement trg) =&gt; ...</c>), as
                /// Python's <c>map(lambda src_tuple, trg_tuple: ...)</c> on a zip of tuple datasets; return nested tuples
                /// (<c>((a, b), (c, d, e))</c>) to keep the structure.
                /// </summary>
                [OverloadResolutionPriority(-1)]
                public Dataset map(Func<DatasetElement, DatasetElement, object> map_func, TensorLike num_parallel_calls = default)
                {
                    ArgumentNullException.ThrowIfNull(map_func);
                    return MapCore(e => map_func(ArgN(e, 2, "map").element(0), e.element(1)), num_parallel_calls);
                }

                /// <summary><c>map</c> on a triple of structures.</summary>
                [OverloadResolutionPriority(-1)]
                public Dataset map(Func<DatasetElement, DatasetElement, DatasetElement, object> map_func, TensorLike num_parallel_calls = default)
                {
                    ArgumentNullException.ThrowIfNull(map_func);
                    return MapCore(e => map_func(ArgN(e, 3, "map").element(0), e.element(1), e.element(2)), num_parallel_calls);
                }

                /// <summary><c>filter</c> with the whole element as one structure.</summary>
                [OverloadResolutionPriority(-1)]
                public Dataset filter(Func<DatasetElement, Tensor> predicate)
                {
                    ArgumentNullException.ThrowIfNull(predicate);
                    return FilterCore(e => predicate(e));
                }

                /// <summary><c>filter</c> on a pair of structures (Python's <c>filter(lambda src_tuple, trg_tuple: ...)</c>).</summary>
                [OverloadResolutionPriority(-1)]
                public Dataset filter(Func<DatasetElement, DatasetElement, Tensor> predicate)
                {
                    ArgumentNullException.ThrowIfNull(predicate);
                    return FilterCore(e => predicate(ArgN(e, 2, "filter").element(0), e.element(1)));
                }

                /// <summary><c>flat_map</c> with the whole element as one structure.</summary>
                [OverloadResolutionPriority(-1)]
                public Dataset flat_map(Func<DatasetElement, Dataset> map_func)
                {
                    ArgumentNullException.ThrowIfNull(map_func);
                    return FlatMapCore(e => map_func(e), null);
                }

                /// <summary><c>flat_map</c> on a pair of structures.</summary>
                [OverloadResolutionPriority(-1)]
                public Dataset flat_map(Func<DatasetElement, DatasetElement, Dataset> map_func)
                {
                    ArgumentNullException.ThrowIfNull(map_func);
                    return FlatMapCore(e => map_func(ArgN(e, 2, "flat_map").element(0), e.element(1)), null);
                }
            }
        }
    }
}
