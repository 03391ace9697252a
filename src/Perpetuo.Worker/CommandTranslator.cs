using Perpetuo.Dsp;
using Perpetuo.Transport;

namespace Perpetuo.Worker;

/// <summary>
/// Turns command records from shared memory into DSP commands. The records are untrusted: a bad length or an
/// unknown kind yields false and the record is skipped (the host ignores unresolvable ids by itself).
/// </summary>
public static class CommandTranslator
{
    /// <summary>The DSP command for <paramref name="record"/>, applied at <paramref name="frameOffset"/>.</summary>
    public static bool TryTranslate(in CommandRecord record, int frameOffset, out DspCommand command)
    {
        command = default;
        if (record.Kind is < (int)CommandKind.SetParam or > (int)CommandKind.ClearModules)
        {
            return false;
        }
        string? id = record.IdString;
        string? name = record.NameString;
        if (id == null || name == null)
        {
            return false;
        }
        command = new DspCommand((DspCommandKind)record.Kind, frameOffset, id, name, record.Value, record.Value2);
        return true;
    }
}
