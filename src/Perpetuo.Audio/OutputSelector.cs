using System.Globalization;
using Perpetuo.Audio.Jack;
using Perpetuo.Audio.Native;
using Perpetuo.Audio.PortAudio;

namespace Perpetuo.Audio;

/// <summary>
/// Turns an <c>--output</c> spec into an <see cref="IAudioOutput"/>, falling back to the null output (with a message
/// that says why and how to record instead) when a sound backend is unavailable. Control thread only.
/// </summary>
/// <remarks>
/// Specs: <c>auto</c> (JACK if a server is running, else PortAudio's default output if it is usable, else null),
/// <c>null</c>, <c>wav:PATH</c>, <c>jack</c>, <c>portaudio</c>, <c>portaudio:NAME_OR_INDEX</c>. A backend that is
/// missing or has no server/device never crashes the caller: its <see cref="AudioBackendUnavailableException"/>
/// becomes a null output and the reason goes into the message. An unknown spec is a usage error and throws.
/// </remarks>
public static class OutputSelector
{
    private const string WavHint = "to record to a WAV file instead use --output wav:out.wav";

    /// <summary>Valid spec forms, for usage text.</summary>
    public static IReadOnlyList<string> SpecForms { get; } = ["auto", "null", "wav:PATH", "jack", "portaudio", "portaudio:NAME_OR_INDEX"];

    /// <summary>
    /// Creates the output <paramref name="spec"/> names. <paramref name="message"/> is one line saying which output was
    /// chosen (and, for null, why and how to record to a WAV file). Control thread only.
    /// </summary>
    /// <param name="inputs">JACK audio input ports for the live input (only a JACK output has them).</param>
    /// <exception cref="ArgumentException"><paramref name="spec"/> is not one of <see cref="SpecForms"/>.</exception>
    /// <param name="midi">A JACK MIDI input port.</param>
    public static IAudioOutput Create(string spec, AudioFormat requested, string clientName, bool autoConnect, out string message, int inputs = 0, bool midi = false)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string s = spec.Trim();
        if (s.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return CreateAuto(requested, clientName, autoConnect, out message, inputs, midi);
        }

        if (s.Equals("null", StringComparison.OrdinalIgnoreCase))
        {
            message = $"Output: null (audio is rendered and discarded; {WavHint}).";
            return new NullOutput(requested);
        }

        if (s.StartsWith("wav:", StringComparison.OrdinalIgnoreCase))
        {
            string path = s[4..];
            ArgumentException.ThrowIfNullOrWhiteSpace(path, nameof(spec));
            var wav = new WavOutput(path, requested);
            message = string.Create(CultureInfo.InvariantCulture, $"Output: {wav.Name} ({requested.SampleRate} Hz, {requested.Channels} ch, 32-bit float).");
            return wav;
        }

        if (s.Equals("jack", StringComparison.OrdinalIgnoreCase))
        {
            return TryJack(requested, clientName, autoConnect, out message, out string why, inputs, midi) ?? Fallback(requested, "jack", why, out message);
        }

        if (s.Equals("portaudio", StringComparison.OrdinalIgnoreCase) || s.StartsWith("portaudio:", StringComparison.OrdinalIgnoreCase))
        {
            string? device = s.Length > "portaudio:".Length ? s["portaudio:".Length..] : null;
            return TryPortAudio(requested, device, out message, out string why, inputs) ?? Fallback(requested, s, why, out message);
        }

        throw new ArgumentException($"Unknown output '{spec}'. Use one of: {string.Join(", ", SpecForms)}.", nameof(spec));
    }

    /// <summary>One line per JACK playback port and per PortAudio output device (or why there are none). Never throws. Control thread only.</summary>
    public static IReadOnlyList<string> ListDevices() => [.. JackOutput.ListDevices(), .. PortAudioOutput.ListDevices()];

    private static IAudioOutput CreateAuto(AudioFormat requested, string clientName, bool autoConnect, out string message, int inputs, bool midi)
    {
        IAudioOutput? output = TryJack(requested, clientName, autoConnect, out message, out string jackWhy, inputs, midi);
        if (output is not null)
        {
            return output;
        }

        if (!PortAudioOutput.TryGetUsableDefaultDevice(out _, out string paWhy))
        {
            return Fallback(requested, "auto", $"{jackWhy}; {paWhy}", out message);
        }

        return TryPortAudio(requested, null, out message, out paWhy, inputs) ?? Fallback(requested, "auto", $"{jackWhy}; {paWhy}", out message);
    }

    private static IAudioOutput? TryJack(AudioFormat requested, string clientName, bool autoConnect, out string message, out string why, int inputs, bool midi)
    {
        try
        {
            var jack = JackOutput.Open(clientName, requested, autoConnect, inputs, midi);
            message = string.Create(
                CultureInfo.InvariantCulture,
                $"Output: {jack.Name} ({jack.Format.SampleRate} Hz, period {jack.PeriodFrames} frames, block {jack.Format.BlockFrames}, {(autoConnect ? "connecting to system:playback" : "not auto-connected")}{(inputs > 0 ? $", {inputs} input ports" : string.Empty)}{(midi ? ", MIDI input midi_in" : string.Empty)}).");
            why = string.Empty;
            return jack;
        }
        catch (AudioBackendUnavailableException e)
        {
            message = string.Empty;
            why = "JACK: " + e.Message;
            return null;
        }
    }

    private static IAudioOutput? TryPortAudio(AudioFormat requested, string? device, out string message, out string why, int inputs)
    {
        try
        {
            var pa = PortAudioOutput.Open(requested, device, inputs);
            message = string.Create(CultureInfo.InvariantCulture, $"Output: {pa.Name} ({pa.Device.HostApi}, {pa.Format.SampleRate} Hz, block {pa.Format.BlockFrames}{(inputs > 0 ? $", duplex with {inputs} input channels" : string.Empty)}).");
            why = string.Empty;
            return pa;
        }
        catch (AudioBackendUnavailableException e)
        {
            message = string.Empty;
            why = "PortAudio: " + e.Message;
            return null;
        }
    }

    private static IAudioOutput Fallback(AudioFormat requested, string asked, string why, out string message)
    {
        message = $"Output: null, because '{asked}' has no usable sound output ({why}); {WavHint}.";
        return new NullOutput(requested);
    }
}
