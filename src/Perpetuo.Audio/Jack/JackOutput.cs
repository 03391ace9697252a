using System.Runtime.InteropServices;
using Perpetuo.Audio.Native;

namespace Perpetuo.Audio.Jack;

/// <summary>
/// Plays the engine's blocks through a JACK server: one output port per channel (<c>out_1</c>, <c>out_2</c>, ...),
/// optionally connected to <c>system:playback_N</c>; optionally input ports (<c>in_1</c>.., the live input, handed to
/// an <see cref="ILiveInputSink"/>) and a MIDI input port (<c>midi_in</c>, to an <see cref="IMidiSink"/>).
/// </summary>
/// <remarks>
/// Design: the server's clock rules. Its sample rate becomes <see cref="Format"/>.SampleRate (the engine renders
/// at it); its period (<see cref="PeriodFrames"/>) may differ from the engine block, and a
/// <see cref="BlockPeriodAdapter"/> pulls whole blocks and hands JACK exactly nframes per cycle, so any period
/// (128, 256, 1024, or one changed at run time) works with any block size. The process callback is a static
/// [UnmanagedCallersOnly] method that finds this object through a GCHandle passed as JACK's arg; it never
/// allocates, locks or makes a system call. The xrun, buffer-size and shutdown callbacks run on libjack's
/// notification thread, never concurrently with a process cycle that they affect.
/// Lifetime: <see cref="Open"/> opens the client and registers ports; <see cref="Start"/> activates it (and
/// connects); <see cref="Stop"/> deactivates it, which returns only after the current cycle ends, so the source is
/// no longer called; <see cref="Dispose"/> closes the client and then frees the GCHandle. Dispose is required: there
/// is no finalizer, a live JACK client must be closed deliberately.
/// </remarks>
public sealed partial class JackOutput : IAudioOutput
{
    private readonly IntPtr[] _ports;
    private readonly IntPtr[] _portBuffers;
    private readonly IntPtr[] _inputPorts;
    private readonly IntPtr[] _inputBuffers;
    private readonly BlockPeriodAdapter _adapter;
    private IntPtr _midiPort;
    private IMidiSink? _midiSink;
    private long _midiIgnored;

    private readonly bool _autoConnect;
    private IntPtr _client;
    private GCHandle _self;
    private bool _active;
    private int _periodFrames;
    private long _xruns;
    private long _sourceFaults;
    private bool _serverGone;
    private bool _processThreadAttached;

    private JackOutput(IntPtr client, AudioFormat format, int periodFrames, bool autoConnect, int inputs)
    {
        _client = client;
        _autoConnect = autoConnect;
        _periodFrames = periodFrames;
        Format = format;
        ClientName = Marshal.PtrToStringUTF8(JackNative.GetClientName(client)) ?? string.Empty;
        _ports = new IntPtr[format.Channels];
        _portBuffers = new IntPtr[format.Channels];
        _inputPorts = new IntPtr[inputs];
        _inputBuffers = new IntPtr[inputs];
        _adapter = new BlockPeriodAdapter(format);
    }

    /// <summary>Raised on a thread-pool thread (never a JACK thread) after the server shut down or kicked the client out.</summary>
    public event EventHandler? ServerShutdown;

    /// <inheritdoc/>
    public string Name => "jack:" + ClientName;

    /// <summary>The client name the server gave us (it appends a suffix when the requested one is taken).</summary>
    public string ClientName { get; }

    /// <inheritdoc/>
    /// <remarks>SampleRate and Channels are the server's and the request's; BlockFrames stays the engine's block size.</remarks>
    public AudioFormat Format { get; }

    /// <summary>JACK's current period (frames per process callback). Any thread.</summary>
    public int PeriodFrames => Volatile.Read(ref _periodFrames);

    /// <inheritdoc/>
    /// <remarks>Whole blocks pulled from the source; at most one of them is still partly waiting for the next cycle.</remarks>
    public long BlocksPlayed => _adapter.BlocksPulled;

    /// <inheritdoc/>
    public long Xruns => Interlocked.Read(ref _xruns);

    /// <inheritdoc/>
    /// <remarks>The server says: its clients' process threads are SCHED_FIFO only when it runs with -R.</remarks>
    public bool AudioThreadMayBeRealtime => JackNative.IsRealtime(_client) != 0;

    /// <summary>MIDI events that were not 1-3 byte channel messages (system exclusive, clock, ...), skipped. Any thread.</summary>
    public long MidiIgnored => Interlocked.Read(ref _midiIgnored);

    /// <summary>The MIDI input port's name ("perpetuo:midi_in"), or null without one. Control thread only.</summary>
    public string? MidiPortName => _midiPort == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(JackNative.PortName(_midiPort));

    /// <summary>Cycles in which the source threw (those cycles played silence). Any thread.</summary>
    public long SourceFaults => Interlocked.Read(ref _sourceFaults);

    /// <summary>True once the server has shut down or dropped this client; the output is dead then. Any thread.</summary>
    public bool ServerGone => Volatile.Read(ref _serverGone);

    /// <summary>True once libjack's process thread has entered managed code (before its first cycle). Any thread.</summary>
    public bool ProcessThreadAttached => Volatile.Read(ref _processThreadAttached);

    /// <summary>Process-callback count and durations (p50 / p99.9 via <see cref="CallbackHealth.Snapshot"/>).</summary>
    public CallbackHealth Health { get; } = new();

    /// <summary>Names of this client's output ports, e.g. "perpetuo:out_1". Control thread only.</summary>
    public IReadOnlyList<string> PortNames => _ports.Select(p => Marshal.PtrToStringUTF8(JackNative.PortName(p)) ?? string.Empty).ToArray();

    /// <summary>Names of this client's audio input ports, e.g. "perpetuo:in_1" (none unless opened with inputs). Control thread only.</summary>
    public IReadOnlyList<string> InputPortNames => _inputPorts.Select(p => Marshal.PtrToStringUTF8(JackNative.PortName(p)) ?? string.Empty).ToArray();

    /// <inheritdoc/>
    public void Start(IBlockSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        ObjectDisposedException.ThrowIf(_client == IntPtr.Zero, this);
        if (_active)
        {
            throw new InvalidOperationException($"{Name} is already started.");
        }

        if (ServerGone)
        {
            throw new InvalidOperationException($"{Name}: the JACK server has gone away.");
        }

        ILiveInputSink? sink = source as ILiveInputSink;
        if (_inputPorts.Length > 0 && sink is null)
        {
            throw new InvalidOperationException($"{Name} has input ports, but {source.GetType().Name} takes no live input.");
        }

        CallbackWarmUp.Prepare(typeof(JackOutput), typeof(Native.BlockPeriodAdapter), typeof(Native.CallbackHealth), source.GetType());
        Marshal.PrelinkAll(typeof(JackNative)); // the process callback's jack_port_get_buffer is bound now, not in the first cycle
        _midiSink = source as IMidiSink;
        if (_midiPort != IntPtr.Zero && _midiSink is null)
        {
            throw new InvalidOperationException($"{Name} has a MIDI port, but {source.GetType().Name} takes no MIDI.");
        }

        _adapter.Reset(source, _inputPorts.Length > 0 ? sink : null);
        if (JackNative.Activate(_client) != 0)
        {
            _adapter.Reset(null);
            throw new InvalidOperationException($"{Name}: jack_activate failed.");
        }

        _active = true;
        if (_autoConnect)
        {
            ConnectToPlayback();
        }
    }

    /// <inheritdoc/>
    public void Stop()
    {
        if (!_active)
        {
            return;
        }

        // jack_deactivate returns after the running cycle has finished: the source is not called after this.
        JackNative.Deactivate(_client);
        _active = false;
        _adapter.Reset(null);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_client == IntPtr.Zero)
        {
            return;
        }

        Stop();
        JackNative.ClientClose(_client);
        _client = IntPtr.Zero;
        // do NOT free the handle before jack_client_close: a callback could still look it up.
        if (_self.IsAllocated)
        {
            _self.Free();
        }
    }

    private void ConnectToPlayback()
    {
        List<string> playback = JackNative.TakePortNames(
            JackNative.GetPorts(_client, null, JackNative.DefaultAudioType, new CULong(JackNative.JackPortIsPhysical | JackNative.JackPortIsInput)));
        IReadOnlyList<string> ours = PortNames;
        for (int c = 0; c < ours.Count && c < playback.Count; c++)
        {
            TryConnect(ours[c], playback[c]);
        }

        if (MidiPortName is { } midi)
        {
            List<string> keyboards = JackNative.TakePortNames(
                JackNative.GetPorts(_client, null, JackNative.DefaultMidiType, new CULong(JackNative.JackPortIsPhysical | JackNative.JackPortIsOutput)));
            if (keyboards.Count > 0)
            {
                TryConnect(keyboards[0], midi);
            }
        }

        if (_inputPorts.Length == 0)
        {
            return;
        }

        List<string> capture = JackNative.TakePortNames(
            JackNative.GetPorts(_client, null, JackNative.DefaultAudioType, new CULong(JackNative.JackPortIsPhysical | JackNative.JackPortIsOutput)));
        IReadOnlyList<string> inputs = InputPortNames;
        for (int c = 0; c < inputs.Count && c < capture.Count; c++)
        {
            TryConnect(capture[c], inputs[c]);
        }
    }

    private void TryConnect(string from, string to)
    {
        int rc = JackNative.Connect(_client, from, to);
        if (rc != 0 && rc != 17)
        {
            // 17 = EEXIST: already connected. Anything else leaves the port unconnected but the output running.
            Console.Error.WriteLine($"{Name}: could not connect {from} to {to} (error {rc}).");
        }
    }
}
