using System.Net.Sockets;
using Azure;

namespace DriverMirror.Storage;

/// <summary>Tells a storage outage (worth retrying later) from a request storage understood and refused.</summary>
public static class StorageFailure
{
    /// <summary>
    /// Storage could not be reached or could not serve: refused or reset connections, DNS failures, timeouts after the
    /// SDK's retries, or a <c>500</c>/<c>503</c> from the service itself.
    /// </summary>
    public static bool IsUnavailable(Exception exception) => Flatten(exception).Any(e =>
        e is HttpRequestException or SocketException or TimeoutException or TaskCanceledException
            or RequestFailedException { Status: 0 or 500 or 503 });

    /// <summary>The exception and every exception inside it, aggregate or inner, depth first.</summary>
    public static IEnumerable<Exception> Flatten(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        yield return exception;
        var inner = exception is AggregateException aggregate ? aggregate.InnerExceptions : (IEnumerable<Exception>)(exception.InnerException is { } one ? [one] : []);
        foreach (var child in inner)
        {
            foreach (var descendant in Flatten(child))
            {
                yield return descendant;
            }
        }
    }
}
