package probe

// Sink receives every Result the Scheduler produces. Ingest is called from
// worker goroutines; it must be safe for concurrent use and must not block
// for long (the store buffers, it never waits on disk).
type Sink interface {
	Ingest(Result)
}
