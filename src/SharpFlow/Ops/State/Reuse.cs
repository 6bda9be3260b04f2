namespace SharpFlow;

/// <summary>
/// The <c>reuse</c> argument of <c>tf.variable_scope</c>: <c>true</c> (get existing variables only),
/// <c>false</c>/null (inherit; create new variables at the top level) or <c>tf.AUTO_REUSE</c> (get if it exists,
/// else create).
/// </summary>
public readonly struct Reuse : IEquatable<Reuse>
{
    private readonly int _mode; // 0 = false, 1 = true, 2 = auto

    private Reuse(int mode) => _mode = mode;

    /// <summary>Reuse existing variables; a missing one is an error.</summary>
    public static Reuse True { get; } = new(1);

    /// <summary>Create new variables; an existing one is an error.</summary>
    public static Reuse False { get; } = new(0);

    /// <summary>Reuse a variable if it exists, create it otherwise (<c>tf.AUTO_REUSE</c>).</summary>
    public static Reuse AutoReuse { get; } = new(2);

    /// <summary>True for <see cref="True"/>.</summary>
    public bool IsTrue => _mode == 1;

    /// <summary>True for <see cref="AutoReuse"/>.</summary>
    public bool IsAuto => _mode == 2;

    /// <summary>True for <see cref="True"/> or <see cref="AutoReuse"/> (Python truthiness).</summary>
    public bool IsSet => _mode != 0;

#pragma warning disable CA2225
    /// <summary><c>reuse: true</c> or <c>reuse: false</c>.</summary>
    public static implicit operator Reuse(bool value) => value ? True : False;
#pragma warning restore CA2225

    /// <inheritdoc/>
    public bool Equals(Reuse other) => _mode == other._mode;
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Reuse r && Equals(r);
    /// <inheritdoc/>
    public override int GetHashCode() => _mode;
    /// <summary>Equality.</summary>
    public static bool operator ==(Reuse a, Reuse b) => a.Equals(b);
    /// <summary>Inequality.</summary>
    public static bool operator !=(Reuse a, Reuse b) => !a.Equals(b);
    /// <summary>Prints as Python would: True, False, _ReuseMode.AUTO_REUSE.</summary>
    public override string ToString() => _mode switch { 1 => "True", 2 => "_ReuseMode.AUTO_REUSE", _ => "False" };
}
