package data

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"go.yaml.in/yaml/v3"
)

// Digest returns the SHA-256, in hex, of the dataset as used (its JSON,
// every number in full) and the scope chosen, so that any edit to an
// input shows; "unknown" when the dataset cannot be encoded.
func (ds *Dataset) Digest(scope string) string {
	b, err := json.Marshal(ds)
	if err != nil {
		return "unknown"
	}
	h := sha256.New()
	h.Write(b)
	h.Write([]byte{0})
	h.Write([]byte(scope))
	return hex.EncodeToString(h.Sum(nil))
}

// Canonical returns the dataset as YAML that Load reads back to the same
// dataset, as a results workbook records it to be reproduced; nil when the
// dataset cannot be encoded.
func (ds *Dataset) Canonical() []byte {
	b, err := yaml.Marshal(ds)
	if err != nil {
		return nil
	}
	return b
}
