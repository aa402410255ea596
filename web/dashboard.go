package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"jobcenter/models"
	"jobcenter/reports"
)

// dashboardRoutes: the KPI report for coordinators and admins, the same
// reports.KPI as GET /v1/reports/kpi, for the period and for each of its
// months and weeks.
func (a *App) dashboardRoutes(g *echo.Group) {
	a.page(g, http.MethodGet, "/dashboard", a.dashboard, models.RoleCoordinator, models.RoleAdmin)
}

// Limits of the charts: one bar a month or a week.
const (
	maxChartMonths = 12
	maxChartWeeks  = 26
)

// bucket is one bar of a chart: a sub-period with its report.
type bucket struct {
	From, To models.Date
	KPI      reports.KPI
	// Bar geometry in the chart's viewBox (0–100 high).
	X, Y, W, H float64
}

type dashboardView struct {
	Form             *form
	KPI              *reports.KPI
	Months, Weeks    []bucket
	TargetMin        int64
	TargetMax        int64
	ShareX           float64
	TargetX, TargetW float64
}

func (a *App) dashboard(c echo.Context) error {
	today := a.today()
	f := &form{Values: url.Values{"from": {c.QueryParam("from")}, "to": {c.QueryParam("to")}}}
	if f.Value("from") == "" { // the two months before this one, and this one so far
		f.Values.Set("from", models.PeriodOf(today).Prev().Prev().FirstDay().String())
	}
	if f.Value("to") == "" {
		f.Values.Set("to", today.String())
	}
	v := dashboardView{Form: f, TargetMin: reports.PaidEmploymentTargetMinBps, TargetMax: reports.PaidEmploymentTargetMaxBps}
	field := func(p string) string { return strings.TrimPrefix(p, "/") }
	bad := &models.ValidationError{}
	from, errFrom := models.ParseDate(f.Value("from"))
	if errFrom != nil {
		bad.Add("/from", "must be a date YYYY-MM-DD")
	}
	to, errTo := models.ParseDate(f.Value("to"))
	if errTo != nil {
		bad.Add("/to", "must be a date YYYY-MM-DD")
	}
	if err := bad.Err(); err != nil {
		_ = a.problems(c, f, err, field)
		return a.render(c, http.StatusUnprocessableEntity, "dashboard.html", "dashboard.title", v)
	}
	ctx, p := c.Request().Context(), principal(c)
	k, err := a.Reports.KPI(ctx, p, from, to)
	if err != nil {
		if err := a.problems(c, f, err, field); err != nil {
			return err
		}
		return a.render(c, http.StatusUnprocessableEntity, "dashboard.html", "dashboard.title", v)
	}
	v.KPI = &k
	for start := from; !start.After(to) && len(v.Months) < maxChartMonths; {
		end := models.PeriodOf(start).LastDay()
		if end.After(to) {
			end = to
		}
		v.Months = append(v.Months, bucket{From: start, To: end})
		start = end.AddDays(1)
	}
	for start := from.AddDays(1 - from.ISOWeekday()); !start.After(to) && len(v.Weeks) < maxChartWeeks; start = start.AddDays(7) {
		v.Weeks = append(v.Weeks, bucket{From: start, To: start.AddDays(6)})
	}
	for _, bs := range [][]bucket{v.Months, v.Weeks} {
		for i := range bs {
			if bs[i].KPI, err = a.Reports.KPI(ctx, p, bs[i].From, bs[i].To); err != nil {
				return err
			}
		}
	}
	var maxMinutes int64
	for _, m := range v.Months {
		maxMinutes = max(maxMinutes, m.KPI.ParticipantMinutes+m.KPI.SupervisorMinutes)
	}
	layout(v.Months, func(b bucket) float64 {
		if maxMinutes == 0 {
			return 0
		}
		return float64(b.KPI.ParticipantMinutes+b.KPI.SupervisorMinutes) / float64(maxMinutes)
	})
	layout(v.Weeks, func(b bucket) float64 { return float64(b.KPI.FillRateBps) / 10000 })
	v.ShareX = float64(min(k.ShareBps, 10000)) / 100
	v.TargetX, v.TargetW = float64(v.TargetMin)/100, float64(v.TargetMax-v.TargetMin)/100
	return a.render(c, http.StatusOK, "dashboard.html", "dashboard.title", v)
}

// layout places the bars in a 100 × 100 box, each as high as its share.
func layout(bs []bucket, share func(bucket) float64) {
	if len(bs) == 0 {
		return
	}
	w := 100 / float64(len(bs))
	for i := range bs {
		h := share(bs[i]) * 90
		bs[i].X, bs[i].W, bs[i].H, bs[i].Y = float64(i)*w+w*0.15, w*0.7, h, 90-h
	}
}
