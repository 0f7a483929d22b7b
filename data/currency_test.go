package data

import "testing"

func TestCurrencySymbol(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code, want string
	}{
		{"GBP", "£"},
		{"EUR", "€"},
		{"USD", "$"},
		{"gbp", "£"},
		{" EUR ", "€"},
		{"CHF", "CHF "},
		{"jpy", "JPY "},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			t.Parallel()
			if got := CurrencySymbol(tt.code); got != tt.want {
				t.Errorf("CurrencySymbol(%q) = %q; want %q", tt.code, got, tt.want)
			}
		})
	}
}
