package handlers

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"jobcenter/models"
	"jobcenter/staffing"
)

func (a *API) orderRoutes(g *echo.Group) {
	ordering := allow(models.RoleAdmin, models.RoleCoordinator, models.RoleCustomer)
	staff := allow(models.RoleAdmin, models.RoleCoordinator)
	g.POST("/orders", a.createOrder, ordering)
	g.GET("/orders", a.listOrders, ordering)
	g.GET("/orders/:id", a.getOrder, ordering)
	g.POST("/orders/:id/accept", a.acceptOrder, staff)
	g.POST("/orders/:id/reject", a.rejectOrder, staff)
	g.POST("/orders/:id/cancel", a.cancelOrder, ordering)
	g.POST("/orders/:id/complete", a.completeOrder, staff)
}

// scheduleBody is the schedule of an order; times are pointers so that a
// missing one is reported rather than read as midnight.
type scheduleBody struct {
	Kind      string            `json:"kind"`
	Date      *models.Date      `json:"date"`
	Weekdays  []int             `json:"weekdays"`
	StartTime *models.ClockTime `json:"start_time"`
	EndTime   *models.ClockTime `json:"end_time"`
	FirstDate *models.Date      `json:"first_date"`
	LastDate  *models.Date      `json:"last_date"`
}

type orderRequest struct {
	CustomerID        string        `json:"customer_id"`
	TaskTypeID        string        `json:"task_type_id"`
	SiteAddress       string        `json:"site_address"`
	Description       string        `json:"description"`
	CustomerReference string        `json:"customer_reference"`
	CrewSize          int           `json:"crew_size"`
	Schedule          *scheduleBody `json:"schedule"`
}

// newOrder checks that the parts the use case cannot tell from zero values
// are present; what is missing goes into v, which the use case reports
// together with the rules' findings.
func (r orderRequest) newOrder(v *models.ValidationError) staffing.NewOrder {
	in := staffing.NewOrder{CustomerID: r.CustomerID, TaskTypeID: r.TaskTypeID, SiteAddress: r.SiteAddress,
		Description: r.Description, CustomerReference: r.CustomerReference, CrewSize: r.CrewSize, Invalid: v}
	if r.Schedule == nil {
		v.Add("/schedule", "is required")
		return in
	}
	s := r.Schedule
	in.Schedule = models.Schedule{Kind: s.Kind, Date: s.Date, Weekdays: s.Weekdays, FirstDate: s.FirstDate, LastDate: s.LastDate}
	if s.StartTime == nil {
		v.Add("/schedule/start_time", "is required (HH:MM)")
	} else {
		in.Schedule.StartTime = *s.StartTime
	}
	if s.EndTime == nil {
		v.Add("/schedule/end_time", "is required (HH:MM)")
	} else {
		in.Schedule.EndTime = *s.EndTime
	}
	return in
}

type scheduleResponse struct {
	Kind      string           `json:"kind"`
	Date      *models.Date     `json:"date"`
	Weekdays  []int            `json:"weekdays"`
	StartTime models.ClockTime `json:"start_time"`
	EndTime   models.ClockTime `json:"end_time"`
	FirstDate *models.Date     `json:"first_date"`
	LastDate  *models.Date     `json:"last_date"`
}

type orderResponse struct {
	ID                string           `json:"id"`
	CustomerID        string           `json:"customer_id"`
	CustomerName      string           `json:"customer_name"`
	TaskTypeID        string           `json:"task_type_id"`
	TaskTypeName      string           `json:"task_type_name"`
	OrganiserID       *string          `json:"organiser_id"`
	SiteAddress       string           `json:"site_address"`
	Description       string           `json:"description"`
	CustomerReference string           `json:"customer_reference"`
	CrewSize          int              `json:"crew_size"`
	Status            string           `json:"status"`
	Schedule          scheduleResponse `json:"schedule"`
	RejectReason      string           `json:"reject_reason"`
	CancelReason      string           `json:"cancel_reason"`
	CancelledAt       *time.Time       `json:"cancelled_at"`
	Version           int              `json:"version"`
	CreatedAt         time.Time        `json:"created_at"`
}

func orderDTO(o models.Order) orderResponse {
	s := o.Schedule()
	weekdays := s.Weekdays
	if weekdays == nil {
		weekdays = []int{}
	}
	return orderResponse{ID: o.ID, CustomerID: o.CustomerID, TaskTypeID: o.TaskTypeID, OrganiserID: o.OrganiserID,
		SiteAddress: o.SiteAddress, Description: o.Description, CustomerReference: o.CustomerReference, CrewSize: o.CrewSize, Status: o.Status,
		Schedule: scheduleResponse{Kind: s.Kind, Date: s.Date, Weekdays: weekdays, StartTime: s.StartTime, EndTime: s.EndTime,
			FirstDate: s.FirstDate, LastDate: s.LastDate},
		RejectReason: o.RejectReason, CancelReason: o.CancelReason, CancelledAt: o.CancelledAt, Version: o.Version, CreatedAt: o.CreatedAt.UTC()}
}

// orderDTOs shows orders with the names of their customers and task types.
func (a *API) orderDTOs(c echo.Context, orders []models.Order) ([]orderResponse, error) {
	var customers, taskTypes []string
	for _, o := range orders {
		customers, taskTypes = append(customers, o.CustomerID), append(taskTypes, o.TaskTypeID)
	}
	labels, err := a.Staffing.LabelsFor(c.Request().Context(), principal(c).TenantID, customers, taskTypes, nil)
	if err != nil {
		return nil, err
	}
	out := make([]orderResponse, len(orders))
	for i, o := range orders {
		out[i] = orderDTO(o)
		out[i].CustomerName, out[i].TaskTypeName = labels.Customers[o.CustomerID], labels.TaskTypes[o.TaskTypeID]
	}
	return out, nil
}

// orderJSON answers with the order and its ETag.
func (a *API) orderJSON(c echo.Context, status int, o models.Order) error {
	dtos, err := a.orderDTOs(c, []models.Order{o})
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", etag(o.Version))
	return c.JSON(status, dtos[0])
}

func (a *API) createOrder(c echo.Context) error {
	var req orderRequest
	invalid, err := decodeInvalid(c, &req)
	if err != nil {
		return err
	}
	o, err := a.Staffing.CreateOrder(c.Request().Context(), principal(c), req.newOrder(invalid))
	if err != nil {
		return err
	}
	return a.orderJSON(c, http.StatusCreated, o)
}

var orderStatuses = []string{models.OrderSubmitted, models.OrderAccepted, models.OrderRejected, models.OrderCompleted, models.OrderCancelled}

func (a *API) listOrders(c echo.Context) error {
	limit, cursor, err := pageParams(c)
	if err != nil {
		return err
	}
	f := staffing.OrderFilter{Status: c.QueryParam("status"), CustomerID: c.QueryParam("customer_id")}
	if err := enumParam("/status", f.Status, orderStatuses); err != nil {
		return err
	}
	page, err := a.Staffing.ListOrders(c.Request().Context(), principal(c), f, limit, cursor)
	if err != nil {
		return err
	}
	items, err := a.orderDTOs(c, page.Items)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, listResponse[orderResponse]{Items: items, NextCursor: page.NextCursor})
}

func (a *API) getOrder(c echo.Context) error {
	o, err := a.Staffing.Order(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	return a.orderJSON(c, http.StatusOK, o)
}

type acceptRequest struct {
	OrganiserID string `json:"organiser_id"`
}

type reasonRequest struct {
	Reason string `json:"reason"`
}

func (a *API) acceptOrder(c echo.Context) error {
	var req acceptRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	o, err := a.Staffing.AcceptOrder(c.Request().Context(), principal(c), c.Param("id"), req.OrganiserID)
	if err != nil {
		return err
	}
	return a.orderJSON(c, http.StatusOK, o)
}

func (a *API) rejectOrder(c echo.Context) error {
	var req reasonRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	o, err := a.Staffing.RejectOrder(c.Request().Context(), principal(c), c.Param("id"), req.Reason)
	if err != nil {
		return err
	}
	return a.orderJSON(c, http.StatusOK, o)
}

func (a *API) cancelOrder(c echo.Context) error {
	var req reasonRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	o, err := a.Staffing.CancelOrder(c.Request().Context(), principal(c), c.Param("id"), req.Reason)
	if err != nil {
		return err
	}
	return a.orderJSON(c, http.StatusOK, o)
}

func (a *API) completeOrder(c echo.Context) error {
	o, err := a.Staffing.CompleteOrder(c.Request().Context(), principal(c), c.Param("id"))
	if err != nil {
		return err
	}
	return a.orderJSON(c, http.StatusOK, o)
}

// enumParam is a 422 on pointer unless the query value is empty or one of
// allowed.
func enumParam(pointer, value string, allowed []string) error {
	if value == "" || slices.Contains(allowed, value) {
		return nil
	}
	v := &models.ValidationError{}
	v.Add(pointer, "must be one of "+strings.Join(allowed, ", "))
	return v
}
