namespace Perpetuo.Control.Catalog;

/// <summary>A module type the workers can build, and its parameters.</summary>
public sealed record ModuleTypeInfo(string Type, string Description, IReadOnlyList<ParamInfo> Params)
{
    /// <summary>The parameter called <paramref name="name"/>, or null.</summary>
    public ParamInfo? Find(string name)
    {
        foreach (ParamInfo p in Params)
        {
            if (p.Name == name)
            {
                return p;
            }
        }
        return null;
    }
}
