using System.Diagnostics;
using Callback = Perpetuo.Supervisor.Callback;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Control;

// The warm spare: one worker process started ahead, compiled and waiting, given to the next slot that needs a
// worker. A worker started on demand needs hundreds of milliseconds to load and compile before its first block;
// when every replica died at once (a deterministic crash) the output is silent for all of that. A spare attaches
// in milliseconds. It is started only while the pair is whole and healthy, below the pair's priority, so its own
// start-up never competes with a recovery; it exits by itself when its standard input closes (the supervisor
// stopped or died).
public sealed partial class Engine
{
    private Task<Process>? _spare;
    private long _spareNotBefore = -1; // output block before which no spare is started (the pair settles first)

    /// <summary>The spare, if one is ready and alive; the caller owns it from here.</summary>
    private Process? TakeSpare()
    {
        if (_spare is not { IsCompletedSuccessfully: true })
        {
            return null;
        }
        Process p = _spare.Result;
        _spare = null;
        if (p.HasExited)
        {
            p.Dispose();
            return null;
        }
        return p;
    }

    /// <summary>Starts a spare when there is none and every slot plays (or could): never during a recovery.</summary>
    private void ReplenishSpare()
    {
        if (!_options.SpareWorker || !_primed || _spare != null)
        {
            return;
        }
        foreach (SlotController s in _slots)
        {
            if (!s.HasWorker || s.Channel.Mode != Callback.SlotMode.Readable)
            {
                _spareNotBefore = -1; // not whole: wait for it to be, then for a second of audio
                return;
            }
        }
        if (_spareNotBefore < 0)
        {
            // A second of audio after the pair is whole: the spare's start-up (a process, compiling, the LV2 world:
            // about a second of one core) then never overlaps a start or a recovery on a two-core machine.
            _spareNotBefore = Reader.NextSeq + (_options.SampleRate / _options.BlockFrames);
        }
        if (Reader.NextSeq < _spareNotBefore)
        {
            return;
        }
        // Below the pair while it compiles (0.66 s of a core): at the lowest priority when privileged, since a worker
        // raises its own once attached; otherwise at a respawn's niceness, because an unprivileged process can never
        // come back up from 19.
        int nice = Environment.IsPrivilegedProcess ? 19 : _options.RespawnNice;
        _spare = Task.Run(() => _options.Launch.StartSpare(_options.WaitStrategy, nice, _options.Realtime,
                                                           _options.Limiter, _options.AllowFaultInjection));
    }

    private void KillSpare()
    {
        Task<Process>? spare = _spare;
        _spare = null;
        if (spare == null)
        {
            return;
        }
        spare.Wait(TimeSpan.FromSeconds(10));
        if (spare.IsCompletedSuccessfully)
        {
            using Process p = spare.Result;
            if (!p.HasExited)
            {
                LibC.Kill(p.Id, LibC.SIGKILL);
                p.WaitForExit(2000);
            }
        }
    }
}
