using System.Globalization;
using System.Runtime.InteropServices;
using Perpetuo.Audio.Native;

namespace Perpetuo.Audio.PortAudio;

/// <summary>Opening and listing: everything before the first callback.</summary>
public sealed partial class PortAudioOutput
{
    /// <summary>
    /// Opens a float32 interleaved output stream on <paramref name="device"/>: null or empty for the default output,
    /// a number for a device index, otherwise the first output device whose name contains it (case-insensitive).
    /// Asks for <paramref name="requested"/>.SampleRate and falls back to the device's default rate. Control thread only.
    /// </summary>
    /// <param name="inputs">Input channels of the same device to capture as the live input (a duplex stream: one
    /// callback, one clock); 0 for output only.</param>
    /// <exception cref="AudioBackendUnavailableException">PortAudio is missing, there is no such device, or the stream cannot be opened.</exception>
    public static PortAudioOutput Open(AudioFormat requested, string? device = null, int inputs = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(requested.Channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(requested.BlockFrames, 1);
        PortAudioLibrary.Initialize();
        // The handle exists before the object because the stream (and so the sample rate) comes first; its target
        // is set before Pa_StartStream, the only thing that makes the callback run.
        GCHandle handle = GCHandle.Alloc(null);
        IntPtr stream = IntPtr.Zero;
        try
        {
            PortAudioDevice chosen = Choose(PortAudioLibrary.OutputDevices(), device);
            if (chosen.MaxOutputChannels < requested.Channels)
            {
                throw new AudioBackendUnavailableException(
                    $"portaudio device '{chosen.Name}' has {chosen.MaxOutputChannels} output channels, {requested.Channels} needed");
            }

            stream = OpenStream(chosen, requested, inputs, GCHandle.ToIntPtr(handle), out double rate);
            var output = new PortAudioOutput(chosen, requested with { SampleRate = (int)Math.Round(rate) }, stream, handle, inputs);
            handle.Target = output;
            return output;
        }
        catch
        {
            if (stream != IntPtr.Zero)
            {
                PortAudioNative.CloseStream(stream);
            }

            handle.Free();
            PortAudioLibrary.Terminate();
            throw;
        }
    }

    /// <summary>All output devices, one line each ("portaudio:3 pulse (ALSA, 32 out, 44100 Hz) [default]"),
    /// or one line saying why there are none. Never throws. Control thread only.</summary>
    public static IReadOnlyList<string> ListDevices()
    {
        try
        {
            IReadOnlyList<PortAudioDevice> devices = GetDevices();
            return devices.Count == 0 ? ["portaudio: no output devices"] : devices.Select(d => d.ToString()).ToArray();
        }
        catch (AudioBackendUnavailableException e)
        {
            return [$"portaudio: {e.Message}"];
        }
    }

    /// <summary>All output devices. Control thread only.</summary>
    /// <exception cref="AudioBackendUnavailableException">PortAudio is not installed or fails to initialize.</exception>
    public static IReadOnlyList<PortAudioDevice> GetDevices()
    {
        PortAudioLibrary.Initialize();
        try
        {
            return PortAudioLibrary.OutputDevices();
        }
        finally
        {
            PortAudioLibrary.Terminate();
        }
    }

    /// <summary>
    /// The default output device when it is usable here: not an ALSA device on a machine whose kernel lists no sound
    /// card (there ALSA devices fail or run far off real time). Never throws. Control thread only.
    /// </summary>
    public static bool TryGetUsableDefaultDevice(out PortAudioDevice device, out string reason)
    {
        device = default;
        IReadOnlyList<PortAudioDevice> devices;
        try
        {
            devices = GetDevices();
        }
        catch (AudioBackendUnavailableException e)
        {
            reason = e.Message;
            return false;
        }

        if (!devices.Any(d => d.IsDefault))
        {
            reason = "PortAudio has no default output device";
            return false;
        }

        device = devices.First(d => d.IsDefault);
        if (device.IsAlsa && PortAudioLibrary.HasNoSoundCard())
        {
            reason = $"PortAudio's default output '{device.Name}' is an ALSA device and this machine has no sound card";
            return false;
        }

        reason = string.Empty;
        return true;
    }

    private static PortAudioDevice Choose(List<PortAudioDevice> devices, string? wanted)
    {
        if (string.IsNullOrEmpty(wanted))
        {
            int i = devices.FindIndex(d => d.IsDefault);
            return i >= 0
                ? devices[i]
                : throw new AudioBackendUnavailableException("PortAudio has no default output device");
        }

        if (int.TryParse(wanted, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            return devices.Any(d => d.Index == index)
                ? devices.First(d => d.Index == index)
                : throw new AudioBackendUnavailableException($"PortAudio has no output device with index {index}");
        }

        return devices.Any(d => d.Name.Contains(wanted, StringComparison.OrdinalIgnoreCase))
            ? devices.First(d => d.Name.Contains(wanted, StringComparison.OrdinalIgnoreCase))
            : throw new AudioBackendUnavailableException($"PortAudio has no output device whose name contains '{wanted}'");
    }

    private static IntPtr OpenStream(PortAudioDevice device, AudioFormat format, int inputs, IntPtr userData, out double rate)
    {
        var info = Marshal.PtrToStructure<PortAudioNative.PaDeviceInfo>(PortAudioNative.GetDeviceInfo(device.Index));
        if (info.MaxInputChannels < inputs)
        {
            throw new AudioBackendUnavailableException(
                $"portaudio device '{device.Name}' has {info.MaxInputChannels} input channels, {inputs} needed");
        }

        // The input parameters go by pointer (NULL for output only): one copy in unmanaged memory for the open.
        IntPtr capture = IntPtr.Zero;
        if (inputs > 0)
        {
            capture = Marshal.AllocHGlobal(Marshal.SizeOf<PortAudioNative.PaStreamParameters>());
            Marshal.StructureToPtr(Float32(device, inputs, info.DefaultLowInputLatency), capture, fDeleteOld: false);
        }

        try
        {
            return OpenStream(device, info, format, capture, userData, out rate);
        }
        finally
        {
            Marshal.FreeHGlobal(capture); // PortAudio copies the parameters it needs at open
        }
    }

    private static IntPtr OpenStream(PortAudioDevice device, PortAudioNative.PaDeviceInfo info, AudioFormat format, IntPtr capture,
                                     IntPtr userData, out double rate)
    {
        PortAudioNative.PaStreamParameters parameters = Float32(device, format.Channels, info.DefaultLowOutputLatency);
        IntPtr callback = NativeCallback.Of(typeof(PortAudioOutput), nameof(OnStream));
        int rc = -1;
        IntPtr stream = IntPtr.Zero;
        foreach (double candidate in new[] { format.SampleRate, info.DefaultSampleRate }.Distinct())
        {
            using (StderrSilencer.Begin())
            {
                rc = PortAudioNative.OpenStream(out stream, capture, in parameters, candidate, new CULong((nuint)format.BlockFrames), new CULong((nuint)PortAudioNative.PaClipOff), callback, userData);
            }

            if (rc == 0)
            {
                IntPtr streamInfo = PortAudioNative.GetStreamInfo(stream);
                rate = streamInfo == IntPtr.Zero ? candidate : Marshal.PtrToStructure<PortAudioNative.PaStreamInfo>(streamInfo).SampleRate;
                return stream;
            }
        }

        throw new AudioBackendUnavailableException($"Pa_OpenStream on '{device.Name}' failed: {PortAudioNative.ErrorText(rc)}");
    }

    /// <summary>Interleaved 32-bit float, <paramref name="channels"/> channels of <paramref name="device"/>.</summary>
    private static PortAudioNative.PaStreamParameters Float32(PortAudioDevice device, int channels, double latency) => new()
    {
        Device = device.Index,
        ChannelCount = channels,
        SampleFormat = new CULong((nuint)PortAudioNative.PaFloat32),
        SuggestedLatency = latency,
        HostApiSpecificStreamInfo = IntPtr.Zero,
    };
}
