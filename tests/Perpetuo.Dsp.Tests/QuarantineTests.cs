using Perpetuo.Protocol;

namespace Perpetuo.Dsp.Tests;

/// <summary>
/// The guard around each module: a module that throws or leaves NaN/Inf is bypassed from the segment it failed in
/// and skipped from then on, the rest of the chain keeps playing, and commands quarantine and restore modules.
/// Fault modes 1 (crash) and 2 (hang) end or stop the process: they are for the integration tests only.
/// </summary>
public sealed class QuarantineTests
{
    private const int Frames = 256;
    private const int Throw = 4;
    private const int Nan = 3;

    /// <summary>osc → [fault "f" of <paramref name="mode"/>] → gain 0.5, without the safety clipper.</summary>
    private static ModuleHost OscFaultGain(int? mode)
    {
        var host = new ModuleHost(Render.Rate, 2, 512) { AllowFaultModules = true, SafetyClipperEnabled = false };
        host.AddModule("osc", "osc", [Render.P("freq", 440), Render.P("level", 0.5f)]);
        if (mode is int m)
        {
            host.AddModule("fault", "f", [Render.P("mode", m)]);
        }
        host.AddModule("gain", "gain", [Render.P("gain", 0.5f)]);
        return host;
    }

    private static DspCommand Arm(int frame, float armed = 1) => new(CommandKind.SetParam, frame, "f", "armed", armed);

    private static DspCommand QuarantineOf(string id, int frame = 0) => new(CommandKind.Quarantine, frame, id, "crash");

    private static DspCommand RestoreOf(string id, int frame = 0) => new(CommandKind.Restore, frame, id);

    [Theory]
    [InlineData(Throw, QuarantineReason.Exception)]
    [InlineData(Nan, QuarantineReason.Nan)]
    public void AModuleFailingAtAFrameIsBypassedFromThatFrameAndTheRestOfTheChainStillApplies(int mode, QuarantineReason reason)
    {
        // The fault module passes audio through until it fails: bypassed, the chain must sound exactly as without it,
        // the gain after it included (a guard that stopped the chain at the fault would leave frames 100.. at 1x).
        float[] expected = Render.Blocks(OscFaultGain(null), 3, Frames);
        ModuleHost host = OscFaultGain(mode);
        host.QueueCommand(Arm(100));
        float[] block0 = Render.Blocks(host, 1, Frames);

        Assert.True(Render.BitEqual(expected[..(Frames * 2)], block0));
        Assert.Equal([new QuarantineReport("f", reason, 100)], host.QuarantinedInLastBlock.ToArray());
        Assert.Equal(["f"], host.QuarantinedModules);
        Assert.Equal(0, host.NonFiniteSamples); // nothing reached the final safety net
        Assert.Equal(0, host.RejectedCommands);
        if (reason == QuarantineReason.Exception)
        {
            Assert.IsType<InvalidOperationException>(host.LastQuarantineError);
        }
        else
        {
            Assert.Null(host.LastQuarantineError);
        }

        // Skipped from then on: a poisoned NaN module that still ran would be caught (and reported) again each block.
        float[] later = Render.Blocks(host, 2, Frames);
        Assert.True(host.QuarantinedInLastBlock.IsEmpty);
        Assert.True(Render.BitEqual(expected[(Frames * 2)..], later));
        Assert.All(later, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(0, host.NonFiniteSamples);
    }

    [Fact]
    public void TheReportsOfABlockAreClearedByTheNextOne()
    {
        ModuleHost host = OscFaultGain(Throw);
        host.QueueCommand(Arm(0));
        Render.Blocks(host, 1, Frames);
        Assert.Equal(1, host.QuarantinedInLastBlock.Length);

        Render.Blocks(host, 1, Frames);
        Assert.Equal(0, host.QuarantinedInLastBlock.Length);
        Assert.Equal(["f"], host.QuarantinedModules); // the quarantine itself stays
    }

    [Fact]
    public void AQuarantinedGeneratorIsSilentWhileAFilterAfterItIsStillProcessed()
    {
        static ModuleHost Chain(bool withBright)
        {
            var host = new ModuleHost(Render.Rate, 2, 512) { SafetyClipperEnabled = false };
            host.AddModule("osc", "low", [Render.P("freq", 220), Render.P("wave", 1), Render.P("level", 0.3f)]);
            if (withBright)
            {
                host.AddModule("osc", "bright", [Render.P("freq", 3000), Render.P("wave", 2), Render.P("level", 0.3f)]);
            }
            host.AddModule("filter", "lp", [Render.P("cutoff", 500)]);
            return host;
        }

        float[] expected = Render.Blocks(Chain(withBright: false), 4, Frames);
        ModuleHost host = Chain(withBright: true);
        float[] actual = Render.Blocks(host, 4, Frames, (h, b) =>
        {
            if (b == 0)
            {
                h.QueueCommand(QuarantineOf("bright"));
            }
        });

        Assert.True(Render.BitEqual(expected, actual), $"first difference at {Render.FirstDifference(expected, actual)}");
        Assert.NotEqual(Render.Blocks(Chain(withBright: false), 1, Frames), Render.Blocks(Chain(withBright: true), 1, Frames));
        Assert.Equal(["bright"], host.QuarantinedModules);
        Assert.True(host.QuarantinedInLastBlock.IsEmpty); // a commanded quarantine is not one the host found
        Assert.Equal(0, host.RejectedCommands);
    }

    [Fact]
    public void AQuarantineOrRestoreOfAnUnknownModuleIsRejected()
    {
        ModuleHost host = OscFaultGain(null);
        host.QueueCommand(QuarantineOf("ghost"));
        host.QueueCommand(RestoreOf("ghost", 10));
        host.QueueCommand(new DspCommand(CommandKind.Quarantine, 0, "", "crash")); // malformed: no id
        Render.Blocks(host, 1, Frames);

        Assert.Equal(3, host.RejectedCommands);
        Assert.Empty(host.QuarantinedModules);
    }

    [Fact]
    public void RestoreLiftsTheQuarantineAndTheModuleRestartsFromFreshState()
    {
        static ModuleHost Chain(float freq)
        {
            var host = new ModuleHost(Render.Rate, 1, 512) { SafetyClipperEnabled = false };
            host.AddModule("osc", "o", [Render.P("freq", freq), Render.P("level", 0.5f)]);
            host.AddModule("gain", "g", [Render.P("gain", 0.8f)]);
            return host;
        }

        ModuleHost host = Chain(440);
        float[] played = Render.Blocks(host, 7, 100, (h, b) =>
        {
            switch (b)
            {
                case 1:
                    h.QueueCommand(new DspCommand(CommandKind.SetParam, 30, "o", "freq", 660, 0.5f)); // still ramping when quarantined
                    break;
                case 2:
                    h.QueueCommand(QuarantineOf("o")); // with its phase well away from 0
                    break;
                case 4:
                    h.QueueCommand(RestoreOf("o"));
                    break;
            }
        });

        Assert.All(played[200..400], v => Assert.Equal(0f, v));
        Assert.Empty(host.QuarantinedModules);
        float[] fresh = Render.Blocks(Chain(660), 3, 100); // a new module with the parameters it was left with
        Assert.True(Render.BitEqual(fresh, played[400..]), $"first difference at {Render.FirstDifference(fresh, played[400..])}");
        Assert.Equal(0, host.RejectedCommands);
    }

    [Fact]
    public void RestoreOfAModuleThatIsNotQuarantinedLeavesItAsItIs()
    {
        float[] expected = Render.Blocks(OscFaultGain(null), 3, Frames);
        ModuleHost host = OscFaultGain(null);
        float[] actual = Render.Blocks(host, 3, Frames, (h, b) =>
        {
            if (b == 1)
            {
                h.QueueCommand(RestoreOf("osc", 17));
            }
        });

        Assert.True(Render.BitEqual(expected, actual), $"first difference at {Render.FirstDifference(expected, actual)}");
        Assert.Equal(0, host.RejectedCommands);
    }

    [Fact]
    public void ASnapshotKeepsQuarantinedModulesQuarantinedAndContinuesBitExactly()
    {
        var host = new ModuleHost(Render.Rate, 2, 512) { AllowFaultModules = true, SafetyClipperEnabled = false };
        host.AddModule("osc", "a", [Render.P("freq", 220), Render.P("wave", 1)]);
        host.AddModule("osc", "b", [Render.P("freq", 1760)]);
        host.AddModule("fault", "f", [Render.P("mode", Nan)]);
        host.AddModule("filter", "lp", [Render.P("cutoff", 2000)]);
        Render.Blocks(host, 3, Frames, (h, b) =>
        {
            if (b == 0)
            {
                h.QueueCommand(QuarantineOf("b", 40));
            }
            else if (b == 1)
            {
                h.QueueCommand(Arm(50));
            }
        });
        Assert.Equal(["b", "f"], host.QuarantinedModules);

        byte[] snapshot = host.SaveSnapshot();
        ModuleHost loaded = ModuleHost.LoadSnapshot(snapshot, 512, allowFaultModules: true);
        loaded.SafetyClipperEnabled = false;

        Assert.Equal(["b", "f"], loaded.QuarantinedModules);
        float[] original = Render.Blocks(host, 5, Frames);
        float[] continued = Render.Blocks(loaded, 5, Frames);
        Assert.True(Render.BitEqual(original, continued), $"first difference at {Render.FirstDifference(original, continued)}");
        Assert.True(loaded.QuarantinedInLastBlock.IsEmpty); // the poisoned fault module did not run again
        Assert.Equal(host.SaveSnapshot(), loaded.SaveSnapshot());
    }

    [Fact]
    public void TheFaultTypeIsRefusedUnlessTheHostAllowsIt()
    {
        var host = new ModuleHost(Render.Rate, 2, 512);
        Assert.False(host.AllowFaultModules);
        Assert.Throws<DspException>(() => host.AddModule("fault", "f"));
        Assert.Empty(host.Modules);

        host.QueueCommand(new DspCommand(CommandKind.AddModule, 0, "f", "fault"));
        Render.Blocks(host, 1, Frames);
        Assert.Empty(host.Modules);
        Assert.Equal(1, host.RejectedCommands);

        ModuleHost allowed = OscFaultGain(Throw);
        byte[] snapshot = allowed.SaveSnapshot();
        Assert.Throws<DspException>(() => ModuleHost.LoadSnapshot(snapshot, 512));
        Assert.Equal(3, ModuleHost.LoadSnapshot(snapshot, 512, allowFaultModules: true).Modules.Count);
    }

    [Fact]
    public void SettingArmedTo1WhileItIs1DoesNotFireAgain()
    {
        ModuleHost host = OscFaultGain(0); // mode 0: arming fires nothing
        host.QueueCommand(Arm(10));
        Render.Blocks(host, 1, Frames);
        host.QueueCommand(new DspCommand(CommandKind.SetParam, 0, "f", "mode", Throw));
        host.QueueCommand(Arm(20));
        Render.Blocks(host, 1, Frames);
        Assert.Empty(host.QuarantinedModules);

        host.QueueCommand(Arm(0, armed: 0));
        host.QueueCommand(Arm(30));
        Render.Blocks(host, 1, Frames);
        Assert.Equal([new QuarantineReport("f", QuarantineReason.Exception, 30)], host.QuarantinedInLastBlock.ToArray());
    }

    [Fact]
    public void AModuleAddedArmedDoesNotFire()
    {
        var host = new ModuleHost(Render.Rate, 2, 512) { AllowFaultModules = true };
        host.AddModule("fault", "f", [Render.P("mode", Throw), Render.P("armed", 1)]);
        Render.Blocks(host, 2, Frames);

        Assert.Empty(host.QuarantinedModules);
    }

    [Fact]
    public void ARestoredModuleStillArmedDoesNotFireUntilDisarmedAndArmedAgain()
    {
        ModuleHost host = OscFaultGain(Throw);
        host.QueueCommand(Arm(0));
        Render.Blocks(host, 1, Frames);
        Assert.Equal(["f"], host.QuarantinedModules);

        host.QueueCommand(RestoreOf("f"));
        Render.Blocks(host, 1, Frames);
        host.QueueCommand(Arm(5));
        Render.Blocks(host, 1, Frames);
        Assert.Empty(host.QuarantinedModules);

        host.QueueCommand(Arm(0, armed: 0));
        host.QueueCommand(Arm(7));
        Render.Blocks(host, 1, Frames);
        Assert.Equal([new QuarantineReport("f", QuarantineReason.Exception, 7)], host.QuarantinedInLastBlock.ToArray());
        Assert.Equal(["f"], host.QuarantinedModules);
    }

    [Fact]
    public void RemovingASequencerDoesNotRunAQuarantinedModule()
    {
        // RemoveModule delivers the sequencer's note-off to the rest of the chain outside any block: a quarantined
        // module (here one that would throw the next time it runs) must stay skipped there too.
        var host = new ModuleHost(Render.Rate, 1, 512) { AllowFaultModules = true };
        host.AddModule("seq", "seq", [Render.P("gate", 1)]);
        host.AddModule("fault", "f", [Render.P("mode", Throw)]);
        host.AddModule("synth", "synth", [Render.P("release", 0.01f), Render.P("sustain", 1)]);
        host.QueueCommand(QuarantineOf("f"));
        host.QueueCommand(Arm(0));
        Render.Blocks(host, 4, 512);

        host.RemoveModule("seq");

        float[] tail = Render.Blocks(host, 20, 512);
        Assert.True(Render.Rms(tail[^512..]) < 1e-4, "note hangs after its sequencer was removed");
        Assert.Equal(["f"], host.QuarantinedModules);
        Assert.True(host.QuarantinedInLastBlock.IsEmpty);
    }

    [Fact]
    public void TheProbeIsToldEveryModuleThatRunsInEachSegmentAndSkipsQuarantinedOnes()
    {
        var log = new List<string>();
        ModuleHost host = OscFaultGain(Throw);
        host.Probe = new RecordingProbe(log);

        Render.Blocks(host, 1, 64);
        Assert.Equal(["0 osc", "1 f", "2 gain", "left"], log);

        log.Clear();
        host.QueueCommand(QuarantineOf("osc"));
        host.QueueCommand(Arm(32)); // a second segment from frame 32, in which f throws
        Render.Blocks(host, 1, 64);
        Assert.Equal(["1 f", "2 gain", "left", "1 f", "2 gain", "left"], log);

        log.Clear();
        Render.Blocks(host, 1, 64);
        Assert.Equal(["2 gain", "left"], log);
    }

    [Fact]
    public void TheGuardAllocatesNothingInSteadyState()
    {
        ModuleHost host = OscFaultGain(Nan);
        host.AddModule("filter", "lp");
        var probe = new RecordingProbe();
        host.Probe = probe;
        float[] block = new float[512];
        host.QueueCommand(Arm(100));
        host.QueueCommand(QuarantineOf("osc", 7));
        for (int i = 0; i < 500; i++)
        {
            Step(host, block, i);
        }
        Assert.Equal(["osc", "f"], host.QuarantinedModules);

        (long entered, long left) = (probe.EnteredCount, probe.LeftCount);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            Step(host, block, i);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(0, host.RejectedCommands);
        Assert.Equal(20_000, probe.LeftCount - left);       // two segments a block
        Assert.Equal(40_000, probe.EnteredCount - entered); // gain and filter in each
    }

    private static void Step(ModuleHost host, float[] block, int i)
    {
        host.QueueCommand(new DspCommand(CommandKind.SetParam, 1 + (i % 250), "lp", "cutoff", 500 + (i % 2000), 0.01f));
        host.ProcessChain(block);
    }
}
