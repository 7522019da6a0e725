// Where libcarteira is loaded from. The default probing only looks next to
// the application and in the system paths; a developer build sits in
// build/<preset>/capi, so CARTEIRA_LIBRARY can name it.
using System;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Carteira;

internal static class LibraryLoader
{
    internal const string LibraryName = "carteira";

    /// <summary>Full path of the shared library to load, if set.</summary>
    internal const string PathVariable = "CARTEIRA_LIBRARY";

#if NETCOREAPP3_0_OR_GREATER
    internal static void Register(Assembly assembly) => NativeLibrary.SetDllImportResolver(assembly, Resolve);

    private static nint Load(string path) => NativeLibrary.Load(path);

    private static bool TryLoad(string name, Assembly assembly, DllImportSearchPath? searchPath, out nint handle) =>
        NativeLibrary.TryLoad(name, assembly, searchPath, out handle);
#else
    // netstandard2.0 has no NativeLibrary, but a .NET Core 3+ runtime running
    // this build has it all the same: the same resolver is registered through
    // reflection. .NET Framework has no resolver hook at all: there the
    // runtime's own search finds the library (carteira.dll beside the
    // application) and CARTEIRA_LIBRARY is not read.
    private delegate bool TryLoadFunction(string name, Assembly assembly, DllImportSearchPath? searchPath, out nint handle);

    private static Func<string, nint>? s_load;
    private static TryLoadFunction? s_tryLoad;

    internal static void Register(Assembly assembly)
    {
        Assembly core = typeof(object).Assembly;
        Type? nativeLibrary = core.GetType("System.Runtime.InteropServices.NativeLibrary");
        Type? resolverType = core.GetType("System.Runtime.InteropServices.DllImportResolver");
        if (nativeLibrary is null || resolverType is null) return;

        MethodInfo? load = nativeLibrary.GetMethod("Load", [typeof(string)]);
        MethodInfo? tryLoad = nativeLibrary.GetMethod(
            "TryLoad", [typeof(string), typeof(Assembly), typeof(DllImportSearchPath?), typeof(nint).MakeByRefType()]);
        MethodInfo? setResolver = nativeLibrary.GetMethod("SetDllImportResolver", [typeof(Assembly), resolverType]);
        MethodInfo? resolve = typeof(LibraryLoader).GetMethod(nameof(Resolve), BindingFlags.NonPublic | BindingFlags.Static);
        if (load is null || tryLoad is null || setResolver is null || resolve is null) return;

        s_load = (Func<string, nint>)Delegate.CreateDelegate(typeof(Func<string, nint>), load);
        s_tryLoad = (TryLoadFunction)Delegate.CreateDelegate(typeof(TryLoadFunction), tryLoad);
        setResolver.Invoke(null, [assembly, Delegate.CreateDelegate(resolverType, resolve)]);
    }

    private static nint Load(string path) => s_load!(path);

    private static bool TryLoad(string name, Assembly assembly, DllImportSearchPath? searchPath, out nint handle) =>
        s_tryLoad!(name, assembly, searchPath, out handle);
#endif

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != LibraryName) return 0;

        string? path = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrEmpty(path))
        {
            // Set but unloadable fails here, loudly, rather than quietly
            // loading some other copy from the default search.
            return Load(path!);
        }

        if (TryLoad(libraryName, assembly, searchPath, out nint handle)) return handle;

        // An installed runtime package ships the SONAME (libcarteira.so.0)
        // without the unversioned development symlink.
        if (OperatingSystem.IsLinux() &&
            TryLoad($"libcarteira.so.{CarteiraLibrary.SupportedMajor}", assembly, searchPath, out handle))
        {
            return handle;
        }

        return 0; // the runtime's own search, and its DllNotFoundException
    }
}
