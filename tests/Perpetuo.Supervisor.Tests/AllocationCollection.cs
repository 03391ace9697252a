namespace Perpetuo.Supervisor.Tests;

/// <summary>
/// The test classes that count a thread's allocated bytes, run one at a time and never beside the others: a garbage
/// collection another test causes meanwhile retires this thread's allocation context, and the count moves by a few
/// kilobytes that this thread never allocated (seen: 4,456 bytes in the levels test, in a full parallel run only).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCollection
{
    public const string Name = "counts allocated bytes";
}
