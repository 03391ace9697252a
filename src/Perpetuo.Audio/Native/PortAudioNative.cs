using System.Runtime.InteropServices;

namespace Perpetuo.Audio.Native;

/// <summary>
/// The PortAudio v19 calls Perpetuo uses. <c>unsigned long</c> arguments are <see cref="CULong"/> (64-bit on Linux,
/// 32-bit on Windows); structs are read with <see cref="Marshal.PtrToStructure{T}(IntPtr)"/>, no <c>unsafe</c>.
/// </summary>
/// <remarks>The versioned name <c>libportaudio.so.2</c> is what Debian's libportaudio2 installs (no unversioned .so without -dev).</remarks>
internal static class PortAudioNative
{
    internal const string Library = "libportaudio.so.2";
    internal const int PaNoDevice = -1;
    internal const ulong PaFloat32 = 0x1;
    internal const ulong PaClipOff = 0x1;
    internal const ulong PaOutputUnderflow = 0x4;
    internal const ulong PaOutputOverflow = 0x8;
    internal const int PaContinue = 0;

    // PaHostApiTypeId
    internal const int PaAlsa = 8;
    internal const int PaJack = 12;

    [DllImport(Library, EntryPoint = "Pa_Initialize")]
    internal static extern int Initialize();

    [DllImport(Library, EntryPoint = "Pa_Terminate")]
    internal static extern int Terminate();

    [DllImport(Library, EntryPoint = "Pa_GetErrorText")]
    internal static extern IntPtr GetErrorText(int errorCode);

    [DllImport(Library, EntryPoint = "Pa_GetDeviceCount")]
    internal static extern int GetDeviceCount();

    [DllImport(Library, EntryPoint = "Pa_GetDefaultOutputDevice")]
    internal static extern int GetDefaultOutputDevice();

    /// <summary>A <see cref="PaDeviceInfo"/>* owned by PortAudio, or NULL.</summary>
    [DllImport(Library, EntryPoint = "Pa_GetDeviceInfo")]
    internal static extern IntPtr GetDeviceInfo(int device);

    /// <summary>A <see cref="PaHostApiInfo"/>* owned by PortAudio, or NULL.</summary>
    [DllImport(Library, EntryPoint = "Pa_GetHostApiInfo")]
    internal static extern IntPtr GetHostApiInfo(int hostApi);

    /// <summary>callback: <c>int (*)(const void* in, void* out, unsigned long frames, const PaStreamCallbackTimeInfo*, unsigned long flags, void* user)</c>.</summary>
    /// <remarks><paramref name="inputParameters"/>: a <see cref="PaStreamParameters"/>* for a duplex stream (captured
    /// input and output in one callback, on one clock), or NULL for output only.</remarks>
    [DllImport(Library, EntryPoint = "Pa_OpenStream")]
    internal static extern int OpenStream(
        out IntPtr stream,
        IntPtr inputParameters,
        in PaStreamParameters outputParameters,
        double sampleRate,
        CULong framesPerBuffer,
        CULong streamFlags,
        IntPtr callback,
        IntPtr userData);

    [DllImport(Library, EntryPoint = "Pa_StartStream")]
    internal static extern int StartStream(IntPtr stream);

    /// <summary>Returns after the callback has run for the last time and queued buffers have played.</summary>
    [DllImport(Library, EntryPoint = "Pa_StopStream")]
    internal static extern int StopStream(IntPtr stream);

    [DllImport(Library, EntryPoint = "Pa_CloseStream")]
    internal static extern int CloseStream(IntPtr stream);

    /// <summary>A <see cref="PaStreamInfo"/>* owned by PortAudio, or NULL.</summary>
    [DllImport(Library, EntryPoint = "Pa_GetStreamInfo")]
    internal static extern IntPtr GetStreamInfo(IntPtr stream);

    internal static string ErrorText(int errorCode) =>
        Marshal.PtrToStringUTF8(GetErrorText(errorCode)) ?? $"PortAudio error {errorCode}";

    [StructLayout(LayoutKind.Sequential)]
    internal struct PaDeviceInfo
    {
        public int StructVersion;
        public IntPtr Name;
        public int HostApi;
        public int MaxInputChannels;
        public int MaxOutputChannels;
        public double DefaultLowInputLatency;
        public double DefaultLowOutputLatency;
        public double DefaultHighInputLatency;
        public double DefaultHighOutputLatency;
        public double DefaultSampleRate;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct PaHostApiInfo
    {
        public int StructVersion;
        public int Type;
        public IntPtr Name;
        public int DeviceCount;
        public int DefaultInputDevice;
        public int DefaultOutputDevice;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct PaStreamParameters
    {
        public int Device;
        public int ChannelCount;
        public CULong SampleFormat;
        public double SuggestedLatency;
        public IntPtr HostApiSpecificStreamInfo;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct PaStreamInfo
    {
        public int StructVersion;
        public double InputLatency;
        public double OutputLatency;
        public double SampleRate;
    }
}
