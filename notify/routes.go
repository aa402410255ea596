package notify

import (
	"strings"

	"jobcenter/models"
)

// mailRoute says who is told of an event by mail, as which kind of mail
// (the unit a user can turn off), and where its link points.
type mailRoute struct {
	kind string
	role string
	// orgField names the data field holding the organization the
	// recipients belong to; "" for the tenant's staff in the role.
	orgField string
	// link is a path of the web app with one {field} of the data.
	link string
}

var mailRoutes = map[string]mailRoute{
	OrderSubmitted:      {"order_submitted", models.RoleCoordinator, "", "/app/orders/{order_id}"},
	OrderAccepted:       {"order_accepted", models.RoleCustomer, "customer_id", "/app/orders/{order_id}"},
	OrderRejected:       {"order_rejected", models.RoleCustomer, "customer_id", "/app/orders/{order_id}"},
	TimesheetSubmitted:  {"timesheet_waiting", models.RoleCustomer, "customer_id", "/app/shifts/{shift_id}"},
	TimesheetDisputed:   {"timesheet_disputed", models.RoleCoordinator, "", "/app/shifts/{shift_id}"},
	shiftTomorrow:       {"shift_tomorrow", models.RoleSupervisor, "organiser_id", "/app/shifts/{shift_id}"},
	hoursMissing:        {"hours_missing", models.RoleSupervisor, "organiser_id", "/app/shifts/{shift_id}"},
	BillingRunCompleted: {"billing_run_completed", models.RoleFinance, "", "/app/billing-runs/{billing_run_id}"},
	IncomesRegisterDue:  {"incomes_register_due", models.RoleFinance, "", "/app/incomes-register"},
	webhookDisabled:     {"webhook_disabled", models.RoleAdmin, "", ""},
}

// MailKinds are the kinds of mail a user can turn off, in a stable order.
var MailKinds = []string{"order_submitted", "order_accepted", "order_rejected", "timesheet_waiting", "timesheet_disputed",
	"shift_tomorrow", "hours_missing", "billing_run_completed", "incomes_register_due", "webhook_disabled"}

// linkPath fills the route's link from the event data.
func (r mailRoute) linkPath(data map[string]any) string {
	open := strings.Index(r.link, "{")
	if open < 0 {
		return r.link
	}
	closing := strings.Index(r.link, "}")
	v, _ := data[r.link[open+1:closing]].(string)
	if v == "" {
		return "/app/"
	}
	return r.link[:open] + v + r.link[closing+1:]
}
