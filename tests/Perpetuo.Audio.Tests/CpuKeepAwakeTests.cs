namespace Perpetuo.Audio.Tests;

public sealed class CpuKeepAwakeTests
{
    /// <summary>The threads of this process named <paramref name="name"/>, with their scheduling policy from /proc.</summary>
    private static List<int> PoliciesOf(string name)
    {
        var policies = new List<int>();
        foreach (string task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).Trim() != name)
                {
                    continue;
                }
                string line = File.ReadLines(Path.Combine(task, "sched")).First(l => l.StartsWith("policy", StringComparison.Ordinal));
                policies.Add(int.Parse(line.Split(':')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (IOException)
            {
                // the thread ended meanwhile
            }
        }
        return policies;
    }

    [Fact]
    public void OneIdleClassThreadSpinsPerCoreUntilDisposed()
    {
        using (var awake = CpuKeepAwake.Start())
        {
            SpinWait.SpinUntil(() => awake.Spinning == Environment.ProcessorCount, TimeSpan.FromSeconds(10));
            Assert.Equal(Environment.ProcessorCount, awake.Spinning);
            List<int> policies = PoliciesOf("perpetuo-awake");
            Assert.Equal(Environment.ProcessorCount, policies.Count);
            Assert.All(policies, p => Assert.Equal(5, p)); // SCHED_IDLE: runs only when nothing else wants the core
        }

        // Dispose joined them; the kernel removes an ended thread's /proc entry a moment after Join returns.
        Assert.True(SpinWait.SpinUntil(() => PoliciesOf("perpetuo-awake").Count == 0, TimeSpan.FromSeconds(10)), "the spinning threads outlived Dispose");
    }
}
