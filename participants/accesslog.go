package participants

import (
	"context"
	"database/sql"
	"fmt"
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

// LogAccessSelected writes, in one statement, one access-log row per
// distinct participant id that query selects (one column, named id), so an
// export of any size logs without holding its ids. The ids of the rows share
// the prefix of one fresh time-ordered id and count up in its last 48 bits,
// keeping the time order of ids that LogAccess gives.
func LogAccessSelected(tx *gorm.DB, p auth.Principal, at time.Time, route, action, query string, args ...any) error {
	seq, stamp := "lpad(to_hex(row_number() OVER (ORDER BY x.id)), 12, '0')", "CAST(? AS timestamptz)"
	if tx.Dialector.Name() != "postgres" {
		seq, stamp = "printf('%012x', row_number() OVER (ORDER BY x.id))", "?"
	}
	prefix := store.NewID()[:24]
	err := tx.Exec(`INSERT INTO access_log_entries (`+accessLogColumns+`)
		SELECT ? || `+seq+`, ?, x.id, ?, ?, ?, ?, `+stamp+` FROM (SELECT DISTINCT id FROM (`+query+`) q) x`,
		append([]any{prefix, p.TenantID, p.UserID, p.Role, action, route, at.UTC()}, args...)...).Error
	if err != nil {
		return fmt.Errorf("write access log: %w", err)
	}
	return nil
}

// AccessLog pages who read a participant's data, newest first, over the
// last two years, in time order: the (settable) clock's times need not follow
// id order.
func (s *Service) AccessLog(ctx context.Context, p auth.Principal, participantID string, limit int, cursor string) (store.Page[models.AccessLogEntry], error) {
	if err := s.Visible(ctx, p, participantID); err != nil {
		return store.Page[models.AccessLogEntry]{}, err
	}
	since := s.Clock.Now().AddDate(-AccessLogRetention, 0, 0)
	q := s.DB.Gorm.WithContext(ctx).Table("access_log_entries").Select(accessLogColumns).
		Where("tenant_id = ? AND participant_id = ? AND at >= ?", p.TenantID, participantID, since)
	by := store.ByTime("access_log_entries", "at")
	by.Desc = true
	return store.ListByTime(q, by, limit, cursor, scanAccessLogEntry)
}

const accessLogColumns = "id, tenant_id, participant_id, user_id, role, action, route, at"

func scanAccessLogEntry(r *sql.Rows) (models.AccessLogEntry, error) {
	var e models.AccessLogEntry
	err := r.Scan(&e.ID, &e.TenantID, &e.ParticipantID, &e.UserID, &e.Role, &e.Action, &e.Route, &e.At)
	e.At = e.At.UTC()
	return e, err
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

// listOfParticipant pages the participant's rows of table, the participant
// loaded as reader may see it (forbidden or not found otherwise), and logs
// p's read.
func listOfParticipant[T store.Identified](ctx context.Context, s *Service, p, reader auth.Principal, table, participantID string, limit int, cursor, route string) (store.Page[T], error) {
	var page store.Page[T]
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		if _, err := s.load(tx, reader, participantID, false); err != nil {
			return err
		}
		var err error
		q := tx.Where("tenant_id = ? AND participant_id = ?", p.TenantID, participantID)
		if page, err = store.List[T](q, table, limit, cursor); err != nil {
			return err
		}
		return LogAccess(tx, p, s.Clock.Now(), route, models.AccessRead, participantID)
	})
	return page, err
}
