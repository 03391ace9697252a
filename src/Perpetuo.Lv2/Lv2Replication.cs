namespace Perpetuo.Lv2;

/// <summary>
/// The replication check of one plugin in one process: two fresh instances, created one after the other, are fed
/// the same input (a fixed pseudo-random signal, and an instrument a few notes) for <see cref="Blocks"/> blocks — once
/// with every control at its default and once, in fresh instances again, with every control mid-range — and the
/// hashes of both instances' outputs are returned. The caller (`perpetuo plugins --check`) runs it in two processes,
/// the second with glibc's MALLOC_PERTURB_ and with the stack under each run filled with the same pattern
/// (<paramref name="stackPattern"/> of <see cref="Check"/>) and a millisecond's pause after each of an instance's first
/// blocks, and hosts the plugin only when both processes give the same hashes: a plugin that reads memory it never
/// wrote, or depends on timing (threads of its own), plays differently there. Two instances that differ from each other in one process, but alike in both, keep state
/// outside their instance (the C library's process-wide rand(), a shared table): they are hosted, because every
/// replica and render runs plugins only in a process of its own that has run the same plugins in the same order
/// (a respawned worker replays from before the first plugin: docs/architecture.md, LV2 plugins). The per-block hash
/// comparison of the two replicas stays the final judge for whatever this test misses.
/// </summary>
/// <remarks>Control thread (the child of `perpetuo plugins --check`). Allocates.</remarks>
public static class Lv2Replication
{
    /// <summary>Blocks rendered by each instance: enough for a delay line or a reverb tail to wrap and feed back.</summary>
    public const int Blocks = 64;

    /// <summary>Frames per block of the test.</summary>
    public const int BlockFrames = 256;

    /// <summary>
    /// Blocks at the start of each instance after which the perturbed process waits a millisecond (the plain one
    /// renders flat out): a plugin whose sound depends on when a thread of its own finishes plays differently.
    /// </summary>
    private const int PacedBlocks = 16;

    /// <summary>Bytes of stack filled with the pattern before each run, in the perturbed process.</summary>
    private const int StackBytes = 64 * 1024;

    /// <summary>
    /// Renders the plugin in two fresh instances, one after the other, and hashes each one's output: the same two
    /// hashes in every process for a plugin that can be replicated. Not run (and why, in words a musician
    /// understands) when it is not supported or does not instantiate.
    /// </summary>
    /// <param name="phase">Told "instantiate", "activate" and "run" before each step, so that a parent process watching
    /// this one can say in which a plugin crashed or hung (`perpetuo plugins --check` runs each check in a child).</param>
    /// <param name="stackPattern">Fill the stack under each run with this byte first (the perturbed process), or not.</param>
    public static Lv2CheckResult Check(Lv2Catalog catalog, Lv2PluginInfo plugin, double sampleRate, Action<string>? phase = null,
                                       byte? stackPattern = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(plugin);
        if (!plugin.Supported)
        {
            return new Lv2CheckResult(false, plugin.Reason, []);
        }
        try
        {
            ResetRandom(); // the C library's generator as a fresh process has it: plugins checked before leave no trace
            ulong[] hashes = new ulong[4];
            for (int copy = 0; copy < 2; copy++)
            {
                hashes[2 * copy] = Fnv1a(Render(catalog, plugin.Uri, sampleRate, midRange: false, phase, stackPattern, out float latency));
                hashes[(2 * copy) + 1] = Fnv1a(Render(catalog, plugin.Uri, sampleRate, midRange: true, phase, stackPattern, out _));
                if (copy == 0)
                {
                    Latency = latency;
                }
            }
            return new Lv2CheckResult(true, "", hashes) { LatencyFrames = Latency };
        }
        catch (Lv2Exception e)
        {
            return new Lv2CheckResult(false, e.Message, []);
        }
    }

    [ThreadStatic]
    private static float Latency;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "srand")]
    private static extern void SRand(uint seed);

    /// <summary>srand(1): glibc's generator in a process that never seeded it.</summary>
    private static void ResetRandom() => SRand(1);

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

    /// <summary>
    /// Fills the stack below the caller's frame with <paramref name="pattern"/>: the frames of the run called next
    /// occupy the same bytes, so a plugin reading a local it never set reads the pattern (what MALLOC_PERTURB_ does
    /// for the heap).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void DirtyStack(byte pattern)
    {
        Span<byte> stack = stackalloc byte[StackBytes];
        stack.Fill(pattern);
        System.Threading.Volatile.Write(ref s_sink, stack[StackBytes - 1]); // the fill is observable: never optimised away
    }

    private static byte s_sink;

    private static ulong Fnv1a(float[] samples)
    {
        ulong h = 14695981039346656037UL;
        foreach (float f in samples)
        {
            h = (h ^ BitConverter.SingleToUInt32Bits(f)) * 1099511628211UL;
        }
        return h;
    }

    /// <summary>One fresh instance's output over the test, and the latency it reported at its end (in frames).</summary>
    private static float[] Render(Lv2Catalog catalog, string uri, double sampleRate, bool midRange, Action<string>? phase, byte? stack,
                                  out float latency)
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
            if (stack is { } pattern)
            {
                DirtyStack(pattern);
            }
            p.Run(BlockFrames);
            if (stack != null && b < PacedBlocks)
            {
                Thread.Sleep(1); // and paced: a plugin's own thread gets the time to finish that it lacks flat out
            }
            for (int i = 0; i < p.AudioOutputCount; i++)
            {
                p.AudioOutput(i)[..BlockFrames].CopyTo(output.AsSpan(o));
                o += BlockFrames;
            }
        }
        latency = p.ReportedLatency;
        return output;
    }
}
