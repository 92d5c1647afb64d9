namespace System.Runtime.CompilerServices;

/// <summary>Lets records compile for netstandard2.0 (the compiler needs the type; the runtime does not).</summary>
internal static class IsExternalInit;
