using System.Diagnostics.CodeAnalysis;
using System.Text;
using Microsoft.Net.Http.Headers;

namespace Archal.Testing.Clones.Abstractions;

/// <summary>One part of a <c>multipart/form-data</c> body.</summary>
/// <param name="Name">The field name (from <c>Content-Disposition: form-data; name="…"</c>).</param>
/// <param name="FileName">The file name, for file parts; null for plain fields.</param>
/// <param name="ContentType">The part's <c>Content-Type</c>, when given.</param>
/// <param name="Content">The part's bytes: a slice of the request body, valid while the request lasts.</param>
public sealed record MultipartPart(string Name, string? FileName, string? ContentType, ReadOnlyMemory<byte> Content)
{
    /// <summary>Whether the part is a file upload.</summary>
    public bool IsFile => FileName is not null;

    /// <summary>A plain field's value as text (valid UTF-8 by construction); null for file parts.</summary>
    public string? Value { get; init; }
}

/// <summary>
/// Parses <c>multipart/form-data</c> bodies (RFC 7578) under the shared rules: at most
/// <see cref="BodyParseOptions.MaxParts"/> parts, names no longer than <see cref="BodyParseOptions.MaxKeyLength"/>,
/// headers and field values valid UTF-8, framing checked (a missing closing delimiter is
/// <see cref="BodyParseErrorKind.Malformed"/>). File contents are kept as bytes, uninspected. Never throws on hostile input.
/// </summary>
public static class MultipartBodyParser
{
    /// <summary>How long one part's header block may be, in bytes (ASP.NET Core's multipart default).</summary>
    public const int MaxHeaderBytes = 16 * 1024;

    /// <summary>Reads the <c>boundary</c> parameter of a <c>multipart/form-data</c> content type.</summary>
    /// <param name="contentType">The request's <c>Content-Type</c>.</param>
    /// <param name="boundary">The boundary, unquoted.</param>
    /// <returns>Whether the content type is <c>multipart/form-data</c> with a usable boundary (1 to 70 characters, RFC 2046).</returns>
    public static bool TryGetBoundary(string? contentType, [NotNullWhen(true)] out string? boundary)
    {
        boundary = null;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)
            || !media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var value = HeaderUtilities.RemoveQuotes(media.Boundary).ToString();
        if (value.Length is 0 or > 70)
        {
            return false;
        }

        boundary = value;
        return true;
    }

    /// <summary>Parses <paramref name="body"/>, framed by <paramref name="boundary"/>.</summary>
    /// <param name="body">The body's bytes; parts are slices of it.</param>
    /// <param name="boundary">The boundary from the content type (see <see cref="TryGetBoundary"/>).</param>
    /// <param name="options">The limits to apply, or null for <see cref="BodyParseOptions.Default"/>.</param>
    /// <param name="parts">The parts in order; empty on failure.</param>
    /// <param name="error">Why the body was refused; null on success.</param>
    /// <returns>Whether the body parsed.</returns>
    public static bool TryParse(ReadOnlyMemory<byte> body, string boundary, BodyParseOptions? options,
        out IReadOnlyList<MultipartPart> parts, [NotNullWhen(false)] out BodyParseError? error)
    {
        ArgumentException.ThrowIfNullOrEmpty(boundary);
        options ??= BodyParseOptions.Default;
        var list = new List<MultipartPart>();
        parts = [];
        var span = body.Span;
        var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var bodyDelimiter = Encoding.ASCII.GetBytes("\r\n--" + boundary);

        // The first delimiter may follow a preamble; it starts the body or a line.
        int position;
        if (span.StartsWith(delimiter))
        {
            position = delimiter.Length;
        }
        else
        {
            var found = span.IndexOf(bodyDelimiter);
            if (found < 0)
            {
                return Fail(BodyParseErrorKind.Malformed, "the body has no opening multipart boundary.", 0, out error);
            }

            position = found + bodyDelimiter.Length;
        }

        while (true)
        {
            // After a delimiter: "--" closes the body; otherwise optional transport padding, then CRLF.
            if (span[position..].StartsWith("--"u8))
            {
                parts = list;
                error = null;
                return true;
            }

            var lineEnd = span[position..].IndexOf("\r\n"u8);
            if (lineEnd < 0 || !span.Slice(position, lineEnd).Trim(" \t"u8).IsEmpty)
            {
                return Fail(BodyParseErrorKind.Malformed, $"the multipart boundary at offset {position} is not followed by a line break.", position, out error);
            }

            position += lineEnd + 2;
            if (list.Count == options.MaxParts)
            {
                return Fail(BodyParseErrorKind.TooManyParts, $"the body has more than {options.MaxParts} parts.", position, out error);
            }

            var headersEnd = span[position..].IndexOf("\r\n\r\n"u8);
            var blankFirst = span[position..].StartsWith("\r\n"u8);
            var headerLength = blankFirst ? 0 : headersEnd;
            if (headerLength < 0 || headerLength > MaxHeaderBytes)
            {
                return Fail(BodyParseErrorKind.Malformed, $"the part at offset {position} has no end to its headers within {MaxHeaderBytes} bytes.", position, out error);
            }

            var headers = span.Slice(position, headerLength);
            if (BodyText.FindInvalidUtf8(headers) >= 0)
            {
                return Fail(BodyParseErrorKind.InvalidUtf8, $"the headers of the part at offset {position} are not valid UTF-8.", position, out error);
            }

            var partStart = position;
            position += blankFirst ? 2 : headerLength + 4;
            var contentLength = span[position..].IndexOf(bodyDelimiter);
            if (contentLength < 0)
            {
                return Fail(BodyParseErrorKind.Malformed, $"the part at offset {partStart} has no closing multipart boundary.", partStart, out error);
            }

            if (!TryReadPart(BodyText.Decode(headers), body.Slice(position, contentLength), partStart, options, out var part, out error))
            {
                return false;
            }

            list.Add(part);
            position += contentLength + bodyDelimiter.Length;
        }
    }

    private static bool TryReadPart(string headers, ReadOnlyMemory<byte> content, int offset, BodyParseOptions options,
        [NotNullWhen(true)] out MultipartPart? part, [NotNullWhen(false)] out BodyParseError? error)
    {
        part = null;
        string? disposition = null;
        string? contentType = null;
        foreach (var line in headers.Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return Fail(BodyParseErrorKind.Malformed, $"the part at offset {offset} has a header line without a name.", offset, out error);
            }

            var name = line.AsSpan(0, colon).Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Disposition", StringComparison.OrdinalIgnoreCase))
            {
                disposition = value;
            }
            else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value;
            }
        }

        if (disposition is null
            || !ContentDispositionHeaderValue.TryParse(disposition, out var parsed)
            || !parsed.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
        {
            return Fail(BodyParseErrorKind.Malformed, $"the part at offset {offset} has no 'Content-Disposition: form-data' header.", offset, out error);
        }

        var fieldName = HeaderUtilities.RemoveQuotes(parsed.Name).ToString();
        if (fieldName.Length == 0)
        {
            return Fail(BodyParseErrorKind.Malformed, $"the part at offset {offset} has no field name.", offset, out error);
        }

        if (fieldName.Length > options.MaxKeyLength)
        {
            error = new BodyParseError(BodyParseErrorKind.KeyTooLong,
                $"the field name '{BodyParseError.Preview(fieldName)}' is {fieldName.Length} characters long; the limit is {options.MaxKeyLength}.")
            {
                Key = BodyParseError.Preview(fieldName),
                Offset = offset,
            };
            return false;
        }

        var fileName = parsed.FileNameStar.HasValue ? parsed.FileNameStar.ToString()
            : parsed.FileName.HasValue ? HeaderUtilities.RemoveQuotes(parsed.FileName).ToString()
            : null;
        if (fileName is not null)
        {
            part = new MultipartPart(fieldName, fileName, contentType, content);
            error = null;
            return true;
        }

        if (BodyText.FindInvalidUtf8(content.Span) is var invalid and >= 0)
        {
            error = new BodyParseError(BodyParseErrorKind.InvalidUtf8,
                $"the value of '{BodyParseError.Preview(fieldName)}' is not valid UTF-8 (at offset {invalid} of the part).")
            {
                Key = BodyParseError.Preview(fieldName),
                Offset = offset,
            };
            return false;
        }

        part = new MultipartPart(fieldName, null, contentType, content) { Value = BodyText.Decode(content.Span) };
        error = null;
        return true;
    }

    private static bool Fail(BodyParseErrorKind kind, string message, long offset, out BodyParseError error)
    {
        error = new BodyParseError(kind, message) { Offset = offset };
        return false;
    }
}
