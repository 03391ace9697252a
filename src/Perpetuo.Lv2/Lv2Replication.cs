namespace Perpetuo.Lv2;

/// <summary>
/// Whether a plugin can be kept identical in two worker processes: two fresh instances, created one after the
/// other in this process, are fed the same input (a fixed pseudo-random signal) for <see cref="Blocks"/> blocks — once
/// with every control at its default and once, in fresh instances again, with every control mid-range — and must
/// give the same bits. A plugin that reads memory it never wrote, or keeps
/// state outside its instance (the C library's process-global <c>rand()</c>: the second instance continues the
/// first one's sequence), fails; it is refused, since a respawned worker could never be brought to the survivor's
/// state. An instrument (a plugin with a MIDI input) is played a few notes. The per-block hash comparison of the two
/// replicas stays the final judge for whatever this test misses.
/// </summary>
/// <remarks>Control thread (the scan of `perpetuo plugins --check`). Allocates.</remarks>
public static class Lv2Replication
{
    /// <summary>Blocks rendered by each instance: enough for a delay line or a reverb tail to wrap and feed back.</summary>
    public const int Blocks = 64;

    /// <summary>Frames per block of the test.</summary>
    public const int BlockFrames = 256;

    /// <summary>
    /// True when two fresh instances agree bit for bit (otherwise false and why, in words a musician understands),
    /// and a hash of the first instance's output: the same in every process for a plugin that
    /// can be replicated. A caller compares it across two processes — a plugin that reads memory it never wrote
    /// can agree with itself inside one process and still differ between two (swh chebstortion did).
    /// </summary>
    /// <param name="phase">Told "instantiate", "activate" and "run" before each step, so that a parent process watching
    /// this one can say in which a plugin crashed or hung (`perpetuo plugins --check` runs each check in a child).</param>
    public static (bool Replicable, string Reason, ulong Hash) CheckWithHash(Lv2Catalog catalog, Lv2PluginInfo plugin, double sampleRate,
                                                                           Action<string>? phase = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(plugin);
        if (!plugin.Supported)
        {
            return (false, plugin.Reason, 0);
        }
        try
        {
            float[] first = Render(catalog, plugin.Uri, sampleRate, phase);
            float[] second = Render(catalog, plugin.Uri, sampleRate, phase);
            ulong hash = Fnv1a(first);
            if (!first.AsSpan().SequenceEqual(second))
            {
                return (false, "two fresh copies of it given the same input play different sounds (it reads memory it never " +
                               "wrote, or shares state such as a random generator between copies), so the two workers " +
                               "could not be kept identical", hash);
            }
            return (true, "", hash);
        }
        catch (Lv2Exception e)
        {
            return (false, e.Message, 0);
        }
    }

    /// <summary>
    /// An instrument's notes (a MIDI effect's too): a chord held over most of the test, notes mid-block, a velocity
    /// range, a retriggered note and an all-notes-off, so a synth's voices, envelopes and release all run.
    /// </summary>
    private static void PlayNotes(Lv2Plugin p, int block)
    {
        switch (block)
        {
            case 1:
                p.TryWriteMidi(0, 0x90, 60, 100);
                p.TryWriteMidi(37, 0x90, 64, 80);
                p.TryWriteMidi(200, 0x90, 67, 127);
                break;
            case 12:
                p.TryWriteMidi(5, 0x80, 64, 64);
                p.TryWriteMidi(101, 0x90, 72, 30);
                break;
            case 20:
                p.TryWriteMidi(128, 0x90, 72, 90); // again while it sounds
                break;
            case 40:
                p.TryWriteMidi(0, 0x80, 60, 0);
                p.TryWriteMidi(0, 0x80, 67, 0);
                p.TryWriteMidi(3, 0x80, 72, 0);
                p.TryWriteMidi(255, 0x90, 48, 110);
                break;
            case 52:
                p.TryWriteMidi(17, 0xB0, 123, 0); // all notes off
                break;
        }
    }

    private static ulong Fnv1a(float[] samples)
    {
        ulong h = 14695981039346656037UL;
        foreach (float f in samples)
        {
            h = (h ^ BitConverter.SingleToUInt32Bits(f)) * 1099511628211UL;
        }
        return h;
    }

    private static float[] Render(Lv2Catalog catalog, string uri, double sampleRate, Action<string>? phase) =>
        [.. Render(catalog, uri, sampleRate, midRange: false, phase), .. Render(catalog, uri, sampleRate, midRange: true, phase)];

    private static float[] Render(Lv2Catalog catalog, string uri, double sampleRate, bool midRange, Action<string>? phase)
    {
        phase?.Invoke("instantiate");
        using Lv2Plugin p = catalog.Instantiate(uri, sampleRate, BlockFrames);
        phase?.Invoke("activate");
        p.Activate();
        p.SettleWork();
        phase?.Invoke("run");
        var output = new float[Blocks * BlockFrames * Math.Max(1, p.AudioOutputCount)];
        uint x = 0x9E3779B9; // xorshift32: the same input in every run and every process
        int o = 0;
        for (int b = 0; b < Blocks; b++)
        {
            if (b == 0 && midRange)
            {
                // Every control mid-range from the first run on: a path its defaults leave idle gets its turn, and
                // straight after activation (swh chebstortion read memory it never wrote only when its distortion,
                // 0 by default, was up from the start).
                for (int i = 0; i < p.ControlInputCount; i++)
                {
                    Lv2ControlInput c = p.Info.ControlInputs[i];
                    p.SetControlInput(i, c.IsInteger || c.IsToggled ? MathF.Round((c.Min + c.Max) / 2) : (c.Min + c.Max) / 2);
                }
            }
            for (int i = 0; i < p.AudioInputCount; i++)
            {
                Span<float> input = p.AudioInput(i);
                for (int f = 0; f < BlockFrames; f++)
                {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    input[f] = ((x >> 8) * (1f / (1 << 24)) * 1.8f) - 0.9f; // near full scale: a quiet input leaves some paths idle
                }
            }
            p.BeginBlock();
            PlayNotes(p, b);
            p.Run(BlockFrames);
            for (int i = 0; i < p.AudioOutputCount; i++)
            {
                p.AudioOutput(i)[..BlockFrames].CopyTo(output.AsSpan(o));
                o += BlockFrames;
            }
        }
        return output;
    }
}
