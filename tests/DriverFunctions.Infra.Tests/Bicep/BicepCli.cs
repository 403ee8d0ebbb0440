using System.Diagnostics;
using System.Reflection;

namespace DriverFunctions.Infra.Tests.Bicep;

/// <summary>
/// The bicep compiler restored by this project's <c>PackageDownload</c>, run as a process. Everything it does here is
/// offline: build, lint and snapshot (the template evaluated with parameters, as ARM would before deploying).
/// </summary>
public sealed class BicepCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private BicepCli(string executable) => Executable = executable;

    public string Executable { get; }

    /// <summary>Finds the binary where restore put it, making it executable if the package extraction did not.</summary>
    public static BicepCli Locate()
    {
        var metadata = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        var packageId = metadata["BicepPackageId"]!.ToLowerInvariant();
        var version = metadata["BicepPackageVersion"]!;

        var roots = new[]
        {
            metadata.GetValueOrDefault("NuGetPackageRoot"),
            Environment.GetEnvironmentVariable("NUGET_PACKAGES"),
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        };
        var candidates = roots
            .Where(root => !string.IsNullOrWhiteSpace(root))
            .Select(root => Path.Combine(root!, packageId, version, "tools", "bicep"))
            .ToList();

        var found = candidates.FirstOrDefault(File.Exists) ?? throw new FileNotFoundException(
            $"The bicep compiler ({packageId} {version}) is not in the NuGet packages folder. " +
            "Run 'dotnet restore tests/DriverFunctions.Infra.Tests' (its PackageDownload fetches it). Looked at:\n  " +
            string.Join("\n  ", candidates));

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(found);
            if (!mode.HasFlag(UnixFileMode.UserExecute))
            {
                File.SetUnixFileMode(found, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }
        }

        return new BicepCli(found);
    }

    public BicepResult Run(string workingDirectory, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {Executable}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }

        return new BicepResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}
