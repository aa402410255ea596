package handlers

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"jobcenter/models"
	"jobcenter/store"
)

// idempotencyKey is a row of idempotency_keys: the first response to a POST
// with an Idempotency-Key, per tenant, user and key. Applied is set in the
// transaction of the request's own write, so it is true exactly when a write
// committed; Attempt names the request holding the key.
type idempotencyKey struct {
	TenantID    string
	UserID      string
	Key         string
	RequestHash string
	Completed   bool
	Applied     bool
	Attempt     string
	StatusCode  int
	ContentType string
	Body        []byte
	CreatedAt   time.Time
}

// idempotencyTTL is how long a stored response answers retries.
const idempotencyTTL = 24 * time.Hour

// idempotencyAbandoned is how old a claim that is neither answered nor
// applied must be before a retry takes it over: its process died. It is far
// longer than a request runs (the server stops writing an answer after 2
// minutes); a request that does outlive it cannot commit once taken over.
const idempotencyAbandoned = 10 * time.Minute

// idempotent makes POSTs with an Idempotency-Key safe to retry: the first
// request claims the key before it runs; a retry with the same body gets the
// stored response, another body a 422, and a retry while the first is still
// running a 409. A 5xx is not stored; its key is freed for a retry unless
// the request's write committed, which a retry is told instead of running it
// again.
func (a *API) idempotent(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		key := c.Request().Header.Get("Idempotency-Key")
		if c.Request().Method != http.MethodPost || key == "" {
			return next(c)
		}
		if err := checkIdempotencyKey(key); err != nil {
			return err
		}
		body, err := io.ReadAll(c.Request().Body)
		if err != nil {
			return fmt.Errorf("read body: %w", errMalformed)
		}
		c.Request().Body = io.NopCloser(bytes.NewReader(body))
		sum := sha256.Sum256(append([]byte(c.Request().Method+" "+c.Request().URL.Path+"\n"), body...))
		p := principal(c)
		claim := idempotencyKey{TenantID: p.TenantID, UserID: p.UserID, Key: key, RequestHash: hex.EncodeToString(sum[:]),
			Attempt: store.NewID(), CreatedAt: a.Clock.Now()}
		prior, err := a.claimIdempotencyKey(c.Request().Context(), claim)
		if err != nil {
			return err
		}
		if prior != nil {
			return answerRetry(c, *prior, claim)
		}
		a.runClaimed(c, next, claim)
		return nil
	}
}

// claimIdempotencyKey claims the key for this attempt and returns nil, or
// returns the prior claim that answers the retry. An expired key starts
// over, and so does an abandoned claim of the same request.
func (a *API) claimIdempotencyKey(ctx context.Context, claim idempotencyKey) (*idempotencyKey, error) {
	var prior *idempotencyKey
	err := a.DB.WithTx(ctx, func(tx *gorm.DB) error {
		prior = nil
		var found idempotencyKey
		// The row lock orders this against a write marking the key applied.
		err := claim.row(a.DB.ForUpdate(tx)).Take(&found).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			return tx.Create(&claim).Error
		case err != nil:
			return err
		case a.Clock.Now().Sub(found.CreatedAt) > idempotencyTTL, a.abandoned(found, claim):
			return claim.row(tx).Updates(map[string]any{"request_hash": claim.RequestHash, "completed": false, "applied": false, "attempt": claim.Attempt,
				"status_code": 0, "content_type": "", "body": nil, "created_at": claim.CreatedAt}).Error
		}
		prior = &found
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim idempotency key: %w", err)
	}
	return prior, nil
}

// abandoned reports a prior claim of the same request that was neither
// answered nor applied for so long that its process must have died.
func (a *API) abandoned(prior, claim idempotencyKey) bool {
	return prior.RequestHash == claim.RequestHash && !prior.Completed && !prior.Applied &&
		a.Clock.Now().Sub(prior.CreatedAt) > idempotencyAbandoned
}

// answerRetry answers a request whose key an earlier one holds.
func answerRetry(c echo.Context, prior, claim idempotencyKey) error {
	switch {
	case prior.RequestHash != claim.RequestHash:
		v := &models.ValidationError{}
		v.Add("", "Idempotency-Key was already used with another request body")
		return v
	case prior.Completed:
		c.Response().Header().Set("Idempotent-Replayed", "true")
		return c.Blob(prior.StatusCode, prior.ContentType, prior.Body)
	case prior.Applied:
		return models.Conflict("request_applied", "the request with this Idempotency-Key was carried out, but its answer is not stored "+
			"(it was lost, or is still on its way); read the resource to see the result instead of retrying")
	}
	return models.Conflict("request_in_progress", "a request with this Idempotency-Key is still being processed")
}

// runClaimed runs the request holding the claim. Its transactions mark the
// claim applied as they commit; a response under 500 is stored for retries.
// After a 5xx or a panic (answered by the recover middleware) the claim is
// freed for a retry only if nothing was applied: a retry must never repeat a
// committed write.
func (a *API) runClaimed(c echo.Context, next echo.HandlerFunc, claim idempotencyKey) {
	ctx := c.Request().Context()
	mine := func() *gorm.DB { return claim.held(a.DB.Gorm.WithContext(context.WithoutCancel(ctx))) }
	stored := false
	defer func() {
		if stored {
			return
		}
		if err := mine().Where("applied = ?", false).Delete(&idempotencyKey{}).Error; err != nil {
			a.Log.Error("free idempotency key", "error", err)
		}
	}()
	c.SetRequest(c.Request().WithContext(store.WithTxHook(ctx, claim.markApplied)))
	rec := &recorder{ResponseWriter: c.Response().Writer}
	c.Response().Writer = rec
	if err := next(c); err != nil {
		c.Error(err)
	}
	status := c.Response().Status
	if stored = status < 500; !stored {
		return
	}
	if err := mine().Updates(map[string]any{"completed": true, "status_code": status,
		"content_type": c.Response().Header().Get(echo.HeaderContentType), "body": rec.body.Bytes()}).Error; err != nil {
		a.Log.Error("store idempotent response", "error", err)
	}
}

// markApplied marks the claim applied inside a write's transaction. A claim
// a retry took over is no longer this attempt's: its write must not commit.
func (k idempotencyKey) markApplied(tx *gorm.DB) error {
	res := k.held(tx).Update("applied", true)
	if res.Error != nil {
		return fmt.Errorf("mark idempotency key applied: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return models.Conflict("request_in_progress", fmt.Sprintf("a retry with this Idempotency-Key took the request over after %d minutes "+
			"without an answer; this attempt applied nothing", int(idempotencyAbandoned.Minutes())))
	}
	return nil
}

// row scopes db to the key's row.
func (k idempotencyKey) row(db *gorm.DB) *gorm.DB {
	return db.Model(&idempotencyKey{}).Where("tenant_id = ? AND user_id = ? AND key = ?", k.TenantID, k.UserID, k.Key)
}

// held scopes db to the key's row while this attempt holds it.
func (k idempotencyKey) held(db *gorm.DB) *gorm.DB { return k.row(db).Where("attempt = ?", k.Attempt) }

// PurgeIdempotencyKeys deletes the keys whose stored responses no longer
// answer retries. The responses can hold personal data (a created
// participant's name), so they are not kept past their use.
func (a *API) PurgeIdempotencyKeys(ctx context.Context) error {
	if err := a.DB.Gorm.WithContext(ctx).Where("created_at < ?", a.Clock.Now().Add(-idempotencyTTL)).
		Delete(&idempotencyKey{}).Error; err != nil {
		return fmt.Errorf("purge idempotency keys: %w", err)
	}
	return nil
}

// recorder keeps a copy of the response body for the idempotency store.
type recorder struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}
