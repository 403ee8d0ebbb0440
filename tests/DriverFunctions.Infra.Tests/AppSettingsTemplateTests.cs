using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
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
        // Flex Consumption takes the runtime from functionAppConfig and rejects these settings.
        Assert.False(settings.ContainsKey("FUNCTIONS_WORKER_RUNTIME"));
        Assert.False(settings.ContainsKey("FUNCTIONS_EXTENSION_VERSION"));
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

    private static JsonObject Settings(PredictedDeployment deployment) =>
        deployment.OfType(ResourceTypes.SiteConfig).Single(c => LeafName(c) == "appsettings")["properties"]!.AsObject();

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
