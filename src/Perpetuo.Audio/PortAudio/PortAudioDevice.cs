namespace Perpetuo.Audio.PortAudio;

/// <summary>One PortAudio output device as listed by <see cref="PortAudioOutput.GetDevices"/>.</summary>
/// <param name="Index">PortAudio's device index (valid until the library is re-initialized).</param>
/// <param name="Name">Device name, e.g. "pulse", "default", "system".</param>
/// <param name="HostApi">Host API name, e.g. "ALSA", "JACK Audio Connection Kit".</param>
/// <param name="IsAlsa">True for an ALSA device (unusable on a machine with no sound card unless a sound server is behind it).</param>
/// <param name="MaxOutputChannels">Output channels the device offers.</param>
/// <param name="DefaultSampleRate">The device's default sample rate.</param>
/// <param name="IsDefault">True for PortAudio's default output device.</param>
public readonly record struct PortAudioDevice(int Index, string Name, string HostApi, bool IsAlsa, int MaxOutputChannels, double DefaultSampleRate, bool IsDefault)
{
    /// <summary>One line for a device listing: "portaudio:3 pulse (ALSA, 32 out, 44100 Hz) [default]".</summary>
    public override string ToString() =>
        FormattableString.Invariant($"portaudio:{Index} {Name} ({HostApi}, {MaxOutputChannels} out, {DefaultSampleRate:0} Hz){(IsDefault ? " [default]" : string.Empty)}");
}
