using Perpetuo.Supervisor.Control;

namespace Perpetuo.Cli;

/// <summary>How this executable starts itself as a worker: the apphost directly, or `dotnet perpetuo.dll`.</summary>
internal static class WorkerLaunchFactory
{
    public static WorkerLaunch ForThisProcess()
    {
        string exe = Environment.ProcessPath ?? throw new CliException("cannot find this program's path to start workers");
        string dll = typeof(WorkerLaunchFactory).Assembly.Location;
        bool viaDotnet = Path.GetFileNameWithoutExtension(exe).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        return viaDotnet ? new WorkerLaunch(exe, [dll, "worker"]) : new WorkerLaunch(exe, ["worker"]);
    }
}
