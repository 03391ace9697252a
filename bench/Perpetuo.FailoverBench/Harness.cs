using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using Perpetuo.Cli;

namespace Perpetuo.FailoverBench;

/// <summary>Drives one play session with faults and measures what the events file and the WAV say.</summary>
internal sealed partial class Harness(Options o)
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "perpetuo.dll");
    private readonly List<(DateTime At, int Pid)> _kills = [];
    private readonly List<(DateTime At, int Pid)> _hangs = [];
    private JsonElement _lastStatus;

    public int Run()
    {
        int faults = o.Kills + o.Hangs;
        double seconds = Math.Ceiling((faults + 3) * (o.Interval + 0.6)) + 3; // each fault also waits for a verified standby
        int port = FreePort();
        string osc = "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
        string s = seconds.ToString(CultureInfo.InvariantCulture);
        Console.WriteLine($"failover harness: {o.Kills} kills, {o.Hangs} hangs, every {o.Interval} s, {o.CommandsPerSecond} commands/s, " +
                          $"{s} s of play, block {o.Block}, ring depth {o.Depth}{(o.KeepCpusAwake ? ", cpus kept awake" : "")}, in {o.WorkDir}");
        using Process play = Start(["play", "--output", "wav:out.wav", "--seconds", s, "--events", "events.jsonl", "--osc", osc,
                                    "--journal", "journal.jsonl", "--ring-depth", o.Depth.ToString(CultureInfo.InvariantCulture),
                                    "--block", o.Block.ToString(CultureInfo.InvariantCulture), "--slots", o.Slots.ToString(CultureInfo.InvariantCulture), "--quiet",
                                    .. (o.KeepCpusAwake ? (string[])["--keep-cpus-awake"] : [])]);
        WaitForStatus(osc);
        using var commands = new CommandStream(new IPEndPoint(IPAddress.Loopback, port), o.CommandsPerSecond);
        if (o.CommandsPerSecond > 0)
        {
            commands.Start();
        }
        InjectFaults(osc, faults);
        if (o.CommandsPerSecond > 0)
        {
            commands.Stop();
        }
        _lastStatus = Status(osc);
        play.WaitForExit();
        string stderr = play.StandardError.ReadToEnd();
        Console.WriteLine(stderr.Split('\n').LastOrDefault(l => l.StartsWith("played", StringComparison.Ordinal)));
        Run("render", "--seconds", s, "--journal", "journal.jsonl", "--out", "ref.wav").WaitForExit();
        return Report(stderr, commands);
    }

    private void InjectFaults(string osc, int faults)
    {
        int hangEvery = o.Hangs > 0 ? Math.Max(1, faults / o.Hangs) : int.MaxValue;
        for (int i = 0, kills = 0, hangs = 0; i < faults; i++)
        {
            Thread.Sleep(TimeSpan.FromSeconds(o.Interval));
            JsonElement status = WaitForStandby(osc);
            int active = status.GetProperty("active_slot").GetInt32();
            int pid = status.GetProperty("slots")[active].GetProperty("pid").GetInt32();
            if (hangs < o.Hangs && (i % hangEvery == hangEvery - 1 || o.Kills - kills == 0))
            {
                _hangs.Add((DateTime.UtcNow, pid));
                kill(pid, 19); // SIGSTOP: the engine must declare it hung and kill it
                hangs++;
            }
            else
            {
                _kills.Add((DateTime.UtcNow, pid));
                kill(pid, 9);
                kills++;
            }
        }
        Thread.Sleep(TimeSpan.FromSeconds(o.Interval));
    }

    private JsonElement WaitForStandby(string osc)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            JsonElement status = Status(osc);
            JsonElement slots = status.GetProperty("slots");
            if (slots.EnumerateArray().Count(x => x.GetProperty("role").GetString() is "active" or "standby") == 2 || sw.Elapsed > TimeSpan.FromSeconds(10))
            {
                return status;
            }
            Thread.Sleep(50);
        }
    }

    private static void WaitForStatus(string osc)
    {
        var sw = Stopwatch.StartNew();
        using OscClient client = OscClient.Connect(osc);
        while (client.StatusJson(TimeSpan.FromMilliseconds(500)) == null)
        {
            if (sw.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException("the engine never answered");
            }
        }
    }

    /// <summary>The status, asked over OSC from this process (spawning `perpetuo status` would load the machine).</summary>
    private static JsonElement Status(string osc)
    {
        using OscClient client = OscClient.Connect(osc);
        string json = client.StatusJson(TimeSpan.FromSeconds(2)) ?? throw new InvalidOperationException("no status reply");
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    private Process Start(params string[] args) => Run(args);

    private Process Run(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = o.WorkDir, RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(Dll);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        return Process.Start(psi)!;
    }

    private static int FreePort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
