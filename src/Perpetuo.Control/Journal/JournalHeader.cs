namespace Perpetuo.Control.Journal;

/// <summary>
/// A journal's header, its <c>{"kind":"session",...}</c> line: the session it was recorded in, what
/// <c>render --journal</c> needs besides the commands to reproduce it. The block matters as much as the rate: every command is stamped with a
/// block number, which names a different instant at another block size.
/// </summary>
/// <param name="SampleRate">Hz, as the output ran (JACK may have imposed it, whatever --rate asked).</param>
/// <param name="Channels">Output channels.</param>
/// <param name="BlockFrames">Frames per block: the unit of the commands' stamps.</param>
/// <param name="Limiter">The output safety stage: false for a <c>play --no-limiter</c> session.</param>
/// <param name="Input">The file name (in the journal's directory) of the float WAV holding the live input the
/// session received, block 0 first; null for a session without live input.</param>
/// <param name="Patch">The patch the session started with, its JSON text (the content, not a path: the file may
/// change or go); null in a journal written before journals held it.</param>
public sealed record JournalHeader(int SampleRate, int Channels, int BlockFrames, bool Limiter, string? Input = null, string? Patch = null);
