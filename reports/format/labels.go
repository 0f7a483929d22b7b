package format

import (
	"fmt"
	"strings"

	"github.com/cybercba/cybercba/model"
)

// Metric names a ranking metric as a column head or in a sentence: NPV,
// BCR, ROSI, ΔALE, ΔP95.
func Metric(m model.Metric) string {
	switch m {
	case model.ByBCR:
		return "BCR"
	case model.ByROSI:
		return "ROSI"
	case model.ByDeltaALE:
		return "ΔALE"
	case model.ByDeltaP95:
		return "ΔP95"
	}
	return "NPV"
}

// objective is the wording of a portfolio objective.
type objective struct{ short, long, axis string }

// objectiveWords words each objective in three lengths.
func objectiveWords(o model.Objective) objective {
	switch o {
	case model.MaxDeltaALE:
		return objective{"expected ΔALE", "the reduction in expected annual loss (ΔALE)", "Reduction in expected annual loss (ΔALE)"}
	case model.MaxDeltaTVaR:
		return objective{"ΔTVaR95", "the reduction in TVaR95 (the mean of the worst 5% of years)", "Reduction in TVaR95"}
	}
	return objective{"expected NPV", "expected NPV", "Expected NPV"}
}

// Objective names what a portfolio choice maximises inside a sentence or a
// column head: expected NPV, expected ΔALE, ΔTVaR95.
func Objective(o model.Objective) string { return objectiveWords(o).short }

// ObjectiveLong names what a portfolio choice maximises in full, after
// "maximising": "the reduction in expected annual loss (ΔALE)".
func ObjectiveLong(o model.Objective) string { return objectiveWords(o).long }

// ObjectiveAxis names what a portfolio choice maximises as an axis or
// field label: "Expected NPV", "Reduction in TVaR95".
func ObjectiveAxis(o model.Objective) string { return objectiveWords(o).axis }

// Aggregation states how a model's threats combine into a year's loss,
// without a final period: "Threats summed, independent of one another".
func Aggregation(m *model.Model) string {
	switch {
	case len(m.Correlations) > 0 && m.CommonCorrelation != 0:
		return fmt.Sprintf("Threats summed; their rates rank-correlated %.2f across outer draws, with %d pairs set apart (Gaussian copula)", m.CommonCorrelation, len(m.Correlations))
	case m.CommonCorrelation != 0:
		return fmt.Sprintf("Threats summed; their rates rank-correlated %.2f across outer draws (Gaussian copula)", m.CommonCorrelation)
	case len(m.Correlations) > 0:
		var ps []string
		for _, c := range m.Correlations {
			ps = append(ps, fmt.Sprintf("%s–%s %.2f", c.A, c.B, c.Rank))
		}
		return "Threats summed; rates rank-correlated across outer draws (Gaussian copula): " + strings.Join(ps, ", ") + "; others independent"
	}
	return "Threats summed, independent of one another"
}
