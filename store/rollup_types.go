package store

import "time"

// Bucket aggregates one service's checks over [Start, Start+step): what the
// history API and the 24h sparkline read. Latencies are of successful checks;
// they are zero when the bucket has none.
type Bucket struct {
	Start    time.Time
	Count    int     // checks in the bucket
	Failures int     // failed checks in the bucket
	Uptime   float64 // (Count-Failures)/Count; meaningless when Count == 0
	P50      time.Duration
	P95      time.Duration
	Max      time.Duration
}

// Day is one UTC calendar day of a service, from the daily rollup: what the
// 90-day bars and the 30/90-day uptime figures are made of.
type Day struct {
	Date            time.Time // midnight UTC
	Checks          int
	Failures        int
	DowntimeMinutes int     // minutes spent Down that day
	Uptime          float64 // (Checks-Failures)/Checks; meaningless unless HasData
	HasData         bool    // false: no check that day (shown grey)
}
