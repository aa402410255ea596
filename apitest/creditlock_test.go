package apitest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"testing"

	"gorm.io/gorm"

	"jobcenter/billing"
	"jobcenter/store"
)

// billingLockHolders hold a tenant's billing lock the way a run does: a
// transaction of this service (on SQLite the in-process try-lock) and, on
// PostgreSQL, another replica's connection. Each returns its release.
func billingLockHolders(t *testing.T) map[string]func(t *testing.T, tenantID string) func() {
	holders := map[string]func(t *testing.T, tenantID string) func(){
		"a run of this service": func(t *testing.T, tenantID string) func() {
			db := Start(t).Main.DB
			holding, release, done := make(chan struct{}), make(chan struct{}), make(chan error)
			go func() {
				done <- db.WithTenantLock(context.Background(), "billing", tenantID, func(*gorm.DB) error {
					close(holding)
					<-release
					return nil
				})
			}()
			<-holding
			return func() {
				close(release)
				if err := <-done; err != nil {
					t.Fatalf("the lock holder: %v", err)
				}
			}
		},
	}
	if os.Getenv("JOBCENTER_TEST_POSTGRES") != "" {
		holders["another replica's run"] = func(t *testing.T, tenantID string) func() {
			// Advisory locks are per database: the replica's connection is
			// to the service's.
			tx, err := adminDB(t, Start(t).Main.Config.DatabaseURL).Begin()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tx.Exec("SELECT pg_advisory_xact_lock(hashtext($1))", store.LockKey("billing", tenantID)); err != nil {
				t.Fatal(err)
			}
			return func() { tx.Rollback() }
		}
	}
	return holders
}

// A credit note while a billing run holds the tenant's billing lock answers
// 409 billing_in_progress at once instead of queueing behind the run, and
// credits nothing; once the lock is free the same credit note is made.
func TestCreditNoteDoesNotWaitForABillingRun(t *testing.T) {
	for name, hold := range billingLockHolders(t) {
		t.Run(name, func(t *testing.T) {
			w := newBillingWorld(t)
			std := w.run(t, false, http.StatusCreated).invoiceOf(t, w.standard)
			release := hold(t, w.tn.ID)
			r := w.do(t, "finance", "POST", "/v1/invoices/"+std+"/credit-note", map[string]any{}).Expect(t, http.StatusConflict)
			release()
			if code := r.Map(t)["code"]; code != "billing_in_progress" {
				t.Fatalf("code %v: %s", code, r.Body)
			}
			if n := countRows(t, w.tn, "invoices"); n != 2 {
				t.Fatalf("%d invoices after the refused credit note, want the run's 2", n)
			}
			var note struct {
				Credits string `json:"credits_invoice_id"`
			}
			w.do(t, "finance", "POST", "/v1/invoices/"+std+"/credit-note", map[string]any{}).Expect(t, http.StatusCreated).Decode(t, &note)
			if note.Credits != std || countRows(t, w.tn, "invoices") != 3 {
				t.Fatalf("credit note %+v after the lock was freed", note)
			}
		})
	}
}

// A credit note is bounded like a run on PostgreSQL: rows locked by a
// client that died are waited for at most the lock timeout, answered 503
// with Retry-After; once the dead backend is gone the credit note is made.
func TestCreditNoteWaitsForLockedRowsAtMostTheLockTimeout(t *testing.T) {
	base := pgOnly(t)
	w := newBillingWorld(t)
	std := w.run(t, false, http.StatusCreated).invoiceOf(t, w.standard)
	admin := adminDB(t, base)
	deadClient(t, admin, w.tn.S.Main.Config.DatabaseURL, "dead-line-locker",
		fmt.Sprintf("BEGIN; SELECT id FROM invoice_lines WHERE invoice_id = '%s' FOR UPDATE", std))
	r := w.do(t, "finance", "POST", "/v1/invoices/"+std+"/credit-note", map[string]any{}).Expect(t, http.StatusServiceUnavailable)
	if r.Header.Get("Retry-After") == "" {
		t.Errorf("503 without Retry-After (lock timeout %s)", billing.RunLockTimeout)
	}
	terminate(t, admin, serviceDatabase(t, w.tn.S), "application_name = $2", "dead-line-locker")
	w.do(t, "finance", "POST", "/v1/invoices/"+std+"/credit-note", map[string]any{}).Expect(t, http.StatusCreated)
}
