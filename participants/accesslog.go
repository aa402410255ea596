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

// LogAccessSelected logs, in tx, that p read the data of every distinct
// participant that query selects (one column, named id): the reads of a
// file. It writes one access_log_files row and, in one INSERT … SELECT, one
// narrow access_log_file_subjects row per participant, so an export of any
// size logs without holding its ids and without the per-row cost of
// access_log_entries. A query that selects nobody logs nothing.
func LogAccessSelected(tx *gorm.DB, p auth.Principal, at time.Time, route, action, query string, args ...any) error {
	fileID := store.NewID()
	// The subjects go first so that an empty selection writes no file row;
	// the table has no foreign key to the file, which commits with them.
	res := tx.Exec(`INSERT INTO access_log_file_subjects (participant_id, file_id)
		SELECT x.id, ? FROM (SELECT DISTINCT id FROM (`+query+`) q) x`, append([]any{fileID}, args...)...)
	if res.Error != nil {
		return fmt.Errorf("write access log of file: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil
	}
	err := tx.Exec(`INSERT INTO access_log_files (id, tenant_id, user_id, role, action, route, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		fileID, p.TenantID, p.UserID, p.Role, action, route, at.UTC()).Error
	if err != nil {
		return fmt.Errorf("write access log of file: %w", err)
	}
	return nil
}

// accessLogOf selects a participant's access log from both its sources, as
// access_log_entries' columns: the single reads, and the files the
// participant is in, each file once under the file row's id. Both parts
// take the arguments tenant, participant and the oldest time shown.
const accessLogOf = `(SELECT ` + accessLogColumns + ` FROM access_log_entries
		WHERE tenant_id = ? AND participant_id = ? AND at >= ?
	UNION ALL
	SELECT f.id, f.tenant_id, s.participant_id, f.user_id, f.role, f.action, f.route, f.at
		FROM access_log_file_subjects s JOIN access_log_files f ON f.id = s.file_id
		WHERE f.tenant_id = ? AND s.participant_id = ? AND f.at >= ?) AS access_log`

// accessLogOrder pages the merged log newest first. The list keeps the name
// it had when access_log_entries was its only source, so cursors given out
// before stay valid.
var accessLogOrder = store.TimeOrder{List: "access_log_entries", Time: "access_log.at", ID: "access_log.id", Desc: true}

// AccessLog pages who read a participant's data, newest first, over the
// last two years, in time order: the (settable) clock's times need not follow
// id order.
func (s *Service) AccessLog(ctx context.Context, p auth.Principal, participantID string, limit int, cursor string) (store.Page[models.AccessLogEntry], error) {
	if err := s.Visible(ctx, p, participantID); err != nil {
		return store.Page[models.AccessLogEntry]{}, err
	}
	since := s.Clock.Now().AddDate(-AccessLogRetention, 0, 0)
	args := []any{p.TenantID, participantID, since}
	q := s.DB.Gorm.WithContext(ctx).Table(accessLogOf, append(args, args...)...).Select(accessLogColumns)
	return store.ListByTime(q, accessLogOrder, limit, cursor, scanAccessLogEntry)
}

const accessLogColumns = "id, tenant_id, participant_id, user_id, role, action, route, at"

func scanAccessLogEntry(r *sql.Rows) (models.AccessLogEntry, error) {
	var e models.AccessLogEntry
	err := r.Scan(&e.ID, &e.TenantID, &e.ParticipantID, &e.UserID, &e.Role, &e.Action, &e.Route, &e.At)
	e.At = e.At.UTC()
	return e, err
}

// PurgeAccessLog deletes, in one transaction, the access log older than the
// retention period of every tenant: single entries, and files with their
// subjects. It returns how many rows it deleted; it is a daily job's work.
func (s *Service) PurgeAccessLog(ctx context.Context) (int64, error) {
	before := s.Clock.Now().AddDate(-AccessLogRetention, 0, 0)
	var n int64
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		for _, del := range []string{
			`DELETE FROM access_log_entries WHERE at < ?`,
			`DELETE FROM access_log_file_subjects WHERE file_id IN (SELECT id FROM access_log_files WHERE at < ?)`,
			`DELETE FROM access_log_files WHERE at < ?`,
		} {
			res := tx.Exec(del, before)
			if res.Error != nil {
				return res.Error
			}
			n += res.RowsAffected
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("purge access log: %w", err)
	}
	return n, nil
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
