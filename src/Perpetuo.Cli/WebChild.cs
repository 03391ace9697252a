using System.Diagnostics;
using System.Net;

namespace Perpetuo.Cli;

/// <summary>
/// `play --web ADDR`: the page's server as a child process of play (`perpetuo web --exit-with-parent PID`), never
/// inside the audio process: a web server allocates, and the audio process must not collect garbage. It prints its
/// own address to the same terminal; it exits with play, even when play is killed (it watches its parent).
/// </summary>
internal sealed class WebChild : IDisposable
{
    private readonly Process _process;

    private WebChild(Process process) => _process = process;

    /// <summary>Starts `perpetuo web` for the engine at <paramref name="osc"/>.</summary>
    public static WebChild Start(string listen, IPEndPoint osc, string? patchDir, bool plugins, bool faults)
    {
        string exe = Environment.ProcessPath ?? throw new CliException("play: --web: cannot find this program's path to start perpetuo web");
        var psi = new ProcessStartInfo(exe) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(exe).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            psi.ArgumentList.Add(typeof(WebChild).Assembly.Location);
        }
        foreach (string arg in (string[])["web", "--listen", listen, "--osc", osc.ToString(), "--exit-with-parent", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            psi.ArgumentList.Add(arg);
        }
        if (patchDir != null)
        {
            psi.ArgumentList.Add("--patch-dir");
            psi.ArgumentList.Add(patchDir);
        }
        if (plugins)
        {
            psi.ArgumentList.Add("--plugins");
        }
        if (faults)
        {
            psi.ArgumentList.Add("--allow-fault-injection");
        }
        return new WebChild(Process.Start(psi) ?? throw new CliException("play: --web: perpetuo web did not start"));
    }

    /// <summary>Asks it to stop (SIGTERM), then kills it if it has not within 3 s.</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Transport.LibC.Kill(_process.Id, 15);
            if (!_process.WaitForExit(TimeSpan.FromSeconds(3)))
            {
                _process.Kill();
            }
        }
        _process.Dispose();
    }
}
