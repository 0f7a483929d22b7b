package data

import (
	"strings"
	"testing"
)

// TestYAMLErrorPlace checks that a YAML or JSON syntax error is placed on
// its line and column (go.yaml.in/yaml/v3 gives the zero-based line of the
// construct it was in: line 2 for an error on line 3), at the top level,
// in nested fields and in JSON.
func TestYAMLErrorPlace(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, text, want string
	}{
		{"mapping value on line 3", "name: x\ncurrency: GBP\nprice_year: 2024: 5\nsources: []\n",
			"x.yaml:3:17: mapping values are not allowed in this context"},
		{"tab on line 3", "name: x\ncurrency: GBP\n\tprice_year: 2024\n",
			"x.yaml:3:1: found a tab character that violates indentation"},
		{"flow sequence left open", "name: x\ncurrency: GBP\nprice_year: [2024\nsources: []\n",
			"x.yaml:4:"},
		{"nested: bad indent on line 5", "name: x\ncurrency: GBP\nscopes:\n  - id: a\n   threats: 3\n",
			"x.yaml:5:4: did not find expected '-' indicator"},
		{"nested: a sequence item among keys", "name: x\ncurrency: GBP\nscopes:\n  - id: a\n    - threats: 3\n",
			"x.yaml:5:5: did not find expected key"},
		{"nested: mapping never closed", "name: x\ncurrency: GBP\nscopes:\n  - id: a\n    threats:\n      - id: t\n        rate: {lo: 1\n",
			"x.yaml:7:15: did not find expected ',' or '}' (the { here is never closed)"},
		{"nested: quote never closed", "name: x\nscopes:\n  - id: a\n    threats:\n      - id: t\n        name: \"unclosed\n        rate: 3\n",
			"x.yaml:6:15: found unexpected end of stream (the \" here is never closed)"},
		{"nested: extra bracket", "a: 1\nb:\n  - x\n  - y: [1, 2]]\n",
			"x.yaml:4:14: did not find expected key"},
		{"unknown anchor", "a: 1\nb: &x 2\nc: *y\n",
			"x.yaml:3:5: unknown anchor 'y' referenced"},
		{"JSON: two commas on line 4", "{\"name\": \"x\",\n \"currency\": \"GBP\",\n \"scopes\": [ {\"id\": \"a\",\n    \"threats\": 3,, }]}\n",
			"x.yaml:4:18: did not find expected node content"},
		{"JSON: a comma missing at the end of line 2", "{\"name\": \"x\",\n \"currency\": \"GBP\"\n \"scopes\": 3}\n",
			"x.yaml:3:"},
		{"a bracket in a plain scalar or comment is text", "a: it's [fine]\nb: \"x\" # c [\nc: 1: 2\n",
			"x.yaml:3:5: mapping values are not allowed in this context"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := LoadBytes([]byte(tt.text), "x.yaml")
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("LoadBytes(%q) = %v; want %s…", tt.text, err, tt.want)
			}
		})
	}
}
