package model

import (
	"runtime"
	"unsafe"
)

// sketchBytes is a generous size of one streaming sketch: a log-bucket
// histogram at SketchError spans twelve decades of loss in about 2,800
// buckets of 8 bytes.
const sketchBytes = 32 << 10

// SimBytes returns the memory a simulation of the baseline and options
// portfolios under cfg holds while its results are in use, as newSim lays
// it out: in exact mode one float64 per simulated year per option (two
// with harm); in streaming mode (beyond cfg.MemoryBudget) each option's
// sketches instead; and in both the per-draw and per-chunk sums, the drawn
// costs and each worker's chunk buffers. With TargetSE set, draws are
// counted at MaxDraws (or 100 × Draws), the most the run may grow to.
//
//	exact:     bytes ≈ (options+1) · draws · years · 8 · (1 + harm) + …
//	streaming: bytes ≈ (options+1) · (21 sketches + draws · ⌈years/4096⌉ · 8 · (3 + harm)) + …
func SimBytes(m *Model, options int, cfg Config) int64 {
	draws := int64(cfg.Draws)
	if cfg.TargetSE > 0 {
		draws = int64(cfg.MaxDraws)
		if draws <= 0 {
			draws = 100 * int64(cfg.Draws)
		}
	}
	years := int64(cfg.Years)
	chunks := (years + chunkYears - 1) / chunkYears
	O := int64(options + 1)
	harm := int64(0)
	if m.Harm != nil {
		harm = 1
	}
	workers := int64(cfg.Workers)
	if workers <= 0 {
		workers = int64(runtime.GOMAXPROCS(0))
	}
	workers = max(min(workers, draws*chunks), 1)
	// Per draw: DrawMean and DrawP95 (HarmDrawMean); per chunk: chunkSum
	// (harmSum).
	b := O * (draws*8*(2+harm) + draws*chunks*8*(1+harm))
	b += 3 * draws * int64(len(m.Controls)) * 8
	b += workers * (O*(1+harm) + 1) * chunkYears * 8
	for _, t := range m.Threats {
		if t.Rate.Dist(Positive).Mean() >= aggregateRate {
			b += workers * approxCacheSize * int64(unsafe.Sizeof(approxConst{}))
		}
	}
	g := cfg
	g.Draws = int(draws)
	g.TargetSE = 0
	if chooseStreaming(m, int(O), g) {
		b += O * ((streamBatches+1)*sketchBytes + draws*chunks*8*(2+harm))
		b += workers * O * sketchBytes // the open draws' sketches
	} else {
		b += O * draws * years * 8 * (1 + harm)
	}
	return b
}
