using System.Runtime.ExceptionServices;

namespace DriverMirror.Mirroring;

/// <summary>
/// The inspector's forward-only view of an archive body: lets it peek at the first bytes (format sniffing) without a seekable
/// stream by replaying them, counts the bytes read, and remembers a failure of the underlying stream — so a network error
/// (possibly transient) can be told apart from the archive reader's complaint about a truncated archive.
/// </summary>
internal sealed class InspectedSource(Stream inner) : Stream
{
    private byte[] replay = [];
    private int replayOffset;
    private byte[]? tail;
    private long tailWritten;

    /// <summary>Bytes read from the underlying stream so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The first exception the underlying stream threw, if any.</summary>
    public ExceptionDispatchInfo? SourceFault { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// Keeps the last <paramref name="capacity"/> bytes read from here on (a zip's central directory sits at the end, after
    /// everything a forward-only reader looks at).
    /// </summary>
    public void RetainTail(int capacity)
    {
        tail = new byte[capacity];
        if (BytesRead != replay.Length)
        {
            throw new InvalidOperationException("Retain the tail right after peeking, before other reads.");
        }

        // What was peeked has been read from the source already.
        Retain(replay);
    }

    /// <summary>The retained last bytes, oldest first (all of them when fewer than the capacity were read).</summary>
    public byte[] Tail()
    {
        if (tail is null)
        {
            return [];
        }

        if (tailWritten <= tail.Length)
        {
            return tail[..(int)tailWritten];
        }

        var start = (int)(tailWritten % tail.Length);
        return [.. tail.AsSpan(start), .. tail.AsSpan(0, start)];
    }

    /// <summary>Reads up to <paramref name="count"/> bytes from the start (fewer at end of stream); later reads replay them.</summary>
    public async Task<byte[]> PeekAsync(int count, CancellationToken cancellationToken)
    {
        if (BytesRead != 0)
        {
            throw new InvalidOperationException("Peek only at the start of the stream.");
        }

        var buffer = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            var read = await ReadInnerAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        replay = buffer[..filled];
        replayOffset = 0;
        return replay;
    }

    /// <summary>Reads and discards the rest of the stream.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        while (await ReadAsync(buffer, cancellationToken) > 0)
        {
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (replayOffset < replay.Length)
        {
            var count = Math.Min(buffer.Length, replay.Length - replayOffset);
            replay.AsMemory(replayOffset, count).CopyTo(buffer);
            replayOffset += count;
            return count;
        }

        return await ReadInnerAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Archive readers sometimes read synchronously; the body is a network or pipe stream, so this blocks a thread for a short
    // read only. The publisher runs the inspector on its own task.
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void Retain(ReadOnlySpan<byte> data)
    {
        if (tail is null)
        {
            return;
        }

        if (data.Length > tail.Length)
        {
            tailWritten += data.Length - tail.Length;
            data = data[^tail.Length..];
        }

        while (!data.IsEmpty)
        {
            var at = (int)(tailWritten % tail.Length);
            var count = Math.Min(data.Length, tail.Length - at);
            data[..count].CopyTo(tail.AsSpan(at));
            data = data[count..];
            tailWritten += count;
        }
    }

    private async ValueTask<int> ReadInnerAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            BytesRead += read;
            Retain(buffer.Span[..read]);
            return read;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SourceFault ??= ExceptionDispatchInfo.Capture(ex);
            throw;
        }
    }
}
