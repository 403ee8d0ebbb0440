namespace DriverFunctions.Infra.Tests.Bicep;

/// <summary>What one bicep invocation printed and returned.</summary>
public sealed record BicepResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string Describe() => $"exit code {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}
