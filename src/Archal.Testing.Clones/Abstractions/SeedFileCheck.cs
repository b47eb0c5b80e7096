namespace Archal.Testing.Clones.Abstractions;

/// <summary>Helpers for <see cref="CloneDefinition.CheckSeedData"/>: problems worded the same way for every clone.</summary>
public static class SeedFileCheck
{
    /// <summary>
    /// A reference problem listing what the file does declare:
    /// <c>github.issues[0].repo 'acme/api' is not declared in github.repos (declared: acme/webapp)</c>.
    /// </summary>
    public static string Missing(string problem, IEnumerable<string> declared)
    {
        ArgumentNullException.ThrowIfNull(declared);
        var list = declared.Where(d => d.Length > 0).ToList();
        return $"{problem} (declared: {(list.Count == 0 ? "none" : string.Join(", ", list))})";
    }
}
