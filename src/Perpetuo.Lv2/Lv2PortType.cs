namespace Perpetuo.Lv2;

/// <summary>What an LV2 port carries (its lv2:Port subclass).</summary>
public enum Lv2PortType
{
    /// <summary>None Perpetuo knows.</summary>
    Other,

    /// <summary>lv2:AudioPort: a block of float samples.</summary>
    Audio,

    /// <summary>lv2:ControlPort: one float per block.</summary>
    Control,

    /// <summary>lv2:CVPort: a block of float control signal.</summary>
    CV,

    /// <summary>atom:AtomPort: an atom sequence (MIDI, patch messages).</summary>
    Atom,

    /// <summary>ev:EventPort, the deprecated predecessor of atom ports.</summary>
    Event,
}
