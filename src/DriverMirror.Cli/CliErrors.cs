using System.Net.Sockets;
using Azure;
using Azure.Identity;
using DriverMirror.Catalog;
using DriverMirror.Storage;
using Microsoft.Extensions.Options;

namespace DriverMirror.Cli;

/// <summary>Turns any failure into an exit code and the one line a person (or a script's log) reads on stderr.</summary>
internal static class CliErrors
{
    public static (int ExitCode, string Line) Describe(Exception exception)
    {
        var (exitCode, line) = exception switch
        {
            CliException e => (e.ExitCode, e.Message),
            DriverValidationException e => (ExitCodes.InvalidInput, e.Message),
            DriverNotFoundException e => (ExitCodes.Failure, e.Message),
            DriverConflictException e => (ExitCodes.Failure, e.Message),
            DriverPreconditionFailedException e => (ExitCodes.Failure, e.Message),
            OptionsValidationException e => (ExitCodes.InvalidInput, $"configuration: {string.Join("; ", e.Failures)}"),
            AuthenticationFailedException or CredentialUnavailableException => (ExitCodes.Failure, $"storage: could not authenticate: {exception.Message}"),
            RequestFailedException { Status: > 0 } e => (ExitCodes.Failure, $"storage refused the request: {e.Status} {e.ErrorCode ?? "error"}."),
            _ when StorageFailure.IsUnavailable(exception) => (ExitCodes.Failure, $"storage unreachable: {TransportMessage(exception)}"),
            _ => (ExitCodes.Failure, $"unexpected {exception.GetType().Name}: {exception.Message} (run with --verbose for details)"),
        };
        return (exitCode, OneLine(line));
    }

    /// <summary>The transport's own words ("Connection refused (127.0.0.1:10002)"), not the SDK's multi-line retry summary.</summary>
    private static string TransportMessage(Exception exception)
    {
        var all = StorageFailure.Flatten(exception).ToList();
        var transport = all.OfType<HttpRequestException>().FirstOrDefault() as Exception
            ?? all.OfType<SocketException>().FirstOrDefault() as Exception
            ?? all.OfType<TimeoutException>().FirstOrDefault() as Exception
            ?? all.OfType<TaskCanceledException>().FirstOrDefault() as Exception
            ?? all[^1];
        return transport is TaskCanceledException ? "the request timed out." : transport.Message;
    }

    private static string OneLine(string text) =>
        SecretRedactor.Redact(string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
}
