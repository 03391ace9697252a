using Perpetuo.Protocol;

namespace Perpetuo.Dsp;

/// <summary>
/// One timed instruction for a <see cref="ModuleHost"/>, applied during the next
/// <see cref="ModuleHost.ProcessChain"/> call at <paramref name="FrameOffset"/> frames into the block.
/// </summary>
/// <param name="Kind">What to do; see <see cref="CommandKind"/> for the meaning of the other fields.</param>
/// <param name="FrameOffset">Frame within the next block, 0-based. Offsets past the block end are applied on its last frame.</param>
/// <param name="ModuleId">Target module id (SetParam, AddModule, RemoveModule).</param>
/// <param name="Name">Parameter name (SetParam) or module type (AddModule).</param>
/// <param name="Value">Parameter value or MIDI note.</param>
/// <param name="Value2">Ramp seconds (SetParam) or velocity (NoteOn).</param>
public readonly record struct DspCommand(
    CommandKind Kind,
    int FrameOffset,
    string ModuleId = "",
    string Name = "",
    float Value = 0,
    float Value2 = 0);
