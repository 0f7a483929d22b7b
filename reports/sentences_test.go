package reports

import "testing"

func TestDiffersLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fr, sr   int
		fin, soc float64
		want     string
	}{
		{1, 1, 5e5, 9e5, ""},
		{2, 1, 5e5, 9e5, "C8: rank 2 on money, 1 with harm"},
		{3, 3, -4.12e5, 2.53e6, "C8: NPV −£412k on money, £2.53m with harm"},
		{5, 3, -4.12e5, 2.53e6, "C8: rank 5 on money, 3 with harm; NPV −£412k on money, £2.53m with harm"},
		{4, 4, -1e5, -2e4, ""},
	}
	for _, tt := range tests {
		if got := differsLine("£", "C8", tt.fr, tt.sr, tt.fin, tt.soc); got != tt.want {
			t.Errorf("differsLine(%d, %d, %g, %g) = %q; want %q", tt.fr, tt.sr, tt.fin, tt.soc, got, tt.want)
		}
	}
}
