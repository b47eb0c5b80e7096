using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Archal.Testing.Scenarios;

/// <summary>
/// One of <see cref="Count"/> shards of a scenario suite. The units are (scenario × run); a unit's shard is a hash of
/// its own identity (scenario id and run index), so adding a scenario or a run never moves another unit.
/// </summary>
/// <param name="Index">The 1-based shard (<c>k</c> of <c>k/n</c>).</param>
/// <param name="Count">How many shards the suite is split into (<c>n</c>).</param>
public sealed record ScenarioShard(int Index, int Count)
{
    /// <summary>The environment variable test adapters read a shard from (<c>ARCHAL_SHARD=2/4</c>).</summary>
    public const string EnvironmentVariable = "ARCHAL_SHARD";

    /// <summary>The whole suite as one shard (<c>1/1</c>).</summary>
    public static ScenarioShard All { get; } = new(1, 1);

    /// <summary>Whether this shard runs the given unit.</summary>
    /// <param name="scenarioId">The scenario id.</param>
    /// <param name="runIndex">The 0-based run index.</param>
    public bool Contains(string scenarioId, int runIndex) => Count == 1 || Of(scenarioId, runIndex, Count) == Index;

    /// <summary>The 1-based shard of <paramref name="count"/> that a unit belongs to.</summary>
    public static int Of(string scenarioId, int runIndex, int count)
    {
        ArgumentNullException.ThrowIfNull(scenarioId);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        // SHA-256 rather than string.GetHashCode: the same on every machine, process and runtime version.
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{scenarioId}\n{runIndex}")), hash);
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % (ulong)count) + 1;
    }

    /// <summary>Parses <c>k/n</c> (for example <c>2/4</c>), with 1 ≤ k ≤ n.</summary>
    /// <exception cref="FormatException">The text is not <c>k/n</c> with 1 ≤ k ≤ n.</exception>
    public static ScenarioShard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count >= 1 && index >= 1 && index <= count)
        {
            return new ScenarioShard(index, count);
        }

        throw new FormatException($"a shard is k/n with 1 <= k <= n (for example 2/4), got '{text}'.");
    }

    /// <summary>The shard named by <see cref="EnvironmentVariable"/>, or null when it is unset or empty.</summary>
    /// <exception cref="FormatException">The variable is set but is not <c>k/n</c>.</exception>
    public static ScenarioShard? FromEnvironment() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } text ? Parse(text) : null;

    /// <summary>Whether any run of a scenario with <paramref name="runs"/> runs falls in this shard.</summary>
    public bool ContainsAny(string scenarioId, int runs)
    {
        for (var i = 0; i < runs; i++)
        {
            if (Contains(scenarioId, i))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
