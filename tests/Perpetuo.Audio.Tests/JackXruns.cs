using System.Text;
using System.Text.RegularExpressions;

namespace Perpetuo.Audio.Tests;

/// <summary>
/// Who jackd blamed for each xrun it logged. jackd2 (1.9.x) writes, as checked against a dummy-backend server
/// with a deliberately slow client (jack_cpu -c 99) and against the strings in libjackserver:
/// <list type="bullet">
/// <item>"JackEngine::XRun: client = NAME was not finished, state = Triggered|Running": NAME was woken for the
/// cycle (every client it depends on had finished) and did not finish it.</item>
/// <item>"JackEngine::XRun: client NAME finished after current callback": NAME finished, too late.</item>
/// <item>"JackTimedDriver::Process XRun = N usec": the server's own (dummy) driver woke N µs late.</item>
/// </list>
/// Design: a recording test may be retried only when something outside Perpetuo explains the xrun: the server
/// itself, or a client the test names as foreign (jack_capture). It fails closed: any other client name counts
/// as ours (a client jackd renamed, PortAudio's client, a probe), and an xrun line in no known format is
/// unexplained; either makes the failure final. A client blamed as "not finished" was already triggered, so a
/// late client upstream of it cannot be the cause: blame on our client is ours even when others were late too.
/// <para>
/// One exception, from what jackd's states mean (JackConnectionManager: ResumeRefNum sets a client Triggered when
/// it signals it; the client's own wait returning sets it Running): "state = Triggered" on our client means the
/// server woke our thread and the operating system did not run it before the cycle ended — not one instruction of
/// our callback had run. On these test servers (no real-time scheduling, a shared 2-core machine) that is the
/// machine's doing, like the driver's own late wake-ups, and is counted outside — but only when no line shows our
/// callback itself late ("state = Running", or "finished after current callback"): then every line blaming our
/// client is ours.
/// </para>
/// <para>
/// And one measured exception: those lines are outside too when the test measured every one of our callbacks
/// (entry to exit, <c>CallbackHealth</c>) and the longest took under half a period — our code always finished in
/// time, so the cycle was lost on our thread outside it (libjack's own code around the callback, on a vCPU the
/// machine stalled: these VMs stall one for 15-35 ms at random). A callback that ran long, or was stalled inside
/// our code, is measured long, and the blame stays ours.
/// </para>
/// </summary>
internal sealed partial class JackXruns
{
    /// <summary>Client names of jackd's own driver ports; an xrun blamed on them is the server's.</summary>
    private static readonly string[] ServerClients = ["system"];

    private JackXruns(List<string> ours, List<string> outside, List<string> unexplained)
    {
        Ours = ours;
        Outside = outside;
        Unexplained = unexplained;
    }

    /// <summary>Xrun lines that blame one of our clients.</summary>
    public IReadOnlyList<string> Ours { get; }

    /// <summary>Xrun lines that blame the server or a foreign client.</summary>
    public IReadOnlyList<string> Outside { get; }

    /// <summary>Lines that mention an xrun in a format this parser does not know.</summary>
    public IReadOnlyList<string> Unexplained { get; }

    /// <summary>True when jackd logged xruns and every one of them has a cause outside Perpetuo.</summary>
    public bool OnlyOutside => Outside.Count > 0 && Ours.Count == 0 && Unexplained.Count == 0;

    public int Count => Ours.Count + Outside.Count + Unexplained.Count;

    /// <summary>Classifies every xrun line of a jackd log; <paramref name="foreignClients"/> are the clients the test started itself.</summary>
    /// <param name="jackdLog">The server's output.</param>
    /// <param name="foreignClients">Clients the test started itself (jack_capture).</param>
    /// <param name="ourCallbacksAlwaysInTime">Every callback of ours was measured and the longest took under half a period.</param>
    public static JackXruns Parse(string jackdLog, IReadOnlyCollection<string> foreignClients, bool ourCallbacksAlwaysInTime = false)
    {
        List<string> ours = [], outside = [], unexplained = [], oursNotScheduled = [];
        foreach (string raw in jackdLog.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (!line.Contains("xrun", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            Match m = ClientLine().Match(line);
            if (m.Success)
            {
                string client = m.Groups["a"].Success ? m.Groups["a"].Value : m.Groups["b"].Value;
                bool foreign = foreignClients.Contains(client, StringComparer.Ordinal) || ServerClients.Contains(client, StringComparer.Ordinal);
                bool notScheduled = line.EndsWith("state = Triggered", StringComparison.Ordinal);
                (foreign ? outside : notScheduled ? oursNotScheduled : ours).Add(line);
            }
            else
            {
                (ServerLine().IsMatch(line) ? outside : unexplained).Add(line);
            }
        }

        (ours.Count == 0 ? outside : ours).AddRange(oursNotScheduled);
        if (ourCallbacksAlwaysInTime)
        {
            outside.AddRange(ours.Select(l => l + "   [our callback measured in time: lost outside it]"));
            ours.Clear();
        }
        return new JackXruns(ours, outside, unexplained);
    }

    /// <summary>The classified lines, for a failure message (at most 20 of each kind).</summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        Append(sb, "blamed on our client", Ours);
        Append(sb, "unexplained", Unexplained);
        Append(sb, "outside Perpetuo (server or foreign client)", Outside);
        return sb.Length == 0 ? "jackd logged no xrun" : sb.ToString();
    }

    private static void Append(StringBuilder sb, string what, IReadOnlyList<string> lines)
    {
        if (lines.Count == 0)
        {
            return;
        }

        sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"jackd xruns {what} ({lines.Count}):\n");
        foreach (string line in lines.Take(20))
        {
            sb.Append("  ").Append(line).Append('\n');
        }

        if (lines.Count > 20)
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"  ... and {lines.Count - 20} more\n");
        }
    }

    [GeneratedRegex(@"JackEngine::XRun: client (?:= (?<a>.+) was not finished, state = \w+|(?<b>.+) finished after current callback)$")]
    private static partial Regex ClientLine();

    [GeneratedRegex(@"^JackTimedDriver::Process XRun = \d+ usec$|^\*\*\*\* alsa_pcm: xrun of at least")]
    private static partial Regex ServerLine();
}
