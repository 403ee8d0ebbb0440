using DriverMirror.Catalog;

namespace DriverMirror.WebRoot;

/// <summary>Builds the <see cref="WebRootIndex"/> from driver records: only committed, verified artifacts are listed.</summary>
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
                UpstreamUrl = r.Spec.Url,
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
                        UpstreamUrl = a.Value.UpstreamUrl,
                        FetchedAt = a.Value.FetchedAt,
                    })
                    .ToList(),
            })
            .ToList(),
    };
}
