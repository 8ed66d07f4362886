package dev.bascule;

import dev.bascule.api.CommandHook;
import dev.bascule.api.Notifier;
import dev.bascule.api.Webhook;
import dev.bascule.notify.CommandHookNotifier;
import dev.bascule.notify.WebhookNotifier;

/**
 * The ready-made notifiers, for {@link Bascule.Builder#notifier}: each delivers on a background
 * thread, retries as its settings say, and logs and drops what it cannot deliver.
 */
public final class Notifications {
    private Notifications() {}

    /** POSTs each event of {@code webhook.events()} as JSON to its URL. */
    public static Notifier webhook(Webhook webhook) {
        return new WebhookNotifier(webhook);
    }

    /** Runs {@code hook.argv()} for each event of {@code hook.events()}, the event as JSON on its standard input. */
    public static Notifier command(CommandHook hook) {
        return new CommandHookNotifier(hook);
    }
}
