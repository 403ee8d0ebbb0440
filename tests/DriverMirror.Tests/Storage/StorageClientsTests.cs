using System.Text;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using DriverMirror.Storage;
using DriverMirror.Testing;
using Microsoft.Extensions.Configuration;

namespace DriverMirror.Tests.Storage;

/// <summary>
/// Both shapes of the <c>AzureWebJobsStorage</c> setting: the connection string used locally (Azurite), and the
/// identity-based section infra/app/api.bicep deploys. Identity clients are checked for how they are built, never
/// against Azure: the one token request goes to an identity endpoint played on loopback.
/// </summary>
public sealed class StorageClientsTests
{
    private static readonly object IdentityEnvironment = new();

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build();

    [Fact]
    public async Task Connection_string_setting_round_trips_a_blob_an_entity_and_a_base64_message_through_Azurite()
    {
        var connectionString = AzuriteServer.Shared.ConnectionString;
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var clients = StorageClients.FromConfiguration(Configuration(("AzureWebJobsStorage", connectionString)));

        Assert.False(clients.UsesIdentity);

        var container = clients.Blobs.GetBlobContainerClient($"roundtrip-{suffix}");
        await container.CreateAsync();
        await container.GetBlobClient("hello.txt").UploadAsync(BinaryData.FromString("hello"));
        Assert.Equal("hello", (await container.GetBlobClient("hello.txt").DownloadContentAsync()).Value.Content.ToString());

        var table = clients.Tables.GetTableClient($"roundtrip{suffix}");
        await table.CreateAsync();
        await table.AddEntityAsync(new TableEntity("node", "hetzner") { ["Url"] = "https://example.invalid/d.tar.gz" });
        Assert.Equal("https://example.invalid/d.tar.gz", (await table.GetEntityAsync<TableEntity>("node", "hetzner")).Value.GetString("Url"));

        var queue = clients.Queues.GetQueueClient($"roundtrip-{suffix}");
        await queue.CreateAsync();
        await queue.SendMessageAsync("""{"name":"hetzner"}""");
        // Read without decoding: the body on the wire is base64, which is what the Functions queue trigger expects.
        var raw = await new QueueClient(connectionString, queue.Name).ReceiveMessageAsync();
        Assert.Equal("""{"name":"hetzner"}""", Encoding.UTF8.GetString(Convert.FromBase64String(raw.Value.Body.ToString())));
    }

    [Fact]
    public void Identity_section_builds_clients_for_the_configured_service_uris_without_requesting_a_token()
    {
        var credential = new CountingCredential();
        var configuration = Configuration(
            ("AzureWebJobsStorage:credential", "managedidentity"),
            ("AzureWebJobsStorage:clientId", "11111111-2222-3333-4444-555555555555"),
            // As the template sets them: the account's primary endpoints, with their trailing slash.
            ("AzureWebJobsStorage:blobServiceUri", "https://stmirror.blob.core.windows.net/"),
            ("AzureWebJobsStorage:queueServiceUri", "https://stmirror.queue.core.windows.net/"),
            ("AzureWebJobsStorage:tableServiceUri", "https://stmirror.table.core.windows.net/"));

        var clients = StorageClients.FromConfiguration(configuration, credential: credential);
        var container = clients.Blobs.GetBlobContainerClient("drivers");
        var queue = clients.Queues.GetQueueClient("mirror-requests");
        var table = clients.Tables.GetTableClient("drivers");

        Assert.True(clients.UsesIdentity);
        Assert.Equal(new Uri("https://stmirror.blob.core.windows.net/drivers"), container.Uri);
        Assert.Equal(new Uri("https://stmirror.queue.core.windows.net/mirror-requests"), queue.Uri);
        Assert.Equal(new Uri("https://stmirror.table.core.windows.net/"), clients.Tables.Uri);
        Assert.Equal("drivers", table.Name);
        Assert.Equal("stmirror", clients.Blobs.AccountName);
        Assert.Equal(0, credential.TokenRequests);
    }

    [Fact]
    public void Managed_identity_section_builds_identity_clients_with_its_own_credential()
    {
        var configuration = Configuration(
            ("AzureWebJobsStorage:credential", "managedidentity"),
            ("AzureWebJobsStorage:clientId", "11111111-2222-3333-4444-555555555555"),
            ("AzureWebJobsStorage:blobServiceUri", "https://stmirror.blob.core.windows.net/"),
            ("AzureWebJobsStorage:queueServiceUri", "https://stmirror.queue.core.windows.net/"),
            ("AzureWebJobsStorage:tableServiceUri", "https://stmirror.table.core.windows.net/"));

        var clients = StorageClients.FromConfiguration(configuration);

        Assert.True(clients.UsesIdentity);
        Assert.IsType<Azure.Identity.ManagedIdentityCredential>(clients.Credential);
        Assert.Equal("stmirror", clients.Queues.AccountName);
        Assert.Equal(new Uri("https://stmirror.blob.core.windows.net/"), clients.Blobs.Uri);
    }

    [Fact]
    public async Task Managed_identity_section_asks_the_identity_endpoint_for_a_storage_token_of_the_user_assigned_client_id()
    {
        // The App Service / Functions identity endpoint, played on loopback: what the credential sends there is what Azure sees.
        const string clientId = "11111111-2222-3333-4444-555555555555";
        await using var endpoint = await LoopbackUpstream.StartAsync();
        var expires = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        endpoint.Serve("/msi/token", Encoding.UTF8.GetBytes(
            $$"""{"access_token":"token-from-loopback","expires_on":"{{expires}}","resource":"https://storage.azure.com","token_type":"Bearer","client_id":"{{clientId}}"}"""),
            contentType: "application/json");
        var configuration = Configuration(
            ("AzureWebJobsStorage:credential", "managedidentity"),
            ("AzureWebJobsStorage:clientId", clientId),
            ("AzureWebJobsStorage:blobServiceUri", "https://stmirror.blob.core.windows.net/"),
            ("AzureWebJobsStorage:queueServiceUri", "https://stmirror.queue.core.windows.net/"),
            ("AzureWebJobsStorage:tableServiceUri", "https://stmirror.table.core.windows.net/"));
        AccessToken token;
        lock (IdentityEnvironment)
        {
            Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", endpoint.UrlFor("/msi/token").AbsoluteUri);
            Environment.SetEnvironmentVariable("IDENTITY_HEADER", "loopback-secret");
            try
            {
                var clients = StorageClients.FromConfiguration(configuration);
                token = clients.Credential!.GetToken(new TokenRequestContext(["https://storage.azure.com/.default"]), CancellationToken.None);
            }
            finally
            {
                Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", null);
                Environment.SetEnvironmentVariable("IDENTITY_HEADER", null);
            }
        }

        Assert.Equal("token-from-loopback", token.Token);
        var query = System.Web.HttpUtility.ParseQueryString(endpoint.LastQuery("/msi/token") ?? "");
        Assert.Equal(clientId, query["client_id"]);
        Assert.Equal("https://storage.azure.com", query["resource"]);
        Assert.Equal("loopback-secret", endpoint.LastRequestHeaders("/msi/token")!["X-IDENTITY-HEADER"]);
    }

    [Fact]
    public void Account_name_shorthand_builds_the_public_cloud_service_uris()
    {
        var clients = StorageClients.FromConfiguration(
            Configuration(("AzureWebJobsStorage:accountName", "stmirror"), ("AzureWebJobsStorage:credential", "managedidentity")),
            credential: new CountingCredential());

        Assert.True(clients.UsesIdentity);
        Assert.Equal(new Uri("https://stmirror.blob.core.windows.net/"), clients.Blobs.Uri);
        Assert.Equal(new Uri("https://stmirror.queue.core.windows.net/"), clients.Queues.Uri);
        Assert.Equal(new Uri("https://stmirror.table.core.windows.net/"), clients.Tables.Uri);
    }

    [Fact]
    public void Explicit_service_uri_wins_over_the_account_name()
    {
        var clients = StorageClients.FromConfiguration(
            Configuration(
                ("AzureWebJobsStorage:accountName", "stmirror"),
                ("AzureWebJobsStorage:blobServiceUri", "https://stmirror-secondary.blob.core.windows.net/")),
            credential: new CountingCredential());

        Assert.Equal(new Uri("https://stmirror-secondary.blob.core.windows.net/"), clients.Blobs.Uri);
        Assert.Equal(new Uri("https://stmirror.table.core.windows.net/"), clients.Tables.Uri);
    }

    [Fact]
    public void Missing_setting_means_the_local_development_storage()
    {
        var clients = StorageClients.FromConfiguration(Configuration());

        Assert.False(clients.UsesIdentity);
        Assert.Equal("devstoreaccount1", clients.Blobs.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), clients.Blobs.Uri);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), clients.Queues.Uri);
    }

    [Fact]
    public void Identity_section_without_service_uris_or_account_name_is_refused_with_the_setting_named()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StorageClients.FromConfiguration(
            Configuration(("AzureWebJobsStorage:credential", "managedidentity"), ("AzureWebJobsStorage:clientId", "abc")),
            credential: new CountingCredential()));

        Assert.Contains("AzureWebJobsStorage", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A credential that only counts: building clients must not ask for a token.</summary>
    private sealed class CountingCredential : TokenCredential
    {
        private int tokenRequests;

        public int TokenRequests => Volatile.Read(ref tokenRequests);

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref tokenRequests);
            throw new InvalidOperationException("No token may be requested in this test.");
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
