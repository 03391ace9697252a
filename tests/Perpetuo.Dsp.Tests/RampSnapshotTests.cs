using System.Runtime.InteropServices;
using Perpetuo.Protocol;

namespace Perpetuo.Dsp.Tests;

/// <summary>
/// A worker may be killed and resynced from a snapshot at any block of the longest legal ramp: the snapshot
/// must load (no parameter out of its range) and continue bit-identically to the run that was never interrupted.
/// </summary>
public sealed class RampSnapshotTests
{
    private const int Frames = 4800;
    private const int RampBlocks = 6000; // 600 s (ModuleHost.MaxRampSeconds) at 48 kHz
    private const int Continue = 40;

    [Fact]
    public void SnapshotsAtRandomPointsOfTheLongestRampLoadAndContinueBitIdentically()
    {
        // Snapshot points: seeded ones anywhere, plus the last stretch (where a float accumulator had run past
        // level's minimum 0) and the blocks around the end of the ramp.
        var rng = new Xorshift(7);
        SortedSet<int> points = [1, 5500, 5998, 5999, 6000];
        while (points.Count < 17)
        {
            points.Add(rng.Next(1, RampBlocks));
        }

        ModuleHost host = RampingHost();
        var hashes = new ulong[RampBlocks + Continue + 2];
        var snapshots = new Dictionary<int, byte[]>();
        var block = new float[Frames];
        for (int b = 0; b < hashes.Length; b++)
        {
            if (points.Contains(b) || points.Contains(b - Continue))
            {
                snapshots[b] = host.SaveSnapshot();
            }

            host.ProcessChain(block);
            hashes[b] = Hash(block);
        }

        foreach (int at in points)
        {
            ModuleHost restored = Load(snapshots[at], at);
            for (int b = at; b < at + Continue; b++)
            {
                restored.ProcessChain(block);
                Assert.True(hashes[b] == Hash(block), $"restored at block {at}: block {b} differs from the uninterrupted run");
            }

            Assert.Equal(snapshots[at + Continue], restored.SaveSnapshot());
        }
    }

    /// <summary>A sine whose level ramps 1 -> 0 and a gain ramping 0.5 -> 4, both over 600 s, from block 0.</summary>
    private static ModuleHost RampingHost()
    {
        var host = new ModuleHost(Render.Rate, 1, Frames);
        host.AddModule("osc", "o", [Render.P("freq", 441), Render.P("level", 1)]);
        host.AddModule("gain", "g", [Render.P("gain", 0.5f)]);
        host.QueueCommand(new DspCommand(CommandKind.SetParam, 0, "o", "level", 0, ModuleHost.MaxRampSeconds));
        host.QueueCommand(new DspCommand(CommandKind.SetParam, 0, "g", "gain", 4, ModuleHost.MaxRampSeconds));
        return host;
    }

    private static ModuleHost Load(byte[] snapshot, int at)
    {
        try
        {
            return ModuleHost.LoadSnapshot(snapshot, Frames);
        }
        catch (DspException e)
        {
            Assert.Fail($"the snapshot taken at block {at} of a legal ramp was rejected: {e.Message}");
            throw;
        }
    }

    private static ulong Hash(float[] block) => SnapshotFormat.Checksum(MemoryMarshal.AsBytes(block.AsSpan()));
}
