using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// Commands that take effect together, at one stamp: the messages of a bundle that share a time tag, or one request
/// (a module and its parameters).
/// </summary>
/// <param name="Records">The commands, in order; their stamps are set on acceptance.</param>
/// <param name="AtBlock">The block asked for, or -1 for as soon as possible.</param>
/// <param name="AtFrame">The frame within <paramref name="AtBlock"/>.</param>
public readonly record struct CommandGroup(IReadOnlyList<CommandRecord> Records, long AtBlock = -1, int AtFrame = 0);
