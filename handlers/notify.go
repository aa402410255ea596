package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"jobcenter/models"
	"jobcenter/notify"
)

func (a *API) notifyRoutes(g *echo.Group) {
	admin := allow(models.RoleAdmin)
	g.POST("/webhooks", a.createWebhook, admin)
	g.GET("/webhooks", a.listWebhooks, admin)
	g.GET("/webhooks/:id", a.getWebhook, admin)
	g.DELETE("/webhooks/:id", a.deleteWebhook, admin)
	g.GET("/webhooks/:id/deliveries", a.listDeliveries, admin)
	g.POST("/webhooks/:id/deliveries/:did/retry", a.retryDelivery, admin)
	g.GET("/me/notifications", a.getNotificationSettings)
	g.PUT("/me/notifications", a.putNotificationSettings)
}

type webhookRequest struct {
	URL    string   `json:"url"`
	Events []string `json:"events"`
}

type webhookResponse struct {
	ID     string   `json:"id"`
	URL    string   `json:"url"`
	Events []string `json:"events"`
	// Secret is shown once, in the answer to the creation.
	Secret         string     `json:"secret,omitempty"`
	Active         bool       `json:"active"`
	FailingSince   *time.Time `json:"failing_since"`
	DisabledAt     *time.Time `json:"disabled_at"`
	DisabledReason string     `json:"disabled_reason"`
	CreatedAt      time.Time  `json:"created_at"`
}

func webhookDTO(w notify.Webhook) webhookResponse {
	return webhookResponse{ID: w.ID, URL: w.URL, Events: w.EventList(), Active: w.DisabledAt == nil, FailingSince: w.FailingSince,
		DisabledAt: w.DisabledAt, DisabledReason: w.DisabledReason, CreatedAt: w.CreatedAt}
}

func (a *API) createWebhook(c echo.Context) error {
	var req webhookRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	w, err := a.Notify.CreateWebhook(c.Request().Context(), principal(c), req.URL, req.Events)
	if err != nil {
		return err
	}
	out := webhookDTO(w)
	out.Secret = w.Secret
	return c.JSON(http.StatusCreated, out)
}

func (a *API) listWebhooks(c echo.Context) error {
	limit, cursor, err := pageParams(c)
	if err != nil {
		return err
	}
	page, err := a.Notify.Webhooks(c.Request().Context(), principal(c), limit, cursor)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pageOf(page, webhookDTO))
}

func (a *API) getWebhook(c echo.Context) error {
	w, err := a.Notify.Webhook(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, webhookDTO(w))
}

func (a *API) deleteWebhook(c echo.Context) error {
	if err := a.Notify.DeleteWebhook(c.Request().Context(), principal(c), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type attemptResponse struct {
	AttemptedAt time.Time `json:"attempted_at"`
	StatusCode  *int      `json:"status_code"`
	ResponseMs  int       `json:"response_ms"`
	Error       string    `json:"error"`
}

type deliveryResponse struct {
	ID             string            `json:"id"`
	EventID        string            `json:"event_id"`
	EventType      string            `json:"event_type,omitempty"`
	Status         string            `json:"status"`
	Attempts       int               `json:"attempts"`
	NextAttemptAt  *time.Time        `json:"next_attempt_at"`
	LastStatusCode *int              `json:"last_status_code"`
	LastResponseMs *int              `json:"last_response_ms"`
	LastError      string            `json:"last_error"`
	CreatedAt      time.Time         `json:"created_at"`
	DeliveredAt    *time.Time        `json:"delivered_at"`
	Log            []attemptResponse `json:"log"`
}

func deliveryDTO(d notify.LoggedDelivery) deliveryResponse {
	out := deliveryResponse{ID: d.ID, EventID: d.EventID, EventType: d.EventType, Status: d.Status, Attempts: d.Attempts,
		LastStatusCode: d.LastStatusCode, LastResponseMs: d.LastResponseMs, LastError: d.LastError, CreatedAt: d.CreatedAt,
		DeliveredAt: d.DeliveredAt, Log: []attemptResponse{}}
	if d.Status == notify.StatusPending {
		out.NextAttemptAt = &d.NextAttemptAt
	}
	for _, l := range d.Log {
		out.Log = append(out.Log, attemptResponse{AttemptedAt: l.AttemptedAt, StatusCode: l.StatusCode, ResponseMs: l.ResponseMs, Error: l.Error})
	}
	return out
}

func (a *API) listDeliveries(c echo.Context) error {
	limit, cursor, err := pageParams(c)
	if err != nil {
		return err
	}
	page, err := a.Notify.Deliveries(c.Request().Context(), principal(c), c.Param("id"), limit, cursor)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pageOf(page, deliveryDTO))
}

func (a *API) retryDelivery(c echo.Context) error {
	d, err := a.Notify.RetryDelivery(c.Request().Context(), principal(c), c.Param("id"), c.Param("did"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, deliveryDTO(notify.LoggedDelivery{Delivery: d}))
}

type notificationSettings struct {
	Language *string         `json:"language"`
	Email    map[string]bool `json:"email"`
}

func settingsDTO(s notify.MailSettings) notificationSettings {
	return notificationSettings{Language: &s.Language, Email: s.Enabled}
}

func (a *API) getNotificationSettings(c echo.Context) error {
	s, err := a.Notify.Settings(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, settingsDTO(s))
}

func (a *API) putNotificationSettings(c echo.Context) error {
	var req notificationSettings
	if err := decode(c, &req); err != nil {
		return err
	}
	s, err := a.Notify.UpdateSettings(c.Request().Context(), principal(c), req.Language, req.Email)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, settingsDTO(s))
}
