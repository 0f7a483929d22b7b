package reports

import (
	"os"
	"testing"
)

// skipUnlessLong skips t in the quick tier (plain go test ./..., kept
// under a minute on two cores), saying why it is slow; with
// CYBERCBA_LONG=1, as .ci/run sets, it runs.
func skipUnlessLong(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CYBERCBA_LONG") == "" {
		t.Skipf("long tier (%s): set CYBERCBA_LONG=1 to run it, as .ci/run does", why)
	}
}
