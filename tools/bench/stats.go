package main

import (
	"math"
	"slices"
	"time"
)

// summary describes the runs of one subject.
type summary struct {
	N                int // timed runs
	Median, P90, Min time.Duration
	RSSRuns          int
	RSS, MaxRSS      int64 // median and largest peak RSS, KiB
}

// summarize returns the median, 90th percentile (nearest rank) and minimum
// of the wall times, and the median and largest of the peak RSS values.
func summarize(walls []time.Duration, rss []int64) summary {
	s := summary{N: len(walls), RSSRuns: len(rss)}
	if len(walls) > 0 {
		w := slices.Sorted(slices.Values(walls))
		s.Median, s.P90, s.Min = median(w), nearestRank(w, 0.9), w[0]
	}
	if len(rss) > 0 {
		r := slices.Sorted(slices.Values(rss))
		s.RSS, s.MaxRSS = median(r), r[len(r)-1]
	}
	return s
}

// median returns the median of sorted values: the middle one, or the mean
// of the two middle ones.
func median[T time.Duration | int64](sorted []T) T {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// nearestRank returns the p-th percentile of sorted values (0 < p ≤ 1):
// the smallest value with at least a fraction p of the values at or below
// it.
func nearestRank(sorted []time.Duration, p float64) time.Duration {
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// ratio is a / b, or 0 when b is 0.
func ratio[T time.Duration | int64](a, b T) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
