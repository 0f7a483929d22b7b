package reports_test

import (
	"fmt"

	"github.com/cybercba/cybercba/reports"
)

func ExampleParseFormats() {
	formats, err := reports.ParseFormats("png, SVG,png")
	fmt.Println(formats, err)
	_, err = reports.ParseFormats("png,gif")
	fmt.Println(err)
	// Output:
	// [png svg] <nil>
	// unknown format "gif" (want one or more of png, svg, pdf)
}
