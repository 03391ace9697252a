using System.Diagnostics;
using System.Text.Json;
using Perpetuo.Cli;

namespace Perpetuo.IntegrationTests;

/// <summary>Asks a running engine for its status over OSC from this process (no extra process on a 2-core box).</summary>
internal static class Engine
{
    /// <summary>The status JSON, waiting up to <paramref name="wait"/> for the engine to answer.</summary>
    public static JsonElement Status(string osc, TimeSpan wait)
    {
        using OscClient client = OscClient.Connect(osc);
        var sw = Stopwatch.StartNew();
        while (true)
        {
            string? json = client.StatusJson(TimeSpan.FromMilliseconds(500));
            if (json != null)
            {
                return JsonDocument.Parse(json).RootElement.Clone();
            }
            Assert.True(sw.Elapsed < wait, $"the engine at {osc} did not answer /perpetuo/status");
        }
    }

    /// <summary>Pid of the active worker, once the other slot is a verified standby (null if that never happens).</summary>
    public static int? ActivePidWithStandby(string osc, TimeSpan wait)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < wait)
        {
            JsonElement s = Status(osc, TimeSpan.FromSeconds(10));
            int active = s.GetProperty("active_slot").GetInt32();
            JsonElement slots = s.GetProperty("slots");
            if (slots[1 - active].GetProperty("role").GetString() == "standby" && slots[active].GetProperty("pid").GetInt32() > 0)
            {
                return slots[active].GetProperty("pid").GetInt32();
            }
            Thread.Sleep(50);
        }
        return null;
    }
}
