namespace Perpetuo.Supervisor.Callback;

/// <summary>
/// Turns a gap in the stream into faded silence and the return of audio into a fade-in, so neither clicks.
/// </summary>
/// <remarks>Audio thread only. Allocation-free after construction.</remarks>
internal sealed class Declicker
{
    private readonly float[] _last;
    private readonly int _channels;
    private readonly int _rampFrames;
    private bool _silent;

    public Declicker(int channels, int blockFrames, int rampFrames = 128)
    {
        _channels = channels;
        _rampFrames = Math.Min(rampFrames, blockFrames);
        _last = new float[channels];
    }

    /// <summary>Fills <paramref name="block"/> with a ramp from the last sample played down to zero, then zeros.</summary>
    public void WriteFadeOut(Span<float> block)
    {
        block.Clear();
        if (!_silent)
        {
            for (int f = 0; f < _rampFrames; f++)
            {
                float g = 1f - ((f + 1f) / _rampFrames);
                for (int c = 0; c < _channels; c++)
                {
                    block[(f * _channels) + c] = _last[c] * g;
                }
            }
        }
        Array.Clear(_last);
        _silent = true;
    }

    /// <summary>Fades <paramref name="block"/> in if the previous block was silence; remembers its last frame.</summary>
    public void AfterPlayed(Span<float> block)
    {
        if (_silent)
        {
            for (int f = 0; f < _rampFrames; f++)
            {
                float g = (f + 1f) / _rampFrames;
                for (int c = 0; c < _channels; c++)
                {
                    block[(f * _channels) + c] *= g;
                }
            }
            _silent = false;
        }
        block[^_channels..].CopyTo(_last);
    }
}
