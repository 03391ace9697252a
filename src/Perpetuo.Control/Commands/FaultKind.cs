namespace Perpetuo.Control.Commands;

/// <summary>The faults `/perpetuo/fault` can inject into one worker (testing only).</summary>
public enum FaultKind
{
    /// <summary>The worker kills itself.</summary>
    Crash,
    /// <summary>The worker stops itself (SIGSTOP): a hang.</summary>
    Hang,
    /// <summary>The worker sleeps Value ms in each of the next Value2 blocks.</summary>
    Stall,
    /// <summary>The worker publishes one block of NaN.</summary>
    Nan,
    /// <summary>The worker's header gets an impossible write position.</summary>
    Corrupt,
    /// <summary>The next snapshot the worker publishes has one bit flipped.</summary>
    Snapshot,
    /// <summary>Every block the worker publishes from now on is off by a little (a replica that silently went wrong).</summary>
    Diverge,
}
