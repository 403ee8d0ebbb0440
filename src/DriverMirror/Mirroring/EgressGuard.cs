using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DriverMirror.Mirroring;

/// <summary>
/// Decides where the mirror may send requests. Upstream URLs are operator input fetched by a server, a server-side request
/// forgery risk: only http/https without credentials, and only to addresses that are public or inside
/// <see cref="MirrorOptions.AllowedNetworks"/>. Callers must connect to the addresses this guard returned, not resolve again,
/// or a DNS answer could change between the check and the connection.
/// </summary>
public sealed class EgressGuard
{
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> resolve;

    /// <summary>Creates the guard; <paramref name="resolver"/> replaces DNS (tests), default <see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/>.</summary>
    public EgressGuard(AllowedNetworks allowedNetworks, Func<string, CancellationToken, Task<IPAddress[]>>? resolver = null)
    {
        ArgumentNullException.ThrowIfNull(allowedNetworks);
        AllowedNetworks = allowedNetworks;
        resolve = resolver ?? Dns.GetHostAddressesAsync;
    }

    /// <summary>The configured exceptions to the public-only rule.</summary>
    public AllowedNetworks AllowedNetworks { get; }

    /// <summary>Refuses (permanent <see cref="MirrorException"/>) URLs that are not absolute http/https or that carry user-info.</summary>
    public static void EnsureFetchableUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            throw MirrorException.Permanent($"Refused upstream URL '{url.OriginalString}': it is not an absolute URL.");
        }

        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            throw MirrorException.Permanent($"Refused upstream URL with scheme '{url.Scheme}': only http and https are fetched.");
        }

        if (url.UserInfo.Length > 0)
        {
            // The user-info is deliberately left out of the message: it is a credential.
            throw MirrorException.Permanent($"Refused upstream URL {Redact(url)}: credentials in URLs are not allowed; the mirror fetches anonymously.");
        }

        if (string.IsNullOrEmpty(url.Host))
        {
            throw MirrorException.Permanent($"Refused upstream URL '{Redact(url)}': it names no host.");
        }
    }

    /// <summary>Whether a connection to <paramref name="address"/> is allowed: a public address, or one inside the allow-list.</summary>
    public bool IsPermitted(IPAddress address) =>
        AllowedNetworks.Contains(address) || AddressClassifier.Classify(address) == AddressCategory.Public;

    /// <summary>
    /// Resolves the host of <paramref name="url"/> (or takes its IP literal) and returns the permitted addresses, in resolver
    /// order. Throws a permanent <see cref="MirrorException"/> naming host and addresses when none is permitted, a transient one
    /// when the name does not resolve.
    /// </summary>
    public Task<IReadOnlyList<IPAddress>> ResolvePermittedAsync(Uri url, CancellationToken cancellationToken = default)
    {
        EnsureFetchableUrl(url);
        return ResolvePermittedAsync(url.IdnHost, cancellationToken);
    }

    /// <summary>As <see cref="ResolvePermittedAsync(Uri, CancellationToken)"/> for a bare host name or IP literal.</summary>
    public async Task<IReadOnlyList<IPAddress>> ResolvePermittedAsync(string host, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        IPAddress[] addresses;
        if (IPAddress.TryParse(literal, out var address))
        {
            addresses = [address];
        }
        else
        {
            try
            {
                addresses = await resolve(host, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                throw MirrorException.Transient($"Could not resolve upstream host '{host}': {ex.Message}", innerException: ex);
            }

            if (addresses.Length == 0)
            {
                throw MirrorException.Transient($"Upstream host '{host}' resolved to no address.");
            }
        }

        var permitted = addresses.Where(IsPermitted).ToArray();
        if (permitted.Length == 0)
        {
            var described = string.Join(", ", addresses.Select(a => string.Create(CultureInfo.InvariantCulture, $"{a} ({Describe(AddressClassifier.Classify(a))})")));
            var allowList = AllowedNetworks.Networks.Count == 0 ? "none" : AllowedNetworks.ToString();
            throw MirrorException.Permanent(
                $"Refused to connect to upstream host '{host}': it resolves to {described}, which the egress guard blocks " +
                $"(Mirror:AllowedNetworks: {allowList}).");
        }

        return permitted;
    }

    /// <summary>The URL without user-info, query or fragment: safe to log and to record (queries may carry tokens).</summary>
    public static string Redact(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.IsAbsoluteUri
            ? url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
            : "(relative URL)";
    }

    private static string Describe(AddressCategory category) => category switch
    {
        AddressCategory.Loopback => "loopback",
        AddressCategory.Private => "private network",
        AddressCategory.LinkLocal => "link-local, incl. cloud metadata",
        AddressCategory.Unspecified => "unspecified",
        AddressCategory.Multicast => "multicast",
        AddressCategory.Broadcast => "broadcast",
        AddressCategory.Reserved => "reserved range",
        _ => "public",
    };
}
