package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"jobcenter/finance"
	"jobcenter/models"
)

func (a *API) incomesRegisterRoutes(g *echo.Group) {
	financeOnly := allow(models.RoleFinance)
	g.GET("/exports/incomes-register.xml", a.exportIncomesRegister, financeOnly)
	g.GET("/incomes-register/deliveries", a.irDeliveries, financeOnly)
	g.POST("/incomes-register/deliveries/:id/delivered", a.irDelivered, financeOnly)
}

func (a *API) exportIncomesRegister(c echo.Context) error {
	f, err := a.Finance.IncomesRegisterXML(c.Request().Context(), principal(c), c.QueryParam("run_id"), c.QueryParam("organiser_id"), c.Path())
	return a.serveFile(c, f, err)
}

type irDeliveryResponse struct {
	ID                 string      `json:"id"`
	BillingRunID       string      `json:"billing_run_id"`
	Period             string      `json:"period"`
	OrganiserID        string      `json:"organiser_id"`
	OrganiserName      string      `json:"organiser_name"`
	PaymentDate        models.Date `json:"payment_date"`
	DueDate            models.Date `json:"due_date"`
	ExportCount        int         `json:"export_count"`
	ExportedAt         *time.Time  `json:"exported_at"`
	DeliveredAt        *time.Time  `json:"delivered_at"`
	Overdue            bool        `json:"overdue"`
	ReplacementPending bool        `json:"replacement_pending"`
}

func irDeliveryDTO(d finance.IRDeliveryStatus) irDeliveryResponse {
	return irDeliveryResponse{ID: d.ID, BillingRunID: d.BillingRunID, Period: d.Period, OrganiserID: d.OrganiserID,
		OrganiserName: d.OrganiserName, PaymentDate: d.PaymentDate, DueDate: d.DueDate, ExportCount: d.ExportCount,
		ExportedAt: utc(d.ExportedAt), DeliveredAt: utc(d.DeliveredAt), Overdue: d.Overdue, ReplacementPending: d.ReplacementPending}
}

func (a *API) irDeliveries(c echo.Context) error {
	limit, cursor, err := pageParams(c)
	if err != nil {
		return err
	}
	page, err := a.Finance.IRDeliveries(c.Request().Context(), principal(c), "", limit, cursor)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pageOf(page, irDeliveryDTO))
}

func (a *API) irDelivered(c echo.Context) error {
	var req struct {
		DeliveredAt *time.Time `json:"delivered_at"`
	}
	if err := decode(c, &req); err != nil {
		return err
	}
	if req.DeliveredAt == nil {
		v := &models.ValidationError{}
		v.Add("/delivered_at", "is required: when the file was sent to the Incomes Register")
		return v
	}
	d, err := a.Finance.MarkIRDelivered(c.Request().Context(), principal(c), c.Param("id"), *req.DeliveredAt)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, irDeliveryDTO(d))
}

type irReminderResponse struct {
	Kind        string      `json:"kind"`
	DeliveryID  string      `json:"delivery_id"`
	OrganiserID string      `json:"organiser_id"`
	PaymentDate models.Date `json:"payment_date"`
	DueDate     models.Date `json:"due_date"`
	Overdue     bool        `json:"overdue"`
}

// irReminders are finance's reminders: Incomes Register deliveries due
// within two days or overdue.
func (a *API) irReminders(c echo.Context) error {
	limit, cursor, err := pageParams(c)
	if err != nil {
		return err
	}
	page, err := a.Finance.IRReminders(c.Request().Context(), principal(c), limit, cursor)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pageOf(page, func(d finance.IRDeliveryStatus) irReminderResponse {
		return irReminderResponse{Kind: "incomes_register_due", DeliveryID: d.ID, OrganiserID: d.OrganiserID,
			PaymentDate: d.PaymentDate, DueDate: d.DueDate, Overdue: d.Overdue}
	}))
}
