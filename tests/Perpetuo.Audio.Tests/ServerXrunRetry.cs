using Xunit.Abstractions;

namespace Perpetuo.Audio.Tests;

/// <summary>
/// Runs a recording check again when the server reported an xrun during it. A test jackd runs without realtime
/// priority on shared cores, so now and then a cycle misses its deadline for reasons outside Perpetuo (the log
/// then shows every client, jack_capture included, "not finished"). A discontinuity in a run with no xrun reported
/// is a real failure and is never retried; so is one that persists in every attempt.
/// </summary>
internal static class ServerXrunRetry
{
    public sealed class Run
    {
        /// <summary>Set by the body to the output's xrun count once playback stops, before asserting.</summary>
        public long Xruns { get; set; }
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
            catch (Exception e) when (run.Xruns > 0 && attempt < attempts)
            {
                log.WriteLine($"attempt {attempt}: the server reported {run.Xruns} xrun(s), so this recording is no evidence; retrying. ({e.Message})");
            }
        }
    }
}
