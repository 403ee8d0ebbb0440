namespace DriverMirror.Mirroring;

/// <summary>What the last successful download returned, sent back as If-None-Match / If-Modified-Since.</summary>
public sealed record UpstreamValidators(string? ETag, DateTimeOffset? LastModified);
