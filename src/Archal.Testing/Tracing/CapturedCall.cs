using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Tracing;

/// <summary>
/// What a trace entry keeps of one call, in one byte array: span id, path, query and URL, both header sets, the
/// first bytes of both bodies and the state mutations (as JSON), all as written on the wire (UTF-8). Nothing is
/// decoded or redacted until an entry is read, and nothing read is cached, so a session's trace costs its bytes and
/// no more however often it is exported.
/// </summary>
internal sealed class CapturedCall
{
    private readonly byte[] _data;
    private readonly Redactor _redactor;

    private CapturedCall(byte[] data, Redactor redactor)
    {
        _data = data;
        _redactor = redactor;
    }

    /// <summary>The bytes this call keeps alive: the array, its header and this object.</summary>
    public long RetainedBytes => _data.Length + 24 + 32;

    /// <summary>Captures one call; bodies are kept up to <paramref name="bodyLimit"/> bytes each.</summary>
    public static CapturedCall Capture(
        Redactor redactor,
        string spanId,
        string path,
        string query,
        string url,
        IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> requestHeaders,
        ReadOnlySpan<byte> requestBody,
        IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> responseHeaders,
        ReadOnlySpan<byte> responseBody,
        IReadOnlyList<StateMutation> mutations,
        int bodyLimit)
    {
        // Assembled in pooled memory: only the packed array outlives the call.
        using var buffer = new PooledBufferWriter(512 + Math.Min(requestBody.Length, bodyLimit) + Math.Min(responseBody.Length, bodyLimit));
        WriteString(buffer, spanId);
        WriteString(buffer, path);
        WriteString(buffer, query);
        WriteString(buffer, url);
        WriteHeaders(buffer, requestHeaders);
        WriteBody(buffer, requestBody, bodyLimit);
        WriteHeaders(buffer, responseHeaders);
        WriteBody(buffer, responseBody, bodyLimit);
        WriteMutations(buffer, mutations);
        return new CapturedCall(Pack(buffer.WrittenSpan), redactor);
    }

    // Calls are mostly JSON with repeated names and URLs: Brotli at its fastest quality keeps a third or less of them.
    private const int CompressAbove = 512;
    private const byte Raw = 0;
    private const byte Brotli = 1;

    private static byte[] Pack(ReadOnlySpan<byte> raw)
    {
        if (raw.Length > CompressAbove)
        {
            var rented = ArrayPool<byte>.Shared.Rent(raw.Length + 16);
            try
            {
                var header = 1 + LengthSize(raw.Length);
                if (System.IO.Compression.BrotliEncoder.TryCompress(raw, rented.AsSpan(header), out var written, quality: 1, window: 18)
                    && header + written < raw.Length)
                {
                    rented[0] = Brotli;
                    WriteLength(rented.AsSpan(1), raw.Length);
                    return rented.AsSpan(0, header + written).ToArray();
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        var packed = new byte[raw.Length + 1];
        packed[0] = Raw;
        raw.CopyTo(packed.AsSpan(1));
        return packed;
    }

    /// <summary>The call's bytes as written (decompressed when packed).</summary>
    private byte[] Unpack()
    {
        if (_data[0] == Raw)
        {
            return _data;
        }

        var reader = new Reader(_data, 1);
        var length = (int)reader.Long();
        var raw = new byte[length + 1];
        if (!System.IO.Compression.BrotliDecoder.TryDecompress(_data.AsSpan(reader.Position), raw.AsSpan(1), out var written) || written != length)
        {
            throw new InvalidOperationException("A captured trace entry could not be decompressed.");
        }

        return raw;
    }

    private static int LengthSize(long value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    private static void WriteLength(Span<byte> span, long value)
    {
        var i = 0;
        var v = (ulong)value;
        while (v >= 0x80)
        {
            span[i++] = (byte)(v | 0x80);
            v >>= 7;
        }

        span[i] = (byte)v;
    }

    public string SpanId => new Reader(Unpack(), 1).String();

    public string Path
    {
        get
        {
            var reader = new Reader(Unpack(), 1);
            reader.Skip(1);
            return reader.String();
        }
    }

    /// <summary>The query string (<c>?a=1</c>) with secrets redacted, or empty.</summary>
    public string Query
    {
        get
        {
            var reader = new Reader(Unpack(), 1);
            reader.Skip(2);
            var query = reader.String();
            return query.Length == 0 ? "" : _redactor.Text(query);
        }
    }

    /// <summary>The URL the agent called, its query redacted.</summary>
    public string Url
    {
        get
        {
            var reader = new Reader(Unpack(), 1);
            reader.Skip(2);
            var query = reader.String();
            var url = reader.String();
            return query.Length == 0 ? url : url[..^query.Length] + _redactor.Text(query);
        }
    }

    public IReadOnlyDictionary<string, string> RequestHeaders
    {
        get
        {
            var reader = At(Section.RequestHeaders);
            return reader.Headers(_redactor);
        }
    }

    public string? RequestBody => At(Section.RequestBody).Body(_redactor);

    public IReadOnlyDictionary<string, string> ResponseHeaders => At(Section.ResponseHeaders).Headers(_redactor);

    public string? ResponseBody => At(Section.ResponseBody).Body(_redactor);

    /// <summary>The mutations, with secrets redacted.</summary>
    public IReadOnlyList<StateMutation> Mutations
    {
        get
        {
            var json = At(Section.Mutations).Bytes();
            if (json.IsEmpty)
            {
                return [];
            }

            var list = new List<StateMutation>();
            foreach (var item in JsonNode.Parse(json)!.AsArray())
            {
                var changes = new List<FieldChange>();
                foreach (var change in item!["ch"]!.AsArray())
                {
                    changes.Add(new FieldChange(change!["f"]!.GetValue<string>(), change["b"]?.DeepClone(), change["a"]?.DeepClone()));
                }

                list.Add(_redactor.Mutation(new StateMutation(item["c"]!.GetValue<string>(), item["t"]!.GetValue<string>(), item["i"]!.GetValue<string>(),
                    (MutationKind)item["k"]!.GetValue<int>(), changes)));
            }

            return list;
        }
    }

    private enum Section
    {
        RequestHeaders,
        RequestBody,
        ResponseHeaders,
        ResponseBody,
        Mutations,
    }

    private Reader At(Section section)
    {
        var reader = new Reader(Unpack(), 1);
        reader.Skip(4);
        for (var i = 0; i < (int)section; i++)
        {
            switch ((Section)i)
            {
                case Section.RequestHeaders or Section.ResponseHeaders:
                    reader.SkipHeaders();
                    break;
                case Section.RequestBody or Section.ResponseBody:
                    reader.Long();
                    reader.Skip(1);
                    break;
                default:
                    reader.Skip(1);
                    break;
            }
        }

        return reader;
    }

    private static void WriteLength(IBufferWriter<byte> buffer, long value)
    {
        WriteLength(buffer.GetSpan(10), value);
        buffer.Advance(LengthSize(value));
    }

    private static void WriteBytes(IBufferWriter<byte> buffer, ReadOnlySpan<byte> bytes)
    {
        WriteLength(buffer, bytes.Length);
        buffer.Write(bytes);
    }

    private static void WriteString(IBufferWriter<byte> buffer, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteLength(buffer, length);
        Encoding.UTF8.GetBytes(value, buffer.GetSpan(length));
        buffer.Advance(length);
    }

    private static void WriteHeaders(IBufferWriter<byte> buffer, IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> headers)
    {
        var pairs = headers as ICollection<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> ?? [.. headers];
        WriteLength(buffer, pairs.Count);
        foreach (var (name, value) in pairs)
        {
            WriteString(buffer, name);
            WriteString(buffer, value.ToString());
        }
    }

    private static void WriteBody(IBufferWriter<byte> buffer, ReadOnlySpan<byte> body, int limit)
    {
        WriteLength(buffer, body.Length);
        WriteBytes(buffer, body[..Math.Min(body.Length, limit)]);
    }

    private static void WriteMutations(IBufferWriter<byte> buffer, IReadOnlyList<StateMutation> mutations)
    {
        if (mutations.Count == 0)
        {
            WriteLength(buffer, 0);
            return;
        }

        var json = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartArray();
            foreach (var mutation in mutations)
            {
                writer.WriteStartObject();
                writer.WriteString("c", mutation.CloneId);
                writer.WriteString("t", mutation.EntityType);
                writer.WriteString("i", mutation.Id);
                writer.WriteNumber("k", (int)mutation.Kind);
                writer.WriteStartArray("ch");
                foreach (var change in mutation.Changes)
                {
                    writer.WriteStartObject();
                    writer.WriteString("f", change.Field);
                    if (change.Before is not null)
                    {
                        writer.WritePropertyName("b");
                        change.Before.WriteTo(writer);
                    }

                    if (change.After is not null)
                    {
                        writer.WritePropertyName("a");
                        change.After.WriteTo(writer);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        WriteBytes(buffer, json.WrittenSpan);
    }

    private ref struct Reader(byte[] data, int start)
    {
        private readonly byte[] _data = data;
        private int _at = start;

        public readonly int Position => _at;

        public long Long()
        {
            ulong value = 0;
            var shift = 0;
            byte b;
            do
            {
                b = _data[_at++];
                value |= (ulong)(b & 0x7F) << shift;
                shift += 7;
            }
            while ((b & 0x80) != 0);
            return (long)value;
        }

        public ReadOnlySpan<byte> Bytes()
        {
            var length = (int)Long();
            var bytes = _data.AsSpan(_at, length);
            _at += length;
            return bytes;
        }

        public string String() => Encoding.UTF8.GetString(Bytes());

        public void Skip(int fields)
        {
            for (var i = 0; i < fields; i++)
            {
                // Not "_at += Long()": that reads _at before Long() moves it past the length.
                var length = (int)Long();
                _at += length;
            }
        }

        public void SkipHeaders()
        {
            var count = (int)Long();
            Skip(2 * count);
        }

        public Dictionary<string, string> Headers(Redactor redactor)
        {
            var count = (int)Long();
            var result = new Dictionary<string, string>(count, StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < count; i++)
            {
                var name = String();
                result[name] = redactor.Header(name, String());
            }

            return result;
        }

        /// <summary>The body as text (redacted; cut with a marker past the limit), or null when empty.</summary>
        public string? Body(Redactor redactor)
        {
            var total = Long();
            var kept = Bytes();
            if (total == 0)
            {
                return null;
            }

            var text = redactor.Text(Encoding.UTF8.GetString(kept));
            return total > kept.Length ? $"{text}…[truncated: {total - kept.Length} more bytes of {total}]" : text;
        }
    }
}
