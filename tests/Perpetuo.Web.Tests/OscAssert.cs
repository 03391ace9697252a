using Perpetuo.Control.Osc;

namespace Perpetuo.Web.Tests;

internal static class OscAssert
{
    public static void Param(OscMessage m, string module, string param, float value)
    {
        Assert.Equal((module, param, value), (m.Arguments[0].AsString(), m.Arguments[1].AsString(), m.Arguments[2].AsFloat()));
    }

    public static void Strings(OscMessage m, params string[] expected) =>
        Assert.Equal(expected, m.Arguments.Select(a => a.AsString()));
}
