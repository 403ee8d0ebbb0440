using System.Text.Json.Serialization;

namespace DriverMirror.Catalog;

/// <summary>What an operator declares about a driver. The mirror never writes these fields.</summary>
public sealed record DriverSpec
{
    /// <summary>The default platform: <see cref="Url"/> and <see cref="Checksum"/> are this platform's source.</summary>
    public const string DefaultPlatform = "linux-amd64";

    /// <summary>The URL that means "compiled into Rancher, nothing to download".</summary>
    public const string LocalUrl = "local://";

    /// <summary>Rancher's driver name; the record's key.</summary>
    public string Name { get; init; } = "";

    /// <summary>Node (machine) or cluster (kontainer) driver.</summary>
    public DriverKind Kind { get; init; } = DriverKind.Node;

    /// <summary>Optional name shown to people.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Optional description.</summary>
    public string? Description { get; init; }

    /// <summary>Whether Rancher ships the driver itself (its record may still point at an http bundle).</summary>
    public bool Builtin { get; init; }

    /// <summary>Whether the driver is active in Rancher and therefore mirrored.</summary>
    public bool Active { get; init; }

    /// <summary>Upstream URL for <see cref="DefaultPlatform"/>: http/https, or <c>local://</c> for a built-in driver.</summary>
    public string? Url { get; init; }

    /// <summary>Optional pinned hex digest of the <see cref="Url"/> content.</summary>
    public string? Checksum { get; init; }

    /// <summary>Further platforms, keyed <c>os-arch</c> (for example <c>linux-arm64</c>).</summary>
    public IReadOnlyDictionary<string, PlatformSource>? Platforms { get; init; }

    /// <summary>Optional URL of the Rancher UI extension for this driver.</summary>
    public string? UiUrl { get; init; }

    /// <summary>Domains the driver may reach, passed through to Rancher.</summary>
    public IReadOnlyList<string>? WhitelistDomains { get; init; }

    /// <summary>Whether Rancher adds a cloud credential type for the driver.</summary>
    public bool AddCloudCredential { get; init; }

    /// <summary>Whether the record points at Rancher's compiled-in copy, so there is nothing to mirror.</summary>
    [JsonIgnore]
    public bool IsLocal => string.Equals(Url, LocalUrl, StringComparison.OrdinalIgnoreCase);

    /// <summary>Every platform with an upstream URL: the default platform first, then <see cref="Platforms"/> by key.</summary>
    public IEnumerable<KeyValuePair<string, PlatformSource>> Sources()
    {
        if (!string.IsNullOrEmpty(Url) && !IsLocal)
        {
            yield return new(DefaultPlatform, new PlatformSource { Url = Url, Checksum = Checksum });
        }

        foreach (var platform in (Platforms ?? new Dictionary<string, PlatformSource>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (platform.Key != DefaultPlatform && !string.IsNullOrEmpty(platform.Value.Url))
            {
                yield return platform;
            }
        }
    }
}
