using Perpetuo.Control.Catalog;

namespace Perpetuo.Control.Commands;

/// <summary>One module in the supervisor's model: its id, its type, and the current value of every parameter.</summary>
/// <remarks>Control thread only. Values are indexed like <see cref="ModuleTypeInfo.Params"/>.</remarks>
public sealed class ModuleState
{
    private readonly float[] _values;

    public ModuleState(string id, ModuleTypeInfo type)
    {
        ArgumentNullException.ThrowIfNull(type);
        Id = id;
        Type = type;
        _values = type.Params.Select(p => p.Default).ToArray();
    }

    private ModuleState(ModuleState other)
    {
        Id = other.Id;
        Type = other.Type;
        _values = (float[])other._values.Clone();
    }

    public string Id { get; }

    public ModuleTypeInfo Type { get; }

    /// <summary>Current values, in the order of the type's parameters.</summary>
    public IReadOnlyList<float> Values => _values;

    /// <summary>The current value of <paramref name="name"/>, or null if the type has no such parameter.</summary>
    public float? Get(string name)
    {
        int i = IndexOf(name);
        return i < 0 ? null : _values[i];
    }

    /// <summary>Sets a known parameter; unknown names are ignored (validation has already refused them).</summary>
    public void Set(string name, float value)
    {
        int i = IndexOf(name);
        if (i >= 0)
        {
            _values[i] = value;
        }
    }

    public ModuleState Clone() => new(this);

    private int IndexOf(string name)
    {
        for (int i = 0; i < Type.Params.Count; i++)
        {
            if (Type.Params[i].Name == name)
            {
                return i;
            }
        }
        return -1;
    }
}
