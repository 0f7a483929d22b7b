package model

import (
	"hash/fnv"
	"math/rand/v2"
)

// mix is the SplitMix64 finaliser: a bijective avalanche on 64 bits, used to
// turn structured stream identities into well-spread seeds.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// streamSeed returns the two PCG seed words of the stream named by parts,
// under the master seed. Streams differ in all 128 state bits.
func streamSeed(seed uint64, parts ...uint64) (uint64, uint64) {
	h := mix(seed)
	for _, p := range parts {
		h = mix(h ^ p)
	}
	return h, mix(h ^ 0x5851f42d4c957f2d)
}

// newStream returns a generator for the stream named by parts.
func newStream(seed uint64, parts ...uint64) *rand.Rand {
	a, b := streamSeed(seed, parts...)
	return rand.New(rand.NewPCG(a, b))
}

// newPCG returns the PCG of the stream named by parts.
func newPCG(seed uint64, parts ...uint64) *rand.PCG {
	a, b := streamSeed(seed, parts...)
	return rand.NewPCG(a, b)
}

// reseed points an existing PCG at the stream named by parts, without
// allocating.
func reseed(p *rand.PCG, seed uint64, parts ...uint64) {
	a, b := streamSeed(seed, parts...)
	p.Seed(a, b)
}

// idHash names a stream by an input's identifier, so that adding or removing
// another threat or control leaves this one's random numbers unchanged.
func idHash(kind, id string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write([]byte(id))
	return h.Sum64()
}

// Stream kinds: the first word of every stream identity.
const (
	streamParam uint64 = iota + 1
	streamEvents
	streamReplay
)
