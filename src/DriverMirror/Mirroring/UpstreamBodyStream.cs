namespace DriverMirror.Mirroring;

/// <summary>
/// The body of an upstream response, read forward-only from the socket. Counts bytes and fails permanently past the size cap
/// (a chunked response announces no length); turns a broken connection or the overall download deadline into a transient
/// <see cref="MirrorException"/>. Owns the HTTP response and the deadline, and disposes both.
/// </summary>
internal sealed class UpstreamBodyStream : Stream
{
    private readonly Stream inner;
    private readonly long maxBytes;
    private readonly string displayUrl;
    private readonly HttpResponseMessage response;
    private readonly CancellationTokenSource deadline;
    private readonly CancellationTokenSource lifetime;
    private readonly CancellationTokenRegistration abortOnDeadline;
    private long bytesRead;
    private bool disposed;

    /// <param name="inner">The response content stream.</param>
    /// <param name="maxBytes">The size cap.</param>
    /// <param name="displayUrl">The redacted URL for messages.</param>
    /// <param name="response">The response, disposed with this stream.</param>
    /// <param name="deadline">Fires when the whole download took too long; disposed with this stream.</param>
    /// <param name="lifetime">Deadline linked with the caller's token; disposed with this stream.</param>
    public UpstreamBodyStream(Stream inner, long maxBytes, string displayUrl, HttpResponseMessage response, CancellationTokenSource deadline, CancellationTokenSource lifetime)
    {
        this.inner = inner;
        this.maxBytes = maxBytes;
        this.displayUrl = displayUrl;
        this.response = response;
        this.deadline = deadline;
        this.lifetime = lifetime;

        // A synchronous read can't be cancelled by token: tearing the response down unblocks it.
        abortOnDeadline = lifetime.Token.Register(static state => ((HttpResponseMessage)state!).Dispose(), response);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    /// <summary>Bytes read so far.</summary>
    public override long Position
    {
        get => bytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ThrowIfGone();
        int read;
        try
        {
            read = inner.Read(buffer);
        }
        catch (Exception ex) when (Translate(ex, CancellationToken.None) is { } translated)
        {
            throw translated;
        }

        return Count(read);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfGone();
        int read;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.Token);
        try
        {
            read = await inner.ReadAsync(buffer, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
        {
            throw translated;
        }

        return Count(read);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !disposed)
        {
            disposed = true;
            abortOnDeadline.Dispose();
            inner.Dispose();
            response.Dispose();
            lifetime.Dispose();
            deadline.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(int read)
    {
        bytesRead += read;
        if (bytesRead > maxBytes)
        {
            throw MirrorException.Permanent($"Upstream {displayUrl} sent more than the size cap of {maxBytes} bytes; download stopped.");
        }

        return read;
    }

    private void ThrowIfGone()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (bytesRead > maxBytes)
        {
            throw MirrorException.Permanent($"Upstream {displayUrl} sent more than the size cap of {maxBytes} bytes; download stopped.");
        }
    }

    /// <summary>Maps a read failure to a <see cref="MirrorException"/>, or null to let it through (the caller cancelled).</summary>
    private MirrorException? Translate(Exception ex, CancellationToken callerToken)
    {
        if (ex is MirrorException || callerToken.IsCancellationRequested)
        {
            return null;
        }

        if (deadline.IsCancellationRequested)
        {
            return MirrorException.Transient($"Download of {displayUrl} timed out after {bytesRead} bytes.", innerException: ex);
        }

        return ex switch
        {
            IOException or HttpRequestException => MirrorException.Transient(
                $"Connection to {displayUrl} broke after {bytesRead} bytes: {ex.Message}", innerException: ex),
            _ => null,
        };
    }
}
