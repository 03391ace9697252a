using Perpetuo.Supervisor.Control;

namespace Perpetuo.Cli;

/// <summary>How this executable starts itself as a worker: the apphost directly, or `dotnet perpetuo.dll`.</summary>
internal static class WorkerLaunchFactory
{
    public static WorkerLaunch ForThisProcess(WorkerSettings settings)
    {
        (string file, string[] prefix) = SelfProcess.Command();
        return new WorkerLaunch(file, [.. prefix, "worker"], settings);
    }
}
