namespace Perpetuo.Dsp;

/// <summary>
/// Base of modules that react to note events (osc follow, adsr, synth). Design: a segment is rendered in
/// runs between events, so an event at frame f takes effect exactly at frame f.
/// </summary>
internal abstract class NoteModule : Module
{
    protected NoteModule(ModuleDescriptor descriptor, string id, in ModuleContext context)
        : base(descriptor, id, context)
    {
    }

    internal sealed override void Process(Span<float> block, int frames, NoteEventList events)
    {
        int start = 0;
        for (int e = 0; e < events.Count; e++)
        {
            ref readonly NoteEvent ev = ref events[e];
            if (ev.Frame > start)
            {
                Render(block.Slice(start * Channels, (ev.Frame - start) * Channels), ev.Frame - start);
                start = ev.Frame;
            }

            OnNote(ev);
        }

        if (frames > start)
        {
            Render(block.Slice(start * Channels, (frames - start) * Channels), frames - start);
        }

        Sanitize();
    }

    /// <summary>Renders a run of frames with no events inside it.</summary>
    protected abstract void Render(Span<float> block, int frames);

    /// <summary>Applies one event (at the frame about to be rendered).</summary>
    protected abstract void OnNote(in NoteEvent e);

    /// <summary>Zaps feedback state once per segment.</summary>
    protected virtual void Sanitize()
    {
    }
}
