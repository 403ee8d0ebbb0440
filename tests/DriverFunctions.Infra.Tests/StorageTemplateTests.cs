using DriverFunctions.Infra.Tests.Bicep;
using DriverMirror;
using static DriverFunctions.Infra.Tests.Bicep.PredictedDeployment;

namespace DriverFunctions.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class StorageTemplateTests(InfraTemplate template)
{
    private static readonly MirrorOptions Defaults = new();

    [Fact]
    public void Storage_account_requires_tls_1_2_https_and_entra_id_instead_of_keys()
    {
        var account = template.Snapshot().Single(ResourceTypes.StorageAccount);

        Assert.Equal("TLS1_2", (string?)Node(account, "properties.minimumTlsVersion"));
        Assert.True((bool?)Node(account, "properties.supportsHttpsTrafficOnly"));
        Assert.False((bool?)Node(account, "properties.allowSharedKeyAccess"));
        Assert.True((bool?)Node(account, "properties.defaultToOAuthAuthentication"));
    }

    [Fact]
    public void By_default_only_the_web_root_container_is_public_and_only_for_reading_blobs()
    {
        var deployment = template.Snapshot();

        Assert.True((bool?)Node(deployment.Single(ResourceTypes.StorageAccount), "properties.allowBlobPublicAccess"));
        var containers = deployment.OfType(ResourceTypes.BlobContainer);
        var publicContainer = Assert.Single(containers, c => (string?)Node(c, "properties.publicAccess") != "None");
        Assert.Equal(Defaults.ContainerName, LeafName(publicContainer));
        Assert.Equal("Blob", (string?)Node(publicContainer, "properties.publicAccess"));
        Assert.All(containers.Except([publicContainer]), c => Assert.Equal("None", (string?)Node(c, "properties.publicAccess")));
    }

    [Fact]
    public void Private_web_root_turns_every_anonymous_access_off_and_points_the_app_at_the_cdn()
    {
        const string cdn = "https://drivers.example.azurefd.net/drivers/";
        var deployment = template.Snapshot(new Dictionary<string, object> { ["publicWebRoot"] = false, ["publicBaseUrl"] = cdn });

        Assert.False((bool?)Node(deployment.Single(ResourceTypes.StorageAccount), "properties.allowBlobPublicAccess"));
        Assert.All(deployment.OfType(ResourceTypes.BlobContainer), c => Assert.Equal("None", (string?)Node(c, "properties.publicAccess")));
        Assert.Equal(cdn, (string?)Node(deployment.Single(ResourceTypes.SiteConfig), "properties.Mirror__PublicBaseUrl"));
        Assert.Equal(cdn, (string?)deployment.Outputs["MIRROR_WEB_ROOT_URL"]);
        Assert.Equal($"{cdn}index.json", (string?)deployment.Outputs["MIRROR_INDEX_URL"]);
    }

    [Fact]
    public void Private_web_root_without_a_public_base_url_is_refused_before_anything_is_deployed()
    {
        var attempt = template.TrySnapshot(new Dictionary<string, object> { ["publicWebRoot"] = false });

        // The app would publish container URLs that anonymous Rancher servers cannot download.
        Assert.True(attempt.Deployment is null, "The template accepted publicWebRoot=false with an empty publicBaseUrl.");
        Assert.NotEqual(0, attempt.Result.ExitCode);
        var message = attempt.Result.StandardOutput + attempt.Result.StandardError;
        Assert.Contains("publicWebRoot is false but publicBaseUrl is empty", message, StringComparison.Ordinal);
        Assert.Contains("MIRROR_PUBLIC_BASE_URL", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Public_web_root_may_still_be_fronted_by_a_cdn()
    {
        const string cdn = "https://drivers.example.azureedge.net/drivers/";
        var deployment = template.Snapshot(new Dictionary<string, object> { ["publicWebRoot"] = true, ["publicBaseUrl"] = cdn });

        Assert.True((bool?)Node(deployment.Single(ResourceTypes.StorageAccount), "properties.allowBlobPublicAccess"));
        Assert.Equal(cdn, (string?)Node(deployment.Single(ResourceTypes.SiteConfig), "properties.Mirror__PublicBaseUrl"));
        Assert.Equal(cdn, (string?)deployment.Outputs["MIRROR_WEB_ROOT_URL"]);
    }

    [Fact]
    public void Storage_holds_the_table_queues_and_containers_the_app_uses_by_default()
    {
        var deployment = template.Snapshot();

        Assert.Equal(Defaults.TableName, LeafName(deployment.Single(ResourceTypes.Table)));
        Assert.Equal(
            [Defaults.QueueName, $"{Defaults.QueueName}-poison"],
            deployment.OfType(ResourceTypes.Queue).Select(LeafName).Order(StringComparer.Ordinal));
        var containers = deployment.OfType(ResourceTypes.BlobContainer).Select(LeafName).ToList();
        Assert.Contains(Defaults.ContainerName, containers);
        Assert.Contains($"{Defaults.ContainerName}-staging", containers);
        Assert.Single(containers, name => name.StartsWith("app-package-", StringComparison.Ordinal));
        Assert.Equal(3, containers.Count);
    }
}
