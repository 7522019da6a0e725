#!/usr/bin/env bash
# The NuGet package works for a consumer: `dotnet pack` with the native
# library, then a console application that references the package (from a
# local feed, offline) runs and calls the library without CARTEIRA_LIBRARY.
#   run_pack_test.sh REPO LIBCARTEIRA_SO WORKDIR
set -euo pipefail
repo="$1"; library="$2"; work="$3"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
rm -rf "$work"; mkdir -p "$work/feed" "$work/app" "$work/packages"
dotnet pack "$repo/bindings/csharp/src/Carteira/Carteira.csproj" -c Release -o "$work/feed" \
  -p:CarteiraNativeLibrary="$library" -p:UseSharedCompilation=false --disable-build-servers -v quiet > "$work/pack.log" 2>&1 || { cat "$work/pack.log"; exit 1; }
package="$work/feed/Carteira.0.1.0.nupkg"
contents=$(unzip -Z1 "$package")
for entry in lib/netstandard2.0/Carteira.dll lib/net10.0/Carteira.dll runtimes/linux-x64/native/libcarteira.so; do
  grep -qx "$entry" <<< "$contents" || { echo "the package lacks $entry"; echo "$contents"; exit 1; }
done
# The build-time generator and the source-only polyfills stay out of the package.
if grep -qi "generators" <<< "$contents"; then echo "the package ships the generator"; exit 1; fi
# Dependencies: System.Memory for netstandard2.0 only; nothing for net10.0.
nuspec=$(unzip -p "$package" Carteira.nuspec)
python3 - "$nuspec" <<'PY' || exit 1
import sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.argv[1])
groups = {g.get("targetFramework"): sorted(d.get("id") for d in g) for g in root.iter() if g.tag.endswith("}group")}
want = {".NETStandard2.0": ["System.Memory"], "net10.0": []}
if groups != want:
    sys.exit(f"package dependencies {groups}, expected {want}")
PY
cat > "$work/app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$work/feed" />
    <add key="offline" value="/opt/nuget/packages" />
  </packageSources>
</configuration>
XML
cat > "$work/app/App.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageReference Include="Carteira" Version="0.1.0" /></ItemGroup>
</Project>
XML
cat > "$work/app/Program.cs" <<'CS'
System.Console.WriteLine(Carteira.CarteiraLibrary.VersionString);
System.Console.WriteLine(Carteira.Hygiene.CheckTaxId("12ABC34501DE35").Formatted);
CS
out=$(cd "$work/app" && env -u CARTEIRA_LIBRARY NUGET_PACKAGES="$work/packages" dotnet run -p:UseSharedCompilation=false --disable-build-servers 2>&1) \
  || { echo "$out"; exit 1; }
echo "$out"
grep -q "^12.ABC.345/01DE-35$" <<< "$out" || { echo "the consumer did not reach the library"; exit 1; }
echo "pack test passed"
