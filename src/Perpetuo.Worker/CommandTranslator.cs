using Perpetuo.Control.Commands;
using Perpetuo.Dsp;
using Perpetuo.Transport;
using Perpetuo.Protocol;

namespace Perpetuo.Worker;

/// <summary>
/// Turns command records from shared memory into DSP commands. The records are untrusted: a bad length or an
/// unknown kind yields false and the record is skipped (the host ignores unresolvable ids by itself).
/// </summary>
public static class CommandTranslator
{
    [ThreadStatic]
    private static Utf8Strings? t_strings;

    private static Utf8Strings Strings => t_strings ??= new Utf8Strings();

    /// <summary>The DSP command for <paramref name="record"/>, applied at <paramref name="frameOffset"/>.</summary>
    public static bool TryTranslate(in CommandRecord record, int frameOffset, out DspCommand command)
    {
        command = default;
        if (record.Kind is < (int)CommandKind.SetParam or > (int)CommandKind.Restore)
        {
            return false;
        }
        if (record.IdLength is < 0 or > CommandRecord.MaxIdBytes || record.NameLength is < 0 or > CommandRecord.MaxNameBytes)
        {
            return false;
        }
        // The same few ids and names arrive again and again: reuse their strings, so the render loop does not
        // allocate per command.
        string id = Strings.Get(record.Id[..record.IdLength]);
        string name = Strings.Get(record.Name[..record.NameLength]);
        command = new DspCommand((CommandKind)record.Kind, frameOffset, id, name, record.Value, record.Value2);
        return true;
    }
}
