using System.Runtime.InteropServices;

namespace Perpetuo.Lv2.Native;

/// <summary>
/// A plugin's <c>LV2_Worker_Interface { work; work_response; end_run; }</c> (lv2/worker/worker.h: three function
/// pointers, end_run may be NULL), from its extension_data(worker#interface), bound once to delegates.
/// </summary>
internal sealed class WorkerInterface
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int WorkFunction(IntPtr handle, IntPtr respond, IntPtr respondHandle, uint size, IntPtr data);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int WorkResponseFunction(IntPtr handle, uint size, IntPtr body);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int EndRunFunction(IntPtr handle);

    private readonly WorkFunction _work;
    private readonly WorkResponseFunction _response;
    private readonly EndRunFunction? _endRun;

    private WorkerInterface(WorkFunction work, WorkResponseFunction response, EndRunFunction? endRun) =>
        (_work, _response, _endRun) = (work, response, endRun);

    /// <summary>The interface at <paramref name="address"/>, or null when it is NULL or lacks work or work_response.</summary>
    internal static WorkerInterface? At(IntPtr address)
    {
        if (address == IntPtr.Zero)
        {
            return null;
        }
        IntPtr work = Marshal.ReadIntPtr(address, 0);
        IntPtr response = Marshal.ReadIntPtr(address, IntPtr.Size);
        IntPtr endRun = Marshal.ReadIntPtr(address, 2 * IntPtr.Size);
        return work == IntPtr.Zero || response == IntPtr.Zero ? null : new WorkerInterface(
            Marshal.GetDelegateForFunctionPointer<WorkFunction>(work),
            Marshal.GetDelegateForFunctionPointer<WorkResponseFunction>(response),
            endRun == IntPtr.Zero ? null : Marshal.GetDelegateForFunctionPointer<EndRunFunction>(endRun));
    }

    /// <summary>True when the plugin wants end_run after every run.</summary>
    internal bool HasEndRun => _endRun != null;

    internal void Work(IntPtr handle, IntPtr respond, IntPtr respondHandle, uint size, IntPtr data) => _work(handle, respond, respondHandle, size, data);

    /// <remarks>Render thread. Allocation-free.</remarks>
    internal void WorkResponse(IntPtr handle, uint size, IntPtr body) => _response(handle, size, body);

    /// <remarks>Render thread. Allocation-free.</remarks>
    internal void EndRun(IntPtr handle) => _endRun?.Invoke(handle);
}
