using System.Runtime.CompilerServices;

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
        interleaved.Clear();
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
            RenderSegment(interleaved.Slice(pos * Channels, (end - pos) * Channels), end - pos);
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

    private void LimitOutput(Span<float> block)
    {
        int acted = SafetyClipper.Process(block);
        if (acted > 0)
        {
            ClippedSamples += acted;
            ClippedBlocks++;
        }
    }

    private void RenderSegment(Span<float> segment, int frames)
    {
        for (int i = 0; i < _modules.Count; i++)
        {
            _modules[i].Process(segment, frames, _events);
        }
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
