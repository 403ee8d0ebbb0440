using DriverFunctions.Infra.Tests.Bicep;
using static DriverFunctions.Infra.Tests.Bicep.PredictedDeployment;

namespace DriverFunctions.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class FunctionAppTemplateTests(InfraTemplate template)
{
    [Fact]
    public void Plan_is_flex_consumption_fc1_on_linux_and_hosts_the_app()
    {
        var deployment = template.Snapshot();
        var plan = deployment.Single(ResourceTypes.Plan);

        Assert.Equal("FC1", (string?)Node(plan, "sku.name"));
        Assert.Equal("FlexConsumption", (string?)Node(plan, "sku.tier"));
        Assert.True((bool?)Node(plan, "properties.reserved"));
        Assert.Equal((string?)plan["id"], (string?)Node(deployment.Single(ResourceTypes.FunctionApp), "properties.serverFarmId"));
    }

    [Fact]
    public void Function_app_runs_dotnet_isolated_10_with_memory_and_scale_from_parameters()
    {
        var app = template.Snapshot(new Dictionary<string, object> { ["instanceMemoryMB"] = 4096, ["maximumInstanceCount"] = 100 })
            .Single(ResourceTypes.FunctionApp);

        Assert.Equal("functionapp,linux", (string?)app["kind"]);
        Assert.Equal("dotnet-isolated", (string?)Node(app, "properties.functionAppConfig.runtime.name"));
        Assert.Equal("10.0", (string?)Node(app, "properties.functionAppConfig.runtime.version"));
        Assert.Equal(4096, (int?)Node(app, "properties.functionAppConfig.scaleAndConcurrency.instanceMemoryMB"));
        Assert.Equal(100, (int?)Node(app, "properties.functionAppConfig.scaleAndConcurrency.maximumInstanceCount"));
    }

    [Fact]
    public void Function_app_is_deployed_from_a_private_container_with_its_user_assigned_identity()
    {
        var deployment = template.Snapshot();
        var app = deployment.Single(ResourceTypes.FunctionApp);
        var identityId = (string?)deployment.Single(ResourceTypes.UserAssignedIdentity)["id"];
        var packageContainer = deployment.OfType(ResourceTypes.BlobContainer)
            .Single(c => LeafName(c).StartsWith("app-package-", StringComparison.Ordinal));

        Assert.Equal("blobContainer", (string?)Node(app, "properties.functionAppConfig.deployment.storage.type"));
        Assert.EndsWith(
            $"'{LeafName(packageContainer)}')]",
            (string?)Node(app, "properties.functionAppConfig.deployment.storage.value"),
            StringComparison.Ordinal);
        Assert.Equal("None", (string?)Node(packageContainer, "properties.publicAccess"));
        Assert.Equal("UserAssignedIdentity", (string?)Node(app, "properties.functionAppConfig.deployment.storage.authentication.type"));
        Assert.Equal(identityId, (string?)Node(app, "properties.functionAppConfig.deployment.storage.authentication.userAssignedIdentityResourceId"));
    }

    [Fact]
    public void Function_app_accepts_only_https_and_has_no_publishing_credentials()
    {
        var deployment = template.Snapshot();
        var app = deployment.Single(ResourceTypes.FunctionApp);

        Assert.True((bool?)Node(app, "properties.httpsOnly"));
        Assert.Equal("1.2", (string?)Node(app, "properties.siteConfig.minTlsVersion"));
        Assert.Equal("Disabled", (string?)Node(app, "properties.siteConfig.ftpsState"));
        var policies = deployment.OfType(ResourceTypes.PublishingCredentialsPolicy);
        Assert.Equal(["ftp", "scm"], policies.Select(LeafName).Order(StringComparer.Ordinal));
        Assert.All(policies, p => Assert.False((bool?)Node(p, "properties.allow")));
    }

    [Fact]
    public void Azd_finds_the_function_app_by_its_service_tag()
    {
        var app = template.Snapshot().Single(ResourceTypes.FunctionApp);

        Assert.Equal("api", (string?)Node(app, "tags.azd-service-name"));
        Assert.Equal(InfraTemplate.EnvironmentName, (string?)Node(app, "tags.azd-env-name"));
    }
}
