using System.Text.Json;
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

    /// <summary>Most entries in <see cref="DriverSpec.Platforms"/> (besides the default platform given by <see cref="DriverSpec.Url"/>).</summary>
    public const int MaxPlatforms = 8;

    /// <summary>
    /// Longest serialized JSON (in UTF-16 characters) of a list or map field stored as one table column
    /// (<c>platforms</c>, <c>whitelistDomains</c>). Table storage holds at most 64 KiB (32 Ki characters) per string property;
    /// this leaves room to spare, so a spec that validates is a spec storage accepts.
    /// </summary>
    public const int MaxJsonColumnLength = 24 * 1024;

    /// <summary>Whether <paramref name="platform"/> matches <see cref="PlatformPattern"/> (with no trailing newline, unlike <c>$</c> in .NET).</summary>
    public static bool IsPlatform(string? platform) => platform is not null && PlatformRegex().IsMatch(platform);

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

        if (spec.DisplayName is not null && !IsPlainText(spec.DisplayName))
        {
            Add("displayName", "must not contain control characters or invalid Unicode.");
        }

        if (spec.Description is { Length: > 1024 })
        {
            Add("description", "must be at most 1024 characters.");
        }

        if (spec.Description is not null && !IsPlainText(spec.Description))
        {
            Add("description", "must not contain control characters or invalid Unicode.");
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

        if (spec.Platforms is { Count: > MaxPlatforms })
        {
            Add("platforms", $"must hold at most {MaxPlatforms} platforms (linux-amd64 comes from url).");
        }
        else if (JsonColumnLength(spec.Platforms) > MaxJsonColumnLength)
        {
            Add("platforms", $"is too large to store: at most {MaxJsonColumnLength} characters of JSON.");
        }

        foreach (var (platform, source) in spec.Platforms ?? new Dictionary<string, PlatformSource>())
        {
            var field = $"platforms.{platform}";
            if (!IsPlatform(platform))
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
        else if (JsonColumnLength(spec.WhitelistDomains) > MaxJsonColumnLength)
        {
            Add("whitelistDomains", $"is too large to store: at most {MaxJsonColumnLength} characters of JSON.");
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

        // Uri would quietly trim, escape or drop these; an upstream URL has no business holding any of them.
        if (value.Any(c => c <= ' ' || char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c)))
        {
            return "must not contain whitespace, control characters or invalid Unicode.";
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return "must be an absolute http or https URL.";
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            return "must name a host.";
        }

        // Uri reports "https://@host/" with empty UserInfo, so look at the authority as written.
        if (!string.IsNullOrEmpty(uri.UserInfo) || Authority(value).Contains('@', StringComparison.Ordinal))
        {
            return "must not carry credentials (user-info).";
        }

        if (uri.Port == 0)
        {
            return "must not use port 0.";
        }

        return null;
    }

    /// <summary>The authority as written: between <c>://</c> and the first <c>/</c>, <c>?</c>, <c>#</c> or <c>\</c>.</summary>
    private static string Authority(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal);
        if (start < 0)
        {
            return "";
        }

        var rest = url[(start + 3)..];
        var end = rest.IndexOfAny(['/', '?', '#', '\\']);
        return end < 0 ? rest : rest[..end];
    }

    /// <summary>Text without control characters (C0, DEL, C1) and without lone surrogates.</summary>
    private static bool IsPlainText(string text) => !text.Any(char.IsControl) && DriverJson.IsValidUnicode(text);

    private static int JsonColumnLength<T>(T? value)
        where T : class => value is null ? 0 : JsonSerializer.Serialize(value, DriverJson.Options).Length;

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

    // PlatformPattern with \z for $: in .NET, $ also matches before a final "\n".
    [GeneratedRegex(@"^(linux|darwin|windows)-(amd64|arm64|arm|386|s390x|ppc64le|riscv64)\z", RegexOptions.CultureInvariant)]
    private static partial Regex PlatformRegex();

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex LabelRegex();
}
