using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Archal.Testing.Clones.Abstractions;

/// <summary>
/// Deep-copies a clone's state graph for snapshots, forks and resets: every object reachable from the state is copied
/// once (shared references stay shared, so an entity in a table's index and in its ordered list stays one entity),
/// immutable values (strings, primitives, delegates, comparers, clocks, serializer options) are shared, JSON nodes are
/// deep-cloned and the random sources are copied with their position, so a copy continues exactly where its source was.
/// One mechanism for every clone: a new clone's state is copyable without code of its own, as long as it holds data
/// (no tasks, streams or sync primitives other than plain lock objects).
/// </summary>
internal sealed class StateCopier
{
    private static readonly ConcurrentDictionary<Type, TypePlan> Plans = new();
    private static readonly Func<object, object> ShallowCopy =
        typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!.CreateDelegate<Func<object, object>>();

    private readonly Dictionary<object, object> _copies = new(ReferenceEqualityComparer.Instance);

    /// <summary>Uses <paramref name="replacement"/> wherever the graph reaches <paramref name="original"/>.</summary>
    public StateCopier Substitute(object original, object replacement)
    {
        _copies[original] = replacement;
        return this;
    }

    /// <summary>A deep copy of <paramref name="value"/>.</summary>
    public T Copy<T>(T value) where T : class => (T)Copy((object)value)!;

    /// <summary>
    /// Overwrites every field of <paramref name="target"/> with a deep copy of <paramref name="source"/>'s (same type):
    /// references back to <paramref name="source"/> become references to <paramref name="target"/>. Substitute the
    /// members the target keeps (its gate, its seed) first.
    /// </summary>
    public void CopyInto(object target, object source)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(source);
        if (target.GetType() != source.GetType())
        {
            throw new ArgumentException($"Cannot copy a {source.GetType()} into a {target.GetType()}.", nameof(source));
        }

        _copies[source] = target;
        foreach (var field in Plan(source.GetType()).AllFields)
        {
            field.SetValue(target, Copy(field.GetValue(source)));
        }
    }

    private object? Copy(object? value)
    {
        if (value is null)
        {
            return null;
        }

        if (_copies.TryGetValue(value, out var existing))
        {
            return existing;
        }

        var type = value.GetType();
        var plan = Plan(type);
        switch (plan.Kind)
        {
            case CopyKind.Share:
                return value;
            case CopyKind.Json:
                var node = ((JsonNode)value).DeepClone();
                _copies[value] = node;
                return node;
            case CopyKind.NewLock:
                var fresh = type == typeof(Lock) ? NewLock() : new object();
                _copies[value] = fresh;
                return fresh;
            case CopyKind.PrimitiveArray:
                var flat = ((Array)value).Clone();
                _copies[value] = flat;
                return flat;
            case CopyKind.Array:
                var source = (Array)value;
                var array = (Array)source.Clone();
                _copies[value] = array;
                if (source.Rank != 1)
                {
                    throw new NotSupportedException($"State copies do not support multi-dimensional arrays ({type}).");
                }

                for (var i = 0; i < array.Length; i++)
                {
                    array.SetValue(Copy(source.GetValue(i)), i);
                }

                return array;
            case CopyKind.Object:
                var copy = ShallowCopy(value);
                if (!type.IsValueType)
                {
                    _copies[value] = copy;
                }

                foreach (var field in plan.ReferenceFields)
                {
                    field.SetValue(copy, Copy(field.GetValue(value)));
                }

                return copy;
            default:
                throw new NotSupportedException(
                    $"A clone state holds a {type.FullName}, which a snapshot cannot copy: keep tasks, streams and synchronization objects out of CloneState.");
        }
    }

    // A Lock is only ever stored as an object here, never locked on through this reference.
#pragma warning disable CS9216
    private static object NewLock() => new Lock();
#pragma warning restore CS9216

    private static TypePlan Plan(Type type) => Plans.GetOrAdd(type, static t => TypePlan.For(t));

    private enum CopyKind
    {
        Share,
        Json,
        NewLock,
        PrimitiveArray,
        Array,
        Object,
        Unsupported,
    }

    private sealed record TypePlan(CopyKind Kind, FieldInfo[] ReferenceFields, FieldInfo[] AllFields)
    {
        public static TypePlan For(Type type)
        {
            if (IsShared(type))
            {
                return new(CopyKind.Share, [], []);
            }

            if (typeof(JsonNode).IsAssignableFrom(type))
            {
                return new(CopyKind.Json, [], []);
            }

            if (type == typeof(object) || type == typeof(Lock))
            {
                return new(CopyKind.NewLock, [], []);
            }

            if (type.IsArray)
            {
                var element = type.GetElementType()!;
                return new(element.IsValueType && !NeedsCopy(element) ? CopyKind.PrimitiveArray : CopyKind.Array, [], []);
            }

            if (typeof(Delegate).IsAssignableFrom(type) || typeof(Stream).IsAssignableFrom(type) || typeof(Task).IsAssignableFrom(type)
                || typeof(WaitHandle).IsAssignableFrom(type) || type == typeof(SemaphoreSlim) || type == typeof(Thread))
            {
                return new(typeof(Delegate).IsAssignableFrom(type) ? CopyKind.Share : CopyKind.Unsupported, [], []);
            }

            var all = new List<FieldInfo>();
            for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            {
                all.AddRange(t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly));
            }

            return new(CopyKind.Object, [.. all.Where(f => NeedsCopy(f.FieldType))], [.. all]);
        }

        /// <summary>Whether a field of this static type can hold something that must be copied.</summary>
        private static bool NeedsCopy(Type type)
        {
            if (!type.IsValueType)
            {
                // The seed context and the clock are shared, yet substituted by copies for another session: visit them.
                return !IsShared(type) || !type.IsSealed || type == typeof(CloneSeedContext) || typeof(TimeProvider).IsAssignableFrom(type);
            }

            if (type.IsPrimitive || type.IsEnum || IsShared(type))
            {
                return false;
            }

            return type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Any(f => f.FieldType != type && NeedsCopy(f.FieldType));
        }

        private static bool IsShared(Type type) =>
            type.IsPrimitive || type.IsEnum || type.IsPointer
            || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime) || type == typeof(DateTimeOffset)
            || type == typeof(TimeSpan) || type == typeof(Guid) || type == typeof(Uri) || type == typeof(DBNull)
            || typeof(MemberInfo).IsAssignableFrom(type) || typeof(Delegate).IsAssignableFrom(type)
            || typeof(TimeProvider).IsAssignableFrom(type) || typeof(JsonSerializerOptions).IsAssignableFrom(type)
            || typeof(System.Text.RegularExpressions.Regex).IsAssignableFrom(type) || typeof(System.Globalization.CultureInfo).IsAssignableFrom(type)
            || typeof(System.Text.Encoding).IsAssignableFrom(type)
            || typeof(System.Collections.IEqualityComparer).IsAssignableFrom(type) || typeof(System.Collections.IComparer).IsAssignableFrom(type)
            || type.GetInterfaces().Any(i => i.IsGenericType && (i.GetGenericTypeDefinition() == typeof(IEqualityComparer<>) || i.GetGenericTypeDefinition() == typeof(IComparer<>)))
            || (type.Namespace == "System.Collections.Immutable" && !type.IsValueType) || type == typeof(CloneDefinition) || typeof(CloneDefinition).IsAssignableFrom(type)
            || typeof(CloneSeedContext) == type || type == typeof(FrozenJson);
    }
}
