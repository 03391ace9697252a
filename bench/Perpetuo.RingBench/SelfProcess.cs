using System.Diagnostics;

namespace Perpetuo.RingBench;

/// <summary>Starts this bench assembly again as a separate process (the producer side, or one peer run).</summary>
public static class SelfProcess
{
    /// <summary>The bench assembly, which the transport tests also launch as their producer process.</summary>
    public static string AssemblyPath => typeof(SelfProcess).Assembly.Location;

    /// <summary>Starts <c>dotnet exec RingBench.dll ARGS</c> with stdout and stderr redirected.</summary>
    public static Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(AssemblyPath);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        return Process.Start(psi) ?? throw new InvalidOperationException("could not start " + AssemblyPath);
    }
}
