using System.Buffers;

namespace Archal.Testing.Clones.Abstractions;

/// <summary>
/// A request body, read once by the runtime into pooled memory under the host's limit and shared by the clone's
/// parsers and the trace. Valid until the request ends; the runtime returns the memory to the pool then.
/// </summary>
public sealed class CloneRequestBody : IDisposable
{
    private byte[]? _rented;

    /// <summary>The empty body.</summary>
    public static CloneRequestBody Empty { get; } = new(null, 0);

    internal CloneRequestBody(byte[]? rented, int length)
    {
        _rented = rented;
        Length = length;
    }

    /// <summary>The body's length in bytes.</summary>
    public int Length { get; }

    /// <summary>Whether the request had no body.</summary>
    public bool IsEmpty => Length == 0;

    /// <summary>The bytes.</summary>
    /// <exception cref="ObjectDisposedException">The request has ended.</exception>
    public ReadOnlyMemory<byte> Memory => Length == 0 ? ReadOnlyMemory<byte>.Empty : Rented().AsMemory(0, Length);

    /// <summary>The bytes.</summary>
    public ReadOnlySpan<byte> Span => Memory.Span;

    /// <summary>A read-only stream over the bytes (no copy), for readers that want a stream.</summary>
    public Stream AsStream() => Length == 0 ? Stream.Null : new MemoryStream(Rented(), 0, Length, writable: false);

    /// <summary>Reads a body from <paramref name="stream"/>, up to <paramref name="limit"/> bytes.</summary>
    /// <returns>The body, or null when it is longer than <paramref name="limit"/>.</returns>
    public static async Task<CloneRequestBody?> ReadAsync(Stream stream, long? declaredLength, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (declaredLength > limit)
        {
            return null;
        }

        if (declaredLength == 0)
        {
            return Empty;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(declaredLength is { } known ? (int)Math.Max(known, 1) : 4096);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length >= limit + 1)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return null;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1L));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit + 1) - length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > limit)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return null;
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        if (length == 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return Empty;
        }

        return new CloneRequestBody(buffer, length);
    }

    private byte[] Rented() => _rented ?? throw new ObjectDisposedException(nameof(CloneRequestBody), "The request this body belonged to has ended.");

    /// <summary>Returns the memory to the pool.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _rented, null) is { } rented)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
