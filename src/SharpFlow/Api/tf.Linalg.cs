#pragma warning disable CS8981
using SharpFlow.Functions;
using SharpFlow.Ops.MathOps;

namespace SharpFlow;

public static partial class Binding
{
    public static partial class tf
    {
        /// <summary>Keeps <paramref name="num_lower"/> diagonals below and <paramref name="num_upper"/> above the main one (negative: all) of each innermost matrix.</summary>
        public static Tensor matrix_band_part(TensorLike input, TensorLike num_lower, TensorLike num_upper, string? name = null) =>
            MatrixBandPart.Build(input, num_lower, num_upper, name);
        /// <summary>
        /// Diagonal matrices <c>[..., n, n]</c> from diagonals <c>[..., n]</c> (MatrixDiag); with <paramref name="k"/> (one
        /// diagonal index or <c>[lower, upper]</c>), <paramref name="num_rows"/>, <paramref name="num_cols"/> or
        /// <paramref name="padding_value"/> the band matrices of packed diagonals (MatrixDiagV2, LEFT_LEFT as TensorFlow 1.15),
        /// with <paramref name="align"/> (RIGHT_LEFT, LEFT_RIGHT, LEFT_LEFT, RIGHT_RIGHT) MatrixDiagV3.
        /// </summary>
        public static Tensor matrix_diag(TensorLike diagonal, string? name = null, TensorLike? k = null, TensorLike? num_rows = null, TensorLike? num_cols = null, TensorLike? padding_value = null, string? align = null) =>
            k is null && num_rows is null && num_cols is null && padding_value is null && align is null
            ? MatrixDiag.Build(diagonal, name) : MatrixDiagV2.Build(diagonal, k ?? 0, num_rows, num_cols, padding_value, align, name);
        /// <summary>
        /// The main diagonal of each innermost matrix (MatrixDiagPart); with <paramref name="k"/> or <paramref name="padding_value"/>
        /// the diagonals <c>k</c> packed and padded (MatrixDiagPartV2, LEFT_LEFT), with <paramref name="align"/> MatrixDiagPartV3.
        /// </summary>
        public static Tensor matrix_diag_part(TensorLike input, string? name = null, TensorLike? k = null, TensorLike? padding_value = null, string? align = null) =>
            k is null && padding_value is null && align is null
            ? MatrixDiagPart.Build(input, name) : MatrixDiagPartV2.Build(input, k ?? 0, padding_value, align, name);
        /// <summary>
        /// Each innermost matrix of <paramref name="input"/> with its main diagonal replaced by <paramref name="diagonal"/>
        /// (MatrixSetDiag); with <paramref name="k"/> the diagonals <c>k</c> by packed ones (MatrixSetDiagV2, LEFT_LEFT),
        /// with <paramref name="align"/> MatrixSetDiagV3.
        /// </summary>
        public static Tensor matrix_set_diag(TensorLike input, TensorLike diagonal, string? name = null, TensorLike? k = null, string? align = null) =>
            k is null && align is null
            ? MatrixSetDiag.Build(input, diagonal, name) : MatrixSetDiagV2.Build(input, diagonal, k ?? 0, align, name);
        /// <summary>The sum of the main diagonal of each innermost matrix.</summary>
        public static Tensor trace(TensorLike x, string? name = null) => LinearAlgebra.Trace(x, name);

        /// <summary>Contracts the last <paramref name="axes"/> axes of <paramref name="a"/> with the first of <paramref name="b"/>.</summary>
        public static Tensor tensordot(TensorLike a, TensorLike b, int axes, string? name = null) => LinearAlgebra.Tensordot(a, b, axes, name);
        /// <summary>Contracts axes <c>axes[0]</c> of <paramref name="a"/> with axes <c>axes[1]</c> of <paramref name="b"/>.</summary>
        public static Tensor tensordot(TensorLike a, TensorLike b, int[][] axes, string? name = null) => LinearAlgebra.Tensordot(a, b, axes, name);
        /// <summary>Contracts axis <c>axes[0]</c> of <paramref name="a"/> with axis <c>axes[1]</c> of <paramref name="b"/>.</summary>
        public static Tensor tensordot(TensorLike a, TensorLike b, int[] axes, string? name = null) => LinearAlgebra.Tensordot(a, b, axes, name);

        /// <summary>
        /// Einstein summation (<c>"ij,jk->ik"</c>, <c>"bij,bjk->bik"</c>, <c>"ij->ji"</c>, <c>"ij->"</c>, <c>"i,j->ij"</c>,
        /// <c>"i,i->"</c>, …) through transposes, reshapes, matrix products and sums.
        /// </summary>
        public static Tensor einsum(string equation, params TensorLike[] inputs) => LinearAlgebra.Einsum(equation, inputs, null);

        /// <summary>TensorFlow 1.x's <c>tf.linalg</c>: aliases of the matrix functions.</summary>
        public static class linalg
        {
            /// <summary>Alias of <see cref="tf.matmul"/>.</summary>
            public static Tensor matmul(TensorLike a, TensorLike b, bool transpose_a = false, bool transpose_b = false, bool adjoint_a = false, bool adjoint_b = false,
                bool a_is_sparse = false, bool b_is_sparse = false, string? name = null) =>
                tf.matmul(a, b, transpose_a, transpose_b, adjoint_a, adjoint_b, a_is_sparse, b_is_sparse, name);
            /// <summary>Alias of <see cref="tf.matrix_band_part"/>.</summary>
            public static Tensor band_part(TensorLike input, TensorLike num_lower, TensorLike num_upper, string? name = null) =>
                MatrixBandPart.Build(input, num_lower, num_upper, name);
            /// <summary>Alias of <see cref="tf.matrix_diag"/>.</summary>
            public static Tensor diag(TensorLike diagonal, string? name = null, TensorLike? k = null, TensorLike? num_rows = null, TensorLike? num_cols = null, TensorLike? padding_value = null, string? align = null) =>
            k is null && num_rows is null && num_cols is null && padding_value is null && align is null
            ? MatrixDiag.Build(diagonal, name) : MatrixDiagV2.Build(diagonal, k ?? 0, num_rows, num_cols, padding_value, align, name);
            /// <summary>Alias of <see cref="tf.matrix_diag_part"/>.</summary>
            public static Tensor diag_part(TensorLike input, string? name = null, TensorLike? k = null, TensorLike? padding_value = null, string? align = null) =>
            k is null && padding_value is null && align is null
            ? MatrixDiagPart.Build(input, name) : MatrixDiagPartV2.Build(input, k ?? 0, padding_value, align, name);
            /// <summary>Alias of <see cref="tf.matrix_set_diag"/>.</summary>
            public static Tensor set_diag(TensorLike input, TensorLike diagonal, string? name = null, TensorLike? k = null, string? align = null) =>
            k is null && align is null
            ? MatrixSetDiag.Build(input, diagonal, name) : MatrixSetDiagV2.Build(input, diagonal, k ?? 0, align, name);
            /// <summary>Alias of <see cref="tf.trace"/>.</summary>
            public static Tensor trace(TensorLike x, string? name = null) => LinearAlgebra.Trace(x, name);
            /// <summary>Alias of <see cref="tf.tensordot(TensorLike, TensorLike, int, string?)"/>.</summary>
            public static Tensor tensordot(TensorLike a, TensorLike b, int axes, string? name = null) => LinearAlgebra.Tensordot(a, b, axes, name);
            /// <summary>Alias of <see cref="tf.tensordot(TensorLike, TensorLike, int[][], string?)"/>.</summary>
            public static Tensor tensordot(TensorLike a, TensorLike b, int[][] axes, string? name = null) => LinearAlgebra.Tensordot(a, b, axes, name);
            /// <summary>Alias of <see cref="tf.einsum"/>.</summary>
            public static Tensor einsum(string equation, params TensorLike[] inputs) => LinearAlgebra.Einsum(equation, inputs, null);
        }
    }
}
