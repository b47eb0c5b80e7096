using Archal.Testing.Examples.WebApp;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddHttpContextAccessor();
builder.Services.AddTransient<CorrelationIdHandler>();
builder.Services.AddHttpClient<GitHubIssues>((services, client) =>
{
    client.BaseAddress = new Uri("https://api.github.com/");
    client.DefaultRequestHeaders.UserAgent.ParseAdd("support-desk/1.0");
    client.DefaultRequestHeaders.Accept.ParseAdd("application/vnd.github+json");
    client.DefaultRequestHeaders.Authorization = new("Bearer", services.GetRequiredService<IConfiguration>()["GitHub:Token"]);
}).AddHttpMessageHandler<CorrelationIdHandler>().AddStandardResilienceHandler();
builder.Services.AddHttpClient<SlackNotifier>((services, client) =>
{
    client.BaseAddress = new Uri("https://slack.com/api/");
    client.DefaultRequestHeaders.Authorization = new("Bearer", services.GetRequiredService<IConfiguration>()["Slack:BotToken"]);
}).AddHttpMessageHandler<CorrelationIdHandler>().AddStandardResilienceHandler();
builder.Services.AddHttpClient<StripeRefunds>((services, client) =>
{
    client.BaseAddress = new Uri("https://api.stripe.com/");
    client.DefaultRequestHeaders.Authorization = new("Bearer", services.GetRequiredService<IConfiguration>()["Stripe:SecretKey"]);
}).AddHttpMessageHandler<CorrelationIdHandler>().AddStandardResilienceHandler();

var app = builder.Build();

// Refunds a charge, files a follow-up issue and tells the support channel.
app.MapPost("/refunds", async (RefundRequest request, StripeRefunds stripe, GitHubIssues github, SlackNotifier slack, IConfiguration config, CancellationToken cancellationToken) =>
{
    var refund = await stripe.RefundAsync(request.ChargeId, request.Reason, cancellationToken);
    var issue = await github.OpenAsync(config["Support:Repository"] ?? "acme/webapp",
        $"Refund {refund.Id} for {request.ChargeId}", $"Refunded {refund.Amount} ({request.Reason}).", cancellationToken);
    await slack.PostAsync(config["Support:Channel"] ?? "#general", $"Refunded {request.ChargeId}: {issue.HtmlUrl}", cancellationToken);
    return Results.Ok(new { refundId = refund.Id, issueNumber = issue.Number });
});

// GitHub calls this for the issues it is subscribed to: a new issue is announced in the support channel.
app.MapPost("/webhooks/github", async (HttpRequest request, SlackNotifier slack, IConfiguration config, CancellationToken cancellationToken) =>
{
    var delivery = await GitHubWebhook.ReadAsync(request, config["GitHub:WebhookSecret"] ?? "", cancellationToken);
    if (delivery is null)
    {
        return Results.Unauthorized();
    }

    if (delivery.Event == "issues" && delivery.Payload["action"]?.GetValue<string>() == "opened")
    {
        var issue = delivery.Payload["issue"]!;
        await slack.PostAsync(config["Support:Channel"] ?? "#general",
            $"New issue #{issue["number"]}: {issue["title"]} ({issue["html_url"]})", cancellationToken);
    }

    return Results.NoContent();
});

app.Run();

/// <summary>The app's entry point (public for WebApplicationFactory).</summary>
public partial class Program;
