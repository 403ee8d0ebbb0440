using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using DriverMirror.Testing;

namespace DriverMirror.Cli.Tests;

/// <summary>The built <c>drivermirror</c> command as a real process: its name, Program.cs, and settings from the environment.</summary>
public sealed class ProcessTests : CliTestBase
{
    [Fact]
    public async Task The_drivermirror_executable_reads_settings_from_the_environment_and_lists_json()
    {
        await Catalog.CreateAsync(Hetzner());
        var executable = Path.Combine(CliOutputDirectory(), OperatingSystem.IsWindows() ? "drivermirror.exe" : "drivermirror");
        Assert.True(File.Exists(executable), $"{executable} was not built");
        var startInfo = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("drivers");
        startInfo.ArgumentList.Add("list");
        startInfo.ArgumentList.Add("--json");

        // Exactly the app settings a Functions deployment has: the storage connection and the Mirror section.
        startInfo.Environment["AzureWebJobsStorage"] = AzuriteServer.Shared.ConnectionString;
        foreach (var (key, value) in Env.Settings.Where(s => s.Key.StartsWith("Mirror:", StringComparison.Ordinal)))
        {
            startInfo.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stderr}");
        Assert.Empty(await stderr);
        var drivers = JsonNode.Parse(await stdout)!["drivers"]!.AsArray();
        Assert.Equal("hetzner", Assert.Single(drivers)!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_drivermirror_executable_exits_2_on_invalid_input()
    {
        var startInfo = new ProcessStartInfo(Path.Combine(CliOutputDirectory(), OperatingSystem.IsWindows() ? "drivermirror.exe" : "drivermirror"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "drivers", "add", "hetzner", "--url", "ftp://example.invalid/x.tar.gz", "--storage", AzuriteServer.Shared.ConnectionString })
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["Mirror__TableName"] = Env.Settings["Mirror:TableName"];
        using var process = Process.Start(startInfo)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Equal("error: url: must be an absolute http or https URL.", stderr.Trim());
        Assert.Empty(await StoredAsync());
    }

    /// <summary>
    /// The CLI project's own build output, where the app host named <c>drivermirror</c> is made (same configuration as
    /// this test assembly; the project reference guarantees it was built).
    /// </summary>
    private static string CliOutputDirectory()
    {
        var configuration = typeof(ProcessTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var project = Path.Combine(dir.FullName, "src", "DriverMirror.Cli");
            if (Directory.Exists(project))
            {
                return Path.Combine(project, "bin", configuration, "net10.0");
            }
        }

        throw new InvalidOperationException($"src/DriverMirror.Cli not found above {AppContext.BaseDirectory}.");
    }
}
