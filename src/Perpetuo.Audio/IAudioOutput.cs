namespace Perpetuo.Audio;

/// <summary>
/// A sink that pulls blocks from an <see cref="IBlockSource"/> at its own clock (the device clock rules).
/// </summary>
/// <remarks>
/// Design: the output owns the thread that calls the source, so a native backend (JACK, PortAudio) and a managed
/// one (null, WAV) look the same to the engine. The output may run at a sample rate or period imposed by a server;
/// <see cref="Format"/> is what it actually runs at once opened, and the engine renders at that format.
/// </remarks>
public interface IAudioOutput : IDisposable
{
    /// <summary>A short name for logs and status, e.g. "null", "wav:out.wav", "jack:perpetuo".</summary>
    string Name { get; }

    /// <summary>The format the output runs at (valid after construction).</summary>
    AudioFormat Format { get; }

    /// <summary>Blocks delivered to the device so far.</summary>
    long BlocksPlayed { get; }

    /// <summary>Xruns reported by the device or server (0 for outputs that cannot have any).</summary>
    long Xruns { get; }

    /// <summary>
    /// Whether the thread that calls the block source may run at a real-time priority (SCHED_FIFO). The engine
    /// raises its own control thread and workers above ordinary processes only when this is true: below a
    /// real-time audio thread they help it; above an ordinary one (a JACK server started without -R) they would
    /// preempt the very thread they feed.
    /// </summary>
    bool AudioThreadMayBeRealtime { get; }

    /// <summary>Starts pulling blocks from <paramref name="source"/>. Control thread only.</summary>
    void Start(IBlockSource source);

    /// <summary>Stops pulling; after it returns the source is no longer called. Control thread only.</summary>
    void Stop();
}
