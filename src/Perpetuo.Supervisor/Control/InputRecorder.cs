using Perpetuo.Audio;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// Writes the live input a session received, block by block from block 0, into a float WAV beside its journal, so
/// that <c>render --journal</c> renders every block from the input the workers had. Control thread only.
/// </summary>
/// <remarks>
/// Design: it reads the supervisor's own <see cref="InputTape"/> (no worker can touch it), up to the block the
/// callback has stamped last, a bounded number of blocks per tick; the tape keeps tens of seconds, so a control
/// thread stalled for less than that loses nothing. A block the tape no longer holds (a longer stall) is written as
/// silence and counted, and a write that fails (disk full) stops the recording: either way the journal no longer
/// replays the session, which <see cref="BlocksLost"/> and the engine's one event say. The file is complete and its
/// sizes patched once the engine stops (<see cref="Dispose"/>); a killed session leaves sizes that readers of this
/// project treat as "until the end of the file".
/// </remarks>
public sealed class InputRecorder : IDisposable
{
    /// <summary>Most blocks written in one tick: a tick after a long stall catches up over several, never in one.</summary>
    public const int BlocksPerTick = 4096;

    private readonly InputRingReader _tape;
    private readonly WavWriter _wav;
    private readonly float[] _block;
    private readonly float[] _silence;
    private long _next;
    private long _lost;
    private bool _failed;

    /// <summary>Creates (truncates) <paramref name="path"/>. Throws IOException or UnauthorizedAccessException.</summary>
    public InputRecorder(string path, InputTape tape, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(tape);
        _tape = new InputRingReader(tape);
        _wav = new WavWriter(path, sampleRate, tape.Layout.Channels);
        _block = new float[tape.Layout.BlockSamples];
        _silence = new float[tape.Layout.BlockSamples];
        Path = path;
    }

    /// <summary>The WAV file.</summary>
    public string Path { get; }

    /// <summary>Blocks written (or lost) so far: the next block to write.</summary>
    public long Next => _next;

    /// <summary>Blocks whose input is not in the file as captured (overwritten before they were read, or unwritable).</summary>
    public long BlocksLost => Volatile.Read(ref _lost);

    /// <summary>Raised once, at the first lost block, with the reason.</summary>
    public event Action<string>? Lost;

    /// <summary>Writes the blocks below <paramref name="stamped"/> not written yet (at most <see cref="BlocksPerTick"/>).</summary>
    public void Drain(long stamped)
    {
        long end = Math.Min(stamped, _next + BlocksPerTick);
        for (; _next < end; _next++)
        {
            if (_failed)
            {
                CountLost(1, null);
                continue;
            }
            InputRead r = _tape.TryRead(_next, _block);
            if (r == InputRead.NotYet)
            {
                return; // not stamped yet (the caller's bound was ahead of the callback): next tick
            }
            if (r == InputRead.Lost)
            {
                CountLost(1, $"the input of block {_next} was overwritten before it could be journaled (the control thread fell {_tape.Capacity} blocks behind)");
            }
            try
            {
                _wav.Write(r == InputRead.Ready ? _block : _silence);
            }
            catch (IOException e)
            {
                _failed = true;
                CountLost(1, $"writing {Path} failed: {e.Message}");
            }
        }
    }

    private void CountLost(long blocks, string? why)
    {
        bool first = _lost == 0;
        Volatile.Write(ref _lost, _lost + blocks);
        if (first && why != null)
        {
            Lost?.Invoke(why);
        }
    }

    /// <summary>Patches the WAV's sizes and closes it; a failure to is counted, never thrown.</summary>
    public void Dispose()
    {
        try
        {
            _wav.Dispose();
        }
        catch (IOException e)
        {
            CountLost(1, $"closing {Path} failed: {e.Message}");
        }
    }
}
