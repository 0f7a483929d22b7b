//go:build unix

package main

import (
	"os"
	"syscall"
)

// lockDir takes an exclusive lock on the folder dir, waiting for another
// run's, so that two runs into one folder put their sets in place one at a
// time. The lock ends with the returned function, or the process.
func lockDir(dir string) (unlock func(), err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
