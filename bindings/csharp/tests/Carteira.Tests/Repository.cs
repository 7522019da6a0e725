// Where the tests find the C++ tree: the repository root is the first
// directory above the test assembly that holds CMakePresets.json.
using System;
using System.IO;
using System.Runtime.CompilerServices;

namespace Carteira.Tests;

internal static class Repository
{
    internal static string Root { get; } = FindRoot();

    internal static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CMakePresets.json"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no CMakePresets.json above {AppContext.BaseDirectory}");
    }

    // Lets a plain `dotnet test` (an IDE, say) find the release build when
    // CARTEIRA_LIBRARY is not set. The binding reads the variable at its
    // first native call, which comes after this.
    [ModuleInitializer]
#pragma warning disable CA2255 // a test assembly, not a library others load
    internal static void DefaultLibraryToReleaseBuild()
#pragma warning restore CA2255
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CARTEIRA_LIBRARY"))) return;
        string built = PathOf("build", "release", "capi", "libcarteira.so");
        if (File.Exists(built)) Environment.SetEnvironmentVariable("CARTEIRA_LIBRARY", built);
    }
}
