namespace Perpetuo.Dsp;

/// <summary>
/// <c>filter</c>: resonant TPT state-variable filter (Simper/Cytomic), one state pair per channel, in place.
/// Design: coefficients are computed once per segment when cutoff and resonance are settled and per frame
/// only while they ramp. Outputs: lowpass v2, bandpass k*v1 (unity peak gain at any resonance), highpass
/// v0 - k*v1 - v2. State is zapped (denormal/NaN/Inf) on write-back.
/// </summary>
internal sealed class FilterModule : Module
{
    public const int Mode = 0;
    public const int Cutoff = 1;
    public const int Resonance = 2;

    public static readonly ModuleDescriptor TypeDescriptor = new("filter", "resonant state-variable filter, per channel",
    [
        ParamDescriptor.Choice("mode", 0, "0=lowpass 1=bandpass 2=highpass", "lowpass", "bandpass", "highpass"),
        ParamDescriptor.Smooth("cutoff", 20, 20000, 1000, "cutoff in Hz (clamped to 0.49 x sample rate)"),
        ParamDescriptor.Smooth("resonance", 0, 1, 0.2f, "0 = no peak, 1 = near self-oscillation"),
    ]);

    private readonly float[] _ic1;
    private readonly float[] _ic2;

    public FilterModule(string id, in ModuleContext context)
        : base(TypeDescriptor, id, context)
    {
        _ic1 = new float[context.Channels];
        _ic2 = new float[context.Channels];
    }

    internal override void Process(Span<float> block, int frames, NoteEventList events)
    {
        ParamState cutoff = Param(Cutoff);
        ParamState res = Param(Resonance);
        int mode = (int)Param(Mode).Target;
        if (cutoff.IsSettled && res.IsSettled)
        {
            var co = new SvfCoefficients(cutoff.Current, res.Current, Context.SampleRate);
            for (int c = 0; c < Channels; c++)
            {
                RunChannel(block, frames, c, co, mode);
            }
        }
        else
        {
            RunRamping(block, frames, ref cutoff, ref res, mode);
            Param(Cutoff) = cutoff;
            Param(Resonance) = res;
        }

        for (int c = 0; c < Channels; c++)
        {
            _ic1[c] = Gremlins.Zap(_ic1[c]);
            _ic2[c] = Gremlins.Zap(_ic2[c]);
        }
    }

    protected override void ResetState()
    {
        Array.Clear(_ic1);
        Array.Clear(_ic2);
    }

    internal override void WriteState(SnapshotWriter w)
    {
        w.WriteInt32(_ic1.Length);
        for (int c = 0; c < _ic1.Length; c++)
        {
            w.WriteSingle(_ic1[c]);
            w.WriteSingle(_ic2[c]);
        }
    }

    internal override void ReadState(ref SnapshotReader r)
    {
        r.ReadInt32("filter channel count", _ic1.Length, _ic1.Length);
        for (int c = 0; c < _ic1.Length; c++)
        {
            _ic1[c] = r.ReadSingle("filter state", -1e15f, 1e15f);
            _ic2[c] = r.ReadSingle("filter state", -1e15f, 1e15f);
        }
    }

    /// <summary>Settled coefficients: one channel at a time with its state in locals.</summary>
    private void RunChannel(Span<float> block, int frames, int c, in SvfCoefficients co, int mode)
    {
        float ic1 = _ic1[c];
        float ic2 = _ic2[c];
        int ch = Channels;
        for (int i = c; i < frames * ch; i += ch)
        {
            block[i] = Tick(block[i], ref ic1, ref ic2, co, mode);
        }

        _ic1[c] = ic1;
        _ic2[c] = ic2;
    }

    /// <summary>Ramping cutoff or resonance: new coefficients every frame, channels inner.</summary>
    private void RunRamping(Span<float> block, int frames, ref ParamState cutoff, ref ParamState res, int mode)
    {
        int ch = Channels;
        for (int i = 0; i < frames; i++)
        {
            var co = new SvfCoefficients(cutoff.Next(), res.Next(), Context.SampleRate);
            for (int c = 0; c < ch; c++)
            {
                block[(i * ch) + c] = Tick(block[(i * ch) + c], ref _ic1[c], ref _ic2[c], co, mode);
            }
        }
    }

    private static float Tick(float v0, ref float ic1, ref float ic2, in SvfCoefficients co, int mode)
    {
        float v3 = v0 - ic2;
        float v1 = (co.A1 * ic1) + (co.A2 * v3);
        float v2 = ic2 + (co.A2 * ic1) + (co.A3 * v3);
        ic1 = (2f * v1) - ic1;
        ic2 = (2f * v2) - ic2;
        return mode switch
        {
            1 => co.K * v1,
            2 => v0 - (co.K * v1) - v2,
            _ => v2,
        };
    }
}
