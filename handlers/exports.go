package handlers

import (
	"bufio"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"jobcenter/finance"
	"jobcenter/finance/export"
	"jobcenter/models"
)

func (a *API) exportRoutes(g *echo.Group) {
	financeOnly := allow(models.RoleFinance)
	g.GET("/exports/payouts.xml", a.exportPayoutsXML, financeOnly)
	g.GET("/exports/payouts.csv", a.exportPayoutsCSV, financeOnly)
	g.GET("/exports/invoices/:id/finvoice.xml", a.exportFinvoice, financeOnly)
	g.GET("/exports/invoices.csv", a.exportInvoicesCSV, financeOnly)
	g.GET("/exports/journal.csv", a.exportJournalCSV, financeOnly)
	g.GET("/exports/payroll-basis.csv", a.exportPayrollBasisCSV, financeOnly)
	g.GET("/exports/attendance.csv", a.exportAttendanceCSV, allow(models.RoleFinance, models.RoleCoordinator))
}

// dialect reads ?dialect= of a CSV export.
func dialect(c echo.Context) (export.Dialect, error) {
	d, err := export.ParseDialect(c.QueryParam("dialect"))
	if err != nil {
		v := &models.ValidationError{}
		v.Add("/dialect", "must be rfc4180 (the default) or excel-fi")
		return 0, v
	}
	return d, nil
}

// serveFile streams a prepared export. Its headers go out with the first
// bytes, so an error before any output is still an ordinary problem
// response. After that the status line has been sent and the only honest
// signal is to abort the connection: the client sees a truncated transfer
// (no terminating chunk), never a complete-looking but cut file.
func (a *API) serveFile(c echo.Context, f finance.File, err error) error {
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, f.ContentType)
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", f.Name))
	h.Set("Cache-Control", "no-store") // personal data and IBANs: no copies in caches
	// One write per fileBuffer bytes instead of one per encoder buffer:
	// a large file costs far fewer writes and chunks. Until the first flush
	// nothing is sent, so an early error stays a problem response.
	w := bufio.NewWriterSize(c.Response(), fileBuffer)
	err = f.Write(w)
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		if !c.Response().Committed {
			h.Del(echo.HeaderContentDisposition)
			return err
		}
		a.Log.Error("export aborted mid-stream", "request_id", h.Get(echo.HeaderXRequestID),
			"route", c.Path(), "file", f.Name, "error", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

// fileBuffer is the write size of a streamed export.
const fileBuffer = 64 << 10

func (a *API) exportPayoutsXML(c echo.Context) error {
	f, err := a.Finance.PayoutsXML(c.Request().Context(), principal(c), c.QueryParam("run_id"), c.QueryParam("organiser_id"), c.Path())
	return a.serveFile(c, f, err)
}

func (a *API) exportPayoutsCSV(c echo.Context) error {
	d, err := dialect(c)
	if err != nil {
		return err
	}
	f, err := a.Finance.PayoutsCSV(c.Request().Context(), principal(c), c.QueryParam("run_id"), c.QueryParam("organiser_id"), d, c.Path())
	return a.serveFile(c, f, err)
}

func (a *API) exportFinvoice(c echo.Context) error {
	var envelope bool
	switch c.QueryParam("envelope") {
	case "", "false":
	case "true":
		envelope = true
	default:
		v := &models.ValidationError{}
		v.Add("/envelope", "must be true or false")
		return v
	}
	f, err := a.Finance.Finvoice(c.Request().Context(), principal(c), c.Param("id"), envelope)
	return a.serveFile(c, f, err)
}

// books reads which books an accounting export covers: run_id or period.
func books(c echo.Context) finance.Books {
	return finance.Books{RunID: c.QueryParam("run_id"), Period: c.QueryParam("period")}
}

func (a *API) exportInvoicesCSV(c echo.Context) error {
	d, err := dialect(c)
	if err != nil {
		return err
	}
	f, err := a.Finance.InvoicesCSV(c.Request().Context(), principal(c), books(c), d)
	return a.serveFile(c, f, err)
}

func (a *API) exportJournalCSV(c echo.Context) error {
	d, err := dialect(c)
	if err != nil {
		return err
	}
	f, err := a.Finance.JournalCSV(c.Request().Context(), principal(c), books(c), d)
	return a.serveFile(c, f, err)
}

func (a *API) exportPayrollBasisCSV(c echo.Context) error {
	d, err := dialect(c)
	if err != nil {
		return err
	}
	f, err := a.Finance.PayrollBasisCSV(c.Request().Context(), principal(c), c.QueryParam("run_id"), c.QueryParam("customer_id"), d, c.Path())
	return a.serveFile(c, f, err)
}

func (a *API) exportAttendanceCSV(c echo.Context) error {
	d, err := dialect(c)
	if err != nil {
		return err
	}
	f, err := a.Finance.AttendanceCSV(c.Request().Context(), principal(c), c.QueryParam("period"), c.QueryParam("organiser_id"), d, c.Path())
	return a.serveFile(c, f, err)
}
