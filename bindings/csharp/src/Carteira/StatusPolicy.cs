// carteira_status_policy: the rules and thresholds of the status engine.
using System;

namespace Carteira;

/// <summary>
/// A status policy: the parameters of the built-in status rules, globally and
/// per segment. An engine copies it when created, so the policy may be
/// disposed right after. Dispose it to free the native memory (a finalizer
/// does it otherwise).
/// </summary>
public sealed unsafe class StatusPolicy : IDisposable
{
    private readonly StatusPolicyHandle _handle;

    private StatusPolicy(StatusPolicyHandle handle) => _handle = handle;

    internal StatusPolicyHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    /// <summary>The library's default policy (no file needed).</summary>
    public static StatusPolicy Default()
    {
        CarteiraLibrary.EnsureCompatible();
        return Create(NativeMethods.carteira_status_policy_default(out StatusPolicyHandle handle), handle);
    }

    /// <summary>Parses a JSON policy document.</summary>
    /// <exception cref="CarteiraArgumentException">Not JSON, an unknown key, a wrong type or an
    /// invalid value; the message names the key ("segments.varejo.recency.inactive_after: ...").</exception>
    public static StatusPolicy FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        Utf8.ThrowIfNul(json, nameof(json));
        CarteiraLibrary.EnsureCompatible();
        return Create(NativeMethods.carteira_status_policy_from_json(json, out StatusPolicyHandle handle), handle);
    }

    /// <summary>Reads a JSON policy file.</summary>
    /// <exception cref="CarteiraNotFoundException">The file cannot be opened.</exception>
    /// <exception cref="CarteiraArgumentException">As for <see cref="FromJson"/>; the message starts with the path.</exception>
    public static StatusPolicy FromFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Utf8.ThrowIfNul(path, nameof(path));
        CarteiraLibrary.EnsureCompatible();
        return Create(NativeMethods.carteira_status_policy_from_file(path, out StatusPolicyHandle handle), handle);
    }

    /// <summary>
    /// Exactly three fixed thresholds (no cadence, new/reactivated or contract
    /// rules): a day count strictly greater than a threshold crosses it, so a
    /// customer <paramref name="atRiskAfter"/> days after the last purchase is
    /// still active and one day later at risk.
    /// </summary>
    /// <exception cref="CarteiraArgumentException">Negative or unordered thresholds.</exception>
    public static StatusPolicy Fixed(int atRiskAfter, int inactiveAfter, int lostAfter)
    {
        CarteiraLibrary.EnsureCompatible();
        return Create(NativeMethods.carteira_status_policy_fixed(atRiskAfter, inactiveAfter, lostAfter,
                                                                 out StatusPolicyHandle handle), handle);
    }

    /// <summary>The complete policy as JSON: every key, segments fully resolved.</summary>
    public string ToJson()
    {
        Errors.Check(NativeMethods.carteira_status_policy_to_json(Handle, out byte* json));
        return Utf8.Decode(json);
    }

    /// <summary>Frees the native policy; safe to call more than once.</summary>
    public void Dispose() => _handle.Dispose();

    private static StatusPolicy Create(CarteiraStatus status, StatusPolicyHandle handle)
    {
        if (status != CarteiraStatus.Ok)
        {
            handle.Dispose(); // invalid, so no native call: the last error survives
            Errors.Check(status);
        }
        return new StatusPolicy(handle);
    }
}
