using Perpetuo.Audio.Jack;
using Perpetuo.Audio.PortAudio;

namespace Perpetuo.Audio.Tests;

[Collection(JackCollection.Name)]
public sealed class OutputSelectorTests : IDisposable
{
    private static readonly AudioFormat Requested = new(48000, 2, 256);
    private readonly string? _previousServer = Environment.GetEnvironmentVariable("JACK_DEFAULT_SERVER");

    public void Dispose() => NativeEnvironment.Set("JACK_DEFAULT_SERVER", _previousServer);

    [Fact]
    public void JackWithNoServerRunningFallsBackToNullWithAOneLineMessageNamingTheWavOption()
    {
        NativeEnvironment.Set("JACK_DEFAULT_SERVER", "perpetuo-no-such-server");

        using IAudioOutput output = OutputSelector.Create("jack", Requested, "perpetuo-test", autoConnect: false, out string message);

        Assert.IsType<NullOutput>(output);
        Assert.Equal(Requested, output.Format);
        Assert.StartsWith("Output: null", message, StringComparison.Ordinal);
        Assert.Contains("no JACK server is running", message, StringComparison.Ordinal);
        Assert.Contains("--output wav:out.wav", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void AutoWithNoServerRunningNeverPicksJackAndSaysWhatItChose()
    {
        NativeEnvironment.Set("JACK_DEFAULT_SERVER", "perpetuo-no-such-server");

        using IAudioOutput output = OutputSelector.Create("auto", Requested, "perpetuo-test", autoConnect: false, out string message);

        Assert.IsNotType<JackOutput>(output);
        Assert.StartsWith("Output: " + output.Name.Split(':')[0], message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
        if (output is NullOutput)
        {
            Assert.Contains("--output wav:out.wav", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void NullAndWavSpecsGiveThoseOutputs()
    {
        string path = Path.Combine(Path.GetTempPath(), $"perpetuo-selector-{Guid.NewGuid():N}.wav");
        try
        {
            using (IAudioOutput none = OutputSelector.Create("null", Requested, "x", false, out string nullMessage))
            {
                Assert.IsType<NullOutput>(none);
                Assert.StartsWith("Output: null", nullMessage, StringComparison.Ordinal);
            }

            using IAudioOutput wav = OutputSelector.Create("wav:" + path, Requested, "x", false, out string wavMessage);
            Assert.IsType<WavOutput>(wav);
            Assert.Contains(path, wavMessage, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AnUnknownSpecIsAUsageErrorListingTheValidOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => OutputSelector.Create("alsa", Requested, "x", false, out _));
        Assert.Contains("portaudio:NAME_OR_INDEX", e.Message, StringComparison.Ordinal);
    }

    [PortAudioFact]
    public void AnUnknownPortAudioDeviceFallsBackToNullNamingTheDevice()
    {
        using IAudioOutput output = OutputSelector.Create("portaudio:no-such-device-perpetuo", Requested, "x", false, out string message);

        Assert.IsType<NullOutput>(output);
        Assert.Contains("no-such-device-perpetuo", message, StringComparison.Ordinal);
    }

    [JackFact]
    public void AutoPicksJackWhenAServerIsRunningAndListsItsPlaybackPorts()
    {
        using var server = JackServer.Start(48000, 256);

        using (IAudioOutput output = OutputSelector.Create("auto", new AudioFormat(44100, 2, 256), "perpetuo-test", autoConnect: false, out string message))
        {
            var jack = Assert.IsType<JackOutput>(output);
            Assert.Equal(48000, jack.Format.SampleRate);
            Assert.StartsWith("Output: jack:perpetuo-test", message, StringComparison.Ordinal);
        }

        IReadOnlyList<string> devices = OutputSelector.ListDevices();
        Assert.Contains(devices, d => d.StartsWith("jack system:playback_1", StringComparison.Ordinal));
        if (PortAudioFactAttribute.Missing is null)
        {
            Assert.Contains(PortAudioOutput.GetDevices(), d => d.HostApi.Contains("JACK", StringComparison.Ordinal));
        }
    }
}
