using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Abstractions;

/// <summary>What a mutation did to an entity.</summary>
public enum MutationKind
{
    /// <summary>The entity was created.</summary>
    Created,

    /// <summary>One or more fields of the entity changed.</summary>
    Updated,

    /// <summary>The entity was deleted.</summary>
    Deleted,
}

/// <summary>One field's value before and after a mutation (null when absent).</summary>
public sealed record FieldChange(string Field, JsonNode? Before, JsonNode? After);

/// <summary>A change a request made to a clone's state.</summary>
public sealed record StateMutation(
    string CloneId,
    string EntityType,
    string Id,
    MutationKind Kind,
    IReadOnlyList<FieldChange> Changes);
