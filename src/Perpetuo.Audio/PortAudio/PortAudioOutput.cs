using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Perpetuo.Audio.Native;

namespace Perpetuo.Audio.PortAudio;

/// <summary>
/// Plays the engine's blocks through a PortAudio device in callback mode: the default output, or one chosen by
/// index or name substring.
/// </summary>
/// <remarks>
/// Design: same shape as the JACK output. The device's clock rules; PortAudio may call back with any frame count
/// (it is asked for <see cref="AudioFormat.BlockFrames"/>, but host APIs such as JACK impose their own), and the
/// shared <see cref="BlockPeriodAdapter"/> pulls whole engine blocks and writes exactly the frames asked for, interleaved.
/// The stream callback is a static [UnmanagedCallersOnly] method that finds this object through a GCHandle passed
/// as PortAudio's userData; it never allocates, locks or makes a system call. Xruns are the output-underflow and
/// -overflow flags PortAudio passes to the callback. Each instance holds one Pa_Initialize until Dispose.
/// Lifetime: <see cref="Open"/> opens the stream; <see cref="Start"/> starts it; <see cref="Stop"/> calls
/// Pa_StopStream, which returns after the last callback; <see cref="Dispose"/> closes the stream, terminates
/// PortAudio, then frees the GCHandle. No finalizer: dispose it.
/// </remarks>
public sealed partial class PortAudioOutput : IAudioOutput
{
    private readonly BlockPeriodAdapter _adapter;
    private IntPtr _stream;
    private GCHandle _self;
    private bool _running;
    private long _xruns;
    private long _sourceFaults;
    private readonly int _inputs;

    private PortAudioOutput(PortAudioDevice device, AudioFormat format, IntPtr stream, GCHandle self, int inputs)
    {
        _inputs = inputs;
        Device = device;
        Format = format;
        _stream = stream;
        _self = self;
        _adapter = new BlockPeriodAdapter(format);
    }

    /// <inheritdoc/>
    public string Name => string.Create(CultureInfo.InvariantCulture, $"portaudio:{Device.Name}");

    /// <summary>The device the stream plays to.</summary>
    public PortAudioDevice Device { get; }

    /// <inheritdoc/>
    public AudioFormat Format { get; }

    /// <inheritdoc/>
    public long BlocksPlayed => _adapter.BlocksPulled;

    /// <inheritdoc/>
    public long Xruns => Interlocked.Read(ref _xruns);

    /// <inheritdoc/>
    /// <remarks>PortAudio does not say which priority its callback thread got: assume an ordinary one.</remarks>
    public bool AudioThreadMayBeRealtime => false;

    /// <summary>Callbacks in which the source threw (they played silence). Any thread.</summary>
    public long SourceFaults => Interlocked.Read(ref _sourceFaults);

    /// <summary>Stream-callback count and durations (p50 / p99.9 via <see cref="CallbackHealth.Snapshot"/>).</summary>
    public CallbackHealth Health { get; } = new();

    /// <inheritdoc/>
    public void Start(IBlockSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        ObjectDisposedException.ThrowIf(_stream == IntPtr.Zero, this);
        if (_running)
        {
            throw new InvalidOperationException($"{Name} is already started.");
        }

        ILiveInputSink? sink = source as ILiveInputSink;
        if (_inputs > 0 && sink is null)
        {
            throw new InvalidOperationException($"{Name} captures input, but {source.GetType().Name} takes no live input.");
        }

        CallbackWarmUp.Prepare(typeof(PortAudioOutput), typeof(Native.BlockPeriodAdapter), typeof(Native.CallbackHealth), source.GetType());
        Marshal.PrelinkAll(typeof(PortAudioNative)); // bound now, not in the first callback
        _adapter.Reset(source, _inputs > 0 ? sink : null, _inputs);
        int rc = PortAudioNative.StartStream(_stream);
        if (rc != 0)
        {
            _adapter.Reset(null);
            throw new InvalidOperationException($"{Name}: Pa_StartStream failed: {PortAudioNative.ErrorText(rc)}");
        }

        _running = true;
    }

    /// <inheritdoc/>
    public void Stop()
    {
        if (!_running)
        {
            return;
        }

        // Pa_StopStream returns after the callback has run for the last time: the source is not called after this.
        PortAudioNative.StopStream(_stream);
        _running = false;
        _adapter.Reset(null);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_stream == IntPtr.Zero)
        {
            return;
        }

        Stop();
        PortAudioNative.CloseStream(_stream);
        _stream = IntPtr.Zero;
        PortAudioLibrary.Terminate();
        // do NOT free the handle before the stream is closed: a callback could still look it up.
        if (_self.IsAllocated)
        {
            _self.Free();
        }
    }

    /// <summary>PortAudio stream callback.</summary>
    /// <remarks>Audio thread only. Wait-free, allocation-free. Must never throw into native code.</remarks>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnStream(IntPtr input, IntPtr output, CULong frameCount, IntPtr timeInfo, CULong statusFlags, IntPtr userData)
    {
        if (GCHandle.FromIntPtr(userData).Target is PortAudioOutput self)
        {
            self.TryProcess(input, output, (int)frameCount.Value, statusFlags.Value);
        }

        return PortAudioNative.PaContinue;
    }

    /// <remarks>Audio thread only. Wait-free, allocation-free.</remarks>
    private void TryProcess(IntPtr input, IntPtr output, int frames, ulong statusFlags)
    {
        long start = Stopwatch.GetTimestamp();
        if ((statusFlags & (PortAudioNative.PaOutputUnderflow | PortAudioNative.PaOutputOverflow)) != 0)
        {
            Interlocked.Increment(ref _xruns);
        }

        try
        {
            _adapter.TryReadInterleaved(output, frames, input, _inputs);
        }
#pragma warning disable CA1031 // An exception must not unwind into PortAudio; the callback plays silence and is counted.
        catch (Exception)
#pragma warning restore CA1031
        {
            TryWriteSilenceAfterFault(output, frames);
        }

        Health.TryRecord(start, Stopwatch.GetTimestamp());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void TryWriteSilenceAfterFault(IntPtr output, int frames)
    {
        BlockPeriodAdapter.TryWriteSilence(output, frames * Format.Channels);
        Interlocked.Increment(ref _sourceFaults);
    }
}
