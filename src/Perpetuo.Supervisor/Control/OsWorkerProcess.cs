using System.Diagnostics;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Control;

/// <summary>A worker that is an operating-system process (<see cref="Process"/>), signalled through libc.</summary>
public sealed class OsWorkerProcess(Process process) : IWorkerProcess
{
    private readonly Process _process = process ?? throw new ArgumentNullException(nameof(process));

    /// <summary>The process, for what only a real one has (its standard input, for a spare's attach).</summary>
    public Process Process => _process;

    public int Pid { get; } = process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public bool HasEnded => LibC.HasEnded(Pid);

    public void Kill() => LibC.Kill(Pid, LibC.SIGKILL);

    /// <remarks>The render loop runs on the worker's main thread, whose thread id is its pid.</remarks>
    public void SetRealtime(bool realtime) => Perpetuo.Audio.RealtimeThread.TrySetWorker(Pid, realtime);

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    public void Dispose() => _process.Dispose();
}
