using Xunit.Abstractions;

namespace Perpetuo.Audio.Tests;

/// <summary>
/// Runs a recording check again only when jackd logged xruns during it and every one has a cause outside
/// Perpetuo (see <see cref="JackXruns"/>): a test jackd runs on shared vCPUs the machine stalls at random, so now
/// and then the server's own driver or jack_capture misses a deadline (rarely with a synchronous server, which
/// waits for a late client: see <see cref="JackServer.Start"/>). A failure with no xrun logged, with an
/// xrun jackd blames on our client, or with one it reports in a form we cannot attribute, is a real failure: it
/// is never retried, and its message carries jackd's xrun lines. So is one that persists in every attempt.
/// </summary>
internal static class ServerXrunRetry
{
    public sealed class Run
    {
        /// <summary>Set by the body as soon as it has started the server (<c>() => server.Log</c>), so a failure can be attributed.</summary>
        public Func<string>? ServerLog { get; set; }

        /// <summary>Set by the body to the output's own xrun count once playback stops (for the message only).</summary>
        public long ClientXruns { get; set; }

        /// <summary>Set by the body once playback stops: the longest of our callbacks, measured inside it.</summary>
        public TimeSpan LongestCallback { get; set; } = TimeSpan.MaxValue;

        /// <summary>Set by the body: the server's period.</summary>
        public TimeSpan Period { get; set; }

        /// <summary>Our code finished every cycle with half the period to spare (see <see cref="JackXruns"/>).</summary>
        public bool CallbacksAlwaysInTime => LongestCallback < Period / 2;
    }

    public static void Check(ITestOutputHelper log, int attempts, Action<Run> body)
    {
        for (int attempt = 1; ; attempt++)
        {
            var run = new Run();
            try
            {
                body(run);
                return;
            }
            catch (Exception e) when (run.ServerLog is not null)
            {
                JackXruns xruns = JackXruns.Parse(run.ServerLog(), JackServer.ForeignClients, run.CallbacksAlwaysInTime);
                string measured = run.LongestCallback == TimeSpan.MaxValue ? "not measured"
                    : $"{run.LongestCallback.TotalMicroseconds:F0} us of a {run.Period.TotalMicroseconds:F0} us period";
                if (!xruns.OnlyOutside || attempt >= attempts)
                {
                    Assert.Fail($"attempt {attempt} of {attempts}: {e.Message}\n(client xrun callbacks: {run.ClientXruns}; longest callback: {measured})\n{xruns.Describe()}");
                }

                log.WriteLine($"attempt {attempt}: this recording is no evidence, retrying: {e.Message}\n(longest callback: {measured})\n{xruns.Describe()}");
            }
        }
    }
}
