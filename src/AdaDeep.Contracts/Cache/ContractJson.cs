using System.Collections;
using System.Reflection;

namespace AdaDeep.Engine.Cache;

/// <summary>
/// Maps a document type (e.g. the result document, <see cref="AdaDeep.Engine.Pipeline.CompressResult"/>) to and from
/// JSON through <see cref="CacheJson"/>: every public read/write property, named in camelCase as System.Text.Json's
/// camelCase policy names it, in declaration order. A property added to the type is written and read without
/// touching this file, so the engine (which writes the document) and the task (which reads it) cannot drift apart.
/// Reading ignores unknown members, leaves absent ones at the type's defaults and refuses a document without a
/// member marked <see cref="DocumentRequiredAttribute"/>.
/// </summary>
public static class ContractJson
{
    public static string Write(object document) => CacheJson.Write(ToTree(document ?? throw new ArgumentNullException(nameof(document))));

    /// <exception cref="FormatException">The text is not JSON, not an object, or a member has the wrong type.</exception>
    public static T Read<T>(string json)
        where T : new() => (T)FromTree(CacheJson.ParseObject(json), typeof(T), "$")!;

    /// <summary>System.Text.Json's JsonNamingPolicy.CamelCase: the leading run of capitals is lowered, except the
    /// last one when a lowercase letter follows ("EnergyMJ" → "energyMJ", "URLValue" → "urlValue").</summary>
    public static string CamelCase(string name)
    {
        if (string.IsNullOrEmpty(name) || !char.IsUpper(name[0]))
        {
            return name;
        }

        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (i == 1 && !char.IsUpper(chars[i]))
            {
                break;
            }

            var hasNext = i + 1 < chars.Length;
            if (i > 0 && hasNext && !char.IsUpper(chars[i + 1]))
            {
                if (chars[i + 1] == ' ')
                {
                    chars[i] = char.ToLowerInvariant(chars[i]);
                }

                break;
            }

            chars[i] = char.ToLowerInvariant(chars[i]);
        }

        return new string(chars);
    }

    private static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.MetadataToken);

    private static object? ToTree(object? value)
    {
        switch (value)
        {
            case null:
            case string:
            case bool:
            case int or long or short or byte or uint or ulong or double or float:
                return value;
            case Enum e:
                return CamelCase(e.ToString());
            case IEnumerable list:
                return list.Cast<object?>().Select(ToTree).ToList();
            default:
                var obj = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var property in Properties(value.GetType()))
                {
                    obj[CamelCase(property.Name)] = ToTree(property.GetValue(value));
                }

                return obj;
        }
    }

    private static object? FromTree(object? node, Type type, string path)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (node is null)
        {
            return underlying is not null || !type.IsValueType ? null : Activator.CreateInstance(type);
        }

        type = underlying ?? type;
        if (type == typeof(string))
        {
            return node switch
            {
                string s => s,
                // A coded warning may also be written as {"code": "ADA4002", "message": "..."}.
                Dictionary<string, object?> coded when CacheJson.GetString(coded, "message") is { } message =>
                    CacheJson.GetString(coded, "code") is { Length: > 0 } code ? code + ": " + message : message,
                _ => throw Mismatch(path, "text"),
            };
        }

        if (type == typeof(bool))
        {
            return node is bool b ? b : throw Mismatch(path, "true or false");
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(int) || type == typeof(long))
        {
            return node is double d ? Convert.ChangeType(d, type, System.Globalization.CultureInfo.InvariantCulture) : throw Mismatch(path, "a number");
        }

        if (type.IsEnum)
        {
            return node is string name ? Enum.Parse(type, name, ignoreCase: true) : throw Mismatch(path, "a name");
        }

        if (ElementType(type) is { } element)
        {
            var items = node as List<object?> ?? throw Mismatch(path, "a list");
            var array = Array.CreateInstance(element, items.Count);
            for (var i = 0; i < items.Count; i++)
            {
                array.SetValue(FromTree(items[i], element, $"{path}[{i}]"), i);
            }

            return type.IsAssignableFrom(array.GetType()) ? array : Activator.CreateInstance(type, array);
        }

        var obj = node as Dictionary<string, object?> ?? throw Mismatch(path, "an object");
        var document = Activator.CreateInstance(type)!;
        foreach (var property in Properties(type).Where(p => p.CanWrite))
        {
            if (obj.TryGetValue(CamelCase(property.Name), out var member))
            {
                property.SetValue(document, FromTree(member, property.PropertyType, path + "." + CamelCase(property.Name)));
            }
            else if (property.IsDefined(typeof(DocumentRequiredAttribute), inherit: false))
            {
                throw new FormatException($"{path}.{CamelCase(property.Name)} is missing");
            }
        }

        return document;
    }

    /// <summary>T of T[], List&lt;T&gt;, IReadOnlyList&lt;T&gt;, IEnumerable&lt;T&gt;…; null for anything else.</summary>
    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type.IsGenericType && type.GetGenericArguments().Length == 1 && typeof(IEnumerable).IsAssignableFrom(type)
            ? type.GetGenericArguments()[0]
            : null;
    }

    private static FormatException Mismatch(string path, string expected) => new($"{path} is not {expected}");
}
