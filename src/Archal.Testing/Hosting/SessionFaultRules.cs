using System.Text.Json;
using System.Text.Json.Nodes;
using Archal.Testing.ControlPlane;

namespace Archal.Testing.Hosting;

/// <summary>
/// A session's fault rules (<c>session.Faults</c>), changed in place on the in-process host: the same rules and checks
/// as <c>POST/GET/DELETE /api/sessions/{id}/faults</c>.
/// </summary>
public sealed class SessionFaultRules
{
    private readonly ArchalSession _session;

    internal SessionFaultRules(ArchalSession session) => _session = session;

    /// <summary>Adds a rule; its calls are counted from now. Returns the rule's id (<c>flt-…</c>).</summary>
    /// <exception cref="ArgumentException">The rule is invalid (unknown operation, a status the clone cannot render…): the message names the field.</exception>
    public string Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var record = _session.Record;
        var spec = Parse(rule, record.CloneIds, _session.Host.Runtime.FindClone);
        return record.Faults.Add(spec)["id"]!.GetValue<string>();
    }

    /// <summary>Removes a rule. Returns false when the session has no rule with that id.</summary>
    public bool Remove(string faultId) => _session.Record.Faults.Remove(faultId);

    /// <summary>
    /// The rules as the control plane lists them: each with its <c>id</c>, the rule, and <c>calls</c> (matching calls so
    /// far) and <c>injected</c> (calls it faulted).
    /// </summary>
    public IReadOnlyList<JsonObject> List() => [.. _session.Record.Faults.List().Select(n => n!.AsObject())];

    internal static FaultRuleSpec Parse(FaultRule rule, IReadOnlyCollection<string> clones, Func<string, Clones.Abstractions.CloneDefinition?> findClone)
    {
        using var document = JsonDocument.Parse(rule.ToJson().ToJsonString());
        var (spec, error) = FaultRuleParser.Parse(document.RootElement, clones, findClone);
        return error is null ? spec! : throw new ArgumentException($"{error.Message} ({error.Code}, field {error.ToJson()["field"]})", nameof(rule));
    }
}
