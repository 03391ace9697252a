using System.Diagnostics;

namespace Perpetuo.Supervisor.Control;

/// <summary>How to start a worker process: the program and the arguments that come before the worker's own.</summary>
/// <param name="FileName">The perpetuo executable, or dotnet.</param>
/// <param name="PrefixArgs">E.g. the path of perpetuo.dll when run through dotnet, then "worker".</param>
/// <param name="Settings">What every worker of an engine is told alike (they must agree bit for bit).</param>
public sealed record WorkerLaunch(string FileName, IReadOnlyList<string> PrefixArgs, WorkerSettings Settings) : IWorkerLauncher
{
    /// <inheritdoc/>
    public Task<IWorkerProcess> Start(string regionPath, string patchPath, int nice, IWorkerProcess? spare) => Task.Run(() =>
    {
        if (spare is OsWorkerProcess warm && Attach(warm.Process, regionPath, patchPath))
        {
            return spare;
        }
        spare?.Dispose();
        ProcessStartInfo psi = Info(nice);
        psi.ArgumentList.Add("--region");
        psi.ArgumentList.Add(regionPath);
        psi.ArgumentList.Add("--patch");
        psi.ArgumentList.Add(patchPath);
        return (IWorkerProcess)new OsWorkerProcess(Process.Start(psi) ?? throw new InvalidOperationException($"could not start {FileName}"));
    });

    /// <summary>
    /// Starts a spare worker: it loads and compiles its code at once, then waits for <see cref="Start"/> to name
    /// its slot (on its standard input, which it holds until then; it exits if the pipe closes).
    /// </summary>
    public Task<IWorkerProcess> StartSpare(int nice) => Task.Run(() =>
    {
        ProcessStartInfo psi = Info(nice);
        psi.ArgumentList.Add("--spare");
        psi.RedirectStandardInput = true;
        return (IWorkerProcess)new OsWorkerProcess(Process.Start(psi) ?? throw new InvalidOperationException($"could not start {FileName}"));
    });

    /// <summary>Gives a spare started by <see cref="StartSpare"/> its slot; false if it is gone.</summary>
    private static bool Attach(Process spare, string regionPath, string patchPath)
    {
        try
        {
            if (spare.HasExited)
            {
                return false;
            }
            spare.StandardInput.WriteLine(regionPath);
            spare.StandardInput.WriteLine(patchPath);
            spare.StandardInput.Close(); // flushes
            return true;
        }
        catch (IOException)
        {
            return false; // it died meanwhile (a broken pipe)
        }
    }

    private ProcessStartInfo Info(int nice)
    {
        var psi = new ProcessStartInfo(FileName) { UseShellExecute = false };
        foreach (string a in PrefixArgs)
        {
            psi.ArgumentList.Add(a);
        }
        psi.ArgumentList.Add("--wait");
        psi.ArgumentList.Add(Settings.Wait);
        psi.ArgumentList.Add("--nice");
        psi.ArgumentList.Add(nice.ToString(System.Globalization.CultureInfo.InvariantCulture));
        psi.ArgumentList.Add("--realtime");
        psi.ArgumentList.Add(Settings.Realtime ? "1" : "0");
        psi.ArgumentList.Add("--limiter");
        psi.ArgumentList.Add(Settings.Limiter ? "1" : "0");
        psi.ArgumentList.Add("--fault-modules");
        psi.ArgumentList.Add(Settings.FaultModules ? "1" : "0");
        // A worker's own GC must not stall it for long: keep its heap small and non-concurrent.
        psi.Environment["DOTNET_gcConcurrent"] = "0";
        psi.Environment["DOTNET_TieredPGO"] = "0";
        // Tier up as soon as the warm-up has called a method enough, not 100 ms later in the middle of live blocks.
        psi.Environment["DOTNET_TC_CallCountingDelayMs"] = "0";
        return psi;
    }
}
