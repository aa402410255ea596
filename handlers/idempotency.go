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
)

// idempotencyKey is a row of idempotency_keys: the first response to a POST
// with an Idempotency-Key, per tenant, user and key.
type idempotencyKey struct {
	TenantID    string
	UserID      string
	Key         string
	RequestHash string
	Completed   bool
	StatusCode  int
	ContentType string
	Body        []byte
	CreatedAt   time.Time
}

// idempotencyTTL is how long a stored response answers retries.
const idempotencyTTL = 24 * time.Hour

// idempotent makes POSTs with an Idempotency-Key safe to retry: the first
// request claims the key before it runs; a retry with the same body gets the
// stored response, another body a 422, and a retry while the first is still
// running a 409. A 5xx is not stored, so the client may retry it.
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
		row := idempotencyKey{TenantID: p.TenantID, UserID: p.UserID, Key: key, RequestHash: hex.EncodeToString(sum[:]), CreatedAt: a.Clock.Now()}
		ctx := c.Request().Context()
		var prior idempotencyKey
		err = a.DB.WithTx(ctx, func(tx *gorm.DB) error {
			err := tx.Where("tenant_id = ? AND user_id = ? AND key = ?", p.TenantID, p.UserID, key).Take(&prior).Error
			switch {
			case errors.Is(err, gorm.ErrRecordNotFound):
				prior = idempotencyKey{}
				return tx.Create(&row).Error
			case err != nil:
				return err
			case a.Clock.Now().Sub(prior.CreatedAt) > idempotencyTTL:
				// An expired key starts over.
				prior = idempotencyKey{}
				return tx.Model(&idempotencyKey{}).Where("tenant_id = ? AND user_id = ? AND key = ?", p.TenantID, p.UserID, key).
					Updates(map[string]any{"request_hash": row.RequestHash, "completed": false, "status_code": 0, "body": nil, "created_at": row.CreatedAt}).Error
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("claim idempotency key: %w", err)
		}
		if prior.Key != "" {
			switch {
			case prior.RequestHash != row.RequestHash:
				v := &models.ValidationError{}
				v.Add("", "Idempotency-Key was already used with another request body")
				return v
			case !prior.Completed:
				return models.Conflict("request_in_progress", "a request with this Idempotency-Key is still being processed")
			}
			c.Response().Header().Set("Idempotent-Replayed", "true")
			return c.Blob(prior.StatusCode, prior.ContentType, prior.Body)
		}

		where := func() *gorm.DB {
			return a.DB.Gorm.WithContext(context.WithoutCancel(ctx)).Model(&idempotencyKey{}).
				Where("tenant_id = ? AND user_id = ? AND key = ?", p.TenantID, p.UserID, key)
		}
		stored := false
		defer func() {
			// A panic (answered by the recover middleware) must not leave the
			// key claimed for a day: the client may retry.
			if !stored {
				where().Delete(&idempotencyKey{})
			}
		}()
		rec := &recorder{ResponseWriter: c.Response().Writer}
		c.Response().Writer = rec
		if err := next(c); err != nil {
			c.Error(err)
		}
		status := c.Response().Status
		stored = status < 500
		if !stored {
			return nil // the deferred delete frees the key
		}
		if err := where().Updates(map[string]any{"completed": true, "status_code": status,
			"content_type": c.Response().Header().Get(echo.HeaderContentType), "body": rec.body.Bytes()}).Error; err != nil {
			a.Log.Error("store idempotent response", "error", err)
		}
		return nil
	}
}

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
