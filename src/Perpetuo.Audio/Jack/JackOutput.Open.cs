using System.Globalization;
using System.Runtime.InteropServices;
using Perpetuo.Audio.Native;

namespace Perpetuo.Audio.Jack;

/// <summary>Opening, probing and listing: everything that talks to the server before the first cycle.</summary>
public sealed partial class JackOutput
{
    /// <summary>
    /// Connects to a running JACK server (never starts one) as <paramref name="clientName"/> and registers
    /// <paramref name="requested"/>.Channels output ports. The server's sample rate and period win. Control thread only.
    /// </summary>
    /// <param name="inputs">Audio input ports to register (<c>in_1</c>..): the live input, connected from
    /// <c>system:capture_N</c> when <paramref name="autoConnect"/>.</param>
    /// <exception cref="AudioBackendUnavailableException">libjack is not installed, no server is running, or ports cannot be registered.</exception>
    /// <param name="midi">Register a MIDI input port, <c>midi_in</c> (connected from the first physical MIDI
    /// capture port, if any, when <paramref name="autoConnect"/>).</param>
    public static JackOutput Open(string clientName, AudioFormat requested, bool autoConnect, int inputs = 0, bool midi = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputs);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientName);
        ArgumentOutOfRangeException.ThrowIfLessThan(requested.Channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(requested.BlockFrames, 1);

        IntPtr client = OpenClient(clientName);
        JackOutput? output = null;
        try
        {
            var format = requested with { SampleRate = (int)JackNative.GetSampleRate(client) };
            output = new JackOutput(client, format, (int)JackNative.GetBufferSize(client), autoConnect, inputs);
            output.RegisterPortsAndCallbacks(midi);
            return output;
        }
        catch
        {
            if (output is null)
            {
                JackNative.ClientClose(client);
            }
            else
            {
                output.Dispose();
            }

            throw;
        }
    }

    /// <summary>True when a JACK server is running (a client can open with JackNoStartServer). Never throws. Control thread only.</summary>
    public static bool IsServerRunning() => IsServerRunning(out _);

    /// <summary>As <see cref="IsServerRunning()"/>, with the reason when it is not. Control thread only.</summary>
    public static bool IsServerRunning(out string reason)
    {
        try
        {
            IntPtr client = OpenClient("perpetuo-probe");
            JackNative.ClientClose(client);
            reason = string.Empty;
            return true;
        }
        catch (AudioBackendUnavailableException e)
        {
            reason = e.Message;
            return false;
        }
    }

    /// <summary>
    /// One line per physical playback port of the running server ("jack system:playback_1 (48000 Hz, period 256)"),
    /// or one line saying why there are none. Never throws. Control thread only.
    /// </summary>
    public static IReadOnlyList<string> ListDevices()
    {
        IntPtr client;
        try
        {
            client = OpenClient("perpetuo-devices");
        }
        catch (AudioBackendUnavailableException e)
        {
            return [$"jack: {e.Message}"];
        }

        try
        {
            string clock = string.Create(CultureInfo.InvariantCulture, $"{JackNative.GetSampleRate(client)} Hz, period {JackNative.GetBufferSize(client)}");
            List<string> ports = JackNative.TakePortNames(
                JackNative.GetPorts(client, null, JackNative.DefaultAudioType, new CULong(JackNative.JackPortIsPhysical | JackNative.JackPortIsInput)));
            return ports.Count == 0
                ? [$"jack: server running ({clock}) with no playback ports"]
                : ports.Select(p => $"jack {p} ({clock})").ToArray();
        }
        finally
        {
            JackNative.ClientClose(client);
        }
    }

    private static IntPtr OpenClient(string clientName)
    {
        try
        {
            JackLog.Install();
        }
        catch (DllNotFoundException e)
        {
            throw new AudioBackendUnavailableException(
                $"JACK is not installed ({JackNative.Library} not found; Debian: apt-get install libjack-jackd2-0)", e);
        }

        JackLog.Capture();
        IntPtr client = JackNative.ClientOpen(clientName, JackNative.JackNoStartServer, out int status);
        string errors = JackLog.EndCapture();
        if (client != IntPtr.Zero)
        {
            return client;
        }

        string why = (status & JackNative.JackServerFailed) != 0 || (status & JackNative.JackVersionError) == 0
            ? "no JACK server is running"
            : "the JACK server and libjack versions differ";
        string server = Environment.GetEnvironmentVariable("JACK_DEFAULT_SERVER") is { Length: > 0 } name ? $" '{name}'" : string.Empty;
        throw new AudioBackendUnavailableException(string.Create(
            CultureInfo.InvariantCulture,
            $"{why}{(server.Length > 0 ? " (server" + server + ")" : string.Empty)}: jack_client_open status 0x{status:x}{(errors.Length > 0 ? ": " + errors : string.Empty)}"));
    }

    private void RegisterPortsAndCallbacks(bool midi)
    {
        for (int c = 0; c < _ports.Length; c++)
        {
            string port = string.Create(CultureInfo.InvariantCulture, $"out_{c + 1}");
            _ports[c] = JackNative.PortRegister(_client, port, JackNative.DefaultAudioType, new CULong(JackNative.JackPortIsOutput), new CULong(0));
            if (_ports[c] == IntPtr.Zero)
            {
                throw new AudioBackendUnavailableException($"{Name}: could not register port {port}.");
            }
        }

        for (int c = 0; c < _inputPorts.Length; c++)
        {
            string port = string.Create(CultureInfo.InvariantCulture, $"in_{c + 1}");
            _inputPorts[c] = JackNative.PortRegister(_client, port, JackNative.DefaultAudioType, new CULong(JackNative.JackPortIsInput), new CULong(0));
            if (_inputPorts[c] == IntPtr.Zero)
            {
                throw new AudioBackendUnavailableException($"{Name}: could not register port {port}.");
            }
        }

        if (midi)
        {
            _midiPort = JackNative.PortRegister(_client, "midi_in", JackNative.DefaultMidiType, new CULong(JackNative.JackPortIsInput), new CULong(0));
            if (_midiPort == IntPtr.Zero)
            {
                throw new AudioBackendUnavailableException($"{Name}: could not register port midi_in.");
            }
        }

        _self = GCHandle.Alloc(this);
        IntPtr arg = GCHandle.ToIntPtr(_self);
        if (JackNative.SetProcessCallback(_client, NativeCallback.Of(typeof(JackOutput), nameof(OnProcess)), arg) != 0
            || JackNative.SetBufferSizeCallback(_client, NativeCallback.Of(typeof(JackOutput), nameof(OnBufferSize)), arg) != 0
            || JackNative.SetXrunCallback(_client, NativeCallback.Of(typeof(JackOutput), nameof(OnXrun)), arg) != 0
            || JackNative.SetThreadInitCallback(_client, NativeCallback.Of(typeof(JackOutput), nameof(OnThreadInit)), arg) != 0)
        {
            throw new AudioBackendUnavailableException($"{Name}: could not set the JACK callbacks.");
        }

        JackNative.OnShutdown(_client, NativeCallback.Of(typeof(JackOutput), nameof(OnShutdown)), arg);
    }
}
