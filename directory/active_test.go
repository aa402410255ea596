package directory_test

import (
	"context"
	"testing"
	"time"

	"jobcenter/apitest"
	"jobcenter/auth"
	"jobcenter/clock"
	"jobcenter/directory"
	"jobcenter/models"
)

// Two replicas on one database: a user deactivated through one is refused
// there at once and by the other within directory.ActiveCheckInterval.
func TestDeactivationReachesOtherReplicas(t *testing.T) {
	_, db := apitest.OpenDB(t, true)
	c := &clock.Settable{}
	c.Set(time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC))
	here, there := &directory.Service{DB: db, Clock: c}, &directory.Service{DB: db, Clock: c}
	ctx := context.Background()
	tenantID, adminID, err := here.Bootstrap(ctx, "City", "admin@example.fi", "a long admin password")
	if err != nil {
		t.Fatal(err)
	}
	admin := auth.Principal{UserID: adminID, TenantID: tenantID, Role: models.RoleAdmin}
	u, err := here.CreateUser(ctx, admin, directory.NewUser{Email: "leaver@example.fi", Password: "a long user password", Role: models.RoleFinance})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*directory.Service{here, there} {
		if ok, err := s.Active(ctx, u.ID); err != nil || !ok {
			t.Fatalf("new user not active: %v", err)
		}
	}
	off := false
	if _, err := here.UpdateUser(ctx, admin, u.ID, u.Version, directory.UserChange{Active: &off}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := here.Active(ctx, u.ID); ok {
		t.Error("the deactivating replica still lets the user act")
	}
	if ok, _ := there.Active(ctx, u.ID); !ok {
		t.Error("the other replica read the database before its interval was up")
	}
	c.Set(c.Now().Add(directory.ActiveCheckInterval))
	if ok, _ := there.Active(ctx, u.ID); ok {
		t.Errorf("the other replica still lets the user act %s after the deactivation", directory.ActiveCheckInterval)
	}
	if ok, _ := there.Active(ctx, "no-such-user"); ok {
		t.Error("an unknown user is active")
	}
}
