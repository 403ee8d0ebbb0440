using System.Buffers.Binary;

namespace DriverMirror.Testing;

/// <summary>
/// A read-only, seekable stream of <c>length</c> bytes computed from their position, never held in memory: deterministic
/// pseudo-random bytes (incompressible, for large archives) or zeros (highly compressible, for bombs). An optional
/// <c>prefix</c> replaces the first bytes (an ELF magic).
/// </summary>
public sealed class GeneratedStream(long length, ulong? seed, byte[]? prefix = null) : Stream
{
    private long position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => position;
        set => position = value;
    }

    /// <summary>Pseudo-random bytes from <paramref name="seed"/>.</summary>
    public static GeneratedStream Random(long length, ulong seed, byte[]? prefix = null) => new(length, seed, prefix);

    /// <summary>Zeros.</summary>
    public static GeneratedStream Zeros(long length, byte[]? prefix = null) => new(length, null, prefix);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Min(buffer.Length, length - position);
        if (count <= 0)
        {
            return 0;
        }

        var span = buffer[..count];
        if (seed is { } s)
        {
            // Word i of the stream is SplitMix64(seed + i): any range can be produced without the bytes before it.
            Span<byte> word = stackalloc byte[8];
            var written = 0;
            while (written < count)
            {
                var at = position + written;
                var wordIndex = at / 8;
                var inWord = (int)(at % 8);
                BinaryPrimitives.WriteUInt64LittleEndian(word, SplitMix64(s + (ulong)wordIndex));
                var take = Math.Min(8 - inWord, count - written);
                word.Slice(inWord, take).CopyTo(span[written..]);
                written += take;
            }
        }
        else
        {
            span.Clear();
        }

        if (prefix is not null && position < prefix.Length)
        {
            var overlap = (int)Math.Min(prefix.Length - position, count);
            prefix.AsSpan((int)position, overlap).CopyTo(span);
        }

        position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override long Seek(long offset, SeekOrigin origin) => position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => position + offset,
        _ => length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private static ulong SplitMix64(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
