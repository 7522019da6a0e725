// Records' init accessors need this type, which netstandard2.0 lacks; a
// generator project takes no package for one empty class.
namespace System.Runtime.CompilerServices;

internal static class IsExternalInit;
