using System.Reflection;
using SharpFlow.Framework;
using SharpFlow.Tests.Support;

namespace SharpFlow.Tests.Gradients;

/// <summary>Every differentiable op's gradient against central differences, from one table.</summary>
public class GradientCheckTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>The largest error of each op family, printed for the notes (run with a detailed console logger).</summary>
    [Fact]
    public void MaxErrorPerFamily()
    {
        foreach (var family in GradientCases.All().GroupBy(c => c.Family))
        {
            var worst = family.Select(c => (c, e: GradientChecker.MaxError(c.F, c.Inputs, c.Dynamic))).MaxBy(x => x.e);
            output.WriteLine($"{family.Key}: max error {worst.e:E2} ({worst.c.Name}, {family.Count()} cases)");
            Assert.True(worst.e < worst.c.Tolerance);
        }
    }

    public static TheoryData<string> Cases() => [.. GradientCases.All().Select(c => c.ToString())];

    [Theory, MemberData(nameof(Cases))]
    public void GradientMatchesCentralDifferences(string name)
    {
        var c = GradientCases.All().Single(x => x.ToString() == name);
        var error = GradientChecker.MaxError(c.F, c.Inputs, c.Dynamic);
        Assert.True(error < c.Tolerance, $"{c}: max error {error:E3} exceeds {c.Tolerance:E1}");
    }

    /// <summary>All op types: every OpDef subclass's instance(s).</summary>
    internal static IEnumerable<OpDef> AllOpDefs() =>
        typeof(OpDef).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(OpDef)) && !t.IsAbstract)
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static | BindingFlags.NonPublic)
                .Where(f => f.FieldType == t).Select(f => (OpDef)f.GetValue(null)!))
            .GroupBy(d => d.GetType()).Select(g => g.First());

    [Fact]
    public void EveryOpHasAGradientRuleOrIsMarkedNotDifferentiable()
    {
        var defs = AllOpDefs().ToList();
        Assert.True(defs.Count > 80, $"found only {defs.Count} op types");
        var missing = defs.Where(d => !d.NotDifferentiable && d.GetType().GetMethod(nameof(OpDef.Gradient))!.DeclaringType == typeof(OpDef))
            .Select(d => d.Type).ToList();
        Assert.True(missing.Count == 0, "ops with neither a gradient rule nor a not-differentiable mark: " + string.Join(", ", missing));
        var both = defs.Where(d => d.NotDifferentiable && d.GetType().GetMethod(nameof(OpDef.Gradient))!.DeclaringType != typeof(OpDef)).Select(d => d.Type).ToList();
        Assert.True(both.Count == 0, "ops marked not differentiable that also have a rule: " + string.Join(", ", both));
    }

    [Fact]
    public void TheTableCoversEveryDifferentiableOp()
    {
        var covered = new HashSet<string>();
        foreach (var c in GradientCases.All())
        {
            using var g = TestGraph.Enter();
            var xs = c.Inputs.Select(v => tf.placeholder(tf.float64, v.shape)).ToArray();
            c.F(xs);
            foreach (var op in g.Graph.get_operations()) covered.Add(op.type);
        }
        var differentiable = AllOpDefs().Where(d => !d.NotDifferentiable).Select(d => d.Type).ToHashSet();
        differentiable.ExceptWith(covered);
        differentiable.Remove("PreventGradient"); // its gradient is an error by design (PreventGradientTests)
        // TensorFlow 1.15 registers no gradient for these: their rule raises its LookupError (AdjustContrastv2Tests, NonMaxSuppressionV4V5Tests).
        differentiable.ExceptWith(["AdjustContrastv2", "NonMaxSuppressionV5"]);
        Assert.True(differentiable.Count == 0, "differentiable ops without a gradient check: " + string.Join(", ", differentiable.Order()));
    }
}
