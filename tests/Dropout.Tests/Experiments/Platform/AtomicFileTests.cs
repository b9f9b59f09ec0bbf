using Dropout.Experiments.Platform;
using Dropout.Platform;
using Dropout.Tests.Experiments.Study;
using Dropout.Tests.Study;

namespace Dropout.Tests.Experiments.Platform;

public class AtomicFileTests
{
    public static TheoryData<FileKind> Kinds() => [.. SpecialFiles.Kinds];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ANonRegularFileIsNeverReplacedNorWrittenThrough(FileKind kind)
    {
        using var dir = new TempDir();
        SpecialFiles.Make(kind, dir.File("special"));
        File.CreateSymbolicLink(dir.File("link"), "special");

        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(dir.File("special"), "text"));
        Assert.Contains($"is {FileNode.Describe(kind)}, not a regular file; it is not replaced.", e.Message);
        Assert.Throws<IOException>(() => AtomicFile.WriteAllText(dir.File("link"), "text"));

        Assert.Equal(kind, FileNode.Kind(dir.File("special"), followLinks: false));
        Assert.Equal(FileKind.SymbolicLink, FileNode.Kind(dir.File("link"), followLinks: false));
        Assert.Equal(["link", "special"], Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName).Order()); // no temporary file left
    }

    [Fact]
    public void AFolderIsNeverReplaced()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("folder"));
        Assert.Throws<IOException>(() => AtomicFile.WriteAllText(dir.File("folder"), "text"));
        Assert.True(Directory.Exists(dir.File("folder")));
    }

    [Fact]
    public void ASymbolicLinkIsFollowedItsTargetWrittenAndTheLinkKept()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("real"));
        File.WriteAllText(dir.File("real/target.html"), "old");
        File.CreateSymbolicLink(dir.File("link.html"), "real/target.html");
        File.CreateSymbolicLink(dir.File("link-to-link.html"), "link.html");

        AtomicFile.WriteAllText(dir.File("link-to-link.html"), "new");
        Assert.Equal("new", File.ReadAllText(dir.File("real/target.html")));
        Assert.Equal("real/target.html", new FileInfo(dir.File("link.html")).LinkTarget);
        Assert.Equal("link.html", new FileInfo(dir.File("link-to-link.html")).LinkTarget);

        // A link whose target does not exist yet: the target is created, the link stays.
        File.CreateSymbolicLink(dir.File("dangling.html"), "real/later.html");
        AtomicFile.WriteAllText(dir.File("dangling.html"), "created");
        Assert.Equal("created", File.ReadAllText(dir.File("real/later.html")));
        Assert.Equal(FileKind.SymbolicLink, FileNode.Kind(dir.File("dangling.html"), followLinks: false));

        // A loop is an error, not a hang.
        File.CreateSymbolicLink(dir.File("a"), "b");
        File.CreateSymbolicLink(dir.File("b"), "a");
        Assert.Throws<IOException>(() => AtomicFile.WriteAllText(dir.File("a"), "x"));
    }

    [Fact]
    public void TheLinkItselfIsReplacedWhenTheCallerSaysSo()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("target"), "old");
        File.CreateSymbolicLink(dir.File("link"), "target");
        AtomicFile.WriteAllBytes(dir.File("link"), "new"u8.ToArray(), followLinks: false);
        Assert.Equal("old", File.ReadAllText(dir.File("target")));
        Assert.Equal(FileKind.Regular, FileNode.Kind(dir.File("link"), followLinks: false));
        Assert.Equal("new", File.ReadAllText(dir.File("link")));
    }

    [Fact]
    public void TheKindsOfTheSystemsOwnFilesAreToldApart()
    {
        Assert.Equal(FileKind.CharacterDevice, FileNode.Kind("/dev/null"));
        Assert.Equal(FileKind.Directory, FileNode.Kind("/dev"));
        Assert.Equal(FileKind.Missing, FileNode.Kind("/dev/no-such-node"));
        Assert.Equal(FileKind.Missing, FileNode.Kind("/etc/hostname/below-a-file"));
        Assert.Equal(FileKind.Regular, FileNode.Kind("/etc/hostname"));
    }
}
