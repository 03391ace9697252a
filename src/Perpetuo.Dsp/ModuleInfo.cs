namespace Perpetuo.Dsp;

/// <summary>One module in a "list modules" answer (<see cref="ModuleHost.Describe"/>), in chain order.</summary>
/// <param name="Id">Module id.</param>
/// <param name="Type">Module type.</param>
/// <param name="Params">Every parameter with its value and range.</param>
public sealed record ModuleInfo(string Id, string Type, IReadOnlyList<ParamInfo> Params);
