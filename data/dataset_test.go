package data

import (
	"testing"
)

func TestDefaultLoads(t *testing.T) {
	ds, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	t.Logf("%d sources, %d scopes", len(ds.Sources), len(ds.Scopes))
}
