using System.Text;
using System.Text.Unicode;

namespace Archal.Testing.Clones.Abstractions;

/// <summary>Strict UTF-8 helpers shared by the body parsers.</summary>
internal static class BodyText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The offset of the first byte that is not part of valid UTF-8, or -1 when all of it is valid.</summary>
    public static int FindInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return -1;
        }

        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return -1;
    }

    /// <summary>Decodes bytes already known to be valid UTF-8 (or throws on invalid ones).</summary>
    public static string Decode(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? "" : Strict.GetString(bytes);

    /// <summary>The index of the first unpaired surrogate in <paramref name="text"/>, or -1.</summary>
    public static int FindLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return i;
            }
        }

        return -1;
    }
}
