//go:build !unix

package main

// lockDir does nothing where there is no flock: the set is still put in
// place by renames, but two runs at once into one folder may interleave.
func lockDir(dir string) (unlock func(), err error) {
	return func() {}, nil
}
