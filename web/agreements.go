package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"jobcenter/models"
)

// agreementFields are the fields of a new agreement version, named after
// the API's JSON pointers; the _cents fields are entered in euros.
var agreementFields = []string{"valid_from", "valid_until", "participant_hour_price_cents", "supervisor_hour_price_cents",
	"minimum_billable_minutes", "late_cancellation_window_hours", "late_cancellation_fee_cents", "payment_term_days", "employment_model"}

// createAgreement adds a new version of a customer's agreement from a date
// through the API's use case. Agreements are never edited: a version that
// overlaps another, also one someone else added meanwhile, is refused with
// the conflict in words and the user's input kept.
func (a *App) createAgreement(c echo.Context) error {
	ctx, p, id := c.Request().Context(), principal(c), c.Param("id")
	o, err := a.Directory.Organization(ctx, p, id)
	if err != nil {
		return err
	}
	if o.Kind != models.KindCustomer {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	params, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f := &form{Values: url.Values{}}
	for _, name := range agreementFields {
		f.Values.Set(name, strings.TrimSpace(params.Get(name)))
	}
	in, invalid := parseAgreement(f)
	in.CustomerID = id
	_, err = a.Staffing.CreateAgreement(ctx, p, in, invalid)
	if err == nil {
		a.flash(c, "flash.agreement_added")
		return c.Redirect(http.StatusSeeOther, Prefix+"/organizations/"+id+"#agreements")
	}
	status := http.StatusUnprocessableEntity
	var ce *models.ConflictError
	if errors.As(err, &ce) {
		status = http.StatusConflict
	}
	if err := a.problems(c, f, err, agreementField); err != nil {
		return err
	}
	return a.showOrganization(c, status, o, nil, nil, f)
}

// parseAgreement reads the form; what cannot be read is a problem of its
// field, for the use case to report together with its own.
func parseAgreement(f *form) (models.Agreement, *models.ValidationError) {
	v := &models.ValidationError{}
	in := models.Agreement{EmploymentModel: f.Value("employment_model")}
	if d, err := models.ParseDate(f.Value("valid_from")); err == nil {
		in.ValidFrom = d
	} else {
		v.Add("/valid_from", "must be a date YYYY-MM-DD")
	}
	if raw := f.Value("valid_until"); raw != "" {
		if d, err := models.ParseDate(raw); err == nil {
			in.ValidUntil = &d
		} else {
			v.Add("/valid_until", "must be a date YYYY-MM-DD")
		}
	}
	euros := func(name string) models.Cents {
		n, err := parseHundredths(f.Value(name))
		if err != nil {
			v.Add("/"+name, "must be an amount in euros with at most two decimals")
		}
		return models.Cents(n)
	}
	whole := func(name string) int {
		n, err := strconv.Atoi(f.Value(name))
		if err != nil {
			v.Add("/"+name, "must be a whole number")
		}
		return n
	}
	in.ParticipantHourPriceCents, in.SupervisorHourPriceCents = euros("participant_hour_price_cents"), euros("supervisor_hour_price_cents")
	in.LateCancellationFeeCents = euros("late_cancellation_fee_cents")
	in.MinimumBillableMinutes, in.LateCancellationWindowHours = whole("minimum_billable_minutes"), whole("late_cancellation_window_hours")
	in.PaymentTermDays = whole("payment_term_days")
	return in, v
}

// agreementField is the form field of a problem's pointer, or "" for the
// top of the form.
func agreementField(pointer string) string {
	name := strings.TrimPrefix(pointer, "/")
	for _, f := range agreementFields {
		if f == name {
			return name
		}
	}
	return ""
}

// parseHundredths reads a decimal number with a comma or a point and at
// most two decimals ("25,5", "1 234.50") as an exact count of hundredths:
// euros as cents, percentages as basis points. No floating point is
// involved, so no amount is ever rounded.
func parseHundredths(raw string) (int64, error) {
	s := strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(raw)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(strings.ReplaceAll(s, ",", "."), ".")
	if whole == "" || len(frac) > 2 || !digits(whole) || !digits(frac) {
		return 0, fmt.Errorf("%q is not a number with at most two decimals", raw)
	}
	frac += strings.Repeat("0", 2-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is out of range: %w", raw, err)
	}
	if neg {
		n = -n
	}
	return n, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// formatHundredths writes hundredths with two decimals and the decimal
// mark of lang, as parseHundredths reads them back.
func formatHundredths(n int64, lang string) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	mark := ","
	if lang == "en" {
		mark = "."
	}
	return fmt.Sprintf("%s%d%s%02d", sign, n/100, mark, n%100)
}
