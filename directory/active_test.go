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
// there at once and by the other within directory.ActiveCheckInterval; a new
// password refuses the tokens issued before it the same way.
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
	issued := c.Now() // an access token of the user, held on both replicas
	for _, s := range []*directory.Service{here, there} {
		if ok, err := s.SessionValid(ctx, u.ID, issued); err != nil || !ok {
			t.Fatalf("new user not active: %v", err)
		}
	}

	// A new password at 08:01: the 08:00 token dies, one issued with the new
	// password lives.
	c.Set(c.Now().Add(time.Minute))
	password := "a new long password"
	if u, err = here.UpdateUser(ctx, admin, u.ID, u.Version, directory.UserChange{Password: &password}, nil); err != nil {
		t.Fatal(err)
	}
	if ok, _ := here.SessionValid(ctx, u.ID, issued); ok {
		t.Error("a token from before the new password is still valid")
	}
	if ok, _ := here.SessionValid(ctx, u.ID, c.Now()); !ok {
		t.Error("a token issued with the new password is refused")
	}
	c.Set(c.Now().Add(directory.ActiveCheckInterval))
	if ok, _ := there.SessionValid(ctx, u.ID, issued); ok {
		t.Error("the other replica accepts a token from before the new password after its interval")
	}
	issued = c.Now()
	if ok, _ := there.SessionValid(ctx, u.ID, issued); !ok {
		t.Error("the other replica refuses a new token")
	}

	off := false
	if _, err := here.UpdateUser(ctx, admin, u.ID, u.Version, directory.UserChange{Active: &off}, nil); err != nil {
		t.Fatal(err)
	}
	if ok, _ := here.SessionValid(ctx, u.ID, c.Now()); ok {
		t.Error("the deactivating replica still lets the user act")
	}
	if ok, _ := there.SessionValid(ctx, u.ID, issued); !ok {
		t.Error("the other replica read the database before its interval was up")
	}
	c.Set(c.Now().Add(directory.ActiveCheckInterval))
	if ok, _ := there.SessionValid(ctx, u.ID, issued); ok {
		t.Errorf("the other replica still lets the user act %s after the deactivation", directory.ActiveCheckInterval)
	}
	if ok, _ := there.SessionValid(ctx, "no-such-user", issued); ok {
		t.Error("an unknown user is active")
	}
}
