namespace Perpetuo.Supervisor.Control;

/// <summary>Why the engine SIGKILLs a worker: the <c>killed</c> event's <c>reason</c> (<see cref="KillReasons.Name"/>).</summary>
public enum KillReason
{
    /// <summary>No heartbeat for the hang timeout while it had work.</summary>
    Hung,

    /// <summary>Missed too many blocks the output needed while a healthy peer had them.</summary>
    Slow,

    /// <summary>Broke the protocol (a corrupt header, NaN in a published block).</summary>
    Faulty,

    /// <summary>Its blocks disagree with what was played, and the evidence says it is the wrong one.</summary>
    Diverged,

    /// <summary>Its ring holds commands past a block a module was just quarantined at: it would fail there too.</summary>
    Quarantine,

    /// <summary>The trailing replica played a block with a module bypassed (a deadline switch) that was not heard: its history is not the session's.</summary>
    BypassNotHeard,

    /// <summary>A leader rendered past a block whose bypass was heard (or undone): its history is not the session's.</summary>
    PastTheBypass,
}

/// <summary>The names <see cref="KillReason"/>s have in events.</summary>
public static class KillReasons
{
    /// <summary>The event name of <paramref name="reason"/>: lower case, words joined by underscores.</summary>
    public static string Name(KillReason reason) => reason switch
    {
        KillReason.Hung => "hung",
        KillReason.Slow => "slow",
        KillReason.Faulty => "faulty",
        KillReason.Diverged => "diverged",
        KillReason.Quarantine => "quarantine",
        KillReason.BypassNotHeard => "bypass_not_heard",
        KillReason.PastTheBypass => "past_the_bypass",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
