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
}
