using System.Diagnostics;
using Perpetuo.Audio.PortAudio;
using Xunit.Abstractions;

namespace Perpetuo.Audio.Tests;

[Collection(JackCollection.Name)]
public sealed class PortAudioOutputTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("perpetuo-pa-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [PortAudioFact]
    public void ListingDevicesGivesOneLinePerOutputDeviceWithoutThrowing()
    {
        IReadOnlyList<string> lines = PortAudioOutput.ListDevices();
        foreach (string line in lines)
        {
            log.WriteLine(line);
        }

        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.StartsWith("portaudio", l, StringComparison.Ordinal));
        Assert.All(PortAudioOutput.GetDevices(), d => Assert.True(d.MaxOutputChannels > 0));
    }

    [PortAudioFact]
    public void AnUnknownDeviceNameIsReportedAsUnavailable()
    {
        var e = Assert.Throws<Native.AudioBackendUnavailableException>(
            () => PortAudioOutput.Open(new AudioFormat(48000, 2, 256), "no-such-device-perpetuo"));
        Assert.Contains("no-such-device-perpetuo", e.Message, StringComparison.Ordinal);
    }

    [PortAudioJackFact]
    [Trait("Category", "IntegrationTest")]
    public void RecordingThroughPortAudiosJackDeviceIsTheSourceStreamSampleExact()
    {
        ServerXrunRetry.Check(log, 5, run =>
        {
            using var server = JackServer.Start(48000, 256);
            run.ServerLog = () => server.Log;
            PortAudioDevice jack = Assert.Single(PortAudioOutput.GetDevices(), d => d.HostApi.Contains("JACK", StringComparison.Ordinal));
            using var output = PortAudioOutput.Open(new AudioFormat(48000, 2, 480), jack.Index.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(new AudioFormat(48000, 2, 480), output.Format);

            var source = new RampSource(2, 480);
            var clock = Stopwatch.StartNew();
            output.Start(source);
            string wavPath = Path.Combine(_dir, "rec.wav");
            using (var capture = server.StartCapture(wavPath, 2.0))
            {
                Assert.True(capture.WaitForExit(20_000), "jack_capture did not finish");
                Assert.Equal(0, capture.ExitCode);
            }

            output.Stop();
            clock.Stop();
            run.ClientXruns = output.Xruns;
            run.Period = TimeSpan.FromSeconds(256 / 48000.0);
            run.LongestCallback = output.Health.Snapshot().Max;

            log.WriteLine($"xruns {output.Xruns}; jackd log:\n{server.Log}");
            (int silence, int aligned) = RecordingAssert.ContainsRampContiguously(FloatWav.Read(wavPath), 2);
            var health = output.Health.Snapshot();
            double expected = clock.Elapsed.TotalSeconds * 48000 / 256;
            log.WriteLine($"{output.Name}: {aligned} frames exact after {silence} silent; {health}; ~{expected:F0} JACK periods in {clock.Elapsed.TotalSeconds:F2} s; xruns {output.Xruns}");
            Assert.True(aligned >= 1.9 * 48000, $"only {aligned} aligned frames recorded");
            Assert.Equal(source.FramesRendered, output.BlocksPlayed * 480);
            Assert.Equal(0, output.SourceFaults);
        });
    }

    /// <summary>Counts the input blocks a duplex stream delivers, one before each block it plays.</summary>
    private sealed class DuplexCounter(int channels, int blockFrames) : IBlockSource, ILiveInputSink
    {
        private readonly RampSource _ramp = new(channels, blockFrames);
        private long _inputs;

        public long Inputs => Interlocked.Read(ref _inputs);

        public void TryPutInput(ReadOnlySpan<float> interleaved) => Interlocked.Increment(ref _inputs);

        public void TryFillBlock(Span<float> interleaved) => _ramp.TryFillBlock(interleaved);
    }

    [PortAudioJackFact]
    [Trait("Category", "IntegrationTest")]
    public void ADuplexStreamOnPortAudiosJackDeviceHandsOneInputBlockPerBlockPlayed()
    {
        using var server = JackServer.Start(48000, 256);
        PortAudioDevice jack = Assert.Single(PortAudioOutput.GetDevices(), d => d.HostApi.Contains("JACK", StringComparison.Ordinal));
        using var output = PortAudioOutput.Open(new AudioFormat(48000, 2, 256), jack.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), inputs: 1);
        var source = new DuplexCounter(2, 256);
        output.Start(source);
        Thread.Sleep(1000);
        output.Stop();
        log.WriteLine($"{output.Name}: {output.BlocksPlayed} blocks played, {source.Inputs} input blocks");
        Assert.True(output.BlocksPlayed > 100, $"only {output.BlocksPlayed} blocks in a second");
        Assert.InRange(source.Inputs, output.BlocksPlayed - 1, output.BlocksPlayed); // the period is the block: input first
        Assert.Throws<InvalidOperationException>(() => output.Start(new RampSource(2, 256))); // a source that takes no input
    }
}
