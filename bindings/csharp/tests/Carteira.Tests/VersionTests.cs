using System;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using Xunit;

namespace Carteira.Tests;

public class VersionTests
{
    private static Version HeaderVersion()
    {
        string header = File.ReadAllText(Repository.PathOf("include", "carteira", "version.h"));
        int Macro(string part) =>
            int.Parse(Regex.Match(header, $@"#define\s+CARTEIRA_VERSION_{part}\s+(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        return new Version(Macro("MAJOR"), Macro("MINOR"), Macro("PATCH"));
    }

    [Fact]
    public void LoadedLibraryVersionEqualsTheHeaderMacros()
    {
        Version header = HeaderVersion();

        Assert.Equal(header, CarteiraLibrary.Version);
        Assert.Equal($"{header.Major}.{header.Minor}.{header.Build}", CarteiraLibrary.VersionString);
    }

    [Fact]
    public void BindingSupportsTheHeadersMajorVersion()
    {
        Assert.Equal(CarteiraLibrary.SupportedMajor, HeaderVersion().Major);
        CarteiraLibrary.EnsureCompatible(); // does not throw
    }

    [Fact]
    public void AnotherMajorVersionIsRefused()
    {
        var ex = Assert.Throws<CarteiraFailedPreconditionException>(() => CarteiraLibrary.CheckMajor(0, 10203));

        Assert.Equal(CarteiraStatus.FailedPrecondition, ex.Code);
        Assert.Contains("1.2.3", ex.Message);
        CarteiraLibrary.CheckMajor(1, 10203); // same major: accepted
    }
}
