package main

import (
	"testing"

	"github.com/cybercba/cybercba/data"
)

func TestSuggest(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		want string
	}{
		{"rnu", "run"},  // swapped letters
		{"rn", "run"},   // a letter dropped
		{"runn", "run"}, // a letter added
		{"Run", "run"},  // case
		{"calibrat", "calibrate"},
		{"sensitivty", "sensitivity"},
		{"sens", "sensitivity"}, // the one command it begins
		{"re", ""},              // too short to guess: reproduce or nothing
		{"frob", ""},
		{"xyz", ""},
		{"bath", "batch"},
	} {
		if got := data.Nearest(tt.name, commands); got != tt.want {
			t.Errorf("data.Nearest(%q) = %q; want %q", tt.name, got, tt.want)
		}
	}
}
