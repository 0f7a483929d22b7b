package model

import (
	"os"
	"testing"
)

// The tests run in two tiers. Plain go test ./... is the quick tier, kept
// under a minute on two cores; with CYBERCBA_LONG=1 (as .ci/run sets) the
// long tier runs as well: every statistical check at its full size, and
// the tests too slow for the quick tier.

// longTier reports whether the long tier is on.
func longTier() bool { return os.Getenv("CYBERCBA_LONG") != "" }

// bySize returns quick in the quick tier and full in the long tier: the
// size (draws, years, cases) of a check whose tolerance comes from its own
// standard error, so that it holds at either size.
func bySize(quick, full int) int {
	if longTier() {
		return full
	}
	return quick
}

// skipUnlessLong skips t in the quick tier, saying why it is slow.
func skipUnlessLong(t *testing.T, why string) {
	t.Helper()
	if !longTier() {
		t.Skipf("long tier (%s): set CYBERCBA_LONG=1 to run it, as .ci/run does", why)
	}
}
