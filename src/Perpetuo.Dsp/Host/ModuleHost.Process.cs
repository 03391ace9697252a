using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Perpetuo.Protocol;

namespace Perpetuo.Dsp;

/// <summary>The real-time half of the host: command intake and block rendering.</summary>
public sealed partial class ModuleHost
{
    /// <summary>Queues <paramref name="command"/> for the next <see cref="ProcessChain"/> call; see <see cref="TryQueueCommand"/>.</summary>
    /// <remarks>Audio (worker) thread. Never throws, never allocates.</remarks>
    public void QueueCommand(in DspCommand command) => TryQueueCommand(command);

    /// <summary>
    /// Queues <paramref name="command"/> for the next <see cref="ProcessChain"/> call, or rejects it (counted in
    /// <see cref="RejectedCommands"/>) when it is malformed: undefined kind, negative offset, NaN/Inf values,
    /// note outside 0..127, velocity outside 0..1, ramp outside 0..<see cref="MaxRampSeconds"/>, missing names,
    /// or a full queue. Checks that depend on the chain (module id, parameter name and range) happen when the
    /// command is applied, since an earlier command in the block may add the module; failures there are counted too.
    /// </summary>
    /// <remarks>Audio (worker) thread. Wait-free, allocation-free; the input may be garbage from shared memory.</remarks>
    public bool TryQueueCommand(in DspCommand command)
    {
        if (!IsWellFormed(command) || !_commands.TryAdd(command))
        {
            RejectedCommands++;
            return false;
        }

        return true;
    }

    /// <summary>
    /// Renders one block in place: clears <paramref name="interleaved"/>, applies the queued commands at their
    /// frame offsets (splitting the block there), runs every module in chain order, zeroes NaN/Inf, and, unless
    /// <see cref="SafetyClipperEnabled"/> is off, bends the block under <see cref="SafetyClipper.Ceiling"/>.
    /// </summary>
    /// <remarks>Audio (worker) thread. Must not allocate on the steady-state processing path (AddModule commands
    /// allocate once when applied). Bad commands never throw.</remarks>
    /// <exception cref="ArgumentException">Length is not a whole number of frames or exceeds the max block size (a caller bug).</exception>
    public void ProcessChain(Span<float> interleaved)
    {
        int frames = FramesOf(interleaved.Length);
        _reportCount = 0;
        interleaved.Clear();
        BeginBlock();
        _commands.SortByFrameOffset();
        int last = Math.Max(frames - 1, 0);
        int next = 0;
        int pos = 0;
        do
        {
            _events.Clear();
            while (next < _commands.Count && Math.Min(_commands[next].FrameOffset, last) <= pos)
            {
                Apply(_commands[next++]);
            }

            int end = next < _commands.Count ? Math.Min(_commands[next].FrameOffset, last) : frames;
            RenderSegment(interleaved.Slice(pos * Channels, (end - pos) * Channels), end - pos, pos);
            pos = end;
        }
        while (pos < frames);

        _events.Clear();
        _commands.Clear();
        SanitizeOutput(interleaved); // first: the clipper expects finite samples
        if (SafetyClipperEnabled)
        {
            LimitOutput(interleaved);
        }
    }

    /// <summary>
    /// Tells every module in the chain that is not quarantined that a block begins (an LV2 plugin delivers the worker
    /// responses due at this block), inside the same guard as a segment: a module that throws here is quarantined.
    /// </summary>
    private void BeginBlock()
    {
        for (int i = 0; i < _modules.Count; i++)
        {
            Module m = _modules[i];
            if (m.Quarantined || !m.HasBlockStart)
            {
                continue;
            }
            Probe?.Entering(i, m.IdUtf8);
            try
            {
                m.BeginBlock();
            }
#pragma warning disable CA1031 // as in RenderSegment: a module's fault is the same in every replica; bypass it
            catch (Exception e)
#pragma warning restore CA1031
            {
                MarkQuarantined(m, QuarantineReason.Exception, 0, e);
            }
            Probe?.Left();
        }
    }

    private void LimitOutput(Span<float> block)
    {
        int acted = SafetyClipper.Process(block);
        if (acted > 0)
        {
            ClippedSamples += acted;
            ClippedBlocks++;
        }
    }

    /// <summary>
    /// Runs every module that is not quarantined over one segment, each inside a guard: the probe is told which
    /// module runs (so a death or hang in it is attributable), and a module that throws or leaves NaN/Inf in the
    /// segment is quarantined on the spot — its input is put back (bypass), and it is skipped from then on. Every
    /// replica runs the same code on the same input, so every replica (and a render) quarantines it at the same
    /// frame: a deterministic fault costs no audio at all.
    /// </summary>
    /// <remarks>
    /// The guard costs a copy and a finite-check of the segment per module (a few hundred nanoseconds per module
    /// at 512 frames; docs/performance.md). A try block costs nothing until something throws. Note events a module
    /// emitted before it failed stay in the list: a downstream synth may still play them.
    /// </remarks>
    private void RenderSegment(Span<float> segment, int frames, int frame)
    {
        Span<float> dry = _dry.AsSpan(0, segment.Length);
        Input.SegmentFrame = frame;
        for (int i = 0; i < _modules.Count; i++)
        {
            Module m = _modules[i];
            if (m.Quarantined)
            {
                continue;
            }
            Probe?.Entering(i, m.IdUtf8);
            segment.CopyTo(dry);
            try
            {
                m.Process(segment, frames, _events);
            }
#pragma warning disable CA1031 // Any exception from a module is its fault, and the same in every replica: bypass it, keep playing.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Quarantine(m, QuarantineReason.Exception, frame, dry, segment, e);
                continue;
            }
            if (!AllFinite(segment))
            {
                Quarantine(m, QuarantineReason.Nan, frame, dry, segment, null);
            }
        }
        Probe?.Left();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Quarantine(Module m, QuarantineReason reason, int frame, ReadOnlySpan<float> dry, Span<float> segment, Exception? error)
    {
        dry.CopyTo(segment); // bypass: what entered the module leaves it
        MarkQuarantined(m, reason, frame, error);
    }

    private void MarkQuarantined(Module m, QuarantineReason reason, int frame, Exception? error)
    {
        m.Quarantined = true;
        LastQuarantineError = error;
        if (_reportCount < _reports.Length)
        {
            _reports[_reportCount++] = new QuarantineReport(m.Id, reason, frame) { ModuleIdUtf8 = m.IdUtf8 };
        }
    }

    /// <summary>True when every sample is finite. x * 0 is 0 for every finite x and NaN for NaN and ±Inf.</summary>
    private static bool AllFinite(ReadOnlySpan<float> samples)
    {
        ReadOnlySpan<Vector<float>> vectors = MemoryMarshal.Cast<float, Vector<float>>(samples);
        Vector<float> acc = Vector<float>.Zero;
        for (int i = 0; i < vectors.Length; i++)
        {
            acc += vectors[i] * Vector<float>.Zero;
        }
        float tail = 0f;
        for (int i = vectors.Length * Vector<float>.Count; i < samples.Length; i++)
        {
            tail += samples[i] * 0f;
        }
        return Vector.EqualsAll(acc, Vector<float>.Zero) && tail == 0f;
    }

    private int FramesOf(int length)
    {
        int frames = length / Channels;
        if (frames * Channels != length || frames > MaxBlockFrames)
        {
            ThrowBadBlock(length);
        }

        return frames;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowBadBlock(int length) => throw new ArgumentException(
        $"block of {length} samples is not a whole number of {Channels}-channel frames up to {MaxBlockFrames} frames");

    private void SanitizeOutput(Span<float> block)
    {
        for (int i = 0; i < block.Length; i++)
        {
            if (!float.IsFinite(block[i]))
            {
                block[i] = 0f;
                NonFiniteSamples++;
            }
        }
    }
}
