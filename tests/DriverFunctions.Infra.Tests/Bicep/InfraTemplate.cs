using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace DriverFunctions.Infra.Tests.Bicep;

/// <summary>
/// <c>infra/main.bicep</c> as the tests see it: compiled to ARM JSON, linted, and evaluated for given parameters with
/// <c>bicep snapshot</c> (every expression that does not need a live resource is computed, modules included).
/// Each result is produced once per test run and shared.
/// </summary>
public sealed class InfraTemplate
{
    public const string SubscriptionId = "00000000-0000-0000-0000-00000000c0de";
    public const string TenantId = "00000000-0000-0000-0000-0000000000aa";
    public const string Location = "westeurope";
    public const string EnvironmentName = "ci";

    private readonly Lazy<BicepCli> bicep = new(BicepCli.Locate);
    private readonly Lazy<BicepResult> build;
    private readonly Lazy<BicepResult> lint;
    private readonly ConcurrentDictionary<string, Lazy<SnapshotAttempt>> snapshots = new(StringComparer.Ordinal);

    public InfraTemplate()
    {
        RepositoryRoot = FindRepositoryRoot();
        build = new(() => Bicep.Run(RepositoryRoot, "build", MainBicep, "--stdout"));
        lint = new(() => Bicep.Run(RepositoryRoot, "lint", MainBicep));
    }

    public string RepositoryRoot { get; }

    public string MainBicep => Path.Combine(RepositoryRoot, "infra", "main.bicep");

    public BicepCli Bicep => bicep.Value;

    public BicepResult Build => build.Value;

    public BicepResult Lint => lint.Value;

    /// <summary>The compiled ARM template (fails the test with bicep's diagnostics if the build failed).</summary>
    public JsonObject CompiledTemplate
    {
        get
        {
            Assert.True(Build.ExitCode == 0, $"bicep build failed: {Build.Describe()}");
            return JsonNode.Parse(Build.StandardOutput)!.AsObject();
        }
    }

    /// <summary>The compiled template's resources, whether bicep emitted them as an array or by symbolic name.</summary>
    public static IEnumerable<JsonObject> Resources(JsonObject compiled) => compiled["resources"] switch
    {
        JsonArray array => array.Select(r => r!.AsObject()),
        JsonObject symbolic => symbolic.Select(p => p.Value!.AsObject()),
        _ => [],
    };

    /// <summary>The compiled nested deployment of one module of main.bicep (<c>api</c>, <c>rbac</c>, …).</summary>
    public JsonObject CompiledModule(string name)
    {
        var modules = Resources(CompiledTemplate)
            .Where(r => (string?)r["type"] == ResourceTypes.Deployment && (string?)r["name"] == name)
            .ToList();
        Assert.True(modules.Count == 1, $"Expected exactly one module '{name}' in the compiled template, found {modules.Count}.");
        return modules[0];
    }

    /// <summary>The deployment as ARM would predict it for these parameters (plus the azd-provided environment name and location).</summary>
    public PredictedDeployment Snapshot(IReadOnlyDictionary<string, object>? parameters = null)
    {
        var attempt = TrySnapshot(parameters);
        Assert.True(attempt.Deployment is not null, $"bicep snapshot failed: {attempt.Result.Describe()}");
        return attempt.Deployment;
    }

    /// <summary>
    /// Evaluates the template for these parameters without requiring success: a template that refuses them (a
    /// <c>fail()</c>, a violated <c>@allowed</c>) yields bicep's exit code and message and no deployment.
    /// </summary>
    public SnapshotAttempt TrySnapshot(IReadOnlyDictionary<string, object>? parameters = null)
    {
        var all = new SortedDictionary<string, object>(StringComparer.Ordinal)
        {
            ["environmentName"] = EnvironmentName,
            ["location"] = Location,
        };
        foreach (var (name, value) in parameters ?? new Dictionary<string, object>())
        {
            all[name] = value;
        }

        var bicepParam = new StringBuilder();
        foreach (var (name, value) in all)
        {
            bicepParam.Append(CultureInfo.InvariantCulture, $"param {name} = {BicepLiteral(value)}\n");
        }

        return snapshots.GetOrAdd(bicepParam.ToString(), body => new Lazy<SnapshotAttempt>(() => RunSnapshot(body))).Value;
    }

    private SnapshotAttempt RunSnapshot(string parameterLines)
    {
        var directory = Directory.CreateTempSubdirectory("driverfunctions-infra-");
        try
        {
            // A .bicepparam must reference its template by a relative path.
            var usingPath = Path.GetRelativePath(directory.FullName, MainBicep).Replace('\\', '/');
            var paramFile = Path.Combine(directory.FullName, "test.bicepparam");
            File.WriteAllText(paramFile, $"using '{usingPath}'\n\n{parameterLines}");

            var result = Bicep.Run(
                directory.FullName,
                "snapshot", paramFile, "--mode", "overwrite",
                "--subscription-id", SubscriptionId, "--tenant-id", TenantId, "--location", Location,
                "--deployment-name", "azd-ci");
            var snapshotFile = Path.Combine(directory.FullName, "test.snapshot.json");
            return result.ExitCode == 0 && File.Exists(snapshotFile)
                ? new SnapshotAttempt(result, PredictedDeployment.Parse(File.ReadAllText(snapshotFile)))
                : new SnapshotAttempt(result, null);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string BicepLiteral(object value) => value switch
    {
        string text => $"'{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}'",
        bool flag => flag ? "true" : "false",
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        _ => throw new ArgumentException($"No bicep literal for {value.GetType()}.", nameof(value)),
    };

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "infra", "main.bicep")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No infra/main.bicep above {AppContext.BaseDirectory}.");
    }
}
