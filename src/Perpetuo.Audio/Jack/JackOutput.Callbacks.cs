using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Perpetuo.Audio.Native;

namespace Perpetuo.Audio.Jack;

/// <summary>The callbacks libjack calls. The process callback is the real-time path.</summary>
public sealed partial class JackOutput
{
    /// <summary>JACK process callback: fills every port buffer with exactly <paramref name="nframes"/> frames.</summary>
    /// <remarks>Audio thread only. Wait-free, allocation-free. Must never throw into native code.</remarks>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnProcess(uint nframes, IntPtr arg)
    {
        if (GCHandle.FromIntPtr(arg).Target is JackOutput self)
        {
            self.TryProcess((int)nframes);
        }

        return 0;
    }

    /// <summary>
    /// Runs once on the process thread, before its first cycle. Entering managed code is what matters: the runtime
    /// attaches a thread it has not seen on its first reverse P/Invoke (a Thread object, an allocation context, a
    /// lock), and that happens here, outside any cycle's deadline, instead of in the first process callback.
    /// </summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnThreadInit(IntPtr arg)
    {
        if (GCHandle.FromIntPtr(arg).Target is JackOutput self)
        {
            Volatile.Write(ref self._processThreadAttached, true);
        }
    }

    /// <remarks>JACK notification thread (not concurrent with a cycle of the old size).</remarks>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnBufferSize(uint nframes, IntPtr arg)
    {
        if (GCHandle.FromIntPtr(arg).Target is JackOutput self)
        {
            Volatile.Write(ref self._periodFrames, (int)nframes);
        }

        return 0;
    }

    /// <remarks>JACK notification thread.</remarks>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnXrun(IntPtr arg)
    {
        if (GCHandle.FromIntPtr(arg).Target is JackOutput self)
        {
            Interlocked.Increment(ref self._xruns);
        }

        return 0;
    }

    /// <remarks>JACK notification thread. The client is dead afterwards; only jack_client_close may follow.</remarks>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnShutdown(IntPtr arg)
    {
        if (GCHandle.FromIntPtr(arg).Target is JackOutput self)
        {
            Volatile.Write(ref self._serverGone, true);
            // Handlers run on the thread pool, not on libjack's thread.
            ThreadPool.QueueUserWorkItem(static s => s.ServerShutdown?.Invoke(s, EventArgs.Empty), self, preferLocal: false);
        }
    }

    /// <remarks>Audio thread only. Wait-free, allocation-free.</remarks>
    private void TryProcess(int nframes)
    {
        long start = Stopwatch.GetTimestamp();
        for (int c = 0; c < _ports.Length; c++)
        {
            _portBuffers[c] = JackNative.PortGetBuffer(_ports[c], (uint)nframes);
        }

        for (int c = 0; c < _inputPorts.Length; c++)
        {
            _inputBuffers[c] = JackNative.PortGetBuffer(_inputPorts[c], (uint)nframes);
        }

        if (_midiPort != IntPtr.Zero)
        {
            TryTakeMidi(nframes);
        }

        try
        {
            _adapter.TryReadPlanar(_portBuffers, nframes, _inputBuffers, _inputBuffers.Length);
        }
#pragma warning disable CA1031 // An exception must not unwind into libjack; the cycle plays silence and is counted.
        catch (Exception)
#pragma warning restore CA1031
        {
            TryWriteSilenceAfterFault(nframes);
        }

        Health.TryRecord(start, Stopwatch.GetTimestamp());
    }

    /// <summary>
    /// Hands this cycle's MIDI channel messages to the sink, each stamped with its output-stream frame (the frame
    /// the period starts at plus the event's offset in it): before the period's blocks are pulled.
    /// </summary>
    /// <remarks>
    /// The period's start is this client's own stream position (the frames it delivered), the clock the block numbers
    /// count: a note is stamped where it arrived in the audio it was played against. A cycle lost to an xrun moves
    /// every later note by that whole period and no less, so the offsets within periods stay exact (tested against
    /// jack_midiseq). Audio thread only. Wait-free, allocation-free.
    /// </remarks>
    private void TryTakeMidi(int nframes)
    {
        IntPtr buffer = JackNative.PortGetBuffer(_midiPort, (uint)nframes);
        uint count = JackNative.MidiGetEventCount(buffer);
        long periodStart = _adapter.FramesDelivered;
        for (uint i = 0; i < count; i++)
        {
            if (JackNative.MidiEventGet(out JackNative.JackMidiEvent e, buffer, i) != 0)
            {
                continue;
            }

            byte status = e.Size is >= 1 and <= 3 ? Marshal.ReadByte(e.Buffer) : (byte)0;
            if (status is < 0x80 or >= 0xF0)
            {
                Interlocked.Increment(ref _midiIgnored); // running status, system exclusive, clock: not channel messages
                continue;
            }

            byte data1 = e.Size >= 2 ? Marshal.ReadByte(e.Buffer, 1) : (byte)0;
            byte data2 = e.Size >= 3 ? Marshal.ReadByte(e.Buffer, 2) : (byte)0;
            _midiSink?.TryPutMidi(new MidiMessage(periodStart + Math.Min(e.Time, (uint)nframes - 1), status, data1, data2));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void TryWriteSilenceAfterFault(int nframes)
    {
        for (int c = 0; c < _portBuffers.Length; c++)
        {
            BlockPeriodAdapter.TryWriteSilence(_portBuffers[c], nframes);
        }

        Interlocked.Increment(ref _sourceFaults);
    }
}
