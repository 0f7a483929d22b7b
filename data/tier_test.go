package data_test

import "os"

// The tests run in two tiers. Plain go test ./... is the quick tier, kept
// under a minute on two cores; with CYBERCBA_LONG=1 (as .ci/run sets) the
// long tier runs as well: every statistical check at its full size, and
// the tests too slow for the quick tier.

// longTier reports whether the long tier is on.
func longTier() bool { return os.Getenv("CYBERCBA_LONG") != "" }

// bySize returns quick in the quick tier and full in the long tier: the
// size (draws, years, cases) of a check whose tolerance comes from its own
// standard error, so that it holds at either size. The quick tier's check
// has less power, its standard error larger by √(full/quick); the long
// tier runs it at full power.
func bySize(quick, full int) int {
	if longTier() {
		return full
	}
	return quick
}
