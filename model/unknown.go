package model

import "fmt"

// UnknownError is a name that is not one of a fixed set: a view, a
// ranking metric or a portfolio objective. Want lists the names accepted,
// so that a caller can suggest the nearest.
type UnknownError struct {
	// What the name is of ("view"); Got the name given.
	What, Got string
	// Want are the names accepted; Hint says so in words.
	Want []string
	Hint string
}

func (e *UnknownError) Error() string {
	return fmt.Sprintf("unknown %s %q (want %s)", e.What, e.Got, e.Hint)
}
