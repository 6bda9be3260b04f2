using SharpFlow.Framework;

namespace SharpFlow.Ops.Training;

/// <summary>SparseApplyMomentum: <see cref="ApplyMomentum"/>'s rule (plain or Nesterov) on the rows <c>indices</c> of the variable and its accumulator.</summary>
internal sealed class SparseApplyMomentum : SparseApplyOp
{
    public static readonly SparseApplyMomentum Def = new(nesterov: false);
    internal static readonly OpAttr<bool> UseNesterov = new("use_nesterov", false);

    /// <summary>The variant with <c>use_nesterov=True</c>.</summary>
    public static readonly SparseApplyMomentum Nesterov = new(nesterov: true);

    private readonly bool _nesterov;

    private SparseApplyMomentum(bool nesterov) => _nesterov = nesterov;

    public override string Type => "SparseApplyMomentum";

    internal override ApplyOp Dense => _nesterov ? ApplyMomentum.Nesterov : ApplyMomentum.Def;
}
