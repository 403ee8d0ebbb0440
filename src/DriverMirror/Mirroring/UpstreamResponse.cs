namespace DriverMirror.Mirroring;

/// <summary>An upstream answer: either "not modified", or a body stream capped at <see cref="MirrorOptions.MaxArtifactBytes"/>.</summary>
public sealed class UpstreamResponse : IAsyncDisposable
{
    private readonly IDisposable? owner;

    /// <summary>Creates a response; <paramref name="owner"/> (the HTTP response) is disposed with it.</summary>
    public UpstreamResponse(Uri requestedUrl, Uri finalUrl, Stream body, IDisposable? owner = null)
    {
        RequestedUrl = requestedUrl;
        FinalUrl = finalUrl;
        Body = body;
        this.owner = owner;
    }

    /// <summary>The URL the record names.</summary>
    public Uri RequestedUrl { get; }

    /// <summary>The URL the body came from, after redirects.</summary>
    public Uri FinalUrl { get; }

    /// <summary>True when the upstream answered 304: the last download is still current. <see cref="Body"/> is then empty.</summary>
    public bool NotModified { get; init; }

    /// <summary>The body. Reading past the size cap throws a permanent <see cref="MirrorException"/>; a broken connection a transient one.</summary>
    public Stream Body { get; }

    /// <summary>The announced length, if any.</summary>
    public long? ContentLength { get; init; }

    /// <summary>The upstream media type, if any.</summary>
    public string? ContentType { get; init; }

    /// <summary>The upstream ETag, if any.</summary>
    public string? ETag { get; init; }

    /// <summary>The upstream Last-Modified, if any.</summary>
    public DateTimeOffset? LastModified { get; init; }

    /// <summary>The file name from Content-Disposition, if the upstream sent one.</summary>
    public string? ContentDispositionFileName { get; init; }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Body.DisposeAsync();
        owner?.Dispose();
    }
}
