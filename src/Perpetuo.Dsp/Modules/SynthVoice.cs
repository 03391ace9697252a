namespace Perpetuo.Dsp;

/// <summary>One voice of the <c>synth</c>: oscillator phase, envelope and the note it plays.</summary>
// Mutable struct! Voices live in an array and are updated through refs/locals; don't make it readonly.
internal struct SynthVoice
{
    /// <summary>MIDI note, or -1 for a voice that never played.</summary>
    public int Note;
    public float Velocity;
    public double Phase;
    public double Dt;
    public Envelope Env;

    /// <summary>Start order, for stealing the oldest voice (a host-lifetime counter, not a clock).</summary>
    public long Started;

    /// <summary>True between NoteOn and NoteOff (a releasing voice is active but not gated).</summary>
    public bool Gated;

    public void Write(SnapshotWriter w)
    {
        w.WriteInt32(Note);
        w.WriteSingle(Velocity);
        w.WriteDouble(Phase);
        w.WriteDouble(Dt);
        Env.Write(w);
        w.WriteInt64(Started);
        w.WriteBool(Gated);
    }

    public void Read(ref SnapshotReader r)
    {
        Note = r.ReadInt32("voice note", -1, 127);
        Velocity = r.ReadSingle("voice velocity", 0, 1);
        Phase = r.ReadDouble("voice phase", 0, 0.9999999999999999);
        Dt = r.ReadDouble("voice phase increment", 0, OscModule.MaxDt);
        Env.Read(ref r);
        Started = r.ReadInt64("voice start order", 0, long.MaxValue);
        Gated = r.ReadBool("voice gate");
    }
}
