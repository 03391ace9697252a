using Xunit.Abstractions;

namespace Perpetuo.Audio.Tests;

/// <summary>
/// Attribution of jackd's xrun lines and the retry policy built on it. The lines are jackd 1.9.21's, recorded
/// from a dummy-backend server with jack_capture and with a deliberately slow client (jack_cpu -c 99).
/// </summary>
public sealed class JackXrunsTests(ITestOutputHelper log)
{
    private const string Ours = "JackEngine::XRun: client = perpetuo-test was not finished, state = Running";
    private const string OursLate = "JackEngine::XRun: client perpetuo finished after current callback";
    private const string Capture = "JackEngine::XRun: client = jack_capture was not finished, state = Triggered";
    private const string Driver = "JackTimedDriver::Process XRun = 17 usec";

    private static readonly string Banner = "jackdmp 1.9.21\nJACK server starting in non-realtime mode\n";

    [Fact]
    public void TheServersDriverAndTheRecorderAreCausesOutsidePerpetuo()
    {
        JackXruns x = JackXruns.Parse(Banner + Driver + "\n" + Capture + "\n" + Driver + "\n", JackServer.ForeignClients);

        Assert.True(x.OnlyOutside);
        Assert.Equal(3, x.Outside.Count);
        Assert.Empty(x.Ours);
    }

    [Theory]
    [InlineData(Ours)]
    [InlineData(OursLate)]
    [InlineData("JackEngine::XRun: client = PortAudio was not finished, state = Running")] // not named foreign: ours
    public void AnXrunBlamedOnAnyClientNotNamedForeignIsOursEvenAmongOutsideOnes(string line)
    {
        JackXruns x = JackXruns.Parse(Banner + Capture + "\n" + line + "\r\n" + Driver, JackServer.ForeignClients);

        Assert.False(x.OnlyOutside);
        Assert.Equal([line], x.Ours);
        Assert.Contains(line, x.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void OurClientWokenButNotYetScheduledIsTheMachinesDoingWhileOurCallbackWasNeverLate()
    {
        const string NotScheduled = "JackEngine::XRun: client = perpetuo-test was not finished, state = Triggered";
        JackXruns machine = JackXruns.Parse(Banner + Driver + "\n" + NotScheduled + "\n", JackServer.ForeignClients);
        Assert.True(machine.OnlyOutside);

        JackXruns ours = JackXruns.Parse(Banner + NotScheduled + "\n" + Ours + "\n", JackServer.ForeignClients);
        Assert.False(ours.OnlyOutside);
        Assert.Equal(new[] { NotScheduled, Ours }.Order(), ours.Ours.Order());
    }

    [Theory]
    [InlineData(Ours)]
    [InlineData(OursLate)]
    public void OurClientLateWhileEveryCallbackOfOursWasMeasuredInTimeIsTheMachinesDoing(string line)
    {
        JackXruns measured = JackXruns.Parse(Banner + Driver + "\n" + line + "\n", JackServer.ForeignClients, ourCallbacksAlwaysInTime: true);
        Assert.True(measured.OnlyOutside);
        Assert.Empty(measured.Ours);

        JackXruns notMeasured = JackXruns.Parse(Banner + Driver + "\n" + line + "\n", JackServer.ForeignClients);
        Assert.False(notMeasured.OnlyOutside);
    }

    [Fact]
    public void ARunWhoseLongestCallbackTookHalfAPeriodOrMoreIsNotRetriedOnOurClientsXrun()
    {
        int runs = 0;
        var e = Assert.ThrowsAny<Exception>(() => ServerXrunRetry.Check(log, 3, run =>
        {
            runs++;
            run.ServerLog = () => Banner + Ours + "\n";
            run.Period = TimeSpan.FromMilliseconds(2);
            run.LongestCallback = TimeSpan.FromMilliseconds(1); // half the period: our code itself was slow
            Assert.Fail("recording frame 9 differs");
        }));
        Assert.Equal(1, runs);
        Assert.Contains("1000 us of a 2000 us period", e.Message, StringComparison.Ordinal);

        int retried = 0;
        ServerXrunRetry.Check(log, 3, run =>
        {
            run.ServerLog = () => Banner + Ours + "\n";
            run.Period = TimeSpan.FromMilliseconds(2);
            run.LongestCallback = TimeSpan.FromMicroseconds(40);
            if (++retried == 1)
            {
                Assert.Fail("recording frame 9 differs"); // our code in time every cycle: no evidence, run again
            }
        });
        Assert.Equal(2, retried);
    }

    [Fact]
    public void AnXrunLineInAnUnknownFormatIsUnexplainedNotOutside()
    {
        JackXruns x = JackXruns.Parse(Capture + "\nJackEngine::XRun: something new\n", JackServer.ForeignClients);

        Assert.False(x.OnlyOutside);
        Assert.Single(x.Unexplained);
    }

    [Fact]
    public void NoXrunAtAllExplainsNothing() => Assert.False(JackXruns.Parse(Banner, JackServer.ForeignClients).OnlyOutside);

    [Fact]
    public void AFailureWithAnXrunOnOurClientIsNotRetriedAndItsMessageCarriesJackdsLines()
    {
        int runs = 0;
        var e = Assert.ThrowsAny<Exception>(() => ServerXrunRetry.Check(log, 3, run =>
        {
            runs++;
            run.ServerLog = () => Banner + Capture + "\n" + Ours + "\n";
            Assert.Fail("recording frame 123 differs");
        }));

        Assert.Equal(1, runs);
        Assert.Contains("recording frame 123 differs", e.Message, StringComparison.Ordinal);
        Assert.Contains(Ours, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFailureWithOnlyOutsideXrunsIsRetriedAndPassesWhenARetryPasses()
    {
        int runs = 0;
        ServerXrunRetry.Check(log, 3, run =>
        {
            runs++;
            run.ServerLog = () => Banner + Driver + "\n";
            Assert.True(runs == 2, "recording frame 123 differs");
        });

        Assert.Equal(2, runs);
    }

    [Fact]
    public void AFailureWithoutAnyXrunIsNotRetried()
    {
        int runs = 0;
        var e = Assert.ThrowsAny<Exception>(() => ServerXrunRetry.Check(log, 3, run =>
        {
            runs++;
            run.ServerLog = () => Banner;
            Assert.Fail("recording frame 123 differs");
        }));

        Assert.Equal(1, runs);
        Assert.Contains("jackd logged no xrun", e.Message, StringComparison.Ordinal);
    }
}
