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

// quickSheetDraws is the live model's least count of draws in the quick
// tier: every test's workbook carries sheetDrawsMin rows of draws, each
// with a few hundred formulas, and the tests of the live model check its
// sheets, formulas and summaries, which do not depend on the count; the
// long tier keeps the product's minSheetDraws.
const quickSheetDraws = 200

func TestMain(m *testing.M) {
	if os.Getenv("CYBERCBA_LONG") == "" {
		sheetDrawsMin = quickSheetDraws
	}
	os.Exit(m.Run())
}
