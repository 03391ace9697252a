using System.Diagnostics;
using System.Text;

namespace Perpetuo.IntegrationTests;

/// <summary>Runs the real `perpetuo` executable (the one built next to this test assembly) as a child process.</summary>
internal sealed class Perpetuo : IDisposable
{
    private readonly StringBuilder _stderr = new();
    private readonly StringBuilder _stdout = new();

    private Perpetuo(Process process)
    {
        Process = process;
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) { lock (_stderr) { _stderr.AppendLine(e.Data); } } };
        process.OutputDataReceived += (_, e) => { if (e.Data != null) { lock (_stdout) { _stdout.AppendLine(e.Data); } } };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }

    public Process Process { get; }

    public string Stderr { get { lock (_stderr) { return _stderr.ToString(); } } }

    public string Stdout { get { lock (_stdout) { return _stdout.ToString(); } } }

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "perpetuo.dll");

    public static Perpetuo Start(string workDir, params string[] args) => StartWithEnvironment(workDir, new Dictionary<string, string>(), args);

    /// <summary>Starts perpetuo with extra environment variables (e.g. JACK_DEFAULT_SERVER).</summary>
    public static Perpetuo StartWithEnvironment(string workDir, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        StartUnder(workDir, [], environment, args);

    /// <summary>Starts perpetuo through <paramref name="wrapper"/> (a program and its arguments that exec the rest, e.g. setpriv).</summary>
    public static Perpetuo StartUnder(string workDir, IReadOnlyList<string> wrapper, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo(wrapper.Count > 0 ? wrapper[0] : "dotnet")
        {
            WorkingDirectory = workDir, RedirectStandardError = true, RedirectStandardOutput = true,
        };
        foreach (var (name, value) in environment)
        {
            psi.Environment[name] = value;
        }
        foreach (string w in wrapper.Skip(1))
        {
            psi.ArgumentList.Add(w);
        }
        if (wrapper.Count > 0)
        {
            psi.ArgumentList.Add("dotnet");
        }
        psi.ArgumentList.Add(Dll);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        return new Perpetuo(Process.Start(psi)!);
    }

    /// <summary>Runs to completion; returns the exit code.</summary>
    public static (int Code, string Stdout, string Stderr) Run(string workDir, TimeSpan timeout, params string[] args)
    {
        using Perpetuo p = Start(workDir, args);
        int code = p.WaitForExit(timeout);
        return (code, p.Stdout, p.Stderr);
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!Process.WaitForExit(timeout))
        {
            Process.Kill(entireProcessTree: true);
            throw new TimeoutException($"perpetuo did not finish within {timeout}; stderr:\n{Stderr}");
        }
        Process.WaitForExit();
        return Process.ExitCode;
    }

    /// <summary>Pids of this process's children (its workers), from /proc.</summary>
    public IReadOnlyList<int> Children() => ProcFs.ChildrenOf(Process.Id);

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }
        Process.Dispose();
    }
}
