namespace Perpetuo.Dsp;

/// <summary>A module type: its fixed name, what it does, and its parameters in index order.</summary>
/// <param name="Type">Type name used in patches and AddModule commands.</param>
/// <param name="Description">One line for humans.</param>
/// <param name="Params">Parameters, in the order their state is stored in snapshots.</param>
public sealed record ModuleDescriptor(string Type, string Description, IReadOnlyList<ParamDescriptor> Params)
{
    /// <summary>Index of the parameter called <paramref name="name"/> (ordinal comparison), or -1.</summary>
    /// <remarks>Allocation-free; safe on the audio thread.</remarks>
    public int IndexOf(string name)
    {
        for (int i = 0; i < Params.Count; i++)
        {
            if (string.Equals(Params[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Comma-separated parameter names, for error messages.</summary>
    internal string ParamNames => string.Join(", ", Params.Select(p => p.Name));
}
