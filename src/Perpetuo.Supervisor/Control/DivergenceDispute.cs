namespace Perpetuo.Supervisor.Control;

/// <summary>
/// The question two disagreeing replicas raise: which of them is right. It is opened when the standby's blocks
/// differ from the active's (the standby is replaced: what is heard never changes on a guess), and decided by
/// evidence, not by role: the slot's next worker is appointed referee — replayed from confirmed state (the newest
/// checkpoint and the command log), it is by definition what <c>render --journal</c> plays. Its agreeing with the
/// active, its disagreeing (the active is then replaced), or no worker left to doubt settles the question. While it
/// is open no checkpoint is taken or proposed: the active's state is unproven.
/// </summary>
/// <remarks>
/// Invariants: a referee only while the question is open; settling clears both; losing the referee's worker leaves
/// the question open, without a referee until the next is appointed. Pure: <c>DivergenceDisputeTests</c>. Control
/// thread only.
/// </remarks>
internal sealed class DivergenceDispute
{
    private const int None = -1;

    /// <summary>Two replicas disagreed and nothing has decided which was right yet.</summary>
    public bool IsOpen { get; private set; }

    /// <summary>The slot whose worker replays from confirmed state to decide the question, or -1.</summary>
    public int Referee { get; private set; } = None;

    /// <summary>The standby disagreed with the active (opening an open question again changes nothing).</summary>
    public void Open() => IsOpen = true;

    /// <summary>Whether <paramref name="slot"/> is the referee.</summary>
    public bool IsReferee(int slot) => slot >= 0 && slot == Referee;

    /// <summary>The worker starting in <paramref name="slot"/> from confirmed state decides the open question.</summary>
    public void Appoint(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        if (!IsOpen)
        {
            throw new InvalidOperationException("no open question to referee");
        }
        Referee = slot;
    }

    /// <summary><paramref name="slot"/>'s worker is gone (killed, exited): if it was the referee, there is none now.</summary>
    public void Lost(int slot)
    {
        if (IsReferee(slot))
        {
            Referee = None;
        }
    }

    /// <summary>A worker starts with no survivor to compare it with: nobody referees; the question stays open.</summary>
    public void NoReferee() => Referee = None;

    /// <summary>Decided (either way), or nobody is left to doubt.</summary>
    public void Settle()
    {
        IsOpen = false;
        Referee = None;
    }
}
