using System.Diagnostics;

namespace Perpetuo.Supervisor.Control;

/// <summary>How to start a worker process: the program and the arguments that come before the worker's own.</summary>
/// <param name="FileName">The perpetuo executable, or dotnet.</param>
/// <param name="PrefixArgs">E.g. the path of perpetuo.dll when run through dotnet, then "worker".</param>
public sealed record WorkerLaunch(string FileName, IReadOnlyList<string> PrefixArgs)
{
    /// <summary>Starts a worker for the region at <paramref name="regionPath"/>.</summary>
    /// <param name="limiter">The output safety stage: the same for every worker of an engine (they must agree bit for bit).</param>
    /// <param name="faultModules">Whether the test-only <c>fault</c> module may be built (play --allow-fault-injection).</param>
    public Process Start(string regionPath, string patchPath, string wait, int nice, bool realtime = true, bool limiter = true,
                         bool faultModules = false)
    {
        ProcessStartInfo psi = Info(wait, nice, realtime, limiter, faultModules);
        psi.ArgumentList.Add("--region");
        psi.ArgumentList.Add(regionPath);
        psi.ArgumentList.Add("--patch");
        psi.ArgumentList.Add(patchPath);
        return Process.Start(psi) ?? throw new InvalidOperationException($"could not start {FileName}");
    }

    /// <summary>
    /// Starts a spare worker: it loads and compiles its code at once, then waits for <see cref="Attach"/> to name
    /// its slot (on its standard input, which it holds until then; it exits if the pipe closes).
    /// </summary>
    public Process StartSpare(string wait, int nice, bool realtime = true, bool limiter = true, bool faultModules = false)
    {
        ProcessStartInfo psi = Info(wait, nice, realtime, limiter, faultModules);
        psi.ArgumentList.Add("--spare");
        psi.RedirectStandardInput = true;
        return Process.Start(psi) ?? throw new InvalidOperationException($"could not start {FileName}");
    }

    /// <summary>Gives a spare started by <see cref="StartSpare"/> its slot; false if it is gone.</summary>
    public static bool Attach(Process spare, string regionPath, string patchPath)
    {
        ArgumentNullException.ThrowIfNull(spare);
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

    private ProcessStartInfo Info(string wait, int nice, bool realtime, bool limiter, bool faultModules)
    {
        var psi = new ProcessStartInfo(FileName) { UseShellExecute = false };
        foreach (string a in PrefixArgs)
        {
            psi.ArgumentList.Add(a);
        }
        psi.ArgumentList.Add("--wait");
        psi.ArgumentList.Add(wait);
        psi.ArgumentList.Add("--nice");
        psi.ArgumentList.Add(nice.ToString(System.Globalization.CultureInfo.InvariantCulture));
        psi.ArgumentList.Add("--realtime");
        psi.ArgumentList.Add(realtime ? "1" : "0");
        psi.ArgumentList.Add("--limiter");
        psi.ArgumentList.Add(limiter ? "1" : "0");
        psi.ArgumentList.Add("--fault-modules");
        psi.ArgumentList.Add(faultModules ? "1" : "0");
        // A worker's own GC must not stall it for long: keep its heap small and non-concurrent.
        psi.Environment["DOTNET_gcConcurrent"] = "0";
        psi.Environment["DOTNET_TieredPGO"] = "0";
        // Tier up as soon as the warm-up has called a method enough, not 100 ms later in the middle of live blocks.
        psi.Environment["DOTNET_TC_CallCountingDelayMs"] = "0";
        return psi;
    }
}
