package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// migrations[i] takes the schema from version i to i+1 (PRAGMA
// user_version). Later issues append; never edit a released step.
var migrations = []string{
	`CREATE TABLE services (
		id         TEXT PRIMARY KEY,
		name       TEXT NOT NULL,
		kind       TEXT NOT NULL DEFAULT '',
		target     TEXT NOT NULL DEFAULT '',
		updated_ms INTEGER NOT NULL DEFAULT 0
	);
	CREATE TABLE results (
		service_id     TEXT NOT NULL,
		node           TEXT NOT NULL DEFAULT '',
		start_ms       INTEGER NOT NULL,
		duration_us    INTEGER NOT NULL,
		ok             INTEGER NOT NULL,
		code           INTEGER NOT NULL DEFAULT 0,
		error          TEXT NOT NULL DEFAULT '',
		dns_us         INTEGER NOT NULL DEFAULT 0,
		connect_us     INTEGER NOT NULL DEFAULT 0,
		tls_us         INTEGER NOT NULL DEFAULT 0,
		first_byte_us  INTEGER NOT NULL DEFAULT 0,
		transfer_us    INTEGER NOT NULL DEFAULT 0,
		cert_expiry_ms INTEGER NOT NULL DEFAULT 0,
		scheduled_ms   INTEGER NOT NULL DEFAULT 0
	);
	CREATE INDEX results_service_start ON results (service_id, start_ms);
	-- finds a service's last failure without scanning its healthy history
	CREATE INDEX results_service_failures ON results (service_id, start_ms) WHERE ok = 0;
	CREATE TABLE transitions (
		service_id TEXT NOT NULL,
		"from"     TEXT NOT NULL,
		"to"       TEXT NOT NULL,
		at_ms      INTEGER NOT NULL,
		cause      TEXT NOT NULL DEFAULT '',
		node       TEXT NOT NULL DEFAULT ''
	);
	CREATE INDEX transitions_service_at ON transitions (service_id, at_ms);
	CREATE INDEX transitions_at ON transitions (at_ms);`,
	// 2: hourly and daily rollups (see rollup.go); back-filled from raw
	// results by migrationHooks[2] in the same transaction.
	rollupsSchema(),
	// 3: results taken in a maintenance window (store/maintenance.go) count
	// in no uptime figure.
	`ALTER TABLE results ADD COLUMN maint INTEGER NOT NULL DEFAULT 0;`,
	// 4: what the TLS, ping and degraded-by-warning checks measure
	// (probe.Result's CertIssuer, ChainValid, Loss, Warning).
	`ALTER TABLE results ADD COLUMN cert_issuer TEXT NOT NULL DEFAULT '';
	ALTER TABLE results ADD COLUMN chain_valid INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE results ADD COLUMN loss REAL NOT NULL DEFAULT 0;
	ALTER TABLE results ADD COLUMN warning TEXT NOT NULL DEFAULT '';`,
}

// migrationHooks[v] runs in the transaction that takes the schema to
// version v, after its SQL: data a new table needs from the old ones.
var migrationHooks = map[int]func(context.Context, *sql.Tx) error{
	2: backfillRollups,
}

// SchemaVersion is the schema this build writes.
func SchemaVersion() int { return len(migrations) }

var memoryDBs atomic.Uint64

// openDB opens path in WAL mode (creating it and its directory) and brings
// its schema up to date; path "" is a private in-memory database.
func openDB(path string) (*sql.DB, error) {
	const pragmas = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	dsn := "file:" + path + "?" + pragmas
	if path == "" {
		// A named shared-cache memory db lives as long as one connection
		// does; the name keeps two memory stores apart.
		dsn = fmt.Sprintf("file:uptop-mem-%d?mode=memory&cache=shared&%s", memoryDBs.Add(1), pragmas)
	} else if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create the data directory for %s: %w (choose another with --data)", path, err)
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", displayPath(path), err)
	}
	if path == "" {
		db.SetMaxOpenConns(1) // one connection keeps the memory db alive and shared
		db.SetConnMaxIdleTime(0)
	} else {
		db.SetMaxOpenConns(4) // WAL: readers alongside the one writer
	}
	db.SetMaxIdleConns(4)
	if err := migrate(context.Background(), db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", displayPath(path), err)
	}
	return db, nil
}

func displayPath(path string) string {
	if path == "" {
		return "the in-memory database"
	}
	return path
}

func migrate(ctx context.Context, db *sql.DB) error { return migrateTo(ctx, db, len(migrations)) }

// migrateTo applies the steps up to version target (tests build files at
// an old version with it).
func migrateTo(ctx context.Context, db *sql.DB, target int) error {
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("read the schema version: %w (is it an SQLite file?)", err)
	}
	if v > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this uptop's %d: upgrade uptop or use another --data file", v, len(migrations))
	}
	for ; v < target; v++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate the schema to version %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate the schema to version %d: %w", v+1, err)
		}
		if hook := migrationHooks[v+1]; hook != nil {
			if err := hook(ctx, tx); err != nil {
				tx.Rollback()
				return fmt.Errorf("migrate the data to schema version %d: %w", v+1, err)
			}
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate the schema to version %d: %w", v+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate the schema to version %d: %w", v+1, err)
		}
	}
	return nil
}

// saveServices upserts the configured services so the file names what its
// results belong to, even after a service leaves the config.
func saveServices(ctx context.Context, db *sql.DB, specs []Spec, now time.Time) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save the service list: %w", err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO services (id, name, kind, target, updated_ms) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, target = excluded.target, updated_ms = excluded.updated_ms`)
	if err != nil {
		return fmt.Errorf("save the service list: %w", err)
	}
	defer stmt.Close()
	for _, sp := range specs {
		if _, err := stmt.ExecContext(ctx, sp.ID, sp.Name, sp.Kind, sp.Target, now.UnixMilli()); err != nil {
			return fmt.Errorf("save service %q: %w", sp.ID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save the service list: %w", err)
	}
	return nil
}

// DefaultPath is where the database lives unless --data says otherwise:
// $XDG_STATE_HOME/uptop/uptop.db, with ~/.local/state when it is unset.
func DefaultPath(getenv func(string) (string, bool)) string {
	if dir, ok := getenv("XDG_STATE_HOME"); ok && filepath.IsAbs(dir) {
		return filepath.Join(dir, "uptop", "uptop.db")
	}
	if home, ok := getenv("HOME"); ok && strings.TrimSpace(home) != "" {
		return filepath.Join(home, ".local", "state", "uptop", "uptop.db")
	}
	return filepath.Join(".local", "state", "uptop", "uptop.db")
}
