namespace Archal.Testing.Clones.Abstractions;

/// <summary>
/// The limits every shared body parser applies (<see cref="JsonBodyParser"/>, <see cref="FormBodyParser"/>,
/// <see cref="MultipartBodyParser"/>). The body's size is bounded earlier, once, by the runtime's host limit.
/// </summary>
public sealed record BodyParseOptions
{
    /// <summary>The limits clones use unless a service's own rule differs.</summary>
    public static BodyParseOptions Default { get; } = new();

    /// <summary>
    /// How deep values may nest: JSON containers (<c>{"a":{"b":1}}</c> is 2 deep) and form bracket keys
    /// (<c>a[b]=1</c> is 2 deep, the same tree). Deeper bodies are <see cref="BodyParseErrorKind.TooDeep"/>.
    /// </summary>
    /// <value>The default value is 32, Rack 3's <c>param_depth_limit</c> (Stripe is a Rack application); no
    /// request the three services document nests deeper than about 8.</value>
    public int MaxDepth { get; init; } = 32;

    /// <summary>How many form pairs or multipart parts a body may hold (<see cref="BodyParseErrorKind.TooManyParts"/>).</summary>
    /// <value>The default value is 4096, Rack 3.1's <c>params_limit</c> and multipart total part limit.</value>
    public int MaxParts { get; init; } = 4096;

    /// <summary>How long (in characters, after percent-decoding) a form key or multipart field name may be.</summary>
    /// <value>The default value is 4096.</value>
    public int MaxKeyLength { get; init; } = 4096;

    /// <summary>
    /// Whether a <c>%</c> not followed by two hex digits is an error (Rack, hence Stripe) or kept as a literal
    /// <c>%</c> (the WHATWG form decoder; PHP, hence Slack). Invalid UTF-8 is an error either way.
    /// </summary>
    /// <value>The default value is true.</value>
    public bool StrictPercentEncoding { get; init; } = true;
}
