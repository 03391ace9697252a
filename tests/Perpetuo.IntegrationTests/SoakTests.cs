using System.Diagnostics;
using Xunit.Abstractions;

namespace Perpetuo.IntegrationTests;

public sealed class SoakTests(ITestOutputHelper output)
{
    [SoakFact]
    public void AHundredKillsAndTwentyHangsLeaveTheOutputIdenticalToTheReference()
    {
        string harness = Path.Combine(AppContext.BaseDirectory, "Perpetuo.FailoverBench.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
        foreach (string a in new[] { harness, "--kills", "100", "--hangs", "20", "--interval", "1" })
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
