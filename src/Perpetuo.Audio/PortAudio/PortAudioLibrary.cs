using System.Runtime.InteropServices;
using Perpetuo.Audio.Native;

namespace Perpetuo.Audio.PortAudio;

/// <summary>
/// Pa_Initialize / Pa_Terminate (PortAudio counts them, so each holder pairs one of each), with stderr silenced
/// around Pa_Initialize, and device enumeration. Control thread only.
/// </summary>
internal static class PortAudioLibrary
{
    /// <summary>Initializes PortAudio quietly. Throws <see cref="AudioBackendUnavailableException"/> when it is missing or fails.</summary>
    public static void Initialize()
    {
        int rc;
        try
        {
            // Pa_Initialize probes every host API: on a machine with no sound card ALSA prints ~85 lines of
            // "cannot find card '0'", and the JACK host API prints "Cannot connect to server" when none runs.
            using (StderrSilencer.Begin())
            {
                rc = PortAudioNative.Initialize();
            }
        }
        catch (DllNotFoundException e)
        {
            throw new AudioBackendUnavailableException(
                $"PortAudio is not installed ({PortAudioNative.Library} not found; Debian: apt-get install libportaudio2)", e);
        }

        if (rc != 0)
        {
            throw new AudioBackendUnavailableException($"Pa_Initialize failed: {PortAudioNative.ErrorText(rc)}");
        }
    }

    /// <summary>Pa_Terminate, then restores Perpetuo's libjack error handler that PortAudio's JACK host API replaced.</summary>
    public static void Terminate()
    {
        PortAudioNative.Terminate();
        Jack.JackLog.ReinstallIfLoaded();
    }

    /// <summary>Output-capable devices. PortAudio must be initialized.</summary>
    public static List<PortAudioDevice> OutputDevices()
    {
        int count = PortAudioNative.GetDeviceCount();
        int defaultOutput = PortAudioNative.GetDefaultOutputDevice();
        var devices = new List<PortAudioDevice>();
        for (int i = 0; i < count; i++)
        {
            IntPtr p = PortAudioNative.GetDeviceInfo(i);
            if (p == IntPtr.Zero)
            {
                continue;
            }

            var info = Marshal.PtrToStructure<PortAudioNative.PaDeviceInfo>(p);
            if (info.MaxOutputChannels <= 0)
            {
                continue;
            }

            IntPtr h = PortAudioNative.GetHostApiInfo(info.HostApi);
            var host = h == IntPtr.Zero ? default : Marshal.PtrToStructure<PortAudioNative.PaHostApiInfo>(h);
            string hostName = host.Name == IntPtr.Zero ? "?" : Marshal.PtrToStringUTF8(host.Name) ?? "?";
            devices.Add(new PortAudioDevice(
                i,
                Marshal.PtrToStringUTF8(info.Name) ?? string.Empty,
                hostName,
                host.Type == PortAudioNative.PaAlsa,
                info.MaxOutputChannels,
                info.DefaultSampleRate,
                i == defaultOutput));
        }

        return devices;
    }

    /// <summary>True when the kernel lists no ALSA sound card (no /proc/asound/cards, or "--- no soundcards ---").</summary>
    public static bool HasNoSoundCard()
    {
        const string cards = "/proc/asound/cards";
        if (!File.Exists(cards))
        {
            return true;
        }

        string text = File.ReadAllText(cards);
        return text.Contains("no soundcards", StringComparison.OrdinalIgnoreCase) || string.IsNullOrWhiteSpace(text);
    }
}
