namespace DriverMirror.Mirroring;

/// <summary>A committed, verified artifact in the web root.</summary>
/// <param name="BlobPath"><c>name/sha256/fileName</c>.</param>
/// <param name="PublicUrl">Where Rancher downloads it.</param>
/// <param name="Sha256">Lower-case hex SHA-256.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Format"><c>tar.gz</c>, <c>zip</c> or <c>elf</c>.</param>
/// <param name="DriverBinary">The entry holding the driver.</param>
/// <param name="AlreadyPublished">True when that content was already there and nothing was committed.</param>
public sealed record PublishedArtifact(string BlobPath, Uri PublicUrl, string Sha256, long Size, string Format, string DriverBinary, bool AlreadyPublished);
