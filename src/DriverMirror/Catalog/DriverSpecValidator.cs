using System.Text.RegularExpressions;

namespace DriverMirror.Catalog;

/// <summary>Checks a <see cref="DriverSpec"/> field by field, so an API caller learns every mistake at once.</summary>
public static partial class DriverSpecValidator
{
    /// <summary>Longest URL accepted.</summary>
    public const int MaxUrlLength = 2048;

    /// <summary>Most whitelist domains accepted.</summary>
    public const int MaxWhitelistDomains = 64;

    /// <summary>Platform keys accepted in <see cref="DriverSpec.Platforms"/>.</summary>
    public const string PlatformPattern = "^(linux|darwin|windows)-(amd64|arm64|arm|386|s390x|ppc64le|riscv64)$";

    /// <summary>Returns the problems found, keyed by camelCase field path; empty when the spec is valid.</summary>
    public static IReadOnlyDictionary<string, string[]> Validate(DriverSpec spec)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        if (!DriverName.IsValid(spec.Name))
        {
            Add("name", $"must match {DriverName.Pattern} (lower-case letters, digits and dashes, at most 63 characters).");
        }

        if (!Enum.IsDefined(spec.Kind))
        {
            Add("kind", "must be 'node' or 'cluster'.");
        }

        if (spec.DisplayName is { Length: > 128 })
        {
            Add("displayName", "must be at most 128 characters.");
        }

        if (spec.Description is { Length: > 1024 })
        {
            Add("description", "must be at most 1024 characters.");
        }

        if (string.IsNullOrEmpty(spec.Url))
        {
            if (!spec.Builtin)
            {
                Add("url", "is required for an external driver.");
            }
        }
        else if (spec.IsLocal)
        {
            if (!spec.Builtin)
            {
                Add("url", "local:// is only valid for a built-in driver.");
            }

            if (!string.IsNullOrEmpty(spec.Checksum))
            {
                Add("checksum", "has no meaning for local://; remove it or give an http(s) url.");
            }
        }
        else if (CheckHttpUrl(spec.Url) is { } urlProblem)
        {
            Add("url", urlProblem);
        }

        if (!string.IsNullOrEmpty(spec.Checksum) && PinnedChecksum.TryParse(spec.Checksum) is null)
        {
            Add("checksum", "must be a hex digest of 32 (md5), 40 (sha1), 64 (sha256) or 128 (sha512) characters.");
        }

        foreach (var (platform, source) in spec.Platforms ?? new Dictionary<string, PlatformSource>())
        {
            var field = $"platforms.{platform}";
            if (!PlatformRegex().IsMatch(platform))
            {
                Add(field, $"platform must match {PlatformPattern}.");
                continue;
            }

            if (platform == DriverSpec.DefaultPlatform)
            {
                Add(field, "linux-amd64 is given by url and checksum; do not repeat it in platforms.");
                continue;
            }

            if (source is null || string.IsNullOrEmpty(source.Url))
            {
                Add($"{field}.url", "is required.");
            }
            else if (CheckHttpUrl(source.Url) is { } problem)
            {
                Add($"{field}.url", problem);
            }

            if (!string.IsNullOrEmpty(source?.Checksum) && PinnedChecksum.TryParse(source.Checksum) is null)
            {
                Add($"{field}.checksum", "must be a hex digest of 32, 40, 64 or 128 characters.");
            }
        }

        if (!string.IsNullOrEmpty(spec.UiUrl) && CheckHttpUrl(spec.UiUrl) is { } uiProblem)
        {
            Add("uiUrl", uiProblem);
        }

        var domains = spec.WhitelistDomains ?? [];
        if (domains.Count > MaxWhitelistDomains)
        {
            Add("whitelistDomains", $"must hold at most {MaxWhitelistDomains} domains.");
        }

        for (var i = 0; i < domains.Count; i++)
        {
            if (!IsDomainPattern(domains[i]))
            {
                Add($"whitelistDomains[{i}]", $"'{domains[i]}' is not a host name (a leading '*.' or a '%' label is allowed).");
            }
        }

        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }

    /// <summary>Throws <see cref="DriverValidationException"/> when the spec is invalid.</summary>
    public static void ThrowIfInvalid(DriverSpec spec)
    {
        var errors = Validate(spec);
        if (errors.Count > 0)
        {
            throw new DriverValidationException(errors);
        }
    }

    /// <summary>Returns why <paramref name="value"/> is not an acceptable upstream URL, or <see langword="null"/>.</summary>
    public static string? CheckHttpUrl(string value)
    {
        if (value.Length > MaxUrlLength)
        {
            return $"must be at most {MaxUrlLength} characters.";
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return "must be an absolute http or https URL.";
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            return "must name a host.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "must not carry credentials (user-info).";
        }

        return null;
    }

    private static bool IsDomainPattern(string? domain)
    {
        if (string.IsNullOrEmpty(domain) || domain.Length > 253)
        {
            return false;
        }

        var labels = domain.Split('.');
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            var ok = label == "%" || (i == 0 && label == "*" && labels.Length > 1) || LabelRegex().IsMatch(label);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    [GeneratedRegex(PlatformPattern, RegexOptions.CultureInvariant)]
    private static partial Regex PlatformRegex();

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex LabelRegex();
}
