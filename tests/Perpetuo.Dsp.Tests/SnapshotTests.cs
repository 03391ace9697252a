using System.Buffers.Binary;
using Perpetuo.Protocol;

namespace Perpetuo.Dsp.Tests;

public sealed class SnapshotTests
{
    /// <summary>Every module type in one chain, so every kind of state is exercised.</summary>
    private static ModuleHost RichHost()
    {
        ModuleHost host = DefaultPatch.CreateHost(Render.Rate, 2, 512);
        host.AddModule("osc", "lead", [Render.P("wave", 3), Render.P("follow", 1), Render.P("level", 0.2f)]);
        host.AddModule("osc", "sq", [Render.P("wave", 2), Render.P("freq", 97), Render.P("level", 0.05f)]);
        host.AddModule("noise", "hiss", [Render.P("level", 0.02f), Render.P("seed", 1234)]);
        host.AddModule("adsr", "vca", [Render.P("attack", 0.05f), Render.P("release", 0.5f)]);
        host.AddModule("filter", "hp", [Render.P("mode", 2), Render.P("cutoff", 80), Render.P("resonance", 0.9f)]);
        return host;
    }

    /// <summary>Commands that leave ramps pending, notes held and voices releasing at the snapshot point.</summary>
    private static void Commands(ModuleHost host, int block)
    {
        switch (block % 7)
        {
            case 0: host.QueueCommand(new DspCommand(CommandKind.NoteOn, 17, Value: 60 + (block % 12), Value2: 0.7f)); break;
            case 2: host.QueueCommand(new DspCommand(CommandKind.SetParam, 5, "filter", "cutoff", 300 + (block * 13 % 3000), 0.8f)); break;
            case 3: host.QueueCommand(new DspCommand(CommandKind.SetParam, 200, "seq", "bpm", 90 + (block % 50), 2f)); break;
            case 5: host.QueueCommand(new DspCommand(CommandKind.NoteOff, 101, Value: 60 + ((block - 5) % 12))); break;
            default: host.QueueCommand(new DspCommand(CommandKind.SetParam, 33, "pan", "pan", (block % 5 * 0.4f) - 0.8f, 0.3f)); break;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(200)]
    public void RestoredHostContinuesBitExactlyWithPendingRampsHeldNotesAndARunningSequencer(int blocksBefore)
    {
        ModuleHost original = RichHost();
        original.QueueCommand(new DspCommand(CommandKind.SetParam, 3, "gain", "gain", 1.5f, 5f));
        original.QueueCommand(new DspCommand(CommandKind.NoteOn, 9, Value: 40, Value2: 1f));
        Render.Blocks(original, blocksBefore, 256, Commands);
        IModule gain = original.Modules.Single(m => m.Id == "gain");
        Assert.NotEqual(gain.GetParam("gain"), gain.GetCurrentParam("gain"));

        ModuleHost restored = ModuleHost.LoadSnapshot(original.SaveSnapshot(), 512);
        float[] a = Render.Blocks(original, 150, 256, (h, b) => Commands(h, b + blocksBefore));
        float[] b = Render.Blocks(restored, 150, 256, (h, b) => Commands(h, b + blocksBefore));

        Assert.Equal(-1, Render.FirstDifference(a, b));
        Assert.True(Render.Rms(a) > 0.01);
        Assert.Equal(original.SaveSnapshot(), restored.SaveSnapshot());
    }

    [Fact]
    public void SnapshotDuringARampCapturesRampProgress()
    {
        ModuleHost host = RichHost();
        host.QueueCommand(new DspCommand(CommandKind.SetParam, 0, "gain", "gain", 3f, 1f));
        Render.Blocks(host, 10, 256);

        IModule gain = ModuleHost.LoadSnapshot(host.SaveSnapshot(), 512).Modules.Single(m => m.Id == "gain");

        Assert.Equal(3f, gain.GetParam("gain"));
        Assert.Equal(host.Modules.Single(m => m.Id == "gain").GetCurrentParam("gain"), gain.GetCurrentParam("gain"));
        Assert.InRange(gain.GetCurrentParam("gain"), 1.67f, 1.68f); // 1.6 -> 3 over 48000 frames, 2560 done
    }

    [Fact]
    public void EveryTruncationIsRejectedWithDspException()
    {
        ModuleHost host = RichHost();
        Render.Blocks(host, 5, 256, Commands);
        byte[] snapshot = host.SaveSnapshot();

        for (int length = 0; length < snapshot.Length; length++)
        {
            Assert.Throws<DspException>(() => ModuleHost.LoadSnapshot(snapshot.AsSpan(0, length), 512));
        }
    }

    [Fact]
    public void GarbageAndFlippedBitsAreRejectedWithDspException()
    {
        byte[] snapshot = RichHost().SaveSnapshot();
        var rng = new Xorshift(99);
        for (int i = 0; i < 200; i++)
        {
            byte[] garbage = new byte[rng.Next(0, 2000)];
            rng.Fill(garbage);
            Assert.Throws<DspException>(() => ModuleHost.LoadSnapshot(garbage, 512));

            byte[] flipped = (byte[])snapshot.Clone();
            flipped[rng.Next(0, flipped.Length)] ^= (byte)(1 << rng.Next(0, 8));
            Assert.Throws<DspException>(() => ModuleHost.LoadSnapshot(flipped, 512));
        }
    }

    [Theory]
    [InlineData(16, "module count")] // module count field
    [InlineData(12, "channel count")]
    [InlineData(4, "version")]
    public void FieldsWithAValidChecksumAreStillRangeChecked(int offset, string expected)
    {
        byte[] snapshot = RichHost().SaveSnapshot();
        BinaryPrimitives.WriteInt32LittleEndian(snapshot.AsSpan(offset), 1_000_000);
        Reseal(snapshot);

        var e = Assert.Throws<DspException>(() => ModuleHost.LoadSnapshot(snapshot, 512));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownModuleTypeInASnapshotIsRejectedByName()
    {
        var host = new ModuleHost(Render.Rate, 2, 64);
        host.AddModule("gain", "g");
        byte[] snapshot = host.SaveSnapshot();
        System.Text.Encoding.ASCII.GetBytes("nain").CopyTo(snapshot, 24); // type string starts after its length at 20
        Reseal(snapshot);

        var e = Assert.Throws<DspException>(() => ModuleHost.LoadSnapshot(snapshot, 64));

        Assert.Contains("\"nain\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANaNStateValueWithAValidChecksumIsRejected()
    {
        var host = new ModuleHost(Render.Rate, 1, 64);
        host.AddModule("gain", "g");
        byte[] snapshot = host.SaveSnapshot();
        BinaryPrimitives.WriteSingleLittleEndian(snapshot.AsSpan(snapshot.Length - 8 - 16), float.NaN); // gain ramp start
        Reseal(snapshot);

        Assert.Throws<DspException>(() => ModuleHost.LoadSnapshot(snapshot, 64));
    }

    private static void Reseal(byte[] snapshot)
    {
        ulong sum = SnapshotFormat.Checksum(snapshot.AsSpan(0, snapshot.Length - 8));
        BinaryPrimitives.WriteUInt64LittleEndian(snapshot.AsSpan(snapshot.Length - 8), sum);
    }
}
