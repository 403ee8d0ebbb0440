using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DriverMirror.Mirroring;

/// <summary>
/// Downloads upstream archives behind an egress guard: http/https only; the resolved address must not be loopback,
/// private, link-local (cloud metadata), unspecified or multicast unless inside <see cref="MirrorOptions.AllowedNetworks"/>;
/// the connection goes to the address that was checked; every redirect is checked again; size and time are capped.
/// </summary>
public sealed class UpstreamFetcher
{
    /// <summary>Creates the fetcher.</summary>
    public UpstreamFetcher(IOptions<MirrorOptions> options, ILogger<UpstreamFetcher> logger)
    {
        _ = options;
        _ = logger;
    }

    /// <summary>GETs <paramref name="url"/>, conditionally when <paramref name="validators"/> are given.</summary>
    /// <exception cref="MirrorException">Refused address, HTTP error, timeout or broken connection.</exception>
    public Task<UpstreamResponse> FetchAsync(Uri url, UpstreamValidators? validators, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
