package bulk_test

import (
	"context"
	"fmt"

	"github.com/cybercba/cybercba/data"
	"github.com/cybercba/cybercba/reports/bulk"
)

// Run three scenarios of the embedded dataset: as it is, with a yearly
// budget of £5m, and with every threat twice as frequent. The first two
// share one simulation.
func ExampleRun() {
	ds, err := data.Default()
	if err != nil {
		panic(err)
	}
	st := data.DefaultSettings()
	st.Draws, st.Years = 20, 500
	budget := 5e6
	rows := []data.Scenario{
		{Index: 1, Row: 2, Name: "as it is", RateMultiplier: 1, LossMultiplier: 1, CostMultiplier: 1},
		{Index: 2, Row: 3, Name: "£5m a year", Budget: &budget, RateMultiplier: 1, LossMultiplier: 1, CostMultiplier: 1},
		{Index: 3, Row: 4, Name: "twice the attacks", RateMultiplier: 2, LossMultiplier: 1, CostMultiplier: 1},
	}
	b, err := bulk.Run(context.Background(), bulk.Input{Dataset: ds, Settings: st, Scenarios: rows}, bulk.Options{})
	if err != nil {
		panic(err)
	}
	for _, r := range b.Rows {
		fmt.Printf("%s: recommends %s at £%.1fm a year\n", r.Name, r.Portfolio.Controls, r.Portfolio.Cost/1e6)
	}
	// Output:
	// as it is: recommends N4+R-C1 at £17.8m a year
	// £5m a year: recommends N4 at £3.9m a year
	// twice the attacks: recommends N1+N3+N4+R-C1+R-C7 at £51.1m a year
}
