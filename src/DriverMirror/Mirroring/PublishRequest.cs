using DriverMirror.Catalog;

namespace DriverMirror.Mirroring;

/// <summary>What to publish: for which driver, under which file name, checked against what.</summary>
/// <param name="DriverName">The driver; the blob goes under <c>name/sha256/fileName</c>.</param>
/// <param name="FileName">The upstream file name, kept as is.</param>
/// <param name="Expected">The pinned checksum, if the record has one.</param>
/// <param name="Rules">What the archive must hold.</param>
public sealed record PublishRequest(string DriverName, string FileName, PinnedChecksum? Expected, ArchiveRules Rules);
