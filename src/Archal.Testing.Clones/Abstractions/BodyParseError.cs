namespace Archal.Testing.Clones.Abstractions;

/// <summary>Why a request body could not be parsed. Each clone answers every kind with its service's own 400.</summary>
public enum BodyParseErrorKind
{
    /// <summary>The body is not well-formed for its media type (bad JSON syntax, bad percent-escape, unbalanced bracket, broken multipart framing).</summary>
    Malformed,

    /// <summary>The bytes (or the bytes a percent-escape decodes to) are not valid UTF-8.</summary>
    InvalidUtf8,

    /// <summary>A JSON <c>\uD800</c>-style escape names half of a surrogate pair: the text has no UTF-8 form.</summary>
    LoneSurrogate,

    /// <summary>A JSON object names the same property twice.</summary>
    DuplicateKey,

    /// <summary>JSON nesting or form bracket nesting is deeper than <see cref="BodyParseOptions.MaxDepth"/>.</summary>
    TooDeep,

    /// <summary>More form pairs or multipart parts than <see cref="BodyParseOptions.MaxParts"/>.</summary>
    TooManyParts,

    /// <summary>A form key or multipart field name is longer than <see cref="BodyParseOptions.MaxKeyLength"/>.</summary>
    KeyTooLong,

    /// <summary>A form key is given both as a value and as a hash or array (<c>a=1&amp;a[b]=2</c>).</summary>
    Conflict,
}

/// <summary>A request body the shared parsers refused, with a message naming the offending key or offset.</summary>
/// <param name="Kind">The rule the body broke.</param>
/// <param name="Message">A sentence for the service's error message (for example <c>the property 'title' is given twice.</c>).</param>
public sealed record BodyParseError(BodyParseErrorKind Kind, string Message)
{
    /// <summary>The offending key (shortened to <see cref="KeyPreviewLength"/> characters), when the error has one.</summary>
    public string? Key { get; init; }

    /// <summary>The byte offset in the body where the problem was found, when known.</summary>
    public long? Offset { get; init; }

    /// <summary>How many characters of an offending key error messages quote.</summary>
    public const int KeyPreviewLength = 64;

    /// <summary>A key as quoted in messages: hostile keys can be megabytes long.</summary>
    internal static string Preview(string key) =>
        key.Length <= KeyPreviewLength ? key : string.Concat(key.AsSpan(0, KeyPreviewLength), "…");

    /// <inheritdoc />
    public override string ToString() => $"{Kind}: {Message}";
}
