using DriverFunctions.Infra.Tests.Bicep;
using static DriverFunctions.Infra.Tests.Bicep.PredictedDeployment;

namespace DriverFunctions.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class MonitoringTemplateTests(InfraTemplate template)
{
    [Fact]
    public void Application_insights_refuses_key_based_ingestion_and_stores_in_log_analytics()
    {
        var deployment = template.Snapshot();
        var insights = deployment.Single(ResourceTypes.ApplicationInsights);

        Assert.True((bool?)Node(insights, "properties.DisableLocalAuth"));
        Assert.Equal((string?)deployment.Single(ResourceTypes.LogAnalytics)["id"], (string?)Node(insights, "properties.WorkspaceResourceId"));
    }

    [Fact]
    public void Log_analytics_refuses_its_shared_keys_so_only_entra_id_can_query_or_ingest()
    {
        var workspace = template.Snapshot().Single(ResourceTypes.LogAnalytics);

        Assert.True((bool?)Node(workspace, "properties.features.disableLocalAuth"), "The Log Analytics workspace still accepts its shared keys; set features.disableLocalAuth in infra/app/monitoring.bicep.");
    }

    [Fact]
    public void The_host_sends_telemetry_with_the_apps_identity()
    {
        var deployment = template.Snapshot();
        var identity = (string)deployment.Single(ResourceTypes.UserAssignedIdentity)["id"]!;
        var insights = (string)deployment.Single(ResourceTypes.ApplicationInsights)["id"]!;
        var settings = deployment.OfType(ResourceTypes.SiteConfig).Single(c => LeafName(c) == "appsettings");

        Assert.Equal(
            $"[format('ClientId={{0}};Authorization=AAD', reference('{identity}', '2024-11-30').clientId)]",
            (string?)Node(settings, "properties.APPLICATIONINSIGHTS_AUTHENTICATION_STRING"));
        Assert.StartsWith($"[reference('{insights}'", (string?)Node(settings, "properties.APPLICATIONINSIGHTS_CONNECTION_STRING"), StringComparison.Ordinal);
    }
}
