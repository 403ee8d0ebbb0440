namespace DriverMirror.Testing;

/// <summary>One entry of an archive a test builds: a file with content, a folder, or a link.</summary>
public sealed record TestArchiveEntry(string Name, TestArchiveEntryKind Kind, Func<Stream>? Content = null, string? LinkTarget = null)
{
    public static TestArchiveEntry File(string name, byte[] content) => new(name, TestArchiveEntryKind.File, () => new MemoryStream(content, writable: false));

    /// <summary>A file whose content is generated as it is written (large entries, bombs).</summary>
    public static TestArchiveEntry File(string name, Func<Stream> content) => new(name, TestArchiveEntryKind.File, content);

    public static TestArchiveEntry Text(string name, string content) => File(name, System.Text.Encoding.UTF8.GetBytes(content));

    public static TestArchiveEntry Folder(string name) => new(name, TestArchiveEntryKind.Folder);

    public static TestArchiveEntry Symlink(string name, string target) => new(name, TestArchiveEntryKind.Symlink, LinkTarget: target);

    public static TestArchiveEntry HardLink(string name, string target) => new(name, TestArchiveEntryKind.HardLink, LinkTarget: target);
}

public enum TestArchiveEntryKind
{
    File,
    Folder,
    Symlink,
    HardLink,
}
