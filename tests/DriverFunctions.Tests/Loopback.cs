using System.Net;
using System.Net.Sockets;

namespace DriverFunctions.Tests;

public static class Loopback
{
    /// <summary>A loopback port nobody listens on: connections to it are refused at once.</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
