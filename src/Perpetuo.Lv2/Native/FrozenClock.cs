using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Perpetuo.Lv2.Native;

/// <summary>
/// Makes a plugin's own calls to the C library's <c>time()</c> see one fixed time (<see cref="Seconds"/>), in every
/// process: setBfree seeds its random generator with <c>srand(time(NULL))</c> when instantiated and draws its key
/// clicks from it, so two workers started a second apart played different organs, and no replay could match them.
/// No wall clock may reach the audio; a plugin that asks the time of day gets the same answer in every replica and
/// in render.
/// </summary>
/// <remarks>
/// How: before lilv loads the plugin's library, it is opened here (dlopen, RTLD_NOW: every symbol bound, as lilv
/// opens it) and kept open for the life of the process, so lilv's open finds the same, already patched copy and no
/// later reload can undo the patch. In its dynamic section (the link map's <c>l_ld</c>), the relocations of the
/// symbol <c>time</c> (PLT and GOT entries, R_*_JUMP_SLOT and R_*_GLOB_DAT) name the slots its calls go through;
/// each is pointed at <see cref="Time"/> (the page made writable for the write and given its permissions back:
/// RELRO). Only this library's own calls: a library it depends on keeps the real clock. 64-bit x86 and ARM Linux,
/// where the layouts are: <c>Elf64_Dyn { int64 tag; uint64 value; }</c>, <c>Elf64_Rela { uint64 offset; uint64
/// info; int64 addend; }</c>, <c>Elf64_Sym { uint32 name; ...; }</c> (24 bytes), <c>struct link_map { l_addr;
/// l_name; l_ld; ... }</c>. Anything unexpected leaves the library as it is (the check still judges the plugin).
/// Thread-safe; control thread (before an instantiation).
/// </remarks>
internal static class FrozenClock
{
    /// <summary>The time every plugin is told, in seconds since 1970: 2001-09-09 01:46:40 UTC.</summary>
    internal const long Seconds = 1_000_000_000;

    private const int RtldNow = 2;
    private const int RtldDiLinkmap = 2;
    private const int ProtRead = 1;
    private const int ProtWrite = 2;
    private const long DtNull = 0, DtPltRelSz = 2, DtStrTab = 5, DtSymTab = 6, DtRela = 7, DtRelaSz = 8, DtJmpRel = 23;
    private const int RelaBytes = 24;
    private const int SymBytes = 24;

    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, int> Done = new(StringComparer.Ordinal); // library -> slots patched
    private static readonly IntPtr TimeFunction = Of(nameof(Time));

    /// <summary>Patches <paramref name="library"/> once per process; returns how many slots now lead to the fixed time.</summary>
    internal static int Apply(string library)
    {
        if (string.IsNullOrEmpty(library) || IntPtr.Size != 8 || !OperatingSystem.IsLinux()
            || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
        {
            return 0;
        }
        lock (Gate)
        {
            if (Done.TryGetValue(library, out int known))
            {
                return known;
            }
            int patched = 0;
            IntPtr handle = DlOpen(library, RtldNow); // never closed: the library must stay this copy
            if (handle != IntPtr.Zero && DlInfo(handle, RtldDiLinkmap, out IntPtr map) == 0 && map != IntPtr.Zero)
            {
                patched = Patch(Marshal.ReadIntPtr(map, 0), Marshal.ReadIntPtr(map, 2 * IntPtr.Size));
            }
            Done[library] = patched;
            return patched;
        }
    }

    private static int Patch(IntPtr loadBase, IntPtr dynamic)
    {
        IntPtr strtab = 0, symtab = 0, rela = 0, jmprel = 0;
        long relaSize = 0, pltSize = 0;
        for (IntPtr d = dynamic; ; d += 16)
        {
            long tag = Marshal.ReadInt64(d);
            long value = Marshal.ReadInt64(d, 8);
            if (tag == DtNull)
            {
                break;
            }
            switch (tag)
            {
                case DtStrTab: strtab = Absolute(loadBase, value); break;
                case DtSymTab: symtab = Absolute(loadBase, value); break;
                case DtRela: rela = Absolute(loadBase, value); break;
                case DtJmpRel: jmprel = Absolute(loadBase, value); break;
                case DtRelaSz: relaSize = value; break;
                case DtPltRelSz: pltSize = value; break;
            }
        }
        if (strtab == 0 || symtab == 0)
        {
            return 0;
        }
        return PatchTable(loadBase, jmprel, pltSize, symtab, strtab) + PatchTable(loadBase, rela, relaSize, symtab, strtab);
    }

    private static int PatchTable(IntPtr loadBase, IntPtr table, long bytes, IntPtr symtab, IntPtr strtab)
    {
        int patched = 0;
        for (long off = 0; table != 0 && off + RelaBytes <= bytes; off += RelaBytes)
        {
            long info = Marshal.ReadInt64(table, (int)off + 8);
            uint type = (uint)info;
            if (type is not (7 or 6 or 1026 or 1025)) // x86-64 JUMP_SLOT, GLOB_DAT; AArch64 JUMP_SLOT, GLOB_DAT
            {
                continue;
            }
            long symbol = info >>> 32;
            int name = Marshal.ReadInt32(symtab + (nint)(symbol * SymBytes));
            if (Marshal.PtrToStringUTF8(strtab + name) == "time" && Write(loadBase + (nint)Marshal.ReadInt64(table, (int)off), TimeFunction))
            {
                patched++;
            }
        }
        return patched;
    }

    /// <summary>A dynamic-section address: relocated in memory by the loader on these platforms, else an offset.</summary>
    private static IntPtr Absolute(IntPtr loadBase, long value) => (ulong)value >= (ulong)loadBase ? (IntPtr)value : loadBase + (nint)value;

    private static bool Write(IntPtr slot, IntPtr function)
    {
        long page = Environment.SystemPageSize;
        IntPtr start = (IntPtr)(slot & ~(page - 1));
        bool readOnly = !IsWritable(slot);
        if (readOnly && MProtect(start, (nuint)page, ProtRead | ProtWrite) != 0)
        {
            return false;
        }
        Marshal.WriteIntPtr(slot, function);
        if (readOnly)
        {
            _ = MProtect(start, (nuint)page, ProtRead); // RELRO again
        }
        return true;
    }

    /// <summary>Whether <paramref name="address"/> is in a writable mapping of this process (/proc/self/maps).</summary>
    private static bool IsWritable(IntPtr address)
    {
        ulong a = (ulong)address;
        foreach (string line in File.ReadLines("/proc/self/maps"))
        {
            int dash = line.IndexOf('-', StringComparison.Ordinal);
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash
                && ulong.TryParse(line.AsSpan(0, dash), System.Globalization.NumberStyles.HexNumber, null, out ulong lo)
                && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), System.Globalization.NumberStyles.HexNumber, null, out ulong hi)
                && a >= lo && a < hi)
            {
                return line.Length > space + 2 && line[space + 2] == 'w';
            }
        }
        return false;
    }

    /// <summary><c>time_t time(time_t* t)</c>, for the plugins: the fixed time, also stored at t when given.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static long Time(IntPtr t)
    {
        if (t != IntPtr.Zero)
        {
            Marshal.WriteInt64(t, Seconds);
        }
        return Seconds;
    }

    private static IntPtr Of(string name) => FunctionPointers.Of(typeof(FrozenClock), name);

    /// <summary>Why the C library cannot load <paramref name="library"/> (dlerror's words), or null when it can.</summary>
    internal static string? WhyNotLoadable(string library)
    {
        if (string.IsNullOrEmpty(library) || !OperatingSystem.IsLinux())
        {
            return null;
        }
        lock (Gate)
        {
            IntPtr handle = DlOpen(library, RtldNow);
            if (handle != IntPtr.Zero)
            {
                return null; // loadable (and kept open, as Apply keeps it)
            }
            return Marshal.PtrToStringUTF8(DlError());
        }
    }

    [DllImport("libc", EntryPoint = "dlerror")]
    private static extern IntPtr DlError();

    [DllImport("libc", EntryPoint = "dlopen")]
    private static extern IntPtr DlOpen([MarshalAs(UnmanagedType.LPUTF8Str)] string file, int mode);

    [DllImport("libc", EntryPoint = "dlinfo")]
    private static extern int DlInfo(IntPtr handle, int request, out IntPtr info);

    [DllImport("libc", EntryPoint = "mprotect")]
    private static extern int MProtect(IntPtr address, nuint length, int protection);
}
