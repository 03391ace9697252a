using System.Globalization;

namespace Perpetuo.IntegrationTests;

/// <summary>Reads process relationships and states from /proc, as an outside script would.</summary>
internal static class ProcFs
{
    public static IReadOnlyList<int> ChildrenOf(int parent)
    {
        var list = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }
            string[]? stat = Stat(pid);
            if (stat != null && stat[1] == parent.ToString(CultureInfo.InvariantCulture) && stat[0] != "Z")
            {
                list.Add(pid);
            }
        }
        list.Sort();
        return list;
    }

    public static bool Alive(int pid)
    {
        string[]? stat = Stat(pid);
        return stat != null && stat[0] != "Z";
    }

    /// <summary>Fields after the command name: [0] state, [1] ppid, ...</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            string s = File.ReadAllText($"/proc/{pid}/stat");
            return s[(s.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The process's arguments, from /proc/PID/cmdline (empty if it is gone).</summary>
    public static string[] CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").TrimEnd('\0').Split('\0');
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>What a run of process <paramref name="pid"/> would have left in /dev/shm (the run directory of old).</summary>
    public static IReadOnlyList<string> ShmEntriesOf(int pid)
    {
        string user = $"/dev/shm/perpetuo-{Transport.LibC.EffectiveUserId()}";
        return Directory.Exists(user) ? Directory.GetFileSystemEntries(user, $"run-{pid}-*") : [];
    }
}
