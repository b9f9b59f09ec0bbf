using System.Buffers.Binary;
using System.IO.Compression;

namespace Dropout.Data;

/// <summary>Reads IDX, (Fashion-)MNIST's format: a big-endian magic number whose last byte is the number of dimensions,
/// a big-endian int32 per dimension, then the bytes. Gzip is recognised by content, not name. Every problem is an
/// <see cref="InvalidDataException"/> naming the file and what is wrong.</summary>
internal static class IdxFile
{
    /// <summary>Magic number of an unsigned-byte file with 3 dimensions (images).</summary>
    internal const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an unsigned-byte file with 1 dimension (labels).</summary>
    internal const int LabelsMagic = 0x00000801;

    /// <summary>The contents of one IDX file: its dimensions and its bytes, in order.</summary>
    internal sealed record Contents(int[] Dimensions, byte[] Data);

    /// <summary>Reads the file, checking its magic number and that it holds exactly the bytes its header promises.</summary>
    internal static Contents Read(string path, int expectedMagic)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        using Stream stream = IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : file;

        Span<byte> word = stackalloc byte[4];
        Fill(stream, word, path, "its header");
        int magic = BinaryPrimitives.ReadInt32BigEndian(word);
        if (magic != expectedMagic)
            throw Problem(path, $"has IDX magic number 0x{magic:X8} ({Describe(magic)}), expected 0x{expectedMagic:X8} ({Describe(expectedMagic)})");

        var dimensions = new int[expectedMagic & 0xFF];
        long length = 1;
        for (int i = 0; i < dimensions.Length; i++)
        {
            Fill(stream, word, path, "its header");
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(word);
            if (dimensions[i] < 0)
                throw Problem(path, $"has a negative size ({dimensions[i]}) in its header");
            length *= dimensions[i];
            if (length > Array.MaxLength)
                throw Problem(path, $"claims {string.Join(" x ", dimensions.Take(i + 1))} bytes, more than any Fashion-MNIST file holds");
        }

        var data = GC.AllocateUninitializedArray<byte>((int)length); // every byte is written below
        Fill(stream, data, path, $"the {string.Join(" x ", dimensions)} bytes its header promises");
        int extra;
        try { extra = stream.ReadByte(); }
        catch (InvalidDataException e) { throw CorruptGzip(path, e); }
        if (extra != -1)
            throw Problem(path, $"holds more bytes than its header ({string.Join(" x ", dimensions)}) describes");
        return new Contents(dimensions, data);
    }

    static bool IsGzip(FileStream file)
    {
        Span<byte> start = stackalloc byte[2];
        int read = file.ReadAtLeast(start, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && start[0] == 0x1F && start[1] == 0x8B;
    }

    /// <summary>Fills <paramref name="buffer"/> from the stream, turning an early end or a gzip error into a message about the file.</summary>
    static void Fill(Stream stream, Span<byte> buffer, string path, string what)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException)
        {
            throw Problem(path, $"is truncated: it ends before {what}");
        }
        catch (InvalidDataException e)
        {
            throw CorruptGzip(path, e);
        }
    }

    static InvalidDataException CorruptGzip(string path, InvalidDataException e) =>
        new(Message(path, $"is not a valid gzip file ({e.Message.TrimEnd('.')})"), e);

    static string Describe(int magic) => magic switch
    {
        ImagesMagic => "an image file",
        LabelsMagic => "a label file",
        _ when (magic & ~0xFF) == 0x00000800 => $"unsigned bytes in {magic & 0xFF} dimensions",
        _ => "not an unsigned-byte IDX file",
    };

    /// <summary>An error about the file at <paramref name="path"/>: says what is wrong and how to fix it.</summary>
    internal static InvalidDataException Problem(string path, string problem) => new(Message(path, problem));

    static string Message(string path, string problem) =>
        $"Fashion-MNIST file {path} {problem}. Replace it with an intact copy of Zalando's file.";
}
