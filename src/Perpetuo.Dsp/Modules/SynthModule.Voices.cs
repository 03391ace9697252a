namespace Perpetuo.Dsp;

/// <summary>Voice allocation and per-voice rendering of the <c>synth</c>. Everything here runs on the audio thread, allocation-free.</summary>
internal sealed partial class SynthModule
{
    private void RenderVoice(ref SynthVoice voice, Span<float> mono, int wave)
    {
        switch (wave)
        {
            case 0: RenderVoice<SineWave>(ref voice, mono); break;
            case 2: RenderVoice<SquareWave>(ref voice, mono); break;
            case 3: RenderVoice<TriangleWave>(ref voice, mono); break;
            default: RenderVoice<SawWave>(ref voice, mono); break;
        }
    }

    private void RenderVoice<TWave>(ref SynthVoice voice, Span<float> mono)
        where TWave : struct, IWaveform
    {
        double phase = voice.Phase;
        double dt = voice.Dt;
        float vel = voice.Velocity;
        Envelope env = voice.Env;
        for (int i = 0; i < mono.Length && env.IsActive; i++)
        {
            mono[i] += TWave.Sample(phase, dt) * env.Next(_settings) * vel;
            phase += dt;
            if (phase >= 1.0)
            {
                phase -= 1.0;
            }
        }

        voice.Phase = phase;
        voice.Env = env;
    }

    private void NoteOn(int note, float velocity)
    {
        int v = FindVoice(note);
        ref SynthVoice voice = ref _voices[v];
        if (!voice.Env.IsActive)
        {
            voice.Phase = 0;
        }

        voice.Note = note;
        voice.Velocity = velocity;
        voice.Dt = Math.Min(MidiPitch.ToHz(note) / Context.SampleRate, OscModule.MaxDt);
        voice.Started = ++_started;
        voice.Gated = true;
        voice.Env.Trigger();
    }

    private void NoteOff(int note)
    {
        for (int v = 0; v < _voices.Length; v++)
        {
            if (_voices[v].Gated && _voices[v].Note == note)
            {
                _voices[v].Gated = false;
                _voices[v].Env.Release();
            }
        }
    }

    /// <summary>The voice already sounding this note, else a free voice, else the oldest within the limit.</summary>
    private int FindVoice(int note)
    {
        int limit = (int)Param(Voices).Target;
        for (int v = 0; v < _voices.Length; v++)
        {
            if (_voices[v].Env.IsActive && _voices[v].Note == note)
            {
                return v;
            }
        }

        int oldest = 0;
        for (int v = 0; v < limit; v++)
        {
            if (!_voices[v].Env.IsActive)
            {
                return v;
            }

            if (_voices[v].Started < _voices[oldest].Started)
            {
                oldest = v;
            }
        }

        return oldest;
    }
}
