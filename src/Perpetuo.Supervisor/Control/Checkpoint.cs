namespace Perpetuo.Supervisor.Control;

/// <summary>
/// A worker's state at the top of block <paramref name="Seq"/> (every command stamped before it applied), as the
/// worker serialised it. The supervisor never decodes it: it only hands it to a new worker, which checks it.
/// </summary>
internal sealed record Checkpoint(long Seq, byte[] Snapshot);
