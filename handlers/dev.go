package handlers

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"jobcenter/models"
)

// devRoutes exist only in development mode (JOBCENTER_DEV=1): a settable
// clock for everything and running a scheduled job now.
func (a *API) devRoutes(e *echo.Echo) {
	e.PUT("/dev/clock", a.setClock)
	e.DELETE("/dev/clock", a.resetClock)
	e.POST("/dev/jobs/:name/run", a.runJob)
}

type clockRequest struct {
	Now time.Time `json:"now"`
}

type clockResponse struct {
	Now   time.Time `json:"now"`
	Fixed bool      `json:"fixed"`
}

func (a *API) setClock(c echo.Context) error {
	var req clockRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	if req.Now.IsZero() {
		v := &models.ValidationError{}
		v.Add("/now", "is required (RFC 3339)")
		return v
	}
	a.Clock.Set(req.Now)
	return c.JSON(http.StatusOK, clockResponse{Now: a.Clock.Now(), Fixed: true})
}

func (a *API) resetClock(c echo.Context) error {
	a.Clock.Reset()
	return c.JSON(http.StatusOK, clockResponse{Now: a.Clock.Now(), Fixed: false})
}

type jobRunResponse struct {
	Job    string `json:"job"`
	Status string `json:"status"`
}

func (a *API) runJob(c echo.Context) error {
	name := c.Param("name")
	status, err := a.RunJob(c.Request().Context(), name)
	if err != nil {
		return fmt.Errorf("run job %s: %w", name, err)
	}
	return c.JSON(http.StatusOK, jobRunResponse{Job: name, Status: status})
}
