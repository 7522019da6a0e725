// UTF-8 in and out of the C ABI, where the source-generated string
// marshalling does not reach: string arrays (const char* const*) and strings
// the library owns.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace Carteira;

internal static unsafe class Utf8
{
    /// <summary>Decodes a NUL-terminated string the library owns; never frees it.</summary>
    internal static string Decode(byte* text)
    {
        if (text == null) return string.Empty;
#if NETCOREAPP
        return Marshal.PtrToStringUTF8((nint)text) ?? string.Empty;
#else
        // netstandard2.0 has no PtrToStringUTF8.
        int length = new ReadOnlySpan<byte>(text, int.MaxValue).IndexOf((byte)0);
        return Encoding.UTF8.GetString(text, length);
#endif
    }

    /// <summary>A C string ends at its first NUL, so "a\0b" would silently reach the
    /// library as "a"; refuse it instead.</summary>
    internal static void ThrowIfNul(string? value, string paramName)
    {
        if (value is not null && value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("contains a NUL character, which a C string cannot hold", paramName);
        }
    }

    /// <summary>The NUL-terminated UTF-8 bytes of <paramref name="value"/>, or null.</summary>
    internal static byte[]? NulTerminated(string? value, string paramName)
    {
        if (value is null) return null;
        ThrowIfNul(value, paramName);
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }
}

/// <summary>
/// A column of strings as the C ABI takes it: an array of pointers to
/// NUL-terminated UTF-8, all in one native block freed by Dispose. A null
/// list gives a NULL column (the field is absent).
/// </summary>
internal unsafe ref struct Utf8Column
{
    private void* _block;

    /// <summary>The <c>const char* const*</c> to pass, or null.</summary>
    public byte** Pointers { get; private set; }

    public Utf8Column(IReadOnlyList<string?>? values, int expectedCount, string paramName, bool allowNullEntries)
    {
        if (values is null) return;
        if (values.Count != expectedCount)
        {
            throw new ArgumentException($"has {values.Count} entries, expected {expectedCount}", paramName);
        }

        nuint textBytes = 0;
        for (int i = 0; i < values.Count; i++)
        {
            string? value = values[i];
            if (value is null)
            {
                if (!allowNullEntries) throw new ArgumentException($"entry {i} is null", paramName);
                continue;
            }
            Utf8.ThrowIfNul(value, paramName);
            textBytes += (nuint)Encoding.UTF8.GetByteCount(value) + 1;
        }

        nuint pointerBytes = (nuint)values.Count * (nuint)sizeof(byte*);
#if NET6_0_OR_GREATER
        _block = NativeMemory.Alloc(pointerBytes + textBytes);
#else
        _block = (void*)Marshal.AllocHGlobal(checked((nint)(pointerBytes + textBytes)));
#endif
        Pointers = (byte**)_block;
        byte* text = (byte*)_block + pointerBytes;
        byte* end = text + textBytes;
        for (int i = 0; i < values.Count; i++)
        {
            string? value = values[i];
            if (value is null)
            {
                Pointers[i] = null;
                continue;
            }
            int written = Encoding.UTF8.GetBytes(value, new Span<byte>(text, (int)Math.Min(end - text, int.MaxValue)));
            text[written] = 0;
            Pointers[i] = text;
            text += written + 1;
        }
    }

    public void Dispose()
    {
#if NET6_0_OR_GREATER
        NativeMemory.Free(_block);
#else
        if (_block != null) Marshal.FreeHGlobal((nint)_block);
#endif
        _block = null;
        Pointers = null;
    }
}
