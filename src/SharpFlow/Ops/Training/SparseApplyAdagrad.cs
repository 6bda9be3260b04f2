using SharpFlow.Framework;

namespace SharpFlow.Ops.Training;

/// <summary>SparseApplyAdagrad: <see cref="ApplyAdagrad"/>'s rule on the rows <c>indices</c> of the variable and its slots.</summary>
internal sealed class SparseApplyAdagrad : SparseApplyOp
{
    public static readonly SparseApplyAdagrad Def = new();
    internal static readonly OpAttr<bool> UpdateSlots = new("update_slots", true);

    public override string Type => "SparseApplyAdagrad";

    internal override ApplyOp Dense => ApplyAdagrad.Def;
}
