using DriverMirror.Catalog;

namespace DriverMirror.Mirroring;

/// <summary>What <see cref="UiComponentMirror.SyncAsync"/> did.</summary>
/// <param name="Ui">The UI component now published (the previous one when the upstream answered 304).</param>
/// <param name="Published">Whether the published UI component is new to this driver.</param>
/// <param name="UpstreamChanged">Whether the same UI URL now serves other content than before.</param>
public sealed record UiSyncResult(MirroredUi Ui, bool Published, bool UpstreamChanged);
