using System.Text;

namespace Archal.Testing.Clones.Abstractions;

/// <summary>Renders a clone's operation table as the markdown coverage page under <c>docs/clones/</c>.</summary>
public static class CloneCoveragePage
{
    /// <summary>The page for <paramref name="clone"/>: one row per operation, in table order.</summary>
    public static string Render(CloneDefinition clone)
    {
        ArgumentNullException.ThrowIfNull(clone);
        var page = new StringBuilder();
        page.Append("# ").Append(clone.DisplayName).Append(" clone: operations\n\n")
            .Append("Generated from the clone's operation table (`").Append(clone.GetType().Name).Append(".Operations`); ")
            .Append("a test fails when this page is stale (regenerate with `ARCHAL_UPDATE_DOCS=1 dotnet test --filter CoveragePage`).\n")
            .Append("Operation ids name calls in traces, `GET /api/clones/").Append(clone.Id).Append("/operations` and fault rules.\n\n")
            .Append(clone.Operations.Count).Append(" operations, ")
            .Append(clone.Operations.Count(o => o.Mutates)).Append(" of them change state.\n\n")
            .Append("| Operation | Method | Route | Summary | Mutates |\n| --- | --- | --- | --- | --- |\n");
        foreach (var operation in clone.Operations)
        {
            var id = operation.DocUrl is { } doc ? $"[`{operation.Id}`]({doc})" : $"`{operation.Id}`";
            page.Append("| ").Append(id)
                .Append(" | ").Append(operation.Method)
                .Append(" | `").Append(operation.Template).Append('`')
                .Append(" | ").Append(operation.Summary.Replace("|", "\\|", StringComparison.Ordinal))
                .Append(" | ").Append(operation.Mutates ? "yes" : "no")
                .Append(" |\n");
        }

        return page.ToString();
    }
}
