using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DriverMirror.Catalog;
using DriverMirror.Storage;
using DriverMirror.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DriverMirror.Tests.Catalog;

/// <summary>
/// Imports that race with other writers. The importer's table client runs a hook right after its first read of a driver,
/// which is exactly the window between "read the record" and "write the import".
/// </summary>
public sealed class CatalogImporterTests : IAsyncLifetime
{
    private readonly AfterFirstRead hook = new();
    private TestEnvironment importing = null!;
    private TestEnvironment other = null!;

    public Task InitializeAsync()
    {
        other = TestEnvironment.Create();
        importing = TestEnvironment.Create(
            settings =>
            {
                foreach (var (key, value) in other.Settings)
                {
                    settings[key] = value;
                }
            },
            services => services.AddSingleton(_ =>
            {
                var connection = AzuriteServer.Shared.ConnectionString;
                var tableOptions = new TableClientOptions();
                tableOptions.AddPolicy(hook, HttpPipelinePosition.PerCall);
                return new StorageClients(new TableServiceClient(connection, tableOptions), new BlobServiceClient(connection), new QueueServiceClient(connection, StorageClients.QueueOptions));
            }));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await importing.DisposeAsync();
        await other.DisposeAsync();
    }

    private static CatalogDocument Catalog(DriverSpec spec) => new() { Catalog = "race", Drivers = [spec] };

    private static DriverSpec Hetzner(string displayName) => new()
    {
        Name = "hetzner",
        DisplayName = displayName,
        Active = true,
        Url = "https://example.invalid/docker-machine-driver-hetzner_linux_amd64.tar.gz",
    };

    [Fact]
    public async Task A_driver_created_by_someone_else_after_the_import_read_it_is_kept_not_replaced()
    {
        hook.Run("hetzner", () => other.Get<DriverCatalog>().CreateAsync(Hetzner("Operator's own")));

        var report = await importing.Get<CatalogImporter>().ImportAsync(Catalog(Hetzner("From the catalog")), overwrite: false);

        Assert.True(hook.Fired);
        Assert.Equal(["hetzner"], report.Kept);
        Assert.Empty(report.Created);
        var stored = await other.Get<DriverCatalog>().GetAsync("hetzner");
        Assert.Equal("Operator's own", stored.Spec.DisplayName);
        Assert.Equal(1, stored.Generation);
    }

    [Fact]
    public async Task A_status_write_between_the_import_read_and_its_write_does_not_abort_an_overwrite()
    {
        var created = await other.Get<DriverCatalog>().CreateAsync(Hetzner("Operator's own"));
        hook.Run("hetzner", () => other.Get<DriverCatalog>().UpdateStatusAsync(
            "hetzner", created.Generation, status => status with { State = DriverState.Syncing, Message = "A sync started." }));

        var report = await importing.Get<CatalogImporter>().ImportAsync(Catalog(Hetzner("From the catalog")), overwrite: true);

        Assert.True(hook.Fired);
        Assert.Equal(["hetzner"], report.Overwritten);
        var stored = await other.Get<DriverCatalog>().GetAsync("hetzner");
        Assert.Equal("From the catalog", stored.Spec.DisplayName);
        Assert.Equal(2, stored.Generation);
    }

    [Fact]
    public async Task An_invalid_driver_anywhere_in_a_catalog_stops_the_import_before_any_write()
    {
        var document = new CatalogDocument
        {
            Catalog = "half",
            Drivers = [Hetzner("Fine"), Hetzner("Broken") with { Name = "linode", Url = "https://example.invalid/a b.tar.gz" }],
        };

        var error = await Assert.ThrowsAsync<DriverValidationException>(() => importing.Get<CatalogImporter>().ImportAsync(document, overwrite: false));

        Assert.Equal(["drivers[1].url"], error.Errors.Keys);
        Assert.Null(await other.Get<DriverCatalog>().FindAsync("hetzner"));
    }

    /// <summary>Runs an action once, right after the first GET of one driver's entity has been answered.</summary>
    private sealed class AfterFirstRead : HttpPipelinePolicy
    {
        private string? rowKey;
        private Func<Task>? action;

        public bool Fired { get; private set; }

        public void Run(string name, Func<Task> then)
        {
            rowKey = $"RowKey='{name}'";
            action = then;
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The catalog calls storage asynchronously.");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            if (!Fired && action is not null && message.Request.Method == RequestMethod.Get
                && Uri.UnescapeDataString(message.Request.Uri.ToString()).Contains(rowKey!, StringComparison.Ordinal))
            {
                Fired = true;
                await action();
            }
        }
    }
}
