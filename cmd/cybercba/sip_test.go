package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunSIP checks --sip: the run writes a SIPmath library with a SIP of
// each control's NPV, also with --no-files; a folder that does not exist
// fails the run, naming the flag.
func TestRunSIP(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "draws.json")
	args := []string{"run", "--quiet", "--no-files", "--scope", "acute-trust", "--draws", "8", "--years", "200", "--decision-draws", "100", "--sip", p}
	mustSucceed(t, cybercba(t, args...), args)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var lib struct {
		Name string
		SIPs []struct{ Name string } `json:"sips"`
	}
	if err := json.Unmarshal(b, &lib); err != nil {
		t.Fatalf("--sip file: %v", err)
	}
	names := map[string]bool{}
	for _, s := range lib.SIPs {
		names[s.Name] = true
	}
	if lib.Name == "" || !names["NPV C1"] {
		t.Errorf("--sip library %q has SIPs %v; want one named NPV C1", lib.Name, names)
	}
	r := cybercba(t, "run", "--quiet", "--no-files", "--scope", "acute-trust", "--draws", "8", "--years", "200", "--decision-draws", "100", "--sip", filepath.Join(t.TempDir(), "no", "such", "x.json"))
	if r.code != exitFailure || !strings.Contains(r.stderr, "--sip: ") {
		t.Errorf("--sip into a missing folder: exit %d, stderr %q; want %d naming --sip", r.code, r.stderr, exitFailure)
	}
}
