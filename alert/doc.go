// Package alert turns store transitions into notifications and delivers
// them durably: rules (thresholds, reminders, flapping, grouping,
// dependencies, maintenance windows) decide what to say and to whom, every
// notification is written to an outbox before it is sent, and a worker
// retries failed deliveries with backoff until they land or give up. What
// each service's notifiers were last told is recorded in the store in the
// same transaction as the outbox rows that tell them, and a restart resumes
// from that record: a crash loses no alert and repeats none.
//
// It owns the rules, the notifiers (webhook, Slack, Discord, Teams,
// Telegram, ntfy) and the retry policy. It must not import probe internals
// (only the shared probe/store types), tui or statusd, and it never decides
// up or down itself: the store does.
//
// Concurrency: Rules is a plain state machine, not safe for concurrent use;
// the Dispatcher owns one and drives it from a single goroutine. The
// Dispatcher's Recent and Test are safe from any goroutine; Run is called
// once. Notifiers are safe for concurrent use.
package alert
