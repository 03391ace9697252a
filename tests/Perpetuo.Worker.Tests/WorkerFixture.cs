using Perpetuo.Control.Patches;
using Perpetuo.Dsp;
using Perpetuo.Transport;
using Perpetuo.Worker;

namespace Perpetuo.Worker.Tests;

/// <summary>A slot region and a patch (memory files, as play makes them), a worker loop attached in-process, and the supervisor's ends.</summary>
internal sealed class WorkerFixture : IDisposable
{
    public const int Frames = 256;
    public const int Channels = 2;
    public const int Rate = 48000;
    private readonly MemoryFile _patch;

    public WorkerFixture(int capacity = 4, bool safetyClipper = true, PatchSpec? patch = null, bool liveInput = false)
    {
        Region = SharedRegion.Create(new RegionLayout(Frames, Channels, Rate, capacity, liveInput: liveInput), 0);
        Link = new SupervisorLink(Region);
        Commands = new CommandRingWriter(Region);
        Reader = new AudioRingReader(Region);
        _patch = MemoryFile.CreateReadOnly("the patch", System.Text.Encoding.UTF8.GetBytes(PatchFile.ToJson(patch ?? DefaultPatchSpec)));
        PatchPath = _patch.Path;
        Link.ResetForNewWorker(0);
        Link.SetRenderLimit(long.MaxValue / 2);
        Loop = new WorkerLoop(new WorkerOptions(Region.Path, PatchPath, SafetyClipper: safetyClipper));
    }

    public static PatchSpec DefaultPatchSpec { get; } =
        new(DefaultPatch.Modules.Select(m => new ModuleSpec(m.Type, m.Id, m.Params.ToList())).ToList());

    public SharedRegion Region { get; }
    public SupervisorLink Link { get; }
    public CommandRingWriter Commands { get; }
    public AudioRingReader Reader { get; }
    public string PatchPath { get; }
    public WorkerLoop Loop { get; }

    /// <summary>Steps the worker once and consumes the block it published into <paramref name="into"/>.</summary>
    public void StepAndConsume(float[] into)
    {
        long seq = Loop.NextSeq;
        Assert.True(Loop.TryStep());
        Assert.Equal(ReadResult.Ok, Reader.TryRead(seq, into, out _));
        Reader.Release(seq + 1);
    }

    public void Dispose()
    {
        Loop.Dispose();
        Region.Dispose();
        _patch.Dispose();
    }
}
