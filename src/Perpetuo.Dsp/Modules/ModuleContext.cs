namespace Perpetuo.Dsp;

/// <summary>What a module is configured for: fixed for its lifetime, so buffers are sized once.</summary>
/// <param name="SampleRate">Frames per second.</param>
/// <param name="Channels">Interleaved channels in the host buffer.</param>
/// <param name="MaxBlockFrames">Largest block (and therefore segment) the host will render.</param>
/// <param name="Input">The host's live input (what <c>input</c> modules read); none: silence.</param>
internal readonly record struct ModuleContext(int SampleRate, int Channels, int MaxBlockFrames, LiveInput? Input = null);
