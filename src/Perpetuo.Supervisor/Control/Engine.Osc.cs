using Perpetuo.Supervisor.Osc;

namespace Perpetuo.Supervisor.Control;

// The engine as the OSC server's target. TrySubmit, TryInjectFault and CountRejected are the engine's own
// members; this file adds only the clock (Status() is the engine's own too). Control thread only.
public sealed partial class Engine : IEngineTarget
{
    int IEngineTarget.SampleRate => _options.SampleRate;

    int IEngineTarget.BlockFrames => _options.BlockFrames;

    long IEngineTarget.NextBlock => Reader.NextSeq;
}
