using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DriverFunctions.Infra.Tests.Bicep;
using DriverMirror;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static DriverFunctions.Infra.Tests.Bicep.PredictedDeployment;

namespace DriverFunctions.Infra.Tests;

[Collection(InfraCollection.Name)]
public sealed class AppSettingsTemplateTests(InfraTemplate template)
{
    /// <summary>Every option the app binds from the <c>Mirror</c> section, as an app setting name.</summary>
    public static TheoryData<string> MirrorSettingNames()
    {
        var data = new TheoryData<string>();
        foreach (var property in SettableMirrorOptions())
        {
            data.Add($"{MirrorOptions.SectionName}__{property.Name}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MirrorSettingNames))]
    public void App_settings_carry_every_Mirror_option(string settingName)
    {
        var settings = Settings(template.Snapshot());

        Assert.True(settings.ContainsKey(settingName), $"The template sets no '{settingName}'; add it to infra/app/api.bicep and infra/app/types.bicep.");
    }

    [Fact]
    public void App_settings_carry_no_Mirror_setting_the_app_does_not_read()
    {
        var known = SettableMirrorOptions().Select(p => $"{MirrorOptions.SectionName}__{p.Name}").ToHashSet(StringComparer.Ordinal);

        var unknown = Settings(template.Snapshot()).Select(p => p.Key)
            .Where(key => key.StartsWith($"{MirrorOptions.SectionName}__", StringComparison.Ordinal) && !known.Contains(key));

        Assert.Empty(unknown);
    }

    [Fact]
    public void Storage_is_reached_by_identity_with_no_key_or_connection_string_in_the_settings()
    {
        var deployment = template.Snapshot();
        var settings = Settings(deployment);
        var identity = (string)deployment.Single(ResourceTypes.UserAssignedIdentity)["id"]!;
        var account = (string)deployment.Single(ResourceTypes.StorageAccount)["id"]!;

        Assert.Equal("managedidentity", (string?)settings["AzureWebJobsStorage__credential"]);
        Assert.Equal($"[reference('{identity}', '2024-11-30').clientId]", (string?)settings["AzureWebJobsStorage__clientId"]);
        foreach (var service in new[] { "blob", "queue", "table" })
        {
            Assert.Matches(
                $@"^\[reference\('{account}', '[0-9-]+'\)\.primaryEndpoints\.{service}\]$",
                (string?)settings[$"AzureWebJobsStorage__{service}ServiceUri"]);
        }

        Assert.False(settings.ContainsKey("AzureWebJobsStorage"), "A plain AzureWebJobsStorage setting would be a connection string.");
        Assert.DoesNotContain(settings, s => s.Value?.ToJsonString().Contains("AccountKey", StringComparison.OrdinalIgnoreCase) == true);
        Assert.DoesNotContain(settings, s => s.Value?.ToJsonString().Contains("listKeys", StringComparison.OrdinalIgnoreCase) == true);
    }

    /// <summary>
    /// Settings Flex Consumption rejects or ignores: it takes the runtime and deployment from <c>functionAppConfig</c>, has no
    /// content file share, no Kudu build and no placeholder mode. Setting one fails the deployment or misleads the reader.
    /// </summary>
    public static TheoryData<string> SettingsFlexConsumptionRejects() =>
    [
        "FUNCTIONS_WORKER_RUNTIME",
        "FUNCTIONS_EXTENSION_VERSION",
        "WEBSITE_RUN_FROM_PACKAGE",
        "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
        "WEBSITE_CONTENTSHARE",
        "AzureWebJobsDashboard",
        "SCM_DO_BUILD_DURING_DEPLOYMENT",
        "ENABLE_ORYX_BUILD",
        "WEBSITE_NODE_DEFAULT_VERSION",
        "WEBSITE_USE_PLACEHOLDER_DOTNETISOLATED",
    ];

    [Theory]
    [MemberData(nameof(SettingsFlexConsumptionRejects))]
    public void App_settings_leave_out_a_setting_flex_consumption_rejects(string settingName)
    {
        var deployment = template.Snapshot();

        // App setting names are case-insensitive.
        Assert.DoesNotContain(Settings(deployment), s => string.Equals(s.Key, settingName, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(SiteConfigSettingNames(deployment), name => string.Equals(name, settingName, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Function_app_sets_its_settings_only_in_the_appsettings_resource_and_no_connection_strings()
    {
        var app = template.Snapshot().Single(ResourceTypes.FunctionApp);

        // Two places would race: a siteConfig.appSettings list and the config/appsettings resource replace each other.
        Assert.True(
            Node(app, "properties.siteConfig.appSettings") is null or JsonArray { Count: 0 },
            $"The function app sets siteConfig.appSettings: {Node(app, "properties.siteConfig.appSettings")?.ToJsonString()}");
        Assert.True(
            Node(app, "properties.siteConfig.connectionStrings") is null or JsonArray { Count: 0 },
            $"The function app sets siteConfig.connectionStrings: {Node(app, "properties.siteConfig.connectionStrings")?.ToJsonString()}");
    }

    [Fact]
    public void No_key_sas_or_storage_connection_string_appears_anywhere_in_the_function_app_or_its_settings()
    {
        var deployment = template.Snapshot();
        var siteResources = deployment.Resources
            .Where(r => ((string?)r["type"])?.StartsWith(ResourceTypes.FunctionApp, StringComparison.OrdinalIgnoreCase) == true)
            .Select(r => (Where: $"{r["type"]} {r["name"]}", Json: r.ToJsonString()))
            .ToList();
        // The compiled api module too: it also holds branches this evaluation did not take.
        var apiModule = template.CompiledModule("api");

        Assert.Contains(siteResources, r => r.Where.Contains("appsettings", StringComparison.Ordinal));
        Assert.All(siteResources.Append((Where: "compiled api module", Json: apiModule.ToJsonString())), r =>
        {
            Assert.DoesNotMatch(SecretBearingText, r.Json);
        });
        // The one connection string in the settings is Application Insights', read from the component (no key: local auth is off).
        var connectionStrings = Settings(deployment)
            .Where(s => s.Key.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase) || s.Key.Contains("CONNECTION_STRING", StringComparison.OrdinalIgnoreCase))
            .Select(s => s.Key);
        Assert.Equal(["APPLICATIONINSIGHTS_CONNECTION_STRING"], connectionStrings);
    }

    [Fact]
    public void The_apps_identity_is_named_only_to_the_settings_that_read_it()
    {
        var deployment = template.Snapshot();
        var identity = (string)deployment.Single(ResourceTypes.UserAssignedIdentity)["id"]!;
        var clientId = $"reference('{identity}', '2024-11-30').clientId";

        var naming = Settings(deployment)
            .Where(s => ((string?)s.Value)?.Contains(clientId, StringComparison.Ordinal) == true)
            .Select(s => s.Key)
            .Order(StringComparer.Ordinal);

        // AzureWebJobsStorage__clientId: the host's storage and the app's StorageClients (ManagedIdentityCredential).
        // APPLICATIONINSIGHTS_AUTHENTICATION_STRING: the host's telemetry. The worker uses no DefaultAzureCredential
        // in Azure, so an AZURE_CLIENT_ID would be read by nothing.
        Assert.Equal(["APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "AzureWebJobsStorage__clientId"], naming);
    }

    [Fact]
    public void Default_download_timeout_ends_before_the_hosts_function_timeout()
    {
        var settings = Settings(template.Snapshot());
        var hostJson = JsonNode.Parse(
            File.ReadAllText(Path.Combine(template.RepositoryRoot, "host.json")),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!;

        var functionTimeout = TimeSpan.Parse((string)hostJson["functionTimeout"]!, CultureInfo.InvariantCulture);
        var downloadTimeout = TimeSpan.Parse((string)settings["Mirror__DownloadTimeout"]!, CultureInfo.InvariantCulture);

        // Otherwise the host kills a slow download's function before the mirror can record the download as failed.
        Assert.True(
            downloadTimeout < functionTimeout,
            $"infra/main.bicep's mirrorDownloadTimeout default {downloadTimeout:c} is not shorter than host.json's functionTimeout {functionTimeout:c}.");
    }

    [Fact]
    public void Default_Mirror_settings_bind_to_the_code_defaults_and_pass_the_apps_validation()
    {
        var settings = Settings(template.Snapshot());

        var bound = BindAsTheAppDoes(settings);

        var expected = new MirrorOptions();
        Assert.All(SettableMirrorOptions(), property =>
            Assert.True(
                Text(property.GetValue(expected)) == Text(property.GetValue(bound)),
                $"{property.Name}: template default '{Text(property.GetValue(bound))}', code default '{Text(property.GetValue(expected))}'."));
    }

    [Fact]
    public void Mirror_parameters_flow_into_the_settings_the_app_binds()
    {
        var settings = Settings(template.Snapshot(new Dictionary<string, object>
        {
            ["mirrorSchedule"] = "0 30 2 * * *",
            ["mirrorMaxArtifactBytes"] = 1048576L,
            ["mirrorMaxRedirects"] = 2,
            ["mirrorDownloadTimeout"] = "00:05:00",
        }));

        var bound = BindAsTheAppDoes(settings);

        Assert.Equal("0 30 2 * * *", bound.Schedule);
        Assert.Equal(1048576L, bound.MaxArtifactBytes);
        Assert.Equal(2, bound.MaxRedirects);
        Assert.Equal(TimeSpan.FromMinutes(5), bound.DownloadTimeout);
    }

    /// <summary>Text only a key, a SAS or a key-bearing connection string carries: any <c>list*(</c> function (listKeys, listAccountSas, …) or their fields.</summary>
    private static readonly Regex SecretBearingText = new(
        @"\blist\w*\(|AccountKey|SharedAccessSignature|DefaultEndpointsProtocol|UseDevelopmentStorage|InstrumentationKey=",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static JsonObject Settings(PredictedDeployment deployment) =>
        deployment.OfType(ResourceTypes.SiteConfig).Single(c => LeafName(c) == "appsettings")["properties"]!.AsObject();

    /// <summary>Names in the function app's own <c>siteConfig.appSettings</c> list (name/value pairs), if it has one.</summary>
    private static IEnumerable<string> SiteConfigSettingNames(PredictedDeployment deployment) =>
        (Node(deployment.Single(ResourceTypes.FunctionApp), "properties.siteConfig.appSettings") as JsonArray ?? [])
            .Select(entry => (string?)entry?["name"] ?? string.Empty);

    private static IEnumerable<PropertyInfo> SettableMirrorOptions() =>
        typeof(MirrorOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true);

    /// <summary>App settings become configuration keys (<c>__</c> → <c>:</c>), then the library's own registration binds and validates them.</summary>
    private static MirrorOptions BindAsTheAppDoes(JsonObject settings)
    {
        var values = settings
            .Where(s => s.Key.StartsWith($"{MirrorOptions.SectionName}__", StringComparison.Ordinal))
            .Select(s => KeyValuePair.Create(s.Key.Replace("__", ":", StringComparison.Ordinal), (string?)s.Value));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        using var services = new ServiceCollection().AddLogging().AddDriverMirror(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<MirrorOptions>>().Value;
    }

    private static string Text(object? value) => value switch
    {
        null => string.Empty,
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };
}
