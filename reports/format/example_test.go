package format_test

import (
	"fmt"
	"math"

	"github.com/cybercba/cybercba/reports/format"
)

func ExampleCurrency_Money() {
	pounds, euros := format.Currency("£"), format.Currency("€")
	for _, x := range []float64{950, 12_345, 4.56e6, 1.2e9, -3e6, math.Copysign(0, -1), math.NaN()} {
		fmt.Println(pounds.Money(x), euros.Money(x))
	}
	// Output:
	// £950 €950
	// £12.3k €12.3k
	// £4.56m €4.56m
	// £1.20bn €1.20bn
	// −£3.00m −€3.00m
	// £0 €0
	// n/a n/a
}

func ExampleCurrency_Tick() {
	for _, x := range []float64{0, 5e5, 1e6, 2.5e6, 1.2e9} {
		fmt.Print(format.Currency("£").Tick(x), " ")
	}
	fmt.Println()
	// Output:
	// £0 £500k £1m £2.5m £1.2bn
}

func ExamplePercent() {
	fmt.Println(format.Percent(0.123), format.Percent(-0.05), format.Percent(25), format.PercentExact(0.035))
	// Output:
	// 12.3% −5.0% 2500% 3.5%
}

func ExampleCount() {
	fmt.Println(format.Count(200000), format.Count(-2500), format.ReturnPeriod(200))
	// Output:
	// 200,000 −2,500 1 in 200
}
