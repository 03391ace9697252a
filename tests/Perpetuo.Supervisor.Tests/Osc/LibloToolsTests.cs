using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Perpetuo.Control.Osc;
using Perpetuo.Transport;
using Perpetuo.Protocol;

namespace Perpetuo.Supervisor.Tests.Osc;

// liblo's oscsend and oscdump (Debian liblo-tools) are the reference outside implementation: if they talk to the
// server, SuperCollider, Pure Data and TouchOSC (all liblo-compatible on the wire) will too. oscsend sends from a
// throwaway port it closes at once, so the server's reply to it cannot be observed there; the reply test sends
// the same request from the test's own socket and hands the server's reply bytes, unchanged, to oscdump.
public sealed class LibloToolsTests : IDisposable
{
    private readonly ServerFixture _f = new();

    public void Dispose() => _f.Dispose();

    [LibloFact]
    public void OscsendParamWithAFloatReachesTheEngine()
    {
        RunOscsend("/perpetuo/param", "ssf", "filter", "cutoff", "400");
        CommandRecord r = Assert.Single(PollUntilSubmitted().Records);
        Assert.Equal(((int)CommandKind.SetParam, "filter", "cutoff", 400f), (r.Kind, r.IdString, r.NameString, r.Value));
    }

    [LibloFact]
    public void OscsendNoteOnWithAnIntegerVelocityIsAccepted()
    {
        RunOscsend("/perpetuo/note/on", "ii", "60", "1");
        CommandRecord r = Assert.Single(PollUntilSubmitted().Records);
        Assert.Equal(((int)CommandKind.NoteOn, 60f, 1f), (r.Kind, r.Value, r.Value2));
    }

    [LibloFact]
    public void OscdumpDecodesTheServersDoneAndErrorReplies()
    {
        int port = FreeUdpPort();
        using Process dump = Start("oscdump", "-L", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            Thread.Sleep(300); // let oscdump bind
            using var relay = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            OscMessage done = _f.Client.Request(new OscMessage("/perpetuo/param", "filter", "cutoff", 400f));
            OscMessage error = _f.Client.Request(new OscMessage("/perpetuo/param", "filter", "cutoff", 1e6f));
            relay.SendTo(done.ToArray(), new IPEndPoint(IPAddress.Loopback, port));
            relay.SendTo(error.ToArray(), new IPEndPoint(IPAddress.Loopback, port));
            string first = ReadLine(dump);
            string second = ReadLine(dump);
            Assert.Equal("/perpetuo/done s \"/perpetuo/param\"", first);
            Assert.StartsWith("/perpetuo/error ss \"/perpetuo/param\" \"/perpetuo/param: module ", second);
            Assert.Contains("out of range [20, 20000]", second);
        }
        finally
        {
            dump.Kill();
        }
    }

    private (CommandRecord[] Records, long AtBlock, int AtFrame) PollUntilSubmitted()
    {
        var sw = Stopwatch.StartNew();
        while (_f.Target.Submissions.Count == 0 && sw.ElapsedMilliseconds < 3000)
        {
            _f.Server.Poll(_f.Target);
            Thread.Sleep(1);
        }
        return Assert.Single(_f.Target.Submissions);
    }

    private void RunOscsend(params string[] args)
    {
        using Process p = Start("oscsend", ["localhost", _f.Server.LocalEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. args]);
        Assert.True(p.WaitForExit(5000), "oscsend did not exit");
        Assert.True(p.ExitCode == 0, $"oscsend failed: {p.StandardError.ReadToEnd()}");
    }

    private static Process Start(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }
        return Process.Start(info)!;
    }

    private static string ReadLine(Process p)
    {
        Task<string?> line = p.StandardOutput.ReadLineAsync();
        Assert.True(line.Wait(3000), "oscdump printed nothing");
        string text = line.Result ?? "";
        int space = text.IndexOf(' ', StringComparison.Ordinal); // oscdump starts each line with the NTP time it received it
        return space >= 0 && !text.StartsWith('/') ? text[(space + 1)..] : text;
    }

    private static int FreeUdpPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }
}

/// <summary>Runs when liblo-tools is installed; otherwise skips with the install command, except under CI=true, where it fails.</summary>
internal sealed class LibloFactAttribute : FactAttribute
{
    public LibloFactAttribute()
    {
        bool present = File.Exists("/usr/bin/oscsend") && File.Exists("/usr/bin/oscdump");
        if (!present && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = "liblo-tools is not installed (apt-get install -y liblo-tools)";
        }
    }
}
