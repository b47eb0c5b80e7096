using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Abstractions;

/// <summary>Everything a clone needs to build one session's state deterministically.</summary>
/// <param name="SessionId">The session the state belongs to.</param>
/// <param name="SeedName">The named seed (one of <see cref="CloneDefinition.SeedNames"/>).</param>
/// <param name="RandomSeed">The session's random seed; the same value yields the same data.</param>
/// <param name="Time">The session's clock (<see cref="SessionClock"/>); relative ages ("120 days ago") resolve against it.</param>
/// <param name="Data">
/// Optional declared entities for this clone from a seed file, applied on top of the named seed.
/// Unspecified fields are filled deterministically.
/// </param>
public sealed record CloneSeedContext(
    string SessionId,
    string SeedName,
    int RandomSeed,
    TimeProvider Time,
    JsonObject? Data = null);
