// Package config owns services.toml: the schema, the defaults, ${VAR}
// expansion from the environment, and validation that reports every problem
// as "file:line:col: message". Load and Parse return either a complete,
// valid, defaulted *File or an *Errors — never a partial config.
//
// It may import probe and store for their shared types only (Target, Spec,
// Redact); it must not import tui, statusd or alert, nor know how a probe runs.
//
// Concurrency: Load, Parse and Resolve are pure functions of their inputs
// (plus reading the files they are asked about) and safe to call from any
// goroutine; a returned *File is not mutated afterwards and may be shared.
package config
