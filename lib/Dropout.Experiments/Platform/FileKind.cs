namespace Dropout.Experiments.Platform;

/// <summary>What a path names in the file system (<see cref="FileNode.Kind"/>).</summary>
public enum FileKind
{
    /// <summary>Nothing: the path does not exist.</summary>
    Missing,
    /// <summary>A regular file: the only kind of existing file an output may replace.</summary>
    Regular,
    /// <summary>A folder.</summary>
    Directory,
    /// <summary>A symbolic link (only when links are not followed).</summary>
    SymbolicLink,
    /// <summary>A character device, such as <c>/dev/null</c>.</summary>
    CharacterDevice,
    /// <summary>A block device, such as a disk.</summary>
    BlockDevice,
    /// <summary>A named pipe (made with <c>mkfifo</c>): opening it waits for the other end.</summary>
    Fifo,
    /// <summary>A Unix domain socket.</summary>
    Socket,
}
