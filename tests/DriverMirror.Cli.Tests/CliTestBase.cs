using DriverMirror.Catalog;
using DriverMirror.Storage;
using DriverMirror.Testing;

namespace DriverMirror.Cli.Tests;

/// <summary>
/// Runs the CLI in-process against the shared Azurite, over a table of its own (a fresh <see cref="TestEnvironment"/>
/// per test), and reads storage back through the same library to check what the CLI really did.
/// </summary>
public abstract class CliTestBase : IAsyncLifetime
{
    protected TestEnvironment Env { get; } = TestEnvironment.Create();

    protected DriverCatalog Catalog => Env.Get<DriverCatalog>();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Env.DisposeAsync();

    /// <summary>
    /// Runs <c>drivermirror args… --storage &lt;Azurite&gt;</c>. The Mirror settings come in as extra settings, the
    /// storage connection only through <c>--storage</c>, so every run also proves the global option works.
    /// </summary>
    protected Task<CliRun> RunAsync(params string[] args) => RunWithStorageAsync(AzuriteServer.Shared.ConnectionString, args);

    protected async Task<CliRun> RunWithStorageAsync(string storage, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var settings = Env.Settings.Where(s => s.Key != StorageClients.DefaultSettingName).ToDictionary(s => s.Key, s => s.Value);
        var exitCode = await CliApplication.RunAsync([.. args, "--storage", storage], stdout, stderr, settings);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    protected async Task<List<DriverRecord>> StoredAsync(DriverQuery? query = null)
    {
        var records = new List<DriverRecord>();
        await foreach (var record in Catalog.ListAsync(query ?? DriverQuery.All))
        {
            records.Add(record);
        }

        return records;
    }

    protected static DriverSpec Hetzner(bool active = true) => new()
    {
        Name = "hetzner",
        DisplayName = "Hetzner Cloud",
        Url = "https://github.example/docker-machine-driver-hetzner_5.0.2_linux_amd64.tar.gz",
        Checksum = new string('a', 64),
        Active = active,
        WhitelistDomains = ["api.hetzner.cloud"],
    };

    /// <summary>Publishes a fake artifact in the record's status, as a sync would, so outputs show mirror URLs.</summary>
    protected async Task<DriverRecord> MarkPublishedAsync(DriverRecord record, string sha256)
    {
        var artifact = new MirroredArtifact
        {
            BlobPath = $"{record.Name}/{sha256}/docker-machine-driver-{record.Name}.tar.gz",
            PublicUrl = $"http://127.0.0.1:10000/devstoreaccount1/drivers/{record.Name}/{sha256}/docker-machine-driver-{record.Name}.tar.gz",
            FileName = $"docker-machine-driver-{record.Name}.tar.gz",
            Size = 123456,
            Sha256 = sha256,
            Format = "tar.gz",
            DriverBinary = $"docker-machine-driver-{record.Name}",
            UpstreamUrl = record.Spec.Url!,
            UpstreamEtag = "\"v1\"",
            FetchedAt = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero),
        };
        var updated = await Catalog.UpdateStatusAsync(record.Name, record.Generation, status => status with
        {
            State = DriverState.Ready,
            Message = "Published.",
            ObservedGeneration = record.Generation,
            Artifacts = new Dictionary<string, MirroredArtifact> { [DriverSpec.DefaultPlatform] = artifact },
            LastAttemptAt = artifact.FetchedAt,
            LastSuccessAt = artifact.FetchedAt,
        });
        return Assert.IsType<DriverRecord>(updated);
    }
}
