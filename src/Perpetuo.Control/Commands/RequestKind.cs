namespace Perpetuo.Control.Commands;

/// <summary>What a request to the control address space asks for.</summary>
public enum RequestKind
{
    /// <summary>Change the graph or play notes: <see cref="ControlRequest.Commands"/> go to the workers together.</summary>
    Commands,
    /// <summary>Reply with the engine status JSON.</summary>
    Status,
    /// <summary>Reply with the supervisor's model of the module graph.</summary>
    Modules,
    /// <summary>Inject a fault into one worker.</summary>
    Fault,
    /// <summary>Reply with the compact live view (/perpetuo/levels).</summary>
    Levels,
    /// <summary>Reply with the events numbered after <see cref="ControlRequest.Argument"/>.</summary>
    Events,
    /// <summary>Reply with part <see cref="ControlRequest.Argument"/> of the current graph as patch JSON.</summary>
    PatchCurrent,
    /// <summary>Load a patch file (<see cref="ControlRequest.PatchName"/>) off the control thread, then submit it whole.</summary>
    PatchLoad,
}
