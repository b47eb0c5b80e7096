using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Abstractions;

/// <summary>
/// A JSON object kept as immutable UTF-8 text. State copies (snapshots, forks, sessions started from a shared seed)
/// share it instead of copying it (<see cref="StateCopier"/>), so an entity kept frozen until a session first reads it
/// costs that session nothing.
/// </summary>
internal sealed class FrozenJson
{
    private readonly byte[] _utf8;

    public FrozenJson(JsonObject value)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            value.WriteTo(writer);
        }

        _utf8 = buffer.WrittenSpan.ToArray();
    }

    /// <summary>A new, mutable copy of the object.</summary>
    public JsonObject Thaw() => JsonNode.Parse(_utf8)!.AsObject();
}
