package data

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"cybercba/model"
)

func TestProbe(t *testing.T) {
	ds, _ := Default()
	t0 := time.Now()
	_, err := model.Calibrate(ds.Target(), 1)
	t.Log("calibrate", time.Since(t0), err)
	big := string(DefaultBytes()) + strings.Repeat("# padding padding padding padding padding padding padding\n", (33<<20)/58) + "bogus: 1\n"
	t0 = time.Now()
	ds2, err := Load(strings.NewReader(big), "big.yaml")
	t.Log("big", time.Since(t0), ds2 != nil, err)
	for _, s := range []string{"", "# c\n", "---\n", "[1,2", "- a\n- b\n", "\x00\xff", "just text", "{\"version\": 1}"} {
		_, err := Load(bytes.NewReader([]byte(s)), "x.yaml")
		t.Logf("%q -> %v", s, err)
	}
}
