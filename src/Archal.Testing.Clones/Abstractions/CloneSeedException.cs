namespace Archal.Testing.Clones.Abstractions;

/// <summary>A seed could not be applied: it names a seed, entity or reference that does not exist.</summary>
public sealed class CloneSeedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CloneSeedException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public CloneSeedException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception.</summary>
    public CloneSeedException() { }
}
