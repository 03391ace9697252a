using System.CommandLine;
using System.Diagnostics;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Osc;
using Perpetuo.Supervisor.Control;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Perpetuo.Cli;

/// <summary>
/// `top`: a live dashboard of a running engine, in its own process. It asks /perpetuo/status every interval over the
/// OSC control port and draws with Spectre.Console; the engine does nothing but answer (on its control thread, as
/// for `perpetuo status`).
/// </summary>
internal static class TopCommand
{
    private const string Description = """
        a live dashboard of a running engine (slots, levels, failovers, events)

        A live dashboard of a running `perpetuo play`: per worker slot its role, pid, heartbeat age, last block,
        level (RMS in dBFS), misses, restarts and backoff; the engine's block, underruns, failovers, divergences,
        commands per second and GCs; and the last events. It polls /perpetuo/status every --interval seconds.
        Ctrl+C quits. --once prints one frame and exits (1 if the engine did not answer); without a terminal,
        top prints plain frames one after another.

        Examples:
          perpetuo top
          perpetuo top --osc 127.0.0.1:57131 --interval 0.5
          perpetuo top --once
        """;

    private static readonly Option<string> OscOption = CliOptions.Osc();
    private static readonly Option<double> IntervalOption = CliOptions.Double("--interval", 0.2, 0.05, 60, "seconds between two polls");
    private static readonly Option<bool> OnceOption = CliOptions.Flag("--once", "print one frame and exit (1 if the engine did not answer)");
    private static readonly Option<double> TimeoutOption = CliOptions.Timeout();

    /// <summary>The `top` verb: its options, help and action.</summary>
    public static Command Create()
    {
        var command = new Command("top", Description) { OscOption, IntervalOption, OnceOption, TimeoutOption };
        command.SetAction(Run);
        return command;
    }

    private static int Run(ParseResult a)
    {
        bool once = a.GetValue(OnceOption);
        double interval = a.GetValue(IntervalOption);
        double timeout = a.GetValue(TimeoutOption);
        using OscClient client = OscClient.Open("top", a.GetValue(OscOption)!);
        string endpoint = client.Server.ToString();
        bool tty = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        if (!tty)
        {
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 120); // plain frames: no terminal width to fit
        }
        var sampler = new Sampler(client, TimeSpan.FromSeconds(timeout));
        if (once)
        {
            IRenderable? frame = sampler.Next(endpoint, secondSampleAfter: TimeSpan.FromSeconds(interval));
            AnsiConsole.Write(frame ?? TopView.NoReply(endpoint, timeout));
            return frame == null ? 1 : 0;
        }
        using var quit = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            quit.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            if (tty)
            {
                RunLive(sampler, endpoint, timeout, interval, quit.Token);
            }
            else
            {
                RunPlain(sampler, endpoint, timeout, interval, quit.Token);
            }
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        return 0;
    }

    private static void RunLive(Sampler sampler, string endpoint, double timeout, double interval, CancellationToken quit)
    {
        IRenderable first = sampler.Next(endpoint) ?? TopView.NoReply(endpoint, timeout);
        AnsiConsole.Live(first).AutoClear(false).Start(ctx =>
        {
            while (!quit.WaitHandle.WaitOne(TimeSpan.FromSeconds(interval)))
            {
                ctx.UpdateTarget(sampler.Next(endpoint) ?? TopView.NoReply(endpoint, timeout));
            }
        });
    }

    private static void RunPlain(Sampler sampler, string endpoint, double timeout, double interval, CancellationToken quit)
    {
        do
        {
            AnsiConsole.Write(sampler.Next(endpoint) ?? TopView.NoReply(endpoint, timeout));
            AnsiConsole.WriteLine();
        }
        while (!quit.WaitHandle.WaitOne(TimeSpan.FromSeconds(interval)));
    }

    /// <summary>Asks for the status and remembers the previous sample, for commands per second.</summary>
    private sealed class Sampler(OscClient client, TimeSpan timeout)
    {
        private long _lastAccepted = -1;
        private long _lastAt;

        /// <summary>The next frame, or null when the engine did not answer.</summary>
        /// <param name="endpoint">For the title.</param>
        /// <param name="secondSampleAfter">Take a first sample, wait this long, and draw the second (a rate needs two).</param>
        public IRenderable? Next(string endpoint, TimeSpan? secondSampleAfter = null)
        {
            if (secondSampleAfter is TimeSpan wait)
            {
                EngineStatus? first = Query();
                if (first == null)
                {
                    return null;
                }
                Remember(first);
                Thread.Sleep(wait);
            }
            EngineStatus? s = Query();
            if (s == null)
            {
                return null;
            }
            double? cps = _lastAccepted >= 0 ? (s.CommandsAccepted - _lastAccepted) / Stopwatch.GetElapsedTime(_lastAt).TotalSeconds : null;
            Remember(s);
            return TopView.Frame(s, cps, endpoint);
        }

        private void Remember(EngineStatus status)
        {
            _lastAccepted = status.CommandsAccepted;
            _lastAt = Stopwatch.GetTimestamp();
        }

        private EngineStatus? Query()
        {
            OscMessage? reply = client.Request(new OscMessage(ControlAddresses.Status), timeout);
            return reply != null && reply.Address == ControlAddresses.Status && reply.Arguments.Count == 1 && reply.Arguments[0].Type == OscTypeTag.String
                ? EngineStatus.Parse(reply.Arguments[0].AsString())
                : null;
        }
    }
}
