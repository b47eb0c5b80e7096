namespace Archal.Testing.Clones.Abstractions;

/// <summary>
/// A seeded random source for ids and generated data: the same seed gives the same sequence on every
/// machine and run.
/// </summary>
public sealed class DeterministicRandom
{
    private const string LowerAlphanumeric = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private readonly Random _random;

    /// <summary>Creates the source from a seed.</summary>
    public DeterministicRandom(int seed)
    {
        Seed = seed;
#pragma warning disable CA5394 // Do not use insecure randomness: determinism is the point; nothing here is a secret.
        _random = new Random(seed);
#pragma warning restore CA5394
    }

    /// <summary>The seed this source started from.</summary>
    public int Seed { get; }

    /// <summary>The underlying generator (for Bogus' <c>Randomizer</c> and similar).</summary>
    public Random Inner => _random;

#pragma warning disable CA5394 // Do not use insecure randomness: see above.
    /// <summary>A value in [<paramref name="minValue"/>, <paramref name="maxValue"/>).</summary>
    public int Next(int minValue, int maxValue) => _random.Next(minValue, maxValue);

    /// <summary>A value in [0, 1).</summary>
    public double NextDouble() => _random.NextDouble();

    /// <summary>A string of <paramref name="length"/> characters drawn from <paramref name="alphabet"/>.</summary>
    public string NextString(int length, string alphabet = LowerAlphanumeric)
    {
        ArgumentNullException.ThrowIfNull(alphabet);
        return string.Create(length, (this, alphabet), static (span, state) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = state.alphabet[state.Item1._random.Next(state.alphabet.Length)];
            }
        });
    }

    /// <summary>A mixed-case alphanumeric string (Stripe-style id bodies).</summary>
    public string NextAlphanumeric(int length) => NextString(length, Alphanumeric);

    /// <summary>A lower-case hexadecimal string (git shas: 40 characters).</summary>
    public string NextHex(int length) => NextString(length, "0123456789abcdef");
#pragma warning restore CA5394
}

/// <summary>A hash that is the same in every process (unlike <see cref="string.GetHashCode()"/>).</summary>
public static class StableHash
{
    /// <summary>FNV-1a over the UTF-16 code units of <paramref name="value"/>.</summary>
    public static int Of(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        unchecked
        {
            var hash = (int)2166136261;
            foreach (var c in value)
            {
                hash = (hash ^ c) * 16777619;
            }

            return hash;
        }
    }

    /// <summary>Combines a seed with a name into a new seed.</summary>
    public static int Combine(int seed, string name) => unchecked((seed * 31) ^ Of(name));
}
