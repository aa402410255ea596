package participants

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"jobcenter/auth"
	"jobcenter/models"
	"jobcenter/store"
)

// AccessLogRetention is how long access-log entries are kept and shown.
const AccessLogRetention = 2 // years

// LogAccess writes one access-log row per participant whose personal data p
// read, in tx, so the log commits with the read. Other packages (finance
// exports) call it for their reads.
func LogAccess(tx *gorm.DB, p auth.Principal, at time.Time, route, action string, participantIDs ...string) error {
	if len(participantIDs) == 0 {
		return nil
	}
	entries := make([]models.AccessLogEntry, len(participantIDs))
	for i, id := range participantIDs {
		entries[i] = models.AccessLogEntry{ID: store.NewID(), TenantID: p.TenantID, ParticipantID: id, UserID: p.UserID,
			Role: p.Role, Action: action, Route: route, At: at.UTC()}
	}
	if err := tx.Create(&entries).Error; err != nil {
		return fmt.Errorf("write access log: %w", err)
	}
	return nil
}

// AccessLog pages who read a participant's data, newest first, over the
// last two years. The cursor holds the last entry's time and id, as the
// (settable) clock's times need not follow id order.
func (s *Service) AccessLog(ctx context.Context, p auth.Principal, participantID string, limit int, cursor string) (store.Page[models.AccessLogEntry], error) {
	var page store.Page[models.AccessLogEntry]
	if err := s.Visible(ctx, p, participantID); err != nil {
		return page, err
	}
	since := s.Clock.Now().AddDate(-AccessLogRetention, 0, 0)
	q := s.DB.Gorm.WithContext(ctx).Where("tenant_id = ? AND participant_id = ? AND at >= ?", p.TenantID, participantID, since)
	if cursor != "" {
		at, id, ok := decodeCursor(cursor)
		if !ok {
			v := &models.ValidationError{}
			v.Add("/cursor", "is not a cursor this API returned")
			return page, v
		}
		q = q.Where("(at < ? OR (at = ? AND id < ?))", at, at, id)
	}
	var rows []models.AccessLogEntry
	if err := q.Order("at DESC, id DESC").Limit(limit + 1).Find(&rows).Error; err != nil {
		return page, fmt.Errorf("list access log: %w", err)
	}
	page.Items = rows
	if len(rows) > limit {
		page.Items = rows[:limit]
		last := rows[limit-1]
		next := base64.RawURLEncoding.EncodeToString([]byte(last.At.UTC().Format(time.RFC3339Nano) + " " + last.ID))
		page.NextCursor = &next
	}
	return page, nil
}

func decodeCursor(c string) (time.Time, string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return time.Time{}, "", false
	}
	ts, id, ok := strings.Cut(string(raw), " ")
	if !ok {
		return time.Time{}, "", false
	}
	at, err := time.Parse(time.RFC3339Nano, ts)
	return at.UTC(), id, err == nil
}

// PurgeAccessLog deletes the access-log entries older than the retention
// period of every tenant; it is a daily job's work.
func (s *Service) PurgeAccessLog(ctx context.Context) (int64, error) {
	res := s.DB.Gorm.WithContext(ctx).Where("at < ?", s.Clock.Now().AddDate(-AccessLogRetention, 0, 0)).Delete(&models.AccessLogEntry{})
	if res.Error != nil {
		return 0, fmt.Errorf("purge access log: %w", res.Error)
	}
	return res.RowsAffected, nil
}
