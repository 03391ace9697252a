namespace Perpetuo.Dsp;

/// <summary>
/// <c>fault</c>: a test-only module that fails deterministically, the way a buggy third-party plugin does, in every
/// replica at the same block. Built only by a host whose <see cref="ModuleHost.AllowFaultModules"/> is on (a worker
/// of `play --allow-fault-injection`); never by `render`, which needs it not: it passes audio through unchanged
/// until it fails, and whatever it does when it fails ends in its quarantine.
/// </summary>
/// <remarks>
/// Setting <c>armed</c> from 0 to 1 fires <c>mode</c> at the command's frame: 1 crashes the process (an abort, as a
/// native crash ends a .NET process), 2 hangs inside <see cref="Process"/>, 3 outputs NaN from then on, 4 throws.
/// Only the change fires, so a module restored with <c>armed</c> still 1 does not fail again until it is disarmed
/// and armed anew: the same fault, repeated, is a new command each time, never a loop.
/// </remarks>
internal sealed class FaultModule : Module
{
    public const int Mode = 0;
    public const int Armed = 1;

    public static readonly ModuleDescriptor TypeDescriptor = new("fault",
        "test only (play --allow-fault-injection): fails when armed, otherwise passes audio through",
    [
        ParamDescriptor.Choice("mode", 0, "0 off, 1 crash the process, 2 hang, 3 output NaN, 4 throw", "off", "crash", "hang", "NaN", "throw"),
        ParamDescriptor.Int("armed", 0, 1, 0, "set to 1 to fail at this command's frame (in every replica)"),
    ]);

    private bool _fire;     // armed went from 0 to 1: fail at the next Process (this segment)
    private bool _poisoned; // mode 3 has fired: NaN from here on
    private bool _wasArmed; // armed as last set: a setting, derived from the parameter, not state

    public FaultModule(string id, in ModuleContext context)
        : base(TypeDescriptor, id, context)
    {
    }

    internal override void Process(Span<float> block, int frames, NoteEventList events)
    {
        if (_fire)
        {
            _fire = false;
            switch ((int)Param(Mode).Target)
            {
                case 1:
                    Environment.FailFast($"fault module \"{Id}\": crash (test fault injection)");
                    break;
                case 2:
                    Thread.Sleep(Timeout.Infinite);
                    break;
                case 3:
                    _poisoned = true;
                    break;
                case 4:
                    throw new InvalidOperationException($"fault module \"{Id}\": exception (test fault injection)");
            }
        }
        if (_poisoned)
        {
            block.Fill(float.NaN);
        }
    }

    protected override void OnParamChanged(int index)
    {
        bool armed = Param(Armed).Target >= 0.5f;
        if (index == Armed && armed && !_wasArmed)
        {
            _fire = true;
        }
        _wasArmed = armed;
    }

    protected override void UpdateDerived() => _wasArmed = Param(Armed).Target >= 0.5f;

    protected override void ResetState()
    {
        _fire = false;
        _poisoned = false;
    }

    internal override void WriteState(SnapshotWriter w)
    {
        w.WriteBool(_fire);
        w.WriteBool(_poisoned);
    }

    internal override void ReadState(ref SnapshotReader r)
    {
        _fire = r.ReadBool("fault pending");
        _poisoned = r.ReadBool("fault poisoned");
    }
}
