using System.Globalization;
using DriverMirror.Catalog;

namespace DriverMirror.Cli.Output;

/// <summary>One driver for people: its spec, then what the mirror observed, as "field: value" lines.</summary>
internal static class DriverDetails
{
    private const int ValueColumn = 24;

    public static void Write(TextWriter writer, DriverRecord record)
    {
        var spec = record.Spec;
        void Line(string label, string? value, int indent = 0)
        {
            if (!string.IsNullOrEmpty(value))
            {
                // Values line up in one column whatever the nesting, so the eye can scan them.
                writer.WriteLine(new string(' ', indent) + (label + ":").PadRight(ValueColumn - indent) + value);
            }
        }

        Line("name", spec.Name);
        Line("display name", spec.DisplayName);
        Line("description", spec.Description);
        Line("kind", DriverWords.Kind(spec.Kind));
        Line("builtin", DriverWords.YesNo(spec.Builtin));
        Line("active", DriverWords.YesNo(spec.Active));
        Line("url", spec.Url);
        Line("checksum", spec.Checksum);
        foreach (var (platform, source) in spec.Platforms ?? new Dictionary<string, PlatformSource>())
        {
            Line($"url ({platform})", source.Url);
            Line($"checksum ({platform})", source.Checksum);
        }

        Line("ui url", spec.UiUrl);
        Line("whitelist domains", spec.WhitelistDomains is { Count: > 0 } domains ? string.Join(", ", domains) : null);
        Line("add cloud credential", spec.AddCloudCredential ? "yes" : null);
        Line("generation", record.Generation.ToString(CultureInfo.InvariantCulture));
        Line("created", Time(record.CreatedAt));
        Line("updated", Time(record.UpdatedAt));

        var status = record.Status;
        writer.WriteLine("status:");
        Line("state", DriverWords.State(status.State), 2);
        Line("message", status.Message, 2);
        Line("observed generation", status.ObservedGeneration > 0 ? status.ObservedGeneration.ToString(CultureInfo.InvariantCulture) : null, 2);
        Line("last attempt", Time(status.LastAttemptAt), 2);
        Line("last success", Time(status.LastSuccessAt), 2);
        Line("failures in a row", status.ConsecutiveFailures > 0 ? status.ConsecutiveFailures.ToString(CultureInfo.InvariantCulture) : null, 2);
        Line("upstream changed", status.UpstreamChanged ? "yes: the upstream URL now serves different bytes than before" : null, 2);
        foreach (var (platform, artifact) in status.Artifacts.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            writer.WriteLine($"  artifact {platform}:");
            Line("url", artifact.PublicUrl, 4);
            Line("sha256", artifact.Sha256, 4);
            Line("size", artifact.Size.ToString("N0", CultureInfo.InvariantCulture) + " bytes", 4);
            Line("format", artifact.Format, 4);
            Line("driver binary", artifact.DriverBinary, 4);
            Line("upstream", artifact.UpstreamUrl, 4);
            Line("fetched", Time(artifact.FetchedAt), 4);
        }

        if (status.Ui is { } ui)
        {
            writer.WriteLine("  ui component:");
            Line("url", ui.PublicUrl, 4);
            Line("sha256", ui.Sha256, 4);
            Line("size", ui.Size.ToString("N0", CultureInfo.InvariantCulture) + " bytes", 4);
            Line("stylesheet", ui.StylesheetUrl, 4);
            Line("upstream", ui.UpstreamUrl, 4);
            Line("fetched", Time(ui.FetchedAt), 4);
        }
    }

    private static string? Time(DateTimeOffset? time) => time?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
