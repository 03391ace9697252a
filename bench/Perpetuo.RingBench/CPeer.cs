using System.Diagnostics;

namespace Perpetuo.RingBench;

/// <summary>Builds c/cring.c with the system C compiler into a temporary directory and runs it.</summary>
public sealed class CPeer : IDisposable
{
    private readonly string _dir;

    private CPeer(string dir, string exe)
    {
        _dir = dir;
        ExePath = exe;
    }

    /// <summary>The built executable.</summary>
    public string ExePath { get; }

    /// <summary>Compiles the C ring with <c>cc -O3 -march=native -std=c11</c>: the best the C compiler can do here.</summary>
    public static CPeer Build()
    {
        string source = Path.Combine(AppContext.BaseDirectory, "c", "cring.c");
        string dir = Directory.CreateTempSubdirectory("perpetuo-cring-").FullName;
        string exe = Path.Combine(dir, "cring");
        string output = Run("cc", "-O3", "-march=native", "-std=c11", "-o", exe, source);
        if (!File.Exists(exe))
        {
            Directory.Delete(dir, recursive: true);
            throw new InvalidOperationException("cc failed: " + output);
        }
        return new CPeer(dir, exe);
    }

    /// <summary>Runs the C peer in <c>tput</c> or <c>lat</c> mode and returns its RESULT line.</summary>
    public string RunMode(string mode) => ResultLine(Run(ExePath, mode));

    /// <summary>The RESULT line of a peer's output.</summary>
    public static string ResultLine(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))?.Trim()
               ?? throw new InvalidOperationException("no RESULT line in: " + output);
    }

    /// <summary>Runs a process to completion; returns stdout followed by stderr.</summary>
    public static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + file);
        Task<string> err = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return stdout + err.Result;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
