namespace DriverMirror.Cli;

/// <summary>A failure the CLI reports as one line with a chosen exit code, for problems the library has no exception for.</summary>
internal sealed class CliException(int exitCode, string message, Exception? innerException = null) : Exception(message, innerException)
{
    public int ExitCode { get; } = exitCode;

    public static CliException InvalidInput(string message, Exception? innerException = null) => new(ExitCodes.InvalidInput, message, innerException);
}
