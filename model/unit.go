package model

// Unit is what an input is measured in, carried by the input so that an
// output writes it as money, a percentage or a plain number without
// guessing from its name.
type Unit int

// The units of inputs.
const (
	// Plain quantities: a yearly rate, organisations, days, a multiplier.
	Plain Unit = iota
	// Money is an amount in the model's currency and price year.
	Money
	// Share is a fraction written as a percentage: a control's reduction,
	// an optimism-bias uplift.
	Share
)
