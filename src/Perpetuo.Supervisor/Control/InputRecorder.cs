using Perpetuo.Audio;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// Writes the live input a session received, block by block from block 0, into a float WAV beside its journal, so
/// that <c>render --journal</c> renders every block from the input the workers had.
/// </summary>
/// <remarks>
/// Design: it reads the supervisor's own <see cref="InputTape"/> (no worker can touch it), up to the block the
/// callback has stamped last, a bounded number of blocks per <see cref="Drain"/>, on a thread of its own
/// (<see cref="Start"/>): a disk that holds a write up (a slow stick, a full dirty cache, a network mount) holds up
/// that thread only, never the control thread, whose render limits the workers wait for within milliseconds. The
/// tape keeps tens of seconds, so a writer held up for less than that loses nothing. A block the tape no longer holds
/// (a longer stall) is written as silence and counted, and a write that fails (disk full) stops the recording:
/// either way the journal no longer replays the session, which <see cref="BlocksLost"/> and <see cref="FirstLoss"/>
/// say (the engine turns the latter into one event on its control thread, the event log's only writer). The file is
/// complete and its sizes patched once the engine stops (<see cref="Stop"/>); a killed session leaves sizes that
/// readers of this project treat as "until the end of the file". <see cref="Drain"/> is called by one thread at a
/// time: the recorder's own once started, else the caller's.
/// </remarks>
public sealed class InputRecorder : IDisposable
{
    /// <summary>Most blocks written in one <see cref="Drain"/>: a writer back from a long stall catches up over several.</summary>
    public const int BlocksPerTick = 4096;

    /// <summary>How often the recorder's thread looks for new blocks: a few writes of tens of kilobytes a second.</summary>
    public static readonly TimeSpan DrainInterval = TimeSpan.FromMilliseconds(20);

    private readonly InputRingReader _tape;
    private readonly WavWriter _wav;
    private readonly float[] _block;
    private readonly float[] _silence;
    private readonly ManualResetEventSlim _stop = new(false);
    private Thread? _thread;
    private long _next;
    private long _lost;
    private bool _failed;
    private string? _firstLoss;
    private bool _disposed;

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
    public long Next => Volatile.Read(ref _next);

    /// <summary>Blocks whose input is not in the file as captured (overwritten before they were read, or unwritable).</summary>
    public long BlocksLost => Volatile.Read(ref _lost);

    /// <summary>Why the first block was lost, once one was (any thread may read it); null while none was.</summary>
    public string? FirstLoss => Volatile.Read(ref _firstLoss);

    /// <summary>
    /// Starts the recorder's thread: every <see cref="DrainInterval"/> it writes the blocks below
    /// <paramref name="stamped"/>() (the block the callback stamps next; read from that thread).
    /// </summary>
    public void Start(Func<long> stamped)
    {
        ArgumentNullException.ThrowIfNull(stamped);
        if (_thread != null)
        {
            throw new InvalidOperationException("the recorder is already started");
        }
        _thread = new Thread(() =>
        {
            try
            {
                while (!_stop.Wait(DrainInterval))
                {
                    Drain(stamped());
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Anything a strange file throws besides IOException (which Drain handles) ends the recording, never
                // the process: an exception left on a thread of its own would end the audio with it.
                _failed = true;
                CountLost(1, $"writing {Path} stopped: {e.GetType().Name}: {e.Message}");
            }
        }) { Name = "perpetuo-input-recorder", IsBackground = true }; // background: a disk hung for good never keeps the process alive
        _thread.Start();
    }

    /// <summary>
    /// Stops the thread (if started), writes the blocks below <paramref name="stamped"/> not written yet and closes the
    /// file. Waits at most <paramref name="timeout"/> for a write the disk holds up; if that runs out the file is left
    /// as it is, the blocks not written are counted lost, and it returns false. Never throws for the file.
    /// </summary>
    public bool Stop(long stamped, TimeSpan timeout)
    {
        if (_disposed)
        {
            return true;
        }
        _stop.Set();
        if (_thread != null && !_thread.Join(timeout))
        {
            CountLost(Math.Max(1, stamped - Next), $"writing {Path} did not finish within {timeout.TotalSeconds:0.#} s of the engine stopping");
            return false; // the thread still owns the writer: leave it to the process's exit
        }
        _thread = null;
        long before;
        do
        {
            before = _next;
            Drain(stamped); // bounded per call; stops early only at a block not stamped, never loops on it
        }
        while (_next < stamped && _next > before);
        Dispose();
        return true;
    }

    /// <summary>Writes the blocks below <paramref name="stamped"/> not written yet (at most <see cref="BlocksPerTick"/>).</summary>
    public void Drain(long stamped)
    {
        long end = Math.Min(stamped, _next + BlocksPerTick);
        long first = _next;
        DrainTo(end);
        if (_next > first && !_failed)
        {
            try
            {
                _wav.Flush(); // a worker replaying from before its input ring reads these blocks from the file
            }
            catch (IOException e)
            {
                _failed = true;
                CountLost(1, $"writing {Path} failed: {e.Message}");
            }
        }
    }

    private void DrainTo(long end)
    {
        for (; _next < end; Volatile.Write(ref _next, _next + 1))
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
        Interlocked.Add(ref _lost, blocks);
        if (why != null)
        {
            Interlocked.CompareExchange(ref _firstLoss, why, null);
        }
    }

    /// <summary>
    /// Patches the WAV's sizes and closes it; a failure to is counted, never thrown. With the thread running, stops it
    /// first without waiting for more blocks (<see cref="Stop"/> writes up to a given block).
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        if (_thread != null)
        {
            Stop(Next, TimeSpan.FromSeconds(2)); // calls back here once the thread is gone
            return;
        }
        _disposed = true;
        try
        {
            _wav.Dispose();
        }
        catch (Exception e) when (e is IOException or NotSupportedException or UnauthorizedAccessException)
        {
            CountLost(1, $"closing {Path} failed: {e.Message}"); // a full disk, or a file that cannot seek back to its header
        }
        _stop.Dispose();
    }
}
