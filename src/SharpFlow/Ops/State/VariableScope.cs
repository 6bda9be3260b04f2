namespace SharpFlow;

/// <summary>
/// A variable scope (<c>tf.get_variable_scope()</c>): the prefix of variable names, whether
/// <c>get_variable</c> reuses existing variables, and defaults (initializer, dtype) for the variables created in it.
/// </summary>
public sealed class VariableScope
{
    internal VariableScope(Reuse reuse, string name, string originalNameScope, Initializer? initializer, DType? dtype)
    {
        this.reuse = reuse;
        this.name = name;
        original_name_scope = originalNameScope;
        this.initializer = initializer;
        this.dtype = dtype;
    }

    /// <summary>The scope's name (<c>foo/bar</c>); variable names are <c>name/variable</c>.</summary>
    public string name { get; }

    /// <summary>The reuse mode.</summary>
    public Reuse reuse { get; private set; }

    /// <summary>The name scope opened when the scope was first entered (<c>foo/</c> or <c>foo_1/</c>).</summary>
    public string original_name_scope { get; }

    /// <summary>The default initializer of variables created here (null: glorot_uniform for floats, zeros otherwise).</summary>
    public Initializer? initializer { get; }

    /// <summary>The default dtype of variables created here (null: float32).</summary>
    public DType? dtype { get; }

    /// <summary>Makes this scope reuse variables from now on (<c>scope.reuse_variables()</c>).</summary>
    public void reuse_variables() => reuse = Reuse.True;

    /// <inheritdoc/>
    public override string ToString() => $"<VariableScope '{name}' reuse={reuse}>";
}
