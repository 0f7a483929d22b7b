package data

import (
	"errors"
	"fmt"

	"github.com/cybercba/cybercba/model"
)

// CheckRun checks that every scope of ds, and every scenario under the
// settings st, gives a model and an appraisal the engine can compute. It
// returns the warnings, doubtful but valid inputs of each scope under st
// (see model.Warnings) each naming the file and scope, and every problem
// joined, each naming the file, then the scope or the Scenarios row.
func CheckRun(ds *Dataset, st Settings, scns []Scenario) (warnings []string, problems error) {
	path := ds.File
	var errs []error
	cal, err := model.Calibrate(ds.Target(), st.Seed)
	if err != nil {
		errs = append(errs, fmt.Errorf("%s: calibration: %w", path, err))
	}
	models := map[string]*model.Model{}
	for i := range ds.Scopes {
		sc := &ds.Scopes[i]
		m := sc.Model(cal)
		if err := m.Validate(); err != nil && cal.DailyNow > 0 {
			for _, p := range Leaves(err) {
				errs = append(errs, fmt.Errorf("%s: scope %s: %w", path, sc.ID, p))
			}
		}
		models[sc.ID] = m
	}
	for _, sc := range scns {
		if sc.Err != nil {
			errs = append(errs, sc.Err)
			continue
		}
		rs := sc.Settings(st)
		id := rs.Scope
		if id == "" {
			id = ds.Scopes[0].ID
		}
		base, ok := models[id]
		if !ok {
			errs = append(errs, fmt.Errorf("%s: Scenarios row %d (%s): scope %q is not in the dataset", path, sc.Row, sc.Name, id))
			continue
		}
		m, err := sc.Apply(base)
		if err == nil {
			err = errors.Join(m.Validate(), rs.Appraisal().Validate())
		}
		for _, p := range Leaves(err) {
			errs = append(errs, fmt.Errorf("%s: Scenarios row %d (%s): %w", path, sc.Row, sc.Name, p))
		}
	}
	cons := model.NoBudget()
	if st.Budget != nil {
		cons.Annual = *st.Budget
	}
	if st.CapexBudget != nil {
		cons.Capex = *st.CapexBudget
	}
	for _, sc := range ds.Scopes {
		for _, w := range model.Warnings(models[sc.ID], st.Appraisal(), cons) {
			warnings = append(warnings, fmt.Sprintf("%s: scope %s: %s", path, sc.ID, w.Text(ds.Money)))
		}
	}
	return warnings, errors.Join(errs...)
}

// Leaves returns the errors err joins (errors.Join, at any depth),
// flattened, in order; none for nil, err itself when it joins none.
func Leaves(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, Leaves(e)...)
		}
		return out
	}
	return []error{err}
}
