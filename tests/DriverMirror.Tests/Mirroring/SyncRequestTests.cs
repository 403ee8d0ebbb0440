using DriverMirror.Mirroring;

namespace DriverMirror.Tests.Mirroring;

public sealed class SyncRequestTests
{
    [Fact]
    public void Message_round_trips()
    {
        var request = new SyncRequest("hetzner", 3, "api", DateTimeOffset.UnixEpoch);

        Assert.Equal(request, SyncRequest.Parse(request.ToMessage()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"name\":\"Bad Name\",\"generation\":1,\"reason\":\"x\",\"requestedAt\":\"2026-01-01T00:00:00Z\"}")]
    public void Malformed_messages_are_refused_permanently(string message)
    {
        var error = Assert.Throws<MirrorException>(() => SyncRequest.Parse(message));

        Assert.False(error.IsTransient);
    }

    [Theory]
    [InlineData("https://github.com/x/releases/download/v1/docker-machine-driver-hetzner_3.1_linux_amd64.tar.gz", "docker-machine-driver-hetzner_3.1_linux_amd64.tar.gz")]
    [InlineData("https://host/a/docker-machine-driver-x%2Bplus.zip?token=abc", "docker-machine-driver-x+plus.zip")]
    [InlineData("https://host/", "docker-machine-driver-fallback")]
    public void File_name_is_the_upstream_urls_last_segment(string url, string expected)
    {
        Assert.Equal(expected, MirrorService.FileNameOf(url, "fallback"));
    }
}
