// carteira_plan_pipeline: the policies a redistribution plan runs, in order,
// from the policy file (docs/redistribution.md) and plugin policies in C#.
using System;
using System.Collections.Generic;

namespace Carteira;

/// <summary>
/// The policies of a redistribution plan, run in order: the policy file's
/// (<see cref="FromJson"/>, <see cref="FromFile"/>) or none
/// (<see cref="PlanPipeline()"/>), then the plugin policies added with
/// <see cref="AddPolicy(string, IPlanPolicy)"/>. Build plans with
/// <see cref="Plan.Build"/>. Dispose it to free the native memory and release
/// its plugin policies (a finalizer does it otherwise); plans already built
/// stay usable. Not synchronised: use an instance from one thread at a time.
/// </summary>
public sealed unsafe class PlanPipeline : IDisposable
{
    private readonly PlanPipelineHandle _handle;
    private readonly List<string> _plugins = [];

    /// <summary>An empty pipeline: add plugin policies to it.</summary>
    public PlanPipeline()
    {
        CarteiraLibrary.EnsureCompatible();
        _handle = Adopt(NativeMethods.carteira_plan_pipeline_create(out PlanPipelineHandle handle), handle);
    }

    private PlanPipeline(PlanPipelineHandle handle) => _handle = handle;

    internal PlanPipelineHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    /// <summary>The policy file's JSON.</summary>
    /// <exception cref="CarteiraArgumentException">Not JSON, an unknown policy or key, a wrong
    /// type or value; the message names the policy's position and the key
    /// ("policy: policies[0] (rebalance).tolerancia: is not a known key ...").</exception>
    public static PlanPipeline FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        Utf8.ThrowIfNul(json, nameof(json));
        CarteiraLibrary.EnsureCompatible();
        return new PlanPipeline(Adopt(NativeMethods.carteira_plan_pipeline_from_json(json, out PlanPipelineHandle handle),
                                      handle));
    }

    /// <summary>Reads a policy file.</summary>
    /// <exception cref="CarteiraNotFoundException">The file cannot be opened.</exception>
    /// <exception cref="CarteiraArgumentException">As for <see cref="FromJson"/>; the message starts with the path.</exception>
    public static PlanPipeline FromFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Utf8.ThrowIfNul(path, nameof(path));
        CarteiraLibrary.EnsureCompatible();
        return new PlanPipeline(Adopt(NativeMethods.carteira_plan_pipeline_from_file(path, out PlanPipelineHandle handle),
                                      handle));
    }

    private static PlanPipelineHandle Adopt(CarteiraStatus status, PlanPipelineHandle handle)
    {
        if (status != CarteiraStatus.Ok)
        {
            handle.Dispose(); // invalid, so no native call: the last error survives
            Errors.Check(status);
        }
        return handle;
    }

    /// <summary>The names of the plugin policies added so far, in order.</summary>
    public IReadOnlyList<string> Plugins => _plugins.AsReadOnly();

    /// <summary>
    /// Appends a plugin policy, run after the pipeline's policies and the
    /// plugins added before it; its moves carry <paramref name="name"/>. The
    /// pipeline owns <paramref name="policy"/> from here on: if it is
    /// <see cref="IDisposable"/>, it is disposed exactly once, when the
    /// pipeline is released, or before AddPolicy throws if adding fails.
    /// </summary>
    /// <exception cref="CarteiraArgumentException">An empty name.</exception>
    public PlanPipeline AddPolicy(string name, IPlanPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        nint userData = PluginPolicy.Register(policy, out NativePolicyVtable vtable);
        CarteiraStatus status;
        try
        {
            ArgumentNullException.ThrowIfNull(name);
            byte[] nameBytes = Utf8.NulTerminated(name, nameof(name))!;
            fixed (byte* namePtr = nameBytes)
            {
                // Once the library is called it owns user_data (it calls
                // destroy even when it fails); anything thrown here came
                // before that, so user_data is still ours to release.
                status = NativeMethods.carteira_plan_pipeline_add_policy(Handle, namePtr, &vtable, (void*)userData);
            }
        }
        catch
        {
            PluginPolicy.Unregister(userData);
            throw;
        }
        Errors.Check(status);
        _plugins.Add(name);
        return this;
    }

    /// <summary>Appends a plugin policy given as a delegate; see <see cref="AddPolicy(string, IPlanPolicy)"/>.</summary>
    public PlanPipeline AddPolicy(string name, Action<PlanState> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return AddPolicy(name, new PluginPolicy.DelegatePolicy(run));
    }

    /// <summary>Frees the native pipeline, which releases (and disposes) its plugin policies;
    /// safe to call more than once.</summary>
    public void Dispose() => _handle.Dispose();
}
