using System.Diagnostics;
using Perpetuo.Audio.Jack;
using Xunit.Abstractions;

namespace Perpetuo.Audio.Tests;

[Collection(JackCollection.Name)]
[Trait("Category", "IntegrationTest")]
public sealed class JackOutputTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("perpetuo-jack-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [JackTheory]
    [InlineData(256, 256)]
    [InlineData(128, 256)]
    [InlineData(1024, 256)]
    [InlineData(256, 480)]
    public void RecordingThroughARealServerIsTheSourceStreamSampleExact(int periodFrames, int blockFrames)
    {
        ServerXrunRetry.Check(log, 5, run =>
        {
            using var server = JackServer.Start(48000, periodFrames, synchronous: true); // the recording is the evidence
            run.ServerLog = () => server.Log;
            using var output = JackOutput.Open("perpetuo-test", new AudioFormat(44100, 2, blockFrames), autoConnect: true);
            Assert.Equal(new AudioFormat(48000, 2, blockFrames), output.Format);
            Assert.Equal(periodFrames, output.PeriodFrames);

            var source = new RampSource(2, blockFrames);
            var clock = Stopwatch.StartNew();
            output.Start(source);
            string wavPath = Path.Combine(_dir, "rec.wav");
            using (var capture = server.StartCapture(wavPath, 2.0))
            {
                Assert.True(capture.WaitForExit(20_000), "jack_capture did not finish");
                Assert.True(capture.ExitCode == 0, $"jack_capture failed with {capture.ExitCode}: {capture.StandardError.ReadToEnd()}");
            }

            output.Stop();
            clock.Stop();
            Assert.True(output.ProcessThreadAttached, "libjack never ran the thread-init callback: the first cycle attached the thread");
            run.ClientXruns = output.Xruns;
            run.Period = TimeSpan.FromSeconds(periodFrames / 48000.0);
            run.LongestCallback = output.Health.Snapshot().Max;
            long blocks = output.BlocksPlayed;
            Thread.Sleep(50);
            Assert.Equal(blocks, output.BlocksPlayed); // Stop means the source is no longer called

            var wav = FloatWav.Read(wavPath);
            Assert.Equal(48000, wav.SampleRate);
            (int silence, int aligned) = RecordingAssert.ContainsRampContiguously(wav, 2);
            Assert.True(aligned >= 1.9 * 48000, $"only {aligned} aligned frames recorded");

            var health = output.Health.Snapshot();
            double expected = clock.Elapsed.TotalSeconds * 48000 / periodFrames;
            log.WriteLine($"period {periodFrames}, block {blockFrames}: {aligned} frames exact after {silence} silent; {health}; expected ~{expected:F0} callbacks in {clock.Elapsed.TotalSeconds:F2} s; xruns {output.Xruns}; blocks {blocks}, source frames {source.FramesRendered}");
            Assert.InRange(health.Callbacks, expected * 0.9, expected * 1.05);
            Assert.Equal(source.FramesRendered, blocks * blockFrames);
            Assert.True(health.Callbacks * periodFrames <= blocks * blockFrames, "the adapter handed out frames it never pulled");
            Assert.True(blocks * blockFrames - (health.Callbacks * periodFrames) < blockFrames, "the adapter pulled more than one block ahead");
            Assert.Equal(0, output.SourceFaults);
        });
    }

    [JackFact]
    public void ServerShutdownIsReportedOffTheAudioThread()
    {
        using var server = JackServer.Start(48000, 256);
        using var output = JackOutput.Open("perpetuo-test", new AudioFormat(48000, 2, 256), autoConnect: false);
        using var gone = new ManualResetEventSlim();
        int handlerThread = -1;
        output.ServerShutdown += (_, _) =>
        {
            handlerThread = Environment.CurrentManagedThreadId;
            gone.Set();
        };
        output.Start(new RampSource(2, 256));
        Thread.Sleep(200);
        Assert.False(output.ServerGone);

        server.Terminate();

        Assert.True(gone.Wait(TimeSpan.FromSeconds(10)), "ServerShutdown was not raised after jackd stopped");
        Assert.True(output.ServerGone);
        Assert.True(Thread.CurrentThread.ManagedThreadId != handlerThread);
        output.Stop(); // must not hang or throw with the server gone
    }

    [JackFact]
    public void OpeningWithoutAServerThrowsBackendUnavailableNamingTheServer()
    {
        string previous = Environment.GetEnvironmentVariable("JACK_DEFAULT_SERVER") ?? string.Empty;
        NativeEnvironment.Set("JACK_DEFAULT_SERVER", "perpetuo-no-such-server");
        try
        {
            var e = Assert.Throws<Native.AudioBackendUnavailableException>(
                () => JackOutput.Open("perpetuo-test", new AudioFormat(48000, 2, 256), autoConnect: false));
            Assert.Contains("no JACK server is running", e.Message, StringComparison.Ordinal);
            Assert.Contains("perpetuo-no-such-server", e.Message, StringComparison.Ordinal);
            Assert.False(JackOutput.IsServerRunning());
        }
        finally
        {
            NativeEnvironment.Set("JACK_DEFAULT_SERVER", previous.Length == 0 ? null : previous);
        }
    }
}
