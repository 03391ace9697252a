using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Perpetuo.Web.Tests;

/// <summary>The address `perpetuo web` prints (also as play --web's child, on play's standard output).</summary>
internal static partial class PrintedAddress
{
    public static Uri Of(IntegrationTests.Perpetuo p, int timeoutSeconds = 90)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(timeoutSeconds))
        {
            Match m = OpenLine().Match(p.Stdout);
            if (m.Success)
            {
                return new Uri(m.Groups[1].Value);
            }
            Assert.False(p.Process.HasExited, $"exited: {p.Stderr}");
            Thread.Sleep(50);
        }
        throw new Xunit.Sdk.XunitException($"no address printed; stdout: {p.Stdout}; stderr: {p.Stderr}");
    }

    [GeneratedRegex(@"perpetuo web: open (http://\S+)")]
    private static partial Regex OpenLine();
}
