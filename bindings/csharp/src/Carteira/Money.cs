// Money crosses the C ABI as int64 minor units (centavos), never as floating point.
using System;

namespace Carteira;

/// <summary>Money parsing.</summary>
public static class Money
{
    /// <summary>Parses "1234.56", "1.234,56" or "R$ 1.234,56" exactly into minor units (123456).</summary>
    /// <exception cref="CarteiraArgumentException">Not an amount.</exception>
    public static long Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Utf8.ThrowIfNul(text, nameof(text));
        CarteiraLibrary.EnsureCompatible();
        Errors.Check(NativeMethods.carteira_parse_money(text, out long minor));
        return minor;
    }
}
