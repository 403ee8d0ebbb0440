using System.Text;
using DriverMirror.Mirroring;
using DriverMirror.Testing;
using static DriverMirror.Testing.TestArchiveEntry;

namespace DriverMirror.Tests.Mirroring;

public sealed class ArchiveInspectorTests
{
    private const string Driver = ArchiveBuilder.DriverName;
    private static readonly ArchiveRules Defaults = new();
    private readonly ArchiveInspector inspector = new();

    // Every archive is read through a stream that refuses Seek/Position/Length, as a download body does.
    private Task<ArchiveReport> InspectAsync(byte[] archive, string fileName = "driver.tar.gz", ArchiveRules? rules = null, int maxChunk = int.MaxValue) =>
        inspector.InspectAsync(NonSeekableStream.Over(archive, maxChunk), fileName, rules ?? Defaults);

    private async Task<MirrorException> RefusedAsync(byte[] archive, string fileName = "driver.tar.gz", ArchiveRules? rules = null)
    {
        var refusal = await Assert.ThrowsAsync<MirrorException>(() => InspectAsync(archive, fileName, rules));
        Assert.False(refusal.IsTransient);
        return refusal;
    }

    [Theory]
    [InlineData("docker-machine-driver-test_1.0.0_linux_amd64.tar.gz", int.MaxValue)]
    [InlineData("docker-machine-driver-test.tgz", int.MaxValue)]
    [InlineData("download", 7)]
    public async Task Accepts_a_tar_gz_with_the_driver_in_a_subfolder_whatever_the_file_name(string fileName, int maxChunk)
    {
        var archive = ArchiveBuilder.DriverTarGz(size: 100_000);

        var report = await InspectAsync(archive, fileName, maxChunk: maxChunk);

        Assert.Equal(ArchiveFormat.TarGz, report.Format);
        Assert.Equal($"docker-machine-driver-test_1.0.0_linux_amd64/{Driver}", report.DriverBinary);
        Assert.Equal(4, report.EntryCount);
        Assert.Equal(100_000 + "# test driver\n".Length + "MIT\n".Length, report.ExpandedBytes);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(5)]
    public async Task Accepts_a_zip_written_to_a_non_seekable_stream_with_data_descriptors(int maxChunk)
    {
        var archive = ArchiveBuilder.DriverZip(size: 70_000);
        var generalPurposeFlags = BitConverter.ToUInt16(archive, 6);
        Assert.True((generalPurposeFlags & 0x0008) != 0, "the zip should carry data descriptors");

        var report = await InspectAsync(archive, "docker-machine-driver-test.zip", maxChunk: maxChunk);

        Assert.Equal(ArchiveFormat.Zip, report.Format);
        Assert.Equal(Driver, report.DriverBinary);
        Assert.Equal(2, report.EntryCount);
        Assert.Equal(70_000 + "# test driver\n".Length, report.ExpandedBytes);
    }

    [Fact]
    public async Task Accepts_a_bare_elf_named_docker_machine_driver()
    {
        var binary = ArchiveBuilder.ElfPayload(50_000);

        var report = await InspectAsync(binary, "docker-machine-driver-hetzner");

        Assert.Equal(ArchiveFormat.Elf, report.Format);
        Assert.Equal("docker-machine-driver-hetzner", report.DriverBinary);
        Assert.Equal(50_000, report.ExpandedBytes);
    }

    [Fact]
    public async Task Refuses_a_bare_elf_with_another_file_name()
    {
        var refusal = await RefusedAsync(ArchiveBuilder.ElfPayload(1000), "hetzner-linux-amd64");

        Assert.Contains("bare ELF binary named 'hetzner-linux-amd64'", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("docker-machine-driver-", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<!DOCTYPE html><html><body>Sign in</body></html>")]
    [InlineData("\r\n   <html lang=\"en\"><head><title>404</title></head></html>")]
    [InlineData("\uFEFF<!doctype HTML>\n<p>rate limited</p>")]
    public async Task Refuses_an_html_page_and_says_so(string page)
    {
        var refusal = await RefusedAsync(Encoding.UTF8.GetBytes(page));

        Assert.StartsWith("received an HTML page", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("not an archive", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_an_empty_body_and_says_so()
    {
        var refusal = await RefusedAsync([]);

        Assert.StartsWith("received an empty body", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_unrecognised_content_with_its_length_and_first_bytes()
    {
        var xml = Encoding.ASCII.GetBytes("<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code></Error>");

        var refusal = await RefusedAsync(xml);

        Assert.StartsWith($"received {xml.Length} bytes of unrecognised content starting with 3c 3f 78 6d 6c", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_gzip_that_holds_no_tar()
    {
        var refusal = await RefusedAsync(ArchiveBuilder.Gzip(ArchiveBuilder.ElfPayload(10_000)), "docker-machine-driver-test.gz");

        Assert.Contains("gzip-compressed data that is not a tar archive", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_an_uncompressed_tar_as_unrecognised()
    {
        var refusal = await RefusedAsync(ArchiveBuilder.Tar(File(Driver, ArchiveBuilder.ElfPayload(1000))), "driver.tar");

        Assert.Contains("unrecognised content", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../evil")]
    [InlineData("docs/../../evil")]
    [InlineData("/etc/evil")]
    public async Task Refuses_a_tar_gz_entry_with_an_absolute_path_or_a_parent_segment(string path)
    {
        var refusal = await RefusedAsync(ArchiveBuilder.TraversalTarGz(path));

        Assert.Equal($"archive entry '{path}' has an absolute path or a '..' segment (path traversal)", refusal.Message);
    }

    [Theory]
    [InlineData("../evil")]
    [InlineData("C:/Windows/evil.exe")]
    [InlineData("/etc/evil")]
    public async Task Refuses_a_zip_entry_with_an_absolute_path_or_a_parent_segment(string path)
    {
        var archive = ArchiveBuilder.Zip(File(Driver, ArchiveBuilder.ElfPayload(1000)), Text(path, "x"));

        var refusal = await RefusedAsync(archive, "driver.zip");

        Assert.Contains("path traversal", refusal.Message, StringComparison.Ordinal);
        Assert.Contains(path, refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("../../../bin/sh")]
    public async Task Refuses_a_symlink_that_points_outside_the_archive(string target)
    {
        var refusal = await RefusedAsync(ArchiveBuilder.EscapingSymlinkTarGz(target));

        Assert.Equal($"archive entry 'bin/config' links to '{target}', outside the archive", refusal.Message);
    }

    [Fact]
    public async Task Refuses_a_hard_link_that_points_outside_the_archive()
    {
        var archive = ArchiveBuilder.TarGz(File(Driver, ArchiveBuilder.ElfPayload(1000)), HardLink("passwd", "../etc/passwd"));

        var refusal = await RefusedAsync(archive);

        Assert.Contains("outside the archive", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_zip_symlink_that_points_outside_the_archive()
    {
        var archive = ArchiveBuilder.Zip(File(Driver, ArchiveBuilder.ElfPayload(1000)), Symlink("config", "../../etc/passwd"));

        var refusal = await RefusedAsync(archive, "driver.zip");

        Assert.Equal("archive entry 'config' links to '../../etc/passwd', outside the archive", refusal.Message);
    }

    [Fact]
    public async Task Refuses_a_zip_whose_central_directory_names_a_traversal_its_local_headers_hide()
    {
        var archive = ArchiveBuilder.Zip(File(Driver, ArchiveBuilder.ElfPayload(1000)), Text("harmless", "x"));

        // unzip extracts by the central directory (the last occurrence of the name); the forward-only reader sees the local header.
        var at = archive.AsSpan().LastIndexOf("harmless"u8);
        "../evil1"u8.CopyTo(archive.AsSpan(at));

        var refusal = await RefusedAsync(archive, "driver.zip");

        Assert.Equal("archive entry '../evil1' has an absolute path or a '..' segment (path traversal)", refusal.Message);
    }

    [Fact]
    public async Task Refuses_a_zip_whose_central_directory_lists_other_entries()
    {
        var archive = ArchiveBuilder.Zip(File(Driver, ArchiveBuilder.ElfPayload(1000)), Text("harmless", "x"));
        var at = archive.AsSpan().LastIndexOf("harmless"u8);
        "Harmless"u8.CopyTo(archive.AsSpan(at));

        var refusal = await RefusedAsync(archive, "driver.zip");

        Assert.Contains("central directory does not list the same entries", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accepts_a_symlink_that_stays_inside_the_archive()
    {
        var archive = ArchiveBuilder.TarGz(
            File($"release/bin/{Driver}", ArchiveBuilder.ElfPayload(1000)),
            Symlink("release/current", "bin/docker-machine-driver-test"),
            Symlink("release/bin/up", "../current"));

        var report = await InspectAsync(archive);

        Assert.Equal($"release/bin/{Driver}", report.DriverBinary);
        Assert.Equal(3, report.EntryCount);
    }

    [Fact]
    public async Task Refuses_an_archive_without_a_driver_and_lists_its_entries()
    {
        var refusal = await RefusedAsync(ArchiveBuilder.NoDriverTarGz());

        Assert.Equal("archive holds no docker-machine-driver-* ELF binary; entries: README.md, install.sh, LICENSE", refusal.Message);
    }

    [Fact]
    public async Task Lists_only_the_first_entries_of_a_large_archive_without_a_driver()
    {
        var archive = ArchiveBuilder.TarGz([.. Enumerable.Range(0, 30).Select(i => Text($"f{i}", "x"))]);

        var refusal = await RefusedAsync(archive);

        Assert.StartsWith("archive holds no docker-machine-driver-* ELF binary; entries: f0, f1, f2, f3, f4, f5, f6, f7… (30 in all)", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_driver_entry_that_is_not_an_elf_binary()
    {
        var refusal = await RefusedAsync(ArchiveBuilder.NonElfDriverTarGz());

        Assert.Equal($"entry dist/{Driver} is not an ELF binary", refusal.Message);
    }

    [Fact]
    public async Task Refuses_more_entries_than_the_rules_allow()
    {
        var rules = new ArchiveRules { MaxEntries = 50 };

        Assert.Equal(51, (await InspectAsync(ArchiveBuilder.ManyEntriesTarGz(50), rules: rules with { MaxEntries = 51 })).EntryCount);
        var refusal = await RefusedAsync(ArchiveBuilder.ManyEntriesTarGz(50), rules: rules);

        Assert.Equal("archive holds more than 50 entries", refusal.Message);
    }

    [Fact]
    public async Task Refuses_a_tar_gz_bomb_by_counting_what_it_expands_to()
    {
        var bomb = ArchiveBuilder.BombTarGz(64L * 1024 * 1024);
        Assert.True(bomb.Length < 256 * 1024, $"the bomb should be small compressed, was {bomb.Length} bytes");

        var refusal = await RefusedAsync(bomb, rules: new ArchiveRules { MaxExpandedBytes = 16L * 1024 * 1024 });

        Assert.Equal($"archive expands to more than {16L * 1024 * 1024} bytes (decompression bomb?)", refusal.Message);
    }

    [Fact]
    public async Task Refuses_a_zip_bomb_whose_headers_do_not_say_its_size()
    {
        var bomb = ArchiveBuilder.BombZip(64L * 1024 * 1024);

        var refusal = await RefusedAsync(bomb, "driver.zip", new ArchiveRules { MaxExpandedBytes = 16L * 1024 * 1024 });

        Assert.Contains("decompression bomb", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("docker-machine")]
    [InlineData("rancher-machine")]
    public async Task Accepts_a_bundle_binary_only_when_the_rules_allow_a_bundle(string binary)
    {
        var archive = ArchiveBuilder.TarGz(Text("README.md", "bundle"), File($"bin/{binary}", ArchiveBuilder.ElfPayload(2000)));

        var report = await InspectAsync(archive, "docker-machine.tar.gz", new ArchiveRules { AllowBundle = true });
        var refusal = await RefusedAsync(archive, "docker-machine.tar.gz");

        Assert.Equal($"bin/{binary}", report.DriverBinary);
        Assert.StartsWith("archive holds no docker-machine-driver-* ELF binary", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prefers_a_driver_entry_over_the_bundle_binary_and_the_named_driver_over_others()
    {
        var archive = ArchiveBuilder.TarGz(
            File("docker-machine", ArchiveBuilder.ElfPayload(2000)),
            File("docker-machine-driver-amazonec2", ArchiveBuilder.ElfPayload(2000, seed: 2)),
            File("docker-machine-driver-digitalocean", ArchiveBuilder.ElfPayload(2000, seed: 3)));

        var any = await InspectAsync(archive, rules: new ArchiveRules { AllowBundle = true });
        var named = await InspectAsync(archive, rules: new ArchiveRules { AllowBundle = true, PreferredBinary = "docker-machine-driver-digitalocean" });

        Assert.Equal("docker-machine-driver-amazonec2", any.DriverBinary);
        Assert.Equal("docker-machine-driver-digitalocean", named.DriverBinary);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.99)]
    public async Task Refuses_a_truncated_tar_gz_as_corrupt(double keep)
    {
        var archive = ArchiveBuilder.DriverTarGz(size: 200_000);

        var refusal = await RefusedAsync(archive[..(int)(archive.Length * keep)]);

        Assert.StartsWith("received a corrupt or truncated tar.gz archive", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_truncated_zip_as_corrupt_or_incomplete()
    {
        var archive = ArchiveBuilder.DriverZip(size: 200_000);

        var refusal = await RefusedAsync(archive[..(archive.Length / 2)], "driver.zip");

        Assert.Contains("zip", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_tar_gz_with_damaged_compressed_data()
    {
        var archive = ArchiveBuilder.DriverTarGz(size: 200_000);
        for (var i = archive.Length / 3; i < archive.Length / 3 + 64; i++)
        {
            archive[i] ^= 0x5A;
        }

        var refusal = await RefusedAsync(archive);

        Assert.StartsWith("received a corrupt or truncated tar.gz archive", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tar.gz")]
    [InlineData("zip")]
    [InlineData("elf")]
    public async Task An_io_failure_of_the_body_propagates_unchanged(string format)
    {
        var archive = format switch
        {
            "tar.gz" => ArchiveBuilder.DriverTarGz(size: 300_000),
            "zip" => ArchiveBuilder.DriverZip(size: 300_000),
            _ => ArchiveBuilder.ElfPayload(300_000),
        };
        var reset = new IOException("Connection reset by peer");

        var thrown = await Assert.ThrowsAsync<IOException>(
            () => inspector.InspectAsync(new FailingStream(archive, archive.Length / 2, reset), Driver, Defaults));

        Assert.Same(reset, thrown);
    }

    [Fact]
    public async Task A_mirror_exception_of_the_body_propagates_unchanged()
    {
        var archive = ArchiveBuilder.DriverTarGz(size: 300_000);
        var transient = MirrorException.Transient("upstream connection reset");

        var thrown = await Assert.ThrowsAsync<MirrorException>(
            () => inspector.InspectAsync(new FailingStream(archive, 1000, transient), "driver.tar.gz", Defaults));

        Assert.Same(transient, thrown);
        Assert.True(thrown.IsTransient);
    }

    [Fact]
    public async Task Reads_the_body_to_its_end()
    {
        var archive = ArchiveBuilder.DriverZip(size: 10_000);
        using var body = new MemoryStream(archive);

        await inspector.InspectAsync(new NonSeekableStream(body, leaveOpen: true), "driver.zip", Defaults);

        Assert.Equal(archive.Length, body.Position);
    }
}
