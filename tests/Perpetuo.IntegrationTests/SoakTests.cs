using System.Diagnostics;
using Xunit.Abstractions;

namespace Perpetuo.IntegrationTests;

public sealed class SoakTests(ITestOutputHelper output)
{
    [SoakFact]
    public void AHundredKillsAndTwentyHangsLeaveTheOutputIdenticalToTheReference() =>
        RunHarness("--kills", "100", "--hangs", "20", "--interval", "1");

    [SoakFact]
    public void AThousandCommandsASecondForThirtySecondsOfFailoversAreAllJournaledReplayedExactlyWithoutAGc() =>
        RunHarness("--kills", "20", "--hangs", "5", "--interval", "1", "--commands-per-second", "1000");

    private void RunHarness(params string[] args)
    {
        string harness = Path.Combine(AppContext.BaseDirectory, "Perpetuo.FailoverBench.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
        psi.ArgumentList.Add(harness);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using Process p = Process.Start(psi)!;
        string report = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        output.WriteLine(report);
        Assert.Contains("RESULT ok", report, StringComparison.Ordinal);
        Assert.Equal(0, p.ExitCode);
    }
}
