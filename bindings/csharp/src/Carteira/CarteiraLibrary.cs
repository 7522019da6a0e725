// The loaded library's version, and the refusal to run against a library
// of another major version (whose ABI this binding does not know).
using System;

namespace Carteira;

/// <summary>Facts about the loaded libcarteira.</summary>
public static class CarteiraLibrary
{
    /// <summary>The major version of the C ABI this binding was written for.</summary>
    public const int SupportedMajor = 0;

    private static volatile bool s_checked;

    /// <summary>The loaded library's version (carteira_version_number()).</summary>
    public static Version Version => FromNumber(NativeMethods.carteira_version_number());

    /// <summary>The loaded library's version string, "MAJOR.MINOR.PATCH".</summary>
    public static unsafe string VersionString => Utf8.Decode(NativeMethods.carteira_version_string());

    /// <summary>Throws unless the loaded library has <see cref="SupportedMajor"/> as its major version.
    /// Every entry point calls it; the check itself runs once.</summary>
    /// <exception cref="CarteiraFailedPreconditionException">The major versions differ.</exception>
    public static void EnsureCompatible()
    {
        if (s_checked) return;
        CheckMajor(SupportedMajor, NativeMethods.carteira_version_number());
        s_checked = true; // a race only repeats the cheap check
    }

    internal static void CheckMajor(int supportedMajor, int loadedVersionNumber)
    {
        Version loaded = FromNumber(loadedVersionNumber);
        if (loaded.Major != supportedMajor)
        {
            throw new CarteiraFailedPreconditionException(
                $"libcarteira {loaded} is loaded, but this binding needs major version {supportedMajor}; " +
                $"set {LibraryLoader.PathVariable} to a matching libcarteira");
        }
    }

    // MAJOR * 10000 + MINOR * 100 + PATCH
    private static Version FromNumber(int number) => new(number / 10000, number / 100 % 100, number % 100);
}
