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

    internal static void Register(Assembly assembly) => NativeLibrary.SetDllImportResolver(assembly, Resolve);

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != LibraryName) return 0;

        string? path = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrEmpty(path))
        {
            // Set but unloadable fails here, loudly, rather than quietly
            // loading some other copy from the default search.
            return NativeLibrary.Load(path);
        }

        if (NativeLibrary.TryLoad(libraryName, assembly, searchPath, out nint handle)) return handle;

        // An installed runtime package ships the SONAME (libcarteira.so.0)
        // without the unversioned development symlink.
        if (OperatingSystem.IsLinux() &&
            NativeLibrary.TryLoad($"libcarteira.so.{CarteiraLibrary.SupportedMajor}", assembly, searchPath, out handle))
        {
            return handle;
        }

        return 0; // the runtime's own search, and its DllNotFoundException
    }
}
