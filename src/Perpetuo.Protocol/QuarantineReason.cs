namespace Perpetuo.Protocol;

/// <summary>
/// Why a module was quarantined: part of the region (the workers' reports), the journal (by name) and events.
/// Do not renumber.
/// </summary>
public enum QuarantineReason
{
    None = 0,
    /// <summary>Both replicas died inside the module at the same block (a signal, an abort).</summary>
    Crash = 1,
    /// <summary>Both replicas stayed inside the module at the same block past the hang timeout.</summary>
    Hang = 2,
    /// <summary>The module's output held NaN or Inf (caught by the worker at the module's boundary).</summary>
    Nan = 3,
    /// <summary>The module threw from its processing (caught by the worker at the module's boundary).</summary>
    Exception = 4,
}

/// <summary>The journal and event names of <see cref="QuarantineReason"/>.</summary>
public static class QuarantineReasons
{
    private static readonly string[] Names = ["none", "crash", "hang", "nan", "exception"];

    /// <summary>"crash", "hang", "nan" or "exception" ("none" for anything else).</summary>
    public static string Name(QuarantineReason reason) => (int)reason is > 0 and < 5 ? Names[(int)reason] : Names[0];

    /// <summary>The reason called <paramref name="name"/>, or <see cref="QuarantineReason.None"/>.</summary>
    public static QuarantineReason Parse(string name)
    {
        int i = Array.IndexOf(Names, name);
        return i > 0 ? (QuarantineReason)i : QuarantineReason.None;
    }

    /// <summary>
    /// True for the reasons the supervisor decides (both replicas died or hung at the block, so none rendered it):
    /// its quarantine is a command every replica and <c>render --journal</c> applies. False for the ones a worker
    /// catches itself part-way through a block; a render finds them the same way, by running the same code.
    /// </summary>
    public static bool IsDecidedBySupervisor(QuarantineReason reason) => reason is QuarantineReason.Crash or QuarantineReason.Hang;
}
