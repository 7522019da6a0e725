// carteira_status, the exceptions it maps to, and Check(), the one place
// where a failed native call becomes an exception.
using System;

namespace Carteira;

/// <summary>The C ABI's carteira_status; the same numbers as absl::StatusCode.</summary>
public enum CarteiraStatus
{
    /// <summary>CARTEIRA_OK.</summary>
    Ok = 0,
    /// <summary>CARTEIRA_CANCELLED.</summary>
    Cancelled = 1,
    /// <summary>CARTEIRA_UNKNOWN.</summary>
    Unknown = 2,
    /// <summary>CARTEIRA_INVALID_ARGUMENT.</summary>
    InvalidArgument = 3,
    /// <summary>CARTEIRA_DEADLINE_EXCEEDED.</summary>
    DeadlineExceeded = 4,
    /// <summary>CARTEIRA_NOT_FOUND.</summary>
    NotFound = 5,
    /// <summary>CARTEIRA_ALREADY_EXISTS.</summary>
    AlreadyExists = 6,
    /// <summary>CARTEIRA_PERMISSION_DENIED.</summary>
    PermissionDenied = 7,
    /// <summary>CARTEIRA_RESOURCE_EXHAUSTED.</summary>
    ResourceExhausted = 8,
    /// <summary>CARTEIRA_FAILED_PRECONDITION.</summary>
    FailedPrecondition = 9,
    /// <summary>CARTEIRA_ABORTED.</summary>
    Aborted = 10,
    /// <summary>CARTEIRA_OUT_OF_RANGE.</summary>
    OutOfRange = 11,
    /// <summary>CARTEIRA_UNIMPLEMENTED.</summary>
    Unimplemented = 12,
    /// <summary>CARTEIRA_INTERNAL.</summary>
    Internal = 13,
    /// <summary>CARTEIRA_UNAVAILABLE.</summary>
    Unavailable = 14,
    /// <summary>CARTEIRA_DATA_LOSS.</summary>
    DataLoss = 15,
    /// <summary>CARTEIRA_UNAUTHENTICATED.</summary>
    Unauthenticated = 16,
}

/// <summary>A failed libcarteira call: its status code and the library's message.</summary>
public class CarteiraException : Exception
{
    /// <summary>Creates an exception for a failed call.</summary>
    public CarteiraException(CarteiraStatus code, string message, ImportReport? report = null)
        : base(message)
    {
        Code = code;
        Report = report;
    }

    /// <summary>Creates an exception for a failed call caused by <paramref name="innerException"/>
    /// (for example a plugin status rule that threw).</summary>
    public CarteiraException(CarteiraStatus code, string message, ImportReport? report, Exception? innerException)
        : base(message, innerException)
    {
        Code = code;
        Report = report;
    }

    /// <summary>The status the native call returned.</summary>
    public CarteiraStatus Code { get; }

    /// <summary>For a failed import, what was read and every rejected row; otherwise null.</summary>
    public ImportReport? Report { get; }
}

/// <summary>CARTEIRA_INVALID_ARGUMENT: bad input, such as an impossible date or a bad CSV row.</summary>
public class CarteiraArgumentException : CarteiraException
{
    /// <summary>Creates the exception.</summary>
    public CarteiraArgumentException(string message, ImportReport? report = null)
        : base(CarteiraStatus.InvalidArgument, message, report) { }
}

/// <summary>CARTEIRA_NOT_FOUND: no such customer, file or directory.</summary>
public class CarteiraNotFoundException : CarteiraException
{
    /// <summary>Creates the exception.</summary>
    public CarteiraNotFoundException(string message, ImportReport? report = null)
        : base(CarteiraStatus.NotFound, message, report) { }
}

/// <summary>CARTEIRA_ALREADY_EXISTS: for example a duplicate customer id.</summary>
public class CarteiraAlreadyExistsException : CarteiraException
{
    /// <summary>Creates the exception.</summary>
    public CarteiraAlreadyExistsException(string message, ImportReport? report = null)
        : base(CarteiraStatus.AlreadyExists, message, report) { }
}

/// <summary>CARTEIRA_FAILED_PRECONDITION: the call does not fit the current state, or the
/// loaded library's major version is not the one this binding was written for.</summary>
public class CarteiraFailedPreconditionException : CarteiraException
{
    /// <summary>Creates the exception.</summary>
    public CarteiraFailedPreconditionException(string message, ImportReport? report = null)
        : base(CarteiraStatus.FailedPrecondition, message, report) { }
}

/// <summary>CARTEIRA_OUT_OF_RANGE: an index or a buffer size out of range.</summary>
public class CarteiraOutOfRangeException : CarteiraException
{
    /// <summary>Creates the exception.</summary>
    public CarteiraOutOfRangeException(string message, ImportReport? report = null)
        : base(CarteiraStatus.OutOfRange, message, report) { }
}

internal static unsafe class Errors
{
    /// <summary>Throws the exception for <paramref name="status"/> unless it is OK.</summary>
    internal static void Check(CarteiraStatus status)
    {
        if (status != CarteiraStatus.Ok) throw Create(status, LastMessage(), report: null);
    }

    /// <summary>This thread's last native error message. Read it right after the
    /// failed call: the next carteira_ call on the thread replaces it.</summary>
    internal static string LastMessage() => Utf8.Decode(NativeMethods.carteira_last_error_message());

    /// <summary>As <see cref="Check"/> for a call that may run plugin status rules: the
    /// exception a rule threw becomes the InnerException.</summary>
    internal static void CheckRules(CarteiraStatus status)
    {
        Exception? ruleException = PluginRule.TakeLastException();
        if (status == CarteiraStatus.Ok) return;
        string message = LastMessage();
        if (ruleException is null) throw Create(status, message, report: null);
        throw new CarteiraException(status, message.Length == 0 ? $"carteira: {status}" : message, null, ruleException);
    }

    internal static CarteiraException Create(CarteiraStatus status, string message, ImportReport? report)
    {
        if (message.Length == 0) message = $"carteira: {status}";
        return status switch
        {
            CarteiraStatus.InvalidArgument => new CarteiraArgumentException(message, report),
            CarteiraStatus.NotFound => new CarteiraNotFoundException(message, report),
            CarteiraStatus.AlreadyExists => new CarteiraAlreadyExistsException(message, report),
            CarteiraStatus.FailedPrecondition => new CarteiraFailedPreconditionException(message, report),
            CarteiraStatus.OutOfRange => new CarteiraOutOfRangeException(message, report),
            _ => new CarteiraException(status, message, report),
        };
    }
}
