using System.Buffers.Binary;
using System.Text;

namespace Dropout.Native;

/// <summary>
/// Reads and edits the GNU symbol-version tables of a 64-bit little-endian ELF shared library:
/// which versions it defines (<c>.gnu.version_d</c>), which it needs (<c>.gnu.version_r</c>), and the
/// WEAK flag on one needed version. This is the whole of the TorchSharp fix for Debian 12
/// (see <see cref="TorchNative"/>), kept separate so it can be tested on a copy of any library.
/// </summary>
internal static class ElfSymbolVersions
{
    const uint ShtGnuVerdef = 0x6ffffffd;
    const uint ShtGnuVerneed = 0x6ffffffe;

    /// <summary><c>VER_FLG_WEAK</c>: the dynamic loader tolerates a missing version.</summary>
    public const ushort WeakFlag = 0x2;

    /// <summary>One version a library needs from another (an entry of <c>.gnu.version_r</c>).</summary>
    /// <param name="File">The library the version is needed from, e.g. <c>libstdc++.so.6</c>.</param>
    /// <param name="Version">The version name, e.g. <c>GLIBCXX_3.4.32</c>.</param>
    /// <param name="Flags">The entry's <c>vna_flags</c>.</param>
    /// <param name="FlagsOffset">Where <c>vna_flags</c> lives in the file.</param>
    public sealed record NeededVersion(string File, string Version, ushort Flags, long FlagsOffset)
    {
        /// <summary>True when the loader may run without this version.</summary>
        public bool IsWeak => (Flags & WeakFlag) != 0;
    }

    /// <summary>The version names a library defines (e.g. every <c>GLIBCXX_*</c> of libstdc++).</summary>
    public static IReadOnlyList<string> DefinedVersions(byte[] elf)
    {
        var result = new List<string>();
        foreach (var (offset, count, strtab) in Sections(elf, ShtGnuVerdef))
        {
            long vd = offset;
            for (int i = 0; i < count; i++)
            {
                ushort auxCount = U16(elf, vd + 6);
                uint aux = U32(elf, vd + 12);
                if (auxCount > 0) result.Add(CString(elf, strtab + U32(elf, vd + aux)));
                uint next = U32(elf, vd + 16);
                if (next == 0) break;
                vd += next;
            }
        }
        return result;
    }

    /// <summary>The versions a library needs from the libraries it links against.</summary>
    public static IReadOnlyList<NeededVersion> NeededVersions(byte[] elf)
    {
        var result = new List<NeededVersion>();
        foreach (var (offset, count, strtab) in Sections(elf, ShtGnuVerneed))
        {
            long vn = offset;
            for (int i = 0; i < count; i++)
            {
                ushort auxCount = U16(elf, vn + 2);
                string file = CString(elf, strtab + U32(elf, vn + 4));
                long vna = vn + U32(elf, vn + 8);
                for (int j = 0; j < auxCount; j++)
                {
                    result.Add(new NeededVersion(file, CString(elf, strtab + U32(elf, vna + 8)), U16(elf, vna + 4), vna + 4));
                    uint nextAux = U32(elf, vna + 12);
                    if (nextAux == 0) break;
                    vna += nextAux;
                }
                uint next = U32(elf, vn + 12);
                if (next == 0) break;
                vn += next;
            }
        }
        return result;
    }

    /// <summary>
    /// Marks every needed entry named <paramref name="version"/> WEAK in <paramref name="elf"/> (in memory).
    /// Returns how many entries changed: 0 when none was needed or all were weak already.
    /// </summary>
    public static int MarkWeak(byte[] elf, string version)
    {
        int changed = 0;
        foreach (var needed in NeededVersions(elf))
        {
            if (needed.Version != version || needed.IsWeak) continue;
            BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan((int)needed.FlagsOffset), (ushort)(needed.Flags | WeakFlag));
            changed++;
        }
        return changed;
    }

    static IEnumerable<(long Offset, uint Count, long StringTable)> Sections(byte[] elf, uint type)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file (bad magic)");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF files are supported");
        long shoff = (long)U64(elf, 0x28);
        ushort shentsize = U16(elf, 0x3A), shnum = U16(elf, 0x3C);
        if (shoff <= 0 || shentsize < 64 || shoff + (long)shentsize * shnum > elf.Length)
            throw new InvalidDataException("ELF section header table lies outside the file (truncated?)");
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            if (U32(elf, sh + 4) != type) continue;
            long offset = (long)U64(elf, sh + 0x18);
            uint link = U32(elf, sh + 0x28), count = U32(elf, sh + 0x2C);
            if (link >= shnum) throw new InvalidDataException("ELF version section links to a missing string table");
            long strtab = (long)U64(elf, shoff + (long)link * shentsize + 0x18);
            yield return (offset, count, strtab);
        }
    }

    static ushort U16(byte[] b, long at) => BinaryPrimitives.ReadUInt16LittleEndian(Slice(b, at, 2));
    static uint U32(byte[] b, long at) => BinaryPrimitives.ReadUInt32LittleEndian(Slice(b, at, 4));
    static ulong U64(byte[] b, long at) => BinaryPrimitives.ReadUInt64LittleEndian(Slice(b, at, 8));

    static ReadOnlySpan<byte> Slice(byte[] b, long at, int length)
    {
        if (at < 0 || at + length > b.Length) throw new InvalidDataException($"ELF structure at offset {at} lies outside the file (truncated?)");
        return b.AsSpan((int)at, length);
    }

    static string CString(byte[] b, long at)
    {
        if (at < 0 || at >= b.Length) throw new InvalidDataException($"ELF string at offset {at} lies outside the file");
        int end = Array.IndexOf(b, (byte)0, (int)at);
        if (end < 0) throw new InvalidDataException($"ELF string at offset {at} is not terminated");
        return Encoding.ASCII.GetString(b, (int)at, end - (int)at);
    }
}
