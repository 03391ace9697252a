using System.Diagnostics;

namespace Perpetuo.Cli;

/// <summary>How this program starts another copy of itself (a plugin scan or check, a worker): the apphost directly,
/// or `dotnet perpetuo.dll` when it was run through dotnet.</summary>
internal static class SelfProcess
{
    /// <summary>The program to run and the arguments that come before <paramref name="args"/>.</summary>
    public static (string FileName, string[] Prefix) Command()
    {
        string exe = Environment.ProcessPath ?? throw new CliException("cannot find this program's path to start a copy of it");
        bool viaDotnet = Path.GetFileNameWithoutExtension(exe).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        return viaDotnet ? (exe, [typeof(SelfProcess).Assembly.Location]) : (exe, []);
    }

    /// <summary>A start of this program with <paramref name="args"/>, its standard streams redirected.</summary>
    public static ProcessStartInfo StartInfo(params string[] args)
    {
        (string file, string[] prefix) = Command();
        var psi = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string a in prefix.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }
        return psi;
    }
}
