using System.Runtime.InteropServices;

namespace Perpetuo.Audio.Native;

/// <summary>
/// The libjack calls Perpetuo uses (JACK 1 and JACK 2 share this ABI). Pointers are <see cref="IntPtr"/> because
/// the project has no <c>unsafe</c>; callbacks are passed as function pointers from <see cref="NativeCallback"/>.
/// </summary>
/// <remarks>
/// The versioned name <c>libjack.so.0</c> is what the runtime package installs; only the -dev package adds the
/// unversioned <c>libjack.so</c>. jack_client_open is variadic: called here with its three fixed arguments only,
/// which is the same call as a non-variadic one on x86-64 and Linux arm64.
/// </remarks>
internal static class JackNative
{
    internal const string Library = "libjack.so.0";
    internal const string DefaultAudioType = "32 bit float mono audio";
    internal const string DefaultMidiType = "8 bit raw midi";

    // jack_options_t
    internal const int JackNoStartServer = 0x01;

    // JackPortFlags
    internal const uint JackPortIsInput = 0x1;
    internal const uint JackPortIsOutput = 0x2;
    internal const uint JackPortIsPhysical = 0x4;

    // jack_status_t bits worth naming in a message
    internal const int JackServerFailed = 0x10;
    internal const int JackVersionError = 0x400;

    [DllImport(Library, EntryPoint = "jack_client_open")]
    internal static extern IntPtr ClientOpen([MarshalAs(UnmanagedType.LPUTF8Str)] string clientName, int options, out int status);

    [DllImport(Library, EntryPoint = "jack_client_close")]
    internal static extern int ClientClose(IntPtr client);

    [DllImport(Library, EntryPoint = "jack_get_client_name")]
    internal static extern IntPtr GetClientName(IntPtr client);

    [DllImport(Library, EntryPoint = "jack_is_realtime")]
    internal static extern int IsRealtime(IntPtr client);

    [DllImport(Library, EntryPoint = "jack_activate")]
    internal static extern int Activate(IntPtr client);

    [DllImport(Library, EntryPoint = "jack_deactivate")]
    internal static extern int Deactivate(IntPtr client);

    [DllImport(Library, EntryPoint = "jack_get_sample_rate")]
    internal static extern uint GetSampleRate(IntPtr client);

    [DllImport(Library, EntryPoint = "jack_get_buffer_size")]
    internal static extern uint GetBufferSize(IntPtr client);

    /// <summary>callback: <c>int (*)(jack_nframes_t nframes, void* arg)</c>.</summary>
    [DllImport(Library, EntryPoint = "jack_set_process_callback")]
    internal static extern int SetProcessCallback(IntPtr client, IntPtr callback, IntPtr arg);

    /// <summary>callback: <c>int (*)(jack_nframes_t nframes, void* arg)</c>.</summary>
    [DllImport(Library, EntryPoint = "jack_set_buffer_size_callback")]
    internal static extern int SetBufferSizeCallback(IntPtr client, IntPtr callback, IntPtr arg);

    /// <summary>callback: <c>int (*)(void* arg)</c>.</summary>
    [DllImport(Library, EntryPoint = "jack_set_xrun_callback")]
    internal static extern int SetXrunCallback(IntPtr client, IntPtr callback, IntPtr arg);

    /// <summary>callback: <c>void (*)(void* arg)</c>, run once on the client's process thread before its first cycle.</summary>
    [DllImport(Library, EntryPoint = "jack_set_thread_init_callback")]
    internal static extern int SetThreadInitCallback(IntPtr client, IntPtr callback, IntPtr arg);

    /// <summary>callback: <c>void (*)(void* arg)</c>.</summary>
    [DllImport(Library, EntryPoint = "jack_on_shutdown")]
    internal static extern void OnShutdown(IntPtr client, IntPtr callback, IntPtr arg);

    /// <summary>callback: <c>void (*)(const char* message)</c>; process-wide.</summary>
    [DllImport(Library, EntryPoint = "jack_set_error_function")]
    internal static extern void SetErrorFunction(IntPtr callback);

    /// <summary>callback: <c>void (*)(const char* message)</c>; process-wide.</summary>
    [DllImport(Library, EntryPoint = "jack_set_info_function")]
    internal static extern void SetInfoFunction(IntPtr callback);

    [DllImport(Library, EntryPoint = "jack_port_register")]
    internal static extern IntPtr PortRegister(
        IntPtr client,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string portName,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string portType,
        CULong flags,
        CULong bufferSize);

    [DllImport(Library, EntryPoint = "jack_port_name")]
    internal static extern IntPtr PortName(IntPtr port);

    /// <summary>The port's float buffer for this cycle. Audio thread only (inside the process callback).</summary>
    [DllImport(Library, EntryPoint = "jack_port_get_buffer")]
    internal static extern IntPtr PortGetBuffer(IntPtr port, uint nframes);

    /// <summary>Events in a MIDI port's buffer this cycle. Audio thread only.</summary>
    [DllImport(Library, EntryPoint = "jack_midi_get_event_count")]
    internal static extern uint MidiGetEventCount(IntPtr portBuffer);

    /// <summary>Event <paramref name="index"/> of a MIDI port's buffer (0 on success). Audio thread only.</summary>
    [DllImport(Library, EntryPoint = "jack_midi_event_get")]
    internal static extern int MidiEventGet(out JackMidiEvent midiEvent, IntPtr portBuffer, uint index);

    /// <summary>jack_midi_event_t: the frame in the cycle, the size and the bytes (valid during the cycle).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct JackMidiEvent
    {
        public uint Time;
        public nuint Size;
        public IntPtr Buffer;
    }

    /// <summary>A NULL-terminated array of port names (free with <see cref="Free"/>), or NULL.</summary>
    [DllImport(Library, EntryPoint = "jack_get_ports")]
    internal static extern IntPtr GetPorts(
        IntPtr client,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string? portNamePattern,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string? typeNamePattern,
        CULong flags);

    [DllImport(Library, EntryPoint = "jack_connect")]
    internal static extern int Connect(
        IntPtr client,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string sourcePort,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string destinationPort);

    [DllImport(Library, EntryPoint = "jack_free")]
    internal static extern void Free(IntPtr pointer);

    /// <summary>Reads a NULL-terminated <c>const char**</c> from jack_get_ports and frees it. Control thread only.</summary>
    internal static List<string> TakePortNames(IntPtr names)
    {
        var result = new List<string>();
        if (names == IntPtr.Zero)
        {
            return result;
        }

        try
        {
            for (int i = 0; ; i++)
            {
                IntPtr name = Marshal.ReadIntPtr(names, i * IntPtr.Size);
                if (name == IntPtr.Zero)
                {
                    break;
                }

                result.Add(Marshal.PtrToStringUTF8(name) ?? string.Empty);
            }
        }
        finally
        {
            Free(names);
        }

        return result;
    }
}
