package data

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// The workbook format. WriteTemplate writes it and LoadWorkbook reads it:
//
//	Read me      how to fill the workbook (not read back)
//	Settings     key and value: the dataset's name, currency and price year,
//	             and a run's settings (scope, draws, years, seed, horizon,
//	             discount rate, optimism bias, budgets, objective, metric)
//	Scenarios    one bulk run per row (cybercba batch)
//	Scopes       one row per scope: organisations, cost-rate overrides and
//	             the social view's harm inputs
//	Threats      one row per threat, with its scope
//	Controls     one row per control, with its scope
//	Effects      one row per control and threat: the control's reductions
//	Calibration  the calibration incident, the checks beside it and the
//	             Green Book guidance's optimism-bias range per project type
//	Holdouts     the incidents the calibration is tested on
//	Sources      the publications the numbers cite
//
// Every table has its header in its first non-blank row. Headers are
// matched without regard to case, spaces, underscores or punctuation
// ("k_daily lo", "K Daily Lo" and "kdaily-lo" are one column); columns may
// come in any order; a column whose header starts with # is the user's own
// and is not read. Each number is three columns, "<name> lo", "<name> hi"
// and "<name> source": lo and hi bound a 90% interval (hi blank for a fixed
// value), and source holds its provenance, written
//
//	F [nao2017, dhsc2018]: one line of reasoning
//	J: one line of reasoning
//
// (tag, source ids in brackets, note after a colon). Text without a tag is
// a judgement (J) with the text as its reason. A number whose source is
// blank, or that no longer matches the value the template wrote beside its
// provenance (the hidden "template values" column), is tagged J with the
// note "edited in <file>", so an edited number never claims a source it
// did not come from.

// Sheet names.
const (
	sheetReadme      = "Read me"
	sheetSettings    = "Settings"
	sheetScenarios   = "Scenarios"
	sheetScopes      = "Scopes"
	sheetThreats     = "Threats"
	sheetControls    = "Controls"
	sheetEffects     = "Effects"
	sheetCalibration = "Calibration"
	sheetHoldouts    = "Holdouts"
	sheetSources     = "Sources"
)

// Limits on the workbooks LoadWorkbook opens: the file, what it unpacks
// to, the XML of one part held in memory, and the rows of one sheet. Every
// part is held in memory (unzipXMLLimit = unzipSizeLimit): excelize puts a
// larger part in a temporary file that only Close removes, so a run stopped
// by a signal while reading would leave it behind.
const (
	maxWorkbookSize = 32 << 20
	unzipSizeLimit  = 64 << 20
	unzipXMLLimit   = unzipSizeLimit
	maxSheetRows    = 100_000
)

// CellError is a problem with one cell of a workbook, or with a whole
// sheet when Cell is empty.
type CellError struct {
	File, Sheet, Cell string
	// Field names the column or setting, e.g. "capex" or "discount rate".
	Field string
	Msg   string
}

func (e *CellError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Sheet != "" {
		b.WriteString(": ")
		b.WriteString(sheetRef(e.Sheet))
		if e.Cell != "" {
			b.WriteString("!" + e.Cell)
		}
	}
	if e.Field != "" {
		b.WriteString(": " + e.Field)
	}
	b.WriteString(": " + e.Msg)
	return Escape(b.String())
}

// sheetRef quotes a sheet name for a cell reference when it needs it.
func sheetRef(name string) string {
	if strings.ContainsAny(name, " !'-()") {
		return "'" + strings.ReplaceAll(name, "'", "''") + "'"
	}
	return name
}

// norm reduces a header, sheet name or key to lowercase letters and digits.
func norm(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// field is one column of a table, or three for a number: "<head> lo",
// "<head> hi" and "<head> source".
type field struct {
	// name is the dataset's name for the field ("k_daily"); head the
	// template's header ("k daily").
	name, head string
	// aliases are other accepted headers.
	aliases []string
	num     bool
	kind    cellKind
	// required fields must have a column (a number: its lo column).
	required bool
	// note explains the column in its header's note, hiNote a number's
	// hi column when the usual note (a 95th percentile) does not fit;
	// width is in characters.
	note, hiNote string
	width        float64
}

// heads returns the field's headers as the template writes them.
func (fd *field) heads() []string {
	if !fd.num {
		return []string{fd.head}
	}
	return []string{numHead(fd.head, "lo"), numHead(fd.head, "hi"), numHead(fd.head, "source")}
}

func numHead(head, part string) string {
	if head == "" {
		return part
	}
	return head + " " + part
}

// Number parts and their accepted spellings.
var partAliases = map[string][]string{
	"lo":     {"lo", "low"},
	"hi":     {"hi", "high"},
	"source": {"source", "provenance", "src"},
}

// keys returns the normalized headers of a text field, or of one part of a
// number field.
func (fd *field) keys(part string) []string {
	names := append([]string{fd.head, fd.name}, fd.aliases...)
	var ks []string
	for _, n := range names {
		if !fd.num {
			ks = append(ks, norm(n))
			continue
		}
		for _, p := range partAliases[part] {
			ks = append(ks, norm(n)+p)
		}
	}
	slices.Sort(ks)
	return slices.Compact(ks)
}

// spec describes a table sheet.
type spec struct {
	sheet  string
	fields []field
	// fingerprint: whether the sheet has a hidden "template values" column
	// (tables with numbers).
	fingerprint bool
}

func (s *spec) field(name string) *field {
	for i := range s.fields {
		if s.fields[i].name == name {
			return &s.fields[i]
		}
	}
	panic("data: no field " + name + " in sheet " + s.sheet)
}

// fingerprintHead is the header of the hidden column that holds, for each
// number, the values and provenance the template wrote.
const fingerprintHead = "template values"

// Units and meanings shared by several sheets.
const (
	noteNumber = "A 90% interval: lo is the 5th percentile, hi the 95th (a lognormal between them). " +
		"For a fixed value, give lo and leave hi blank."
	noteFraction = "A reduction as a fraction from 0 to 1 (or a percentage such as 30%): lo and hi bound a 90% interval " +
		"(a beta distribution). For a fixed value, give lo and leave hi blank. Leave all three cells blank for no effect."
	noteMoney  = "Money in the dataset's currency and price year (Settings). Numbers, or text such as £1.2m, 250k, 1,200,000."
	noteHarm   = "Give all four harm numbers (deaths per day, QALYs per death, value per QALY, k_full), or leave all blank for a scope without them."
	noteSource = "Provenance: a tag, source ids in brackets, a note after a colon, e.g.\n" +
		"F [nao2017]: fact read in the source\nD [src1, src2]: derived, the arithmetic\nJ: a judgement, its reason\n" +
		"Text without a tag counts as a judgement (J). Blank, or left unchanged after you edit the number: " +
		"tagged J with the note \"edited in <file>\"."
)

// The tables. Field order is the template's column order.
var (
	scopesSpec = spec{sheet: sheetScopes, fingerprint: true, fields: []field{
		{name: "id", head: "id", required: true, width: 16, note: "The scope's id, used in the other sheets and by --scope."},
		{name: "name", head: "name", width: 34, note: "What the analysis covers, e.g. NHS England (all trusts)."},
		{name: "orgs", head: "orgs", num: true, kind: kindNumber, required: true, width: 9,
			note: "Organisation-equivalents in scope (a single whole value); an event's spread is capped at it."},
		{name: "daily", head: "daily", num: true, kind: kindAmount, width: 12,
			note: "Optional: lost output per organisation-day of outage (£), overriding the calibrated rate. " + noteMoney},
		{name: "recovery", head: "recovery", num: true, kind: kindAmount, width: 12,
			note: "Optional: IT recovery cost per disrupted organisation (£), overriding the calibrated rate. " + noteMoney},
		{name: "deaths_per_day", head: "deaths per day", num: true, kind: kindNumber, width: 8,
			note: "Optional, for the social view (patient harm): extra deaths per organisation-day of full outage. " +
				noteNumber + " " + noteHarm},
		{name: "qalys_per_death", head: "QALYs per death", num: true, kind: kindNumber, width: 8,
			note: "Optional, for the social view: quality-adjusted life years lost per extra death. " + noteNumber + " " + noteHarm},
		{name: "value_per_qaly", head: "value per QALY", num: true, kind: kindAmount, width: 11,
			note:   "Optional, for the social view: the value of a QALY (£), a single value, e.g. £70,000 (Green Book). " + noteHarm,
			hiNote: "Leave blank: the value of a QALY is a single value."},
		{name: "k_full", head: "k_full", num: true, kind: kindNumber, width: 8,
			note: "Optional, for the social view: the intensity of a full (trust-wide) outage against the calibration incident's average organisation; " +
				"an organisation-day at intensity k_d counts as min(k_d/k_full, 1) full-outage days of harm. " + noteNumber + " " + noteHarm},
	}}
	threatsSpec = spec{sheet: sheetThreats, fingerprint: true, fields: []field{
		{name: "scope", head: "scope", width: 13, note: "The scope (Scopes sheet) the threat belongs to; may be blank when there is one scope."},
		{name: "id", head: "id", required: true, width: 7, note: "The threat's id, unique within its scope; Effects refer to it."},
		{name: "name", head: "name", width: 40, note: "What the threat is."},
		{name: "rate", head: "rate", num: true, kind: kindNumber, required: true, width: 8, note: "Events a year in the scope. " + noteNumber},
		{name: "dispersion", head: "dispersion", num: true, kind: kindNumber, width: 8,
			note: "Optional: φ ≥ 0, a single value; yearly counts are negative binomial with variance λ + φλ² (blank: Poisson)."},
		{name: "spread", head: "spread", num: true, kind: kindNumber, required: true, width: 8,
			note: "Organisations disrupted per event (0 for no outage). " + noteNumber},
		{name: "duration", head: "duration", num: true, kind: kindNumber, required: true, width: 8,
			note: "Outage days per disrupted organisation (0 for no outage). " + noteNumber},
		{name: "k_daily", head: "k daily", num: true, kind: kindNumber, width: 8,
			note: "Optional: intensity multiplier on the daily lost-output rate (blank: 1, WannaCry's average trust-day). " + noteNumber},
		{name: "k_recovery", head: "k recovery", num: true, kind: kindNumber, width: 8,
			note: "Optional: multiplier on the recovery cost per organisation (blank: 1). " + noteNumber},
		{name: "fixed", head: "fixed", num: true, kind: kindAmount, width: 11,
			note: "Optional: cost per event not tied to outage (£): legal, notification, fines (blank: 0). " + noteMoney},
		{name: "trend", head: "trend", num: true, kind: kindFraction, width: 8,
			note: "Optional, for phased plans: growth of the rate a year, e.g. 0% to 20% (or 0 to 0.2), a 90% interval; the rate in year y is rate·(1+g)^(y−1) (blank: none). " +
				"For a fixed value, give lo and leave hi blank."},
		{name: "note", head: "note", width: 50, note: "Free text: the loss per event this implies, checks against data."},
	}}
	controlsSpec = spec{sheet: sheetControls, fingerprint: true, fields: []field{
		{name: "scope", head: "scope", width: 13, note: "The scope (Scopes sheet) the control belongs to; may be blank when there is one scope."},
		{name: "id", head: "id", required: true, width: 7, note: "The control's id, unique within its scope; Effects, requires and Scenarios refer to it."},
		{name: "name", head: "name", width: 40, note: "What the investment is."},
		{name: "project", head: "project", width: 11,
			note: "Optional: equipment, outsourcing or none: the kind of project, for the optimism bias it typically carries."},
		{name: "units", head: "units", num: true, kind: kindNumber, width: 7,
			note: "Optional: units bought (a single whole value, blank 1); capex and opex are per unit."},
		{name: "capex", head: "capex", num: true, kind: kindAmount, required: true, width: 12,
			note: "Capital cost per unit (£), paid in year 0 and again at each renewal. " + noteMoney + " " + noteNumber},
		{name: "opex", head: "opex", num: true, kind: kindAmount, required: true, width: 12,
			note: "Running cost per unit per year (£). " + noteMoney + " " + noteNumber},
		{name: "lifetime", head: "lifetime", num: true, kind: kindNumber, required: true, width: 8,
			note: "Years the capital lasts before renewal: a single whole value from 0 to 125 (0: the whole horizon)."},
		{name: "optimism_bias", head: "optimism bias", num: true, kind: kindFraction, width: 8,
			note: "Optional: uplift on this control's costs (e.g. 20% or 0.2), instead of the Settings one (Green Book)."},
		{name: "exclusive_group", head: "exclusive group", aliases: []string{"group"}, width: 10,
			note: "Optional: controls sharing a group name are alternatives; a portfolio holds at most one of them."},
		{name: "requires", head: "requires", width: 10,
			note: "Optional: ids of controls this one needs, separated by commas; a portfolio holding it holds them too."},
		{name: "rollout_years", head: "rollout years", num: true, kind: kindNumber, width: 8,
			note: "Optional, for phased plans: years from the start to the full effect, a single whole value (blank or 1: at once)."},
		{name: "rollout_shape", head: "rollout shape", width: 9,
			note: "Optional: linear (a share a/R of the effect in year a of R, the default) or step (none until year R)."},
		{name: "decay", head: "decay", width: 11,
			note: "Optional, for phased plans: how the effect fades between renewals (renewal at the lifetime restores it): " +
				"none (default), step (all until decay life, then none), exponential (half-life decay life) or weibull (exp(−(t/L)^k))."},
		{name: "decay_life", head: "decay life", num: true, kind: kindNumber, width: 8,
			note: "Years: the step's life, the exponential's half-life or the Weibull's scale L; a single value (0.5 is six months)."},
		{name: "decay_shape", head: "decay shape", num: true, kind: kindNumber, width: 8,
			note: "The Weibull's shape k, a single value (k = 1 is exponential; k > 1 holds the effect, then drops faster)."},
		{name: "note", head: "note", width: 40, note: "Free text."},
	}}
	effectsSpec = spec{sheet: sheetEffects, fingerprint: true, fields: []field{
		{name: "scope", head: "scope", width: 13, note: "The scope of the control and threat; may be blank when there is one scope."},
		{name: "control", head: "control", required: true, width: 8, note: "The control's id (Controls sheet)."},
		{name: "threat", head: "threat", required: true, width: 8, note: "The threat's id (Threats sheet); one row per control and threat."},
		{name: "frequency", head: "frequency", num: true, kind: kindFraction, width: 8,
			note: "Share of the threat's events the control prevents. " + noteFraction},
		{name: "spread", head: "spread", num: true, kind: kindFraction, width: 8,
			note: "Reduction in organisations disrupted per event (containment). " + noteFraction},
		{name: "duration", head: "duration", num: true, kind: kindFraction, width: 8,
			note: "Reduction in outage days (recovery). " + noteFraction},
		{name: "fixed", head: "fixed", num: true, kind: kindFraction, width: 8,
			note: "Reduction in the fixed cost per event. " + noteFraction},
	}}
	calibrationSpec = spec{sheet: sheetCalibration, fingerprint: true, fields: []field{
		{name: "item", head: "item", required: true, width: 12,
			note: "incident, price year, spread, duration, lost output, it costs, total, deflator, note, check (one row per check), " +
				"or optimism bias (one row per project type)."},
		{name: "id", head: "id", width: 18, note: "A check's id, or an optimism bias row's project type: equipment or outsourcing."},
		{name: "text", head: "text", width: 44, note: "The incident's name, its price year, the note, or a check's name."},
		{name: "value", head: "", num: true, kind: kindAmount, width: 13,
			note: "The item's value: spread in organisations, duration in days (90% intervals), lost output, IT costs, total and checks in £ of the incident's price year (single values), deflator a ratio to the dataset's price year.\n" +
				"Optimism bias: the Green Book guidance's uplift on the costs of a project type (id), e.g. 10% to 200%. " +
				"lo to hi is a uniform range, not a 90% interval, drawn only when a run asks for the guidance's optimism bias.",
			hiNote: "The high end of the value: the 95th percentile of spread or duration, the top of an optimism bias range. Blank for a fixed value."},
		{name: "unit", head: "unit", width: 22, note: "The unit, for reading; not read back."},
	}}
	holdoutsSpec = spec{sheet: sheetHoldouts, fingerprint: true, fields: []field{
		{name: "id", head: "id", required: true, width: 16, note: "The incident's id."},
		{name: "name", head: "name", width: 40, note: "What happened."},
		{name: "spread", head: "spread", num: true, kind: kindNumber, required: true, width: 8, note: "Organisation-equivalents disrupted. " + noteNumber},
		{name: "duration", head: "duration", num: true, kind: kindNumber, required: true, width: 8, note: "Outage days. " + noteNumber},
		{name: "k_daily", head: "k daily", num: true, kind: kindNumber, width: 8, note: "Optional: intensity on the daily rate (blank 1). " + noteNumber},
		{name: "k_recovery", head: "k recovery", num: true, kind: kindNumber, width: 8, note: "Optional: multiplier on the recovery cost (blank 1). " + noteNumber},
		{name: "fixed", head: "fixed", num: true, kind: kindAmount, width: 11, note: "Optional: fixed costs (£, blank 0). " + noteMoney},
		{name: "observed", head: "observed", num: true, kind: kindAmount, required: true, width: 13,
			note: "The incident's reported cost (£, the dataset's price year). " + noteMoney},
	}}
	sourcesSpec = spec{sheet: sheetSources, fields: []field{
		{name: "id", head: "id", required: true, width: 20, note: "The id numbers cite in their source column, e.g. F [nao2017]: …"},
		{name: "publisher", head: "publisher", width: 30, note: "Who published it."},
		{name: "title", head: "title", width: 60, note: "Its title."},
		{name: "year", head: "year", kind: kindNumber, width: 7, note: "Year of publication."},
		{name: "url", head: "url", width: 40, note: "Optional: where to read it."},
	}}
	settingsSpec = spec{sheet: sheetSettings, fields: []field{
		{name: "setting", head: "setting", aliases: []string{"key"}, required: true, width: 18, note: "The setting's name."},
		{name: "value", head: "value", required: true, width: 24, note: "Its value; blank for the default."},
		{name: "note", head: "note", width: 90, note: "What the setting means; not read back."},
	}}
	scenariosSpec = spec{sheet: sheetScenarios, fields: []field{
		{name: "name", head: "name", required: true, width: 24,
			note: "The scenario's name, unique: it names the row in the results and, with the master seed, sets its random seed."},
		{name: "scope", head: "scope", width: 13, note: "Blank: the Settings scope."},
		{name: "budget", head: "budget", kind: kindAmount, width: 12,
			note: "Yearly budget (£, equivalent annual cost) for the best portfolio. Blank: the Settings budget; none: no portfolio."},
		{name: "capex_budget", head: "capex budget", kind: kindAmount, width: 12,
			note: "Up-front capital budget (£). Blank: the Settings one; none: no limit."},
		{name: "horizon", head: "horizon", kind: kindNumber, width: 8, note: "Appraisal horizon in years, 1 to 125. Blank: the Settings one."},
		{name: "discount_rate", head: "discount rate", aliases: []string{"discount"}, kind: kindFraction, width: 9,
			note: "A flat discount rate, e.g. 3.5%. Blank: the Settings one; green book: HM Treasury's schedule."},
		{name: "optimism_bias", head: "optimism bias", kind: kindFraction, width: 9,
			note: "Uplift on costs for controls without their own, e.g. 20%. Blank: the Settings one."},
		{name: "seed", head: "seed", kind: kindNumber, width: 12,
			note: "Random seed for this row. Blank: derived from the master seed (Settings) and the row's name, so rows draw independent numbers; give rows the same seed to compare them on common random numbers."},
		{name: "rate_multiplier", head: "rate multiplier", kind: kindNumber, width: 9,
			note: "Scales every threat's rate (both ends of its interval). Blank: 1."},
		{name: "loss_multiplier", head: "loss multiplier", kind: kindNumber, width: 9,
			note: "Scales the outage cost rates (lost output and recovery) and every threat's fixed cost. Blank: 1."},
		{name: "cost_multiplier", head: "control cost multiplier", aliases: []string{"cost multiplier"}, kind: kindNumber, width: 9,
			note: "Scales every control's capex and opex. Blank: 1."},
		{name: "controls", head: "controls allowed", aliases: []string{"controls"}, width: 30,
			note: "Ids of the controls the row may use, separated by commas. Blank: all of the scope's."},
		{name: "budget_plan", head: "budget plan", width: 30,
			note: "Yearly budgets for a phased plan, e.g. 2026-27:50m, 2027-28:50m (of the row's budget plan kind). Blank: the Settings one; none: no plan."},
		{name: "view", head: "view", width: 10, note: "financial or social. Blank: the Settings view."},
		{name: "correlations", head: "correlations", width: 18, note: "Rank correlations between threats' rates, e.g. S1:S3=0.5. Blank: the Settings ones."},
		{name: "risk_tolerance", head: "risk tolerance", width: 18, note: "Losses and the yearly chances of exceeding them accepted, e.g. 500m:1/50. Blank: the Settings one."},
		{name: "budget_plan_kind", head: "budget plan kind", width: 10,
			note: "What the yearly budgets cap: both (capital and running), capital, running or annual (equivalent annual cost). Blank: the Settings kind."},
		{name: "note", head: "note", width: 40, note: "Free text; not read."},
	}}
)

// specs lists the table sheets in the template's order (Settings first).
var specs = []*spec{&settingsSpec, &scenariosSpec, &scopesSpec, &threatsSpec, &controlsSpec, &effectsSpec, &calibrationSpec, &holdoutsSpec, &sourcesSpec}

// setting is one row of the Settings sheet.
type setting struct {
	key, note string
	aliases   []string
}

// settingKeys are the Settings sheet's rows, in the template's order.
var settingKeys = []setting{
	{key: "name", note: "The dataset's name."},
	{key: "currency", note: "Currency of every amount, e.g. GBP."},
	{key: "price year", note: "Price year of every amount, e.g. 2024-25."},
	{key: "format version", aliases: []string{"version"}, note: "Version of the dataset format: 1."},
	{key: "scope", note: "The scope to analyse (Scopes sheet). Blank: the first scope."},
	{key: "draws", note: "Outer draws of the uncertain inputs, 1 to 1,000,000."},
	{key: "years", note: "Simulated years per draw, 1 to 10,000,000 (draws × years at most 50,000,000)."},
	{key: "seed", note: "Master random seed: same seed, same numbers. Scenarios derive their seeds from it."},
	{key: "horizon", note: "Appraisal horizon in years, 1 to 125."},
	{key: "discount rate", aliases: []string{"discount"}, note: "A flat discount rate, e.g. 3.5%. Blank: HM Treasury's Green Book schedule (3.5% to year 30, then 3.0%)."},
	{key: "optimism bias", note: "Uplift on costs for controls that do not state their own, e.g. 20% (Green Book). The guidance's ranges by project type are on the Calibration sheet."},
	{key: "budget", note: "Yearly budget (£, equivalent annual cost: capex annuitised plus opex) for the best portfolio. Blank: no portfolio is chosen."},
	{key: "capex budget", note: "Up-front capital budget (£) for the best portfolio. Blank: none."},
	{key: "objective", note: "What the portfolio maximises: npv, dale (reduction in expected annual loss) or dtvar (reduction in TVaR95)."},
	{key: "metric", note: "What controls are ranked by: npv, bcr, rosi, dale or dp95."},
	{key: "budget plan", note: "Optional: yearly budgets for a phased plan, e.g. 2026-27:50m, 2027-28:50m, 2028-29:50m: which controls start in which year within each year's budget (threat trends, roll-outs and decay as the Threats and Controls sheets give)."},
	{key: "budget plan kind", note: "What the budget plan's budgets cap: both (capital and running, the default), capital, running or annual (equivalent annual cost)."},
	{key: "view", note: "The view that decides: financial (money only) or social (money plus patient harm valued at the value of a QALY). Blank: financial."},
	{key: "correlations", note: "Optional: rank correlations between threats' rates, e.g. S1:S3=0.5, S2:S3=0.3 (Gaussian copula). Blank: independent."},
	{key: "risk tolerance", note: "Optional: the annual losses and the chances of exceeding them the organisation accepts, e.g. 500m:1/50, 1bn:1/100 (or 2%). Drawn on the loss exceedance curve and checked for the baseline and the recommendation."},
	{key: "baseline scenario", note: "Optional: the name of the Scenarios row that cybercba batch compares every scenario with (the Comparison sheet's differences). Blank: the first row."},
	{key: "decision draws", note: "Outer draws behind the decision's intervals and probabilities (each draw's expectations exact), up to 1,000,000. Blank: 10,000 (never fewer than draws)."},
}

// calibrationItems are the Calibration sheet's items, in order: the
// numbers (by their dataset names) and the text rows.
var calibrationItems = []struct {
	item, unit string
	text       bool
}{
	{item: "incident", text: true},
	{item: "price year", text: true},
	{item: "spread", unit: "organisations"},
	{item: "duration", unit: "days"},
	{item: "lost output", unit: "£, incident's prices"},
	{item: "it costs", unit: "£, incident's prices"},
	{item: "total", unit: "£, incident's prices"},
	{item: "deflator", unit: "ratio to the dataset's prices"},
	{item: "note", text: true},
}

// position is where something was read: a cell, a row of a table (whose
// column depends on the field a problem names), or a whole sheet.
type position struct {
	sheet string
	row   int // 0: the whole sheet
	col   int // 1-based; 0: chosen by field
	tab   *table
}

// cellIndex holds the positions of a dataset read from a workbook. A
// dataset's lines and its numbers' refs index pos; pos[0] is unused.
type cellIndex struct {
	pos []position
}

func (ci *cellIndex) add(p position) int {
	if len(ci.pos) == 0 {
		ci.pos = append(ci.pos, position{})
	}
	ci.pos = append(ci.pos, p)
	return len(ci.pos) - 1
}

// cellErrors turns Validate's field errors into cell errors.
func (ci *cellIndex) cellErrors(errs []error) []error {
	out := make([]error, 0, len(errs))
	for _, err := range errs {
		var fe *FieldError
		if !errors.As(err, &fe) {
			out = append(out, err)
			continue
		}
		var p position
		if fe.Line > 0 && fe.Line < len(ci.pos) {
			p = ci.pos[fe.Line]
		}
		seg := lastSegment(fe.Field)
		ce := &CellError{File: fe.File, Sheet: p.sheet, Field: fieldLabel(fe.Field, p.tab), Msg: workbookMsg(fe.Msg)}
		if p.row > 0 {
			col := p.col
			if col == 0 && p.tab != nil {
				col = p.tab.columnFor(seg, provenanceMsg(fe.Msg))
			}
			ce.Cell = cellName(max(col, 1), p.row)
		}
		out = append(out, ce)
	}
	return out
}

// fieldLabel names a field for a cell error: its column's header, or the
// last part of its path; an optimism-bias range by its project type,
// "optimism bias equipment".
func fieldLabel(path string, t *table) string {
	if k, ok := strings.CutPrefix(path, "optimism_bias."); ok {
		return strings.TrimSpace("optimism bias " + k)
	}
	seg := lastSegment(path)
	if t != nil {
		for _, fd := range t.spec.fields {
			if norm(fd.name) == norm(seg) && fd.head != "" {
				return fd.head
			}
		}
	}
	return strings.ReplaceAll(seg, "_", " ")
}

// lastSegment returns the last part of a field path, without an index:
// "scopes[s].controls[c].requires[0]" gives "requires".
func lastSegment(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		path = path[i+1:]
	}
	if i := strings.IndexByte(path, '['); i >= 0 {
		path = path[:i]
	}
	return path
}

// provenanceMsg reports whether a validation message is about a number's
// provenance rather than its value.
func provenanceMsg(msg string) bool {
	return strings.Contains(msg, "tag ") || strings.Contains(msg, "source") || strings.Contains(msg, "judgement")
}

// workbookMsg rewords the validation messages that speak of the text
// format's keys.
func workbookMsg(msg string) string {
	switch {
	case strings.HasSuffix(msg, "needs at least one source in src"):
		return strings.TrimSuffix(msg, " in src") + " id, as in F [nao2017]: note"
	case msg == "a judgement (tag J) needs its reason in note":
		return "a judgement (tag J) needs its reason, as in J: one line of reasoning"
	case strings.HasSuffix(msg, "(not in sources)"):
		return strings.TrimSuffix(msg, "(not in sources)") + "(not on the Sources sheet)"
	}
	return msg
}

// cellName returns the A1 name of a cell; col and row are in range.
func cellName(col, row int) string {
	s, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return fmt.Sprintf("R%dC%d", row, col)
	}
	return s
}
