using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Archal.Testing.ControlPlane;

/// <summary>
/// A session's seeded state, kept for its state diff as compressed JSON rather than as a node tree: a rich seed's
/// tree costs about half of the whole session (Stripe <c>small-business</c>: 688 of 1,471 KB), the packed bytes a
/// few percent of that. It is unpacked, uncached, when a diff or the initial snapshot is asked for.
/// </summary>
internal static class SeedSnapshot
{
    /// <summary>A state's keyed snapshot, packed (what a template keeps as its sessions' initial state).</summary>
    public static byte[] PackState(Clones.Abstractions.CloneState state) => Pack(state.KeyedSnapshot());

    private static byte[] Pack(Dictionary<string, Dictionary<string, JsonObject>> keyed)
    {
        var json = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            foreach (var (table, entities) in keyed)
            {
                writer.WriteStartObject(table);
                foreach (var (key, entity) in entities)
                {
                    writer.WritePropertyName(key);
                    entity.WriteTo(writer);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        var raw = json.WrittenSpan;
        var packed = new byte[4 + BrotliEncoder.GetMaxCompressedLength(raw.Length)];
        BinaryPrimitives.WriteInt32LittleEndian(packed, raw.Length);
        if (!BrotliEncoder.TryCompress(raw, packed.AsSpan(4), out var written, quality: 1, window: 22))
        {
            throw new InvalidOperationException("The seed snapshot could not be compressed.");
        }

        return packed.AsSpan(0, 4 + written).ToArray();
    }

    public static Dictionary<string, Dictionary<string, JsonObject>> Unpack(byte[] packed)
    {
        var raw = new byte[BinaryPrimitives.ReadInt32LittleEndian(packed)];
        if (!BrotliDecoder.TryDecompress(packed.AsSpan(4), raw, out var written) || written != raw.Length)
        {
            throw new InvalidOperationException("The seed snapshot could not be decompressed.");
        }

        var keyed = new Dictionary<string, Dictionary<string, JsonObject>>(StringComparer.Ordinal);
        foreach (var (table, entities) in JsonNode.Parse(raw)!.AsObject())
        {
            var byKey = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            var container = entities!.AsObject();
            foreach (var (key, entity) in container)
            {
                byKey[key] = entity!.AsObject();
            }

            // Detached, so callers can put the entities into trees of their own (as the snapshot they replace allowed).
            container.Clear();
            keyed[table] = byKey;
        }

        return keyed;
    }
}
