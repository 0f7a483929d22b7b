package data

import "testing"

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

// TestNearestTies checks that Nearest ignores letter case and suggests
// nothing when several candidates are equally near.
func TestNearestTies(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name       string
		candidates []string
		want       string
	}{
		{"T9", []string{"T1", "T2", "T3"}, ""},
		{"C1", []string{"N1", "R-C1"}, ""},
		{"c1", []string{"N1", "C1"}, "C1"},
		{"r-c11", []string{"R-C1", "R-C2", "N1"}, "R-C1"},
		{"s3x", []string{"S1", "S2", "S3"}, "S3"},
		{"socail", []string{"financial", "social"}, "social"},
	} {
		if got := Nearest(tt.name, tt.candidates); got != tt.want {
			t.Errorf("Nearest(%q, %q) = %q; want %q", tt.name, tt.candidates, got, tt.want)
		}
	}
}
