using Archal.Testing.Clones.Abstractions;

namespace Archal.Testing.Clones.Tests.Abstractions;

public class StateCopierTests
{
    private sealed class Item
    {
        public string Name { get; set; } = "";

        public List<string> Tags { get; } = [];
    }

    private sealed class Graph
    {
        public Dictionary<string, Item> ByName { get; } = new(StringComparer.OrdinalIgnoreCase);

        public List<Item> Ordered { get; } = [];

        public HashSet<string> Set { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, (long Start, int Count)> Windows { get; } = [];

        public DeterministicRandom Random { get; init; } = new(42);

        public System.Text.Json.Nodes.JsonObject Json { get; init; } = new() { ["a"] = new System.Text.Json.Nodes.JsonArray(1, 2) };

        public object Lock { get; } = new();
    }

    [Fact]
    public void Copy_is_deep_keeps_shared_references_shared_and_continues_the_random_sequence()
    {
        var source = new Graph();
        var item = new Item { Name = "one" };
        item.Tags.Add("x");
        source.ByName["one"] = item;
        source.Ordered.Add(item);
        source.Set.Add("s");
        source.Windows["k"] = (1, 2);
        source.Random.Next(0, 100);

        var copy = new StateCopier().Copy(source);
        copy.ByName["ONE"].Tags.Add("only in copy");
        copy.Set.Add("t");
        copy.Windows["k"] = (3, 4);
        copy.Json["a"]!.AsArray().Add(3);

        copy.ByName["one"].Should().BeSameAs(copy.Ordered[0], "one entity in the index and the list stays one entity");
        copy.ByName["one"].Should().NotBeSameAs(item);
        item.Tags.Should().Equal("x");
        source.Set.Should().Equal("s");
        source.Windows["k"].Should().Be((1L, 2));
        source.Json.ToJsonString().Should().Be("""{"a":[1,2]}""");
        copy.ByName.Comparer.Should().BeSameAs(source.ByName.Comparer);
        copy.Lock.Should().NotBeSameAs(source.Lock);
        copy.Random.Next(0, 1_000_000).Should().Be(source.Random.Next(0, 1_000_000), "the copy's random source is at the same position");
    }

    [Fact]
    public void State_with_a_task_cannot_be_copied_and_says_why()
    {
        var act = () => new StateCopier().Copy(new Holder { Pending = Task.CompletedTask });

        act.Should().Throw<NotSupportedException>().WithMessage("*System.Threading.Tasks.Task*keep tasks, streams and synchronization objects out of CloneState*");
    }

    private sealed class Holder
    {
        public Task? Pending { get; init; }
    }
}
