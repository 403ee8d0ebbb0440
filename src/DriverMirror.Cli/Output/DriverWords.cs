using DriverMirror.Catalog;

namespace DriverMirror.Cli.Output;

/// <summary>How a record's fields read in human output: the same lower-case words the JSON uses.</summary>
internal static class DriverWords
{
    public static string Kind(DriverKind kind) => kind.ToString().ToLowerInvariant();

    public static string State(DriverState state) => state.ToString().ToLowerInvariant();

    public static string YesNo(bool value) => value ? "yes" : "no";

    /// <summary>The URL Rancher should use: the mirror's when the default platform is published, else the upstream.</summary>
    public static string Url(DriverRecord record) =>
        DefaultArtifact(record)?.PublicUrl ?? record.Spec.Url ?? "-";

    /// <summary>The published sha256 (or a pinned sha256), shortened like a git hash; the full value is in <c>show</c>.</summary>
    public static string ShortSha256(DriverRecord record)
    {
        var sha256 = DefaultArtifact(record)?.Sha256
            ?? (record.Spec.Checksum is { Length: 64 } pinned ? pinned : null);
        return sha256 is null ? "-" : sha256[..12];
    }

    private static MirroredArtifact? DefaultArtifact(DriverRecord record) =>
        record.Status.Artifacts.TryGetValue(DriverSpec.DefaultPlatform, out var artifact) ? artifact : null;
}
