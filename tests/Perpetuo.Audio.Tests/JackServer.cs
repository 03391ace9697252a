using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Perpetuo.Audio.Tests;

/// <summary>
/// A private jackd with the dummy backend (sample-exact, no sound card needed), named uniquely so parallel test
/// runs do not collide, and made this process's default server (JACK_DEFAULT_SERVER, set natively).
/// </summary>
internal sealed partial class JackServer : IDisposable
{
    private static int s_count;
    private readonly Process _jackd;
    private readonly StringBuilder _log = new();
    private readonly string? _previousDefault;

    private JackServer(string name, Process jackd, string? previousDefault)
    {
        Name = name;
        _jackd = jackd;
        _previousDefault = previousDefault;
    }

    /// <summary>The clients this type starts besides the one under test (the recorder, <see cref="StartCapture"/>).</summary>
    public static IReadOnlyCollection<string> ForeignClients { get; } = ["jack_capture"];

    public string Name { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The xruns jackd has logged so far, each attributed to us or to a cause outside Perpetuo.</summary>
    public JackXruns Xruns(IReadOnlyCollection<string> foreignClients) => JackXruns.Parse(Log, foreignClients);

    /// <summary>Starts a private jackd on the dummy backend and waits until it answers.</summary>
    /// <param name="sampleRate">The server's rate.</param>
    /// <param name="periodFrames">The server's period.</param>
    /// <param name="synchronous">
    /// jackd -S: the driver waits for every client to finish a cycle (up to jackd's 500 ms client timeout) before it
    /// goes on, where the default (asynchronous) mode goes on without a late client and that client misses the
    /// cycle. For tests whose evidence is a recording: jack_capture is a client too, and on these machines (which
    /// stall a vCPU for 15-35 ms at random, see docs/performance.md) it misses cycles, a jump in the recording that
    /// says nothing about the stream under test: at a 128-frame period it jumped in 3 of 11 two-second recordings
    /// here, and in 5 of 5 in one CI run (AMD EPYC, 2 vCPUs, 2026-12-02). Synchronous, a stall delays the cycle and
    /// the recording stays whole, so any jump or gap left is the stream's: 64 of 64 recordings of JackOutputTests
    /// were whole, 16 of them at 128 frames, one with 17 xrun callbacks. What it gives up: the server waits for the
    /// client under test too, so a recording no longer shows that client missing its deadline; JackOutputTests counts
    /// its callbacks against the wall clock instead, and the latency sweep (docs/performance.md) measures lateness. A test
    /// that measures latency keeps the default, as a musician runs it: synchronous mode takes a period off the round trip.
    /// </param>
    public static JackServer Start(int sampleRate, int periodFrames, bool synchronous = false)
    {
        Assert.True(JackTools.Missing is null, JackTools.Missing);
        string name = $"perpetuo-test-{Environment.ProcessId}-{Interlocked.Increment(ref s_count)}";
        var psi = new ProcessStartInfo("jackd")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // As a musician runs it: a real-time server (-R) when privileged, so the clients' process threads are
        // SCHED_FIFO and nothing ordinary can preempt them; without the privilege jackd could not get it anyway.
        string[] scheduling = Environment.UserName == "root" ? ["-R", "-P", "70"] : ["--no-realtime"];
        string[] mode = synchronous ? ["-S"] : [];
        foreach (string arg in (string[])[.. scheduling, .. mode, "-n", name, "-d", "dummy", "-r", $"{sampleRate}", "-p", $"{periodFrames}"])
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["JACK_NO_AUDIO_RESERVATION"] = "1";
        var jackd = Process.Start(psi)!;
        var server = new JackServer(name, jackd, Environment.GetEnvironmentVariable("JACK_DEFAULT_SERVER"));
        jackd.OutputDataReceived += (_, e) => server.Append(e.Data);
        jackd.ErrorDataReceived += (_, e) => server.Append(e.Data);
        jackd.BeginOutputReadLine();
        jackd.BeginErrorReadLine();

        (int rc, string output) = Run("jack_wait", ["-s", name, "-w", "-t", "10"], name, TimeSpan.FromSeconds(15));
        if (rc != 0 || jackd.HasExited)
        {
            server.Dispose();
            Assert.Fail($"jackd '{name}' did not come up (jack_wait rc {rc}): {output}\n{server.Log}");
        }

        NativeEnvironment.Set("JACK_DEFAULT_SERVER", name);
        return server;
    }

    /// <summary>Starts jack_capture recording what feeds system:playback_1/2 into a float WAV for <paramref name="seconds"/>.</summary>
    public Process StartCapture(string path, double seconds)
    {
        var psi = new ProcessStartInfo("jack_capture")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "-d", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--daemon", path })
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["JACK_DEFAULT_SERVER"] = Name;
        return Process.Start(psi)!;
    }

    /// <summary>Starts one of jackd2's clients (jack_iodelay, jack_midiseq, ...) on this server, its output redirected.</summary>
    public Process StartClient(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["JACK_DEFAULT_SERVER"] = Name;
        return Process.Start(psi)!;
    }

    /// <summary>Runs a JACK command-line tool (jack_connect, jack_lsp) on this server to its end.</summary>
    public (int ExitCode, string Output) RunTool(string tool, params string[] args) => Run(tool, args, Name, TimeSpan.FromSeconds(15));

    /// <summary>Stops jackd with SIGTERM (as a user would), SIGKILL after 5 s.</summary>
    public void Terminate()
    {
        if (_jackd.HasExited)
        {
            return;
        }

        if (!OperatingSystem.IsWindows())
        {
            _ = Kill(_jackd.Id, 15);
        }

        if (!_jackd.WaitForExit(5000))
        {
            _jackd.Kill();
            _jackd.WaitForExit(5000);
        }
    }

    public void Dispose()
    {
        Terminate();
        _jackd.Dispose();
        NativeEnvironment.Set("JACK_DEFAULT_SERVER", _previousDefault);
    }

    internal static (int ExitCode, string Output) Run(string tool, string[] args, string server, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["JACK_DEFAULT_SERVER"] = server;
        using var p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit((int)timeout.TotalMilliseconds))
        {
            p.Kill();
            return (-1, $"{tool} timed out");
        }

        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
