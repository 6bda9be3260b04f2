namespace SharpFlow;

/// <summary>
/// What <c>tf.variable_scope(...)</c> returns: dispose it to leave the scope
/// (<c>using (var scope = tf.variable_scope("foo")) { ... }</c>). It exposes the entered
/// <see cref="VariableScope"/>'s members, as Python's <c>with ... as scope</c> does.
/// </summary>
public sealed class VariableScopeContext : IDisposable
{
    private Action? _exit;

    internal VariableScopeContext(VariableScope scope, Action exit)
    {
        this.scope = scope;
        _exit = exit;
    }

    /// <summary>The scope that was entered.</summary>
    public VariableScope scope { get; }

    /// <summary>The scope's name.</summary>
    public string name => scope.name;

    /// <summary>The scope's reuse mode.</summary>
    public Reuse reuse => scope.reuse;

    /// <summary>The name scope opened with the variable scope.</summary>
    public string original_name_scope => scope.original_name_scope;

    /// <summary>Makes the scope reuse variables from now on.</summary>
    public void reuse_variables() => scope.reuse_variables();

    /// <summary>The entered scope.</summary>
    public static implicit operator VariableScope(VariableScopeContext context) =>
        (context ?? throw new ArgumentNullException(nameof(context))).scope;

    /// <summary>Leaves the scope (restores the enclosing variable and name scopes).</summary>
    public void Dispose()
    {
        _exit?.Invoke();
        _exit = null;
    }
}
