package dev.clawstream.alerter.rules;

import java.util.List;

/**
 * The registrable domains {@code domain resembles well_known} protects: where AI agents legitimately
 * go (model providers, package registries, code hosting, the big clouds and SaaS APIs), so the names
 * squatters imitate to catch them. Companies own their brand plus a word ({@code githubusercontent},
 * {@code microsoftonline}, {@code cloudflarestorage}, {@code google-analytics}) or under another TLD
 * ({@code notion.com} beside {@code notion.so}, {@code pypi.io}); those are listed too, or they would be
 * their own brand's lookalikes. The detection evaluation's benign traffic found the last four.
 */
public final class WellKnownDomains {

    public static final String KEYWORD = "well_known";

    public static final List<String> DOMAINS = List.of(
            // Model providers and gateways
            "openai.com", "chatgpt.com", "oaiusercontent.com", "anthropic.com", "claude.ai", "mistral.ai",
            "cohere.com", "cohere.ai", "groq.com", "openrouter.ai", "together.ai", "deepseek.com", "perplexity.ai",
            "fireworks.ai", "huggingface.co", "replicate.com",
            // Package registries and language ecosystems
            "pypi.org", "pypi.io", "pythonhosted.org", "python.org", "npmjs.org", "npmjs.com", "yarnpkg.com", "rubygems.org",
            "crates.io", "golang.org", "maven.org", "apache.org", "gradle.org", "nuget.org", "anaconda.org",
            "anaconda.com", "docker.io", "docker.com",
            // Code hosting
            "github.com", "githubusercontent.com", "githubassets.com", "githubstatus.com", "github.dev", "gitlab.com",
            "bitbucket.org", "atlassian.com", "atlassian.net",
            // Clouds and identity
            "google.com", "googleapis.com", "gstatic.com", "googleusercontent.com", "google-analytics.com",
            "googletagmanager.com", "microsoft.com", "microsoftonline.com", "azure.com", "windows.net",
            "amazonaws.com", "amazon.com", "cloudflare.com", "cloudflarestorage.com", "cloudflareinsights.com",
            "okta.com", "auth0.com",
            // SaaS APIs agents are commonly given
            "slack.com", "slack-edge.com", "slack-imgs.com", "slack-msgs.com", "stripe.com", "stripe.network",
            "twilio.com", "sentry.io", "datadoghq.com", "salesforce.com", "dropbox.com", "notion.so", "notion.com");

    private WellKnownDomains() {
    }
}
