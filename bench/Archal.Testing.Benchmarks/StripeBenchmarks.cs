using System.Text;
using System.Text.Json.Nodes;
using Archal.Testing.Hosting;
using BenchmarkDotNet.Attributes;

namespace Archal.Testing.Benchmarks;

/// <summary>
/// Stripe clone figures against the bare endpoint on the same TestServer (Baseline): a retrieve, creating a PaymentIntent,
/// confirming it (create + confirm, two requests), and the one-request form (create with confirm=true).
/// </summary>
[MemoryDiagnoser]
public class StripeBenchmarks
{
    private BenchHost _bench = null!;
    private HttpClient _bare = null!;
    private HttpClient _stripe = null!;
    private ArchalSession _session = null!;
    private string _customerPath = null!;

    // Synchronous on purpose: the in-process toolchain does not await async setup methods.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _bench = await BenchHost.StartAsync();
        _bare = _bench.Host.CreateRawClient();
        _session = await _bench.Host.CreateSessionAsync(new SessionRequest("stripe") { TtlSeconds = 86400 });
        _stripe = _session.CreateClient("stripe");
        var customer = JsonNode.Parse(await PostAsync("v1/customers", "email=bench%40example.com"))!;
        _customerPath = $"v1/customers/{customer["id"]!.GetValue<string>()}";
    }

    private async Task CleanupAsync()
    {
        _bare.Dispose();
        _stripe.Dispose();
        await _bench.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "bare endpoint")]
    public async Task<string> Bare() => await _bare.GetStringAsync(BenchHost.BarePath);

    [Benchmark(Description = "GET /v1/customers/{id}")]
    public async Task<string> RetrieveCustomer() => await _stripe.GetStringAsync(_customerPath);

    [Benchmark(Description = "POST /v1/payment_intents")]
    public async Task<string> CreatePaymentIntent() =>
        await PostAsync("v1/payment_intents", "amount=2000&currency=usd&payment_method=pm_card_visa");

    [Benchmark(Description = "create + confirm PaymentIntent (2 requests)")]
    public async Task<string> CreateAndConfirm()
    {
        var created = JsonNode.Parse(await PostAsync("v1/payment_intents", "amount=2000&currency=usd&payment_method=pm_card_visa"))!;
        return await PostAsync($"v1/payment_intents/{created["id"]!.GetValue<string>()}/confirm", "");
    }

    [Benchmark(Description = "create with confirm=true (1 request)")]
    public async Task<string> CreateConfirmed() =>
        await PostAsync("v1/payment_intents", "amount=2000&currency=usd&payment_method=pm_card_visa&confirm=true");

    private async Task<string> PostAsync(string path, string form)
    {
        using var content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await _stripe.PostAsync(path, content);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}
