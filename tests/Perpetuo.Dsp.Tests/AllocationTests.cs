using Perpetuo.Protocol;

namespace Perpetuo.Dsp.Tests;

public sealed class AllocationTests
{
    private const string Filter = "filter";
    private const string Cutoff = "cutoff";

    [Fact]
    public void DefaultPatchAllocatesNothingOver10000BlocksAfterWarmUp()
    {
        ModuleHost host = DefaultPatch.CreateHost(Render.Rate, 2, 256);
        float[] block = new float[512];
        // As many blocks as are measured: the arpeggio repeats every 375 blocks, so every path the measured blocks take
        // (a voice stolen, a release tail ending) has been compiled by then. After 500 only, a path first taken later
        // was compiled inside the measurement, and its JIT allocated on this thread (6,552 B seen once in CI, when no
        // test of the same process had taken that path before).
        for (int i = 0; i < 10_000; i++)
        {
            host.ProcessChain(block);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            host.ProcessChain(block);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void QueuedSetParamAndNoteCommandsAllocateNothing()
    {
        ModuleHost host = DefaultPatch.CreateHost(Render.Rate, 2, 256);
        host.AddModule("osc", "lead", [Render.P("follow", 1), Render.P("wave", 3), Render.P("level", 0.1f)]);
        host.AddModule("adsr", "vca");
        host.AddModule("noise", "hiss", [Render.P("level", 0.01f)]);
        float[] block = new float[512];
        for (int i = 0; i < 1000; i++)
        {
            Step(host, block, i);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            Step(host, block, i);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(11_000, host.RejectedCommands);
    }

    private static void Step(ModuleHost host, float[] block, int i)
    {
        host.QueueCommand(new DspCommand(CommandKind.SetParam, i % 256, Filter, Cutoff, 500 + (i % 2000), i % 3 * 0.1f));
        host.QueueCommand(new DspCommand(CommandKind.NoteOn, i * 7 % 256, Value: 48 + (i % 24), Value2: 0.5f));
        host.QueueCommand(new DspCommand(CommandKind.NoteOff, i * 11 % 256, Value: 48 + ((i + 12) % 24)));
        host.QueueCommand(new DspCommand(CommandKind.SetParam, 3, "nope", Cutoff, 1)); // rejected when applied, still no allocation
        host.ProcessChain(block);
    }
}
