using DriverMirror.Mirroring;

namespace DriverMirror.Bench;

/// <summary>What the inspect scenario read.</summary>
/// <param name="Report">The inspector's report.</param>
/// <param name="Bytes">Body bytes read.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the body.</param>
internal sealed record InspectedArchive(ArchiveReport Report, long Bytes, string Sha256);
