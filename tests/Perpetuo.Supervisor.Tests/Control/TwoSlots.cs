using System.Diagnostics;
using Perpetuo.Supervisor.Callback;
using Perpetuo.Supervisor.Control;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Tests.Control;

/// <summary>
/// Two real slot regions (memory files, as play makes them), each with a `sleep` process attached as its running,
/// readable worker, a real <see cref="BlockReader"/> over them, and an event log whose lines are kept: what the
/// control thread's types see of an engine, with the test writing what a worker would.
/// </summary>
internal sealed class TwoSlots : IDisposable
{
    public const int Frames = 64;
    public const int Channels = 2;

    public TwoSlots()
    {
        var layout = new RegionLayout(Frames, Channels, 48000, 8);
        Slots = [.. Enumerable.Range(0, 2).Select(i => new SlotController(i, SharedRegion.Create(layout, i), new RestartPolicy(), 2))];
        Workers = [.. Slots.Select(s => new WorkerLink(s.Region))];
        try
        {
            foreach (SlotController s in Slots)
            {
                Attach(s);
            }
        }
        catch
        {
            Dispose(); // xUnit never disposes a fixture whose constructor threw: no `sleep` or region left behind
            throw;
        }
        Reader = new BlockReader(Slots.Select(s => s.Channel).ToArray(), Channels, Frames, new EventQueue());
        Events.Written += Lines.Add;
    }

    public SlotController[] Slots { get; }

    /// <summary>The worker's side of each region.</summary>
    public WorkerLink[] Workers { get; }

    public BlockReader Reader { get; }

    public EventLog Events { get; } = new(null);

    public List<EventLine> Lines { get; } = [];

    /// <summary>A new `sleep` process as the slot's running worker, verified (readable); the one before it killed.</summary>
    public static void Attach(SlotController s)
    {
        Kill(s);
        IWorkerProcess p = StartSleep();
        s.Launch(s.PendingStartSeq, Task.FromResult(p), fromSpare: false);
        s.Attach(p, Stopwatch.GetTimestamp());
        s.Channel.Mode = SlotMode.Readable;
    }

    /// <summary>A `sleep` process standing in for a worker.</summary>
    public static OsWorkerProcess StartSleep() => new(Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!);

    /// <summary>The slot's worker killed and gone: the slot is dead.</summary>
    public static void Kill(SlotController s)
    {
        if (s.Worker is { HasExited: false })
        {
            s.Worker.Kill();
            s.Worker.WaitForExit(TimeSpan.FromSeconds(5));
        }
        s.Detach(s.OffAtSeq);
    }

    public void Dispose()
    {
        foreach (SlotController s in Slots)
        {
            Kill(s);
            s.Dispose();
        }
        Events.Dispose();
    }
}
