package main

import "testing"

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
		if got := suggest(tt.name, commands); got != tt.want {
			t.Errorf("suggest(%q) = %q; want %q", tt.name, got, tt.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"", "abc", 3}, {"run", "run", 0}, {"rnu", "run", 1}, {"kitten", "sitting", 3}, {"£92m", "£92", 1}} {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d; want %d", tt.a, tt.b, got, tt.want)
		}
		if got := editDistance(tt.b, tt.a); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d; want %d", tt.b, tt.a, got, tt.want)
		}
	}
}
