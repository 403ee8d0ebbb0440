using System.Text.RegularExpressions;

namespace DriverMirror.Catalog;

/// <summary>Rancher's driver name rule: lower-case letters, digits and dashes, at most 63 characters.</summary>
public static partial class DriverName
{
    /// <summary>The pattern every driver name matches.</summary>
    public const string Pattern = "^[a-z0-9][a-z0-9-]{0,62}$";

    /// <summary>Whether <paramref name="name"/> is a valid driver name.</summary>
    public static bool IsValid(string? name) => name is not null && NameRegex().IsMatch(name);

    // Pattern with \z for $: in .NET, $ also matches before a final "\n", so "abc\n" would pass.
    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,62}\z", RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();
}
