// Counts the type descriptors (MethodTables) a NativeAOT binary carries, per assembly, from ILC's .mstat file:
//   dotnet publish src/McpCloudTools.Server -c Release -r linux-x64 -p:IlcGenerateMstatFile=true
//   dotnet run bench/aot-type-data.cs -- src/McpCloudTools.Server/obj/Release/net10.0/linux-x64/native/mcp-cloud-tools.mstat
// Every MethodTable is rehydrated at start (README "Performance"), so their count and bytes are what the binary pays
// before Main. A generic instantiation counts for the assembly of its definition (List<V1Pod> is System.Private.CoreLib)
// and, in the second table, for every assembly whose types it is instantiated over (List<V1Pod> counts for
// KubernetesClient.Aot too): that is how a library's models cost far more than their own types.
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Text.RegularExpressions;

if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: dotnet run bench/aot-type-data.cs -- <file.mstat> [top N assemblies, default 15]");
    return 2;
}

using var stream = File.OpenRead(args[0]);
using var pe = new PEReader(stream);
var md = pe.GetMetadataReader();
var top = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 15;
var provider = new Names(md);

var own = new Dictionary<string, (int Count, long Bytes)>();
var over = new Dictionary<string, (int Count, long Bytes)>();
int total = 0;
long totalBytes = 0;
foreach (var (token, size) in Entries(md, pe, "Types"))
{
    var name = provider.Of(MetadataTokens.EntityHandle(token));
    total++;
    totalBytes += size;
    var owner = Regex.Match(name, @"^\[([^\]]+)\]").Groups[1].Value;
    Add(own, owner.Length > 0 ? owner : "(other)", size);
    foreach (var assembly in Regex.Matches(name, @"\[([^\]]+)\]").Select(m => m.Groups[1].Value).Distinct())
        Add(over, assembly, size);
}

Console.WriteLine($"{Path.GetFileName(args[0])}: {total:N0} type descriptors, {totalBytes:N0} bytes of MethodTables");
Console.WriteLine();
Console.WriteLine("| assembly | descriptors (own types and instantiations of its generics) | bytes | descriptors mentioning its types | % of all |");
Console.WriteLine("|---|---|---|---|---|");
foreach (var (assembly, (count, bytes)) in own.OrderByDescending(p => p.Value.Count).Take(top))
{
    var mentions = over.GetValueOrDefault(assembly).Count;
    Console.WriteLine($"| {assembly} | {count:N0} | {bytes:N0} | {mentions:N0} | {100.0 * mentions / total:0.0} |");
}
foreach (var (assembly, (count, _)) in over.Where(p => !own.OrderByDescending(o => o.Value.Count).Take(top).Any(o => o.Key == p.Key))
    .OrderByDescending(p => p.Value.Count).Take(3))
    Console.WriteLine($"| {assembly} | (not in the top {top}) | | {count:N0} | {100.0 * count / total:0.0} |");
return 0;

static void Add(Dictionary<string, (int Count, long Bytes)> map, string key, int size)
{
    var (count, bytes) = map.GetValueOrDefault(key);
    map[key] = (count + 1, bytes + size);
}

// The global method <name> of the mstat's <Module> type is a list of "ldtoken <type>; ldc.i4 <size>" pairs.
static IEnumerable<(int Token, int Size)> Entries(MetadataReader md, PEReader pe, string method)
{
    var definition = md.MethodDefinitions.Select(md.GetMethodDefinition).FirstOrDefault(m => md.GetString(m.Name) == method);
    if (definition.RelativeVirtualAddress == 0) throw new InvalidDataException($"No '{method}' list in this .mstat (not an ILC mstat file?).");
    var il = pe.GetMethodBody(definition.RelativeVirtualAddress).GetILReader();
    var pending = 0;
    while (il.RemainingBytes > 0)
    {
        var op = il.ReadByte();
        int? constant = op switch
        {
            0x15 => -1,
            >= 0x16 and <= 0x1E => op - 0x16,
            0x1F => il.ReadSByte(),
            0x20 => il.ReadInt32(),
            _ => null,
        };
        if (op == 0xD0) pending = il.ReadInt32();
        else if (op == 0x72) il.ReadInt32();
        else if (constant is { } size && pending != 0)
        {
            yield return (pending, size);
            pending = 0;
        }
        else if (constant is null) throw new InvalidDataException($"Unexpected IL opcode 0x{op:x2} in '{method}'.");
    }
}

/// <summary>Type names as "[Assembly]Namespace.Name&lt;[Assembly]Arg, …&gt;".</summary>
internal sealed class Names(MetadataReader md) : ISignatureTypeProvider<string, object?>
{
    public string Of(EntityHandle handle) => handle.Kind switch
    {
        HandleKind.TypeReference => GetTypeFromReference(md, (TypeReferenceHandle)handle, 0),
        HandleKind.TypeDefinition => GetTypeFromDefinition(md, (TypeDefinitionHandle)handle, 0),
        HandleKind.TypeSpecification => md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null),
        _ => "(" + handle.Kind + ")",
    };

    public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
    {
        var type = reader.GetTypeReference(handle);
        var name = Join(reader.GetString(type.Namespace), reader.GetString(type.Name));
        return type.ResolutionScope.Kind switch
        {
            HandleKind.AssemblyReference => "[" + reader.GetString(reader.GetAssemblyReference((AssemblyReferenceHandle)type.ResolutionScope).Name) + "]" + name,
            HandleKind.TypeReference => GetTypeFromReference(reader, (TypeReferenceHandle)type.ResolutionScope, 0) + "+" + name,
            _ => name,
        };
    }

    public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
    {
        var type = reader.GetTypeDefinition(handle);
        return Join(reader.GetString(type.Namespace), reader.GetString(type.Name));
    }

    public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    public string GetGenericInstantiation(string genericType, System.Collections.Immutable.ImmutableArray<string> typeArguments) =>
        genericType + "<" + string.Join(",", typeArguments) + ">";

    public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";

    public string GetSZArrayType(string elementType) => elementType + "[]";

    public string GetPointerType(string elementType) => elementType + "*";

    public string GetByReferenceType(string elementType) => elementType + "&";

    public string GetPinnedType(string elementType) => elementType;

    public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

    public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";

    public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

    public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

    public string GetPrimitiveType(PrimitiveTypeCode typeCode) => "[System.Private.CoreLib]System." + typeCode;

    private static string Join(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;
}
