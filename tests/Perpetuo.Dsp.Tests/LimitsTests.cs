using Perpetuo.Protocol;

namespace Perpetuo.Dsp.Tests;

/// <summary>The limits every queue and format derives from hold together for the modules that exist.</summary>
public sealed class LimitsTests
{
    [Fact]
    public void TheDerivedSizesHoldTogether() => Assert.True(Limits.AreConsistent);

    [Fact]
    public void EveryModuleTypeHasAtMostTheParametersABlockMakesRoomFor()
    {
        foreach (ModuleDescriptor d in ModuleRegistry.Types)
        {
            Assert.True(d.Params.Count <= Limits.MaxParamsPerModule, $"{d.Type} has {d.Params.Count} parameters");
        }
    }

    [Fact]
    public void ASnapshotOfAFullChainOfTheLargestModuleFitsTheSnapshotAreaAndLoads()
    {
        foreach (ModuleDescriptor d in ModuleRegistry.Types)
        {
            var host = new ModuleHost(48000, 2, 1024);
            for (int i = 0; i < Limits.MaxModules; i++)
            {
                host.AddModule(d.Type, $"m{i}", []);
            }
            host.ProcessChain(new float[2048]);
            byte[] snapshot = host.SaveSnapshot();
            Assert.True(snapshot.Length <= Limits.SnapshotBytes, $"{Limits.MaxModules} x {d.Type}: {snapshot.Length} bytes");
            Assert.Equal(Limits.MaxModules, ModuleHost.LoadSnapshot(snapshot, 1024).Modules.Count);
        }
    }

    [Fact]
    public void ASnapshotOfOneModuleMoreThanTheLimitIsRejected()
    {
        var host = new ModuleHost(48000, 1, 64);
        for (int i = 0; i <= Limits.MaxModules; i++)
        {
            host.AddModule("gain", $"m{i}", []);
        }
        Assert.Throws<DspException>(() => ModuleHost.LoadSnapshot(host.SaveSnapshot(), 64));
    }

    [Fact]
    public void TheCommandQueueTakesExactlyOneBlocksCommands()
    {
        var host = new ModuleHost(48000, 1, 64);
        var note = new DspCommand(CommandKind.NoteOn, 0, "", "", 60, 1);
        for (int i = 0; i < Limits.CommandsPerBlock; i++)
        {
            Assert.True(host.TryQueueCommand(note));
        }
        Assert.False(host.TryQueueCommand(note));
    }
}
