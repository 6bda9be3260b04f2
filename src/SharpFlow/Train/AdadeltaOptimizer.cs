using SharpFlow.Framework;
using SharpFlow.Ops.Training;

namespace SharpFlow.Train;

/// <summary>Adadelta (<c>tf.train.AdadeltaOptimizer</c>): slots <c>accum</c> and <c>accum_update</c>, both starting at 0.</summary>
public sealed class AdadeltaOptimizer : Optimizer
{
    private readonly TensorLike _learningRate;
    private readonly double _rho, _epsilon;
    private Tensor? _lr, _rhoT, _epsilonT;

    /// <summary>Creates the optimizer with TensorFlow's defaults.</summary>
    public AdadeltaOptimizer(TensorLike? learning_rate = null, double rho = 0.95, double epsilon = 1e-8, bool use_locking = false, string name = "Adadelta")
        : base(use_locking, name)
    {
        (_learningRate, _rho, _epsilon) = (learning_rate ?? 0.001, rho, epsilon);
    }

    /// <inheritdoc/>
    protected override void CreateSlots(IReadOnlyList<Variable> varList)
    {
        foreach (var v in varList)
        {
            ZerosSlot(v, "accum");
            ZerosSlot(v, "accum_update");
        }
    }

    /// <inheritdoc/>
    protected override void Prepare(Graph graph)
    {
        _lr = ToTensor(graph, _learningRate, "learning_rate");
        _rhoT = ToTensor(graph, _rho, "rho");
        _epsilonT = ToTensor(graph, _epsilon, "epsilon");
    }

    /// <inheritdoc/>
    protected override Operation ApplyDense(Tensor grad, Variable var)
    {
        return ApplyAdadelta.Def.Apply([var, get_slot(var, "accum")!, get_slot(var, "accum_update")!, As(_lr!, var), As(_rhoT!, var), As(_epsilonT!, var), grad], UseLocking, null).op;
    }
}
