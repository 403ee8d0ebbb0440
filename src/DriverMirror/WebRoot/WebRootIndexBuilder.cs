using DriverMirror.Catalog;
using DriverMirror.Mirroring;

namespace DriverMirror.WebRoot;

/// <summary>
/// Builds the <see cref="WebRootIndex"/> from driver records: only committed, verified artifacts are listed. The index is
/// public, so upstream URLs are published without user-info, query or fragment (signed URLs carry tokens there).
/// </summary>
public static class WebRootIndexBuilder
{
    /// <summary>Builds the index of <paramref name="records"/> at <paramref name="now"/>.</summary>
    public static WebRootIndex Build(IEnumerable<DriverRecord> records, DateTimeOffset now) => new()
    {
        GeneratedAt = now,
        Drivers = records
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .Select(r => new WebRootDriver
            {
                Name = r.Name,
                Kind = DriverTableWords.Of(r.Spec.Kind),
                Builtin = r.Spec.Builtin,
                Active = r.Spec.Active,
                State = DriverTableWords.Of(r.Status.State),
                Message = r.Status.Message,
                UpstreamUrl = PublicUpstream(r.Spec.Url),
                LastSuccessAt = r.Status.LastSuccessAt,
                UpstreamChanged = r.Status.UpstreamChanged,
                Artifacts = r.Status.Artifacts
                    .OrderBy(a => a.Key, StringComparer.Ordinal)
                    .Select(a => new WebRootArtifact
                    {
                        Arch = a.Key,
                        Url = a.Value.PublicUrl,
                        FileName = a.Value.FileName,
                        Sha256 = a.Value.Sha256,
                        Size = a.Value.Size,
                        Format = a.Value.Format,
                        UpstreamUrl = PublicUpstream(a.Value.UpstreamUrl) ?? "",
                        FetchedAt = a.Value.FetchedAt,
                    })
                    .ToList(),
                Ui = r.Status.Ui is { } ui
                    ? new WebRootUi
                    {
                        Url = ui.PublicUrl,
                        FileName = ui.FileName,
                        StylesheetUrl = ui.StylesheetUrl,
                        Sha256 = ui.Sha256,
                        Size = ui.Size,
                        UpstreamUrl = PublicUpstream(ui.UpstreamUrl) ?? "",
                        FetchedAt = ui.FetchedAt,
                    }
                    : null,
            })
            .ToList(),
    };

    /// <summary>
    /// An upstream URL as the public web root may show it: scheme, host, port and path (<see cref="EgressGuard.Redact"/>);
    /// <c>local://</c> as it is; <see langword="null"/> for anything that is not an absolute URL, since it cannot be redacted.
    /// </summary>
    public static string? PublicUpstream(string? url) =>
        string.IsNullOrEmpty(url) ? null
        : string.Equals(url, DriverSpec.LocalUrl, StringComparison.OrdinalIgnoreCase) ? DriverSpec.LocalUrl
        : Uri.TryCreate(url, UriKind.Absolute, out var uri) ? EgressGuard.Redact(uri)
        : null;
}
