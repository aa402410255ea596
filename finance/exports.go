// Package finance turns the stored results of billing runs into the files
// finance takes to the bank (SEPA pain.001), the e-invoice operator
// (Finvoice 3.0), accounting and the customers' payroll (CSV). It runs the
// queries; package finance/export writes the formats.
//
// Every export is prepared in two steps so that it can stream. Preparing
// checks everything that can answer an error status (role, not found,
// invalid parameters, missing settings) and writes the participant access
// log; the returned File then streams rows from the database into the
// writer one at a time, so memory stays constant whatever the run's size.
package finance

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"iter"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
	"gorm.io/gorm"

	"jobcenter/auth"
	"jobcenter/clock"
	"jobcenter/finance/export"
	"jobcenter/models"
	"jobcenter/participants"
	"jobcenter/store"
)

// Service prepares the finance exports.
type Service struct {
	DB    *store.DB
	Clock clock.Clock
	Loc   *time.Location
	// Participants holds the cipher of the participants' sealed IBANs.
	Participants *participants.Service
	// IncomesRegisterTest marks Incomes Register files as test deliveries
	// (ProductionEnvironment false), for the register's test service.
	IncomesRegisterTest bool
}

// Content types of the exports.
const (
	ContentTypeCSV = "text/csv; charset=utf-8"
	ContentTypeXML = "application/xml"
)

// File is an export that has passed every check. Write streams it; once it
// has written anything an error can no longer become an error status, so the
// caller must then abort the response (the output is incomplete).
type File struct {
	Name        string // for Content-Disposition: ASCII only
	ContentType string
	Write       func(w io.Writer) error
}

// financeOnly repeats the route's role check here: the exports show whole
// IBANs, so no other caller of the service may get them by mistake.
func financeOnly(p auth.Principal) error {
	if p.Role != models.RoleFinance {
		return fmt.Errorf("role %s may not export finance files: %w", p.Role, models.ErrForbidden)
	}
	return nil
}

// required answers 422 for every empty parameter; pairs are pointer, value.
func required(pairs ...string) error {
	v := &models.ValidationError{}
	for i := 0; i+1 < len(pairs); i += 2 {
		if strings.TrimSpace(pairs[i+1]) == "" {
			v.Add(pairs[i], "is required")
		}
	}
	return v.Err()
}

// prepare checks the caller, the parameters and the run of the tenant.
func (s *Service) prepare(ctx context.Context, p auth.Principal, runID string, params ...string) (models.BillingRun, error) {
	var run models.BillingRun
	if err := financeOnly(p); err != nil {
		return run, err
	}
	if err := required(append([]string{"/run_id", runID}, params...)...); err != nil {
		return run, err
	}
	err := s.DB.Gorm.WithContext(ctx).Where("tenant_id = ? AND id = ?", p.TenantID, runID).Take(&run).Error
	return run, store.NotFound(err, "billing run")
}

// Books is what an accounting export covers: one billing run, or a posting
// month (every run and credit note dated in it, so credit notes reach the
// books too). Exactly one is given.
type Books struct {
	RunID  string
	Period string // YYYY-MM
}

// booksSelection is a checked Books as a SQL condition on a document table.
type booksSelection struct {
	runID, runCol string
	from, to      models.Date
	dateCol       string
	label         string // for file names
}

func (b booksSelection) where() string {
	if b.runID != "" {
		return b.runCol + " = ?"
	}
	return b.dateCol + " BETWEEN ? AND ?"
}

func (b booksSelection) args(tenantID string) []any {
	if b.runID != "" {
		return []any{tenantID, b.runID}
	}
	return []any{tenantID, b.from, b.to}
}

// books checks a Books for finance; runCol and dateCol are the document
// table's run and date columns it selects on.
func (s *Service) books(ctx context.Context, p auth.Principal, b Books, runCol, dateCol string) (booksSelection, error) {
	if err := financeOnly(p); err != nil {
		return booksSelection{}, err
	}
	if (b.RunID == "") == (b.Period == "") {
		v := &models.ValidationError{}
		v.Add("/run_id", "give either run_id or period (YYYY-MM), not both")
		return booksSelection{}, v
	}
	if b.RunID != "" {
		run, err := s.prepare(ctx, p, b.RunID)
		return booksSelection{runID: run.ID, runCol: runCol, label: runLabel(run)}, err
	}
	per, err := models.ParsePeriod(b.Period)
	if err != nil {
		return booksSelection{}, err
	}
	return booksSelection{from: per.FirstDay(), to: per.LastDay(), dateCol: dateCol, label: "posted-" + per.String()}, nil
}

// organization loads a customer or an organiser of the tenant; another kind
// is as not found as another tenant's.
func (s *Service) organization(ctx context.Context, p auth.Principal, id, kind string) (models.Organization, error) {
	var o models.Organization
	err := s.DB.Gorm.WithContext(ctx).Where("tenant_id = ? AND id = ? AND kind = ?", p.TenantID, id, kind).Take(&o).Error
	return o, store.NotFound(err, kind)
}

// logExport logs the file as read, by the principal, for every distinct
// participant that query selects (one column, named id), before any of their
// data leaves: if the stream then fails, the log shows an export that did
// not complete, never a disclosure without a log entry. One file row and one
// INSERT … SELECT of its subjects log a run of any size in constant memory
// (participants.LogAccessSelected).
func (s *Service) logExport(ctx context.Context, p auth.Principal, route, query string, args ...any) error {
	return s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		return participants.LogAccessSelected(tx, p, s.Clock.Now(), route, models.AccessExport, query, args...)
	})
}

// rows runs query and yields its rows as they are read, scanned by scan into
// one reused value: a consumer must copy what it keeps.
func rows[T any](ctx context.Context, db *gorm.DB, scan func(*sql.Rows, *T) error, query string, args ...any) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		rs, err := db.WithContext(ctx).Raw(query, args...).Rows()
		if err != nil {
			yield(nil, err)
			return
		}
		defer rs.Close()
		var v T
		for rs.Next() {
			err := scan(rs, &v)
			if !yield(&v, err) || err != nil {
				return
			}
		}
		if err := rs.Err(); err != nil {
			yield(nil, err)
		}
	}
}

// writeCSV streams each row of seq as one CSV record.
func writeCSV[T any](w io.Writer, d export.Dialect, header []string, seq iter.Seq2[*T, error], cells func(*T) []any) error {
	cw, err := export.NewCSV(w, d, header...)
	if err != nil {
		return err
	}
	for r, err := range seq {
		if err != nil {
			return err
		}
		if err := cw.Row(cells(r)...); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// runLabel names a run in file names: its period, and for a supplementary
// run also a piece of its id, as a period can have several.
func runLabel(r models.BillingRun) string {
	if r.Kind == models.RunSupplementary {
		id := strings.ReplaceAll(r.ID, "-", "")
		return r.Period + "-supplementary-" + id[max(0, len(id)-8):]
	}
	return r.Period
}

// asciiFold maps letters that have no decomposition to ASCII; accented
// letters (ä, å, é, š) lose their marks through NFD.
var asciiFold = map[rune]string{'ø': "o", 'æ': "ae", 'œ': "oe", 'ß': "ss", 'đ': "d", 'ð': "d", 'ł': "l", 'þ': "th"}

// maxSlug keeps file names short enough for every file system and mail client.
const maxSlug = 40

// slug makes an organization name safe in a file name without quoting:
// "Työpaja Åsa & Søn" → "tyopaja-asa-son".
func slug(name string) string {
	var b strings.Builder
	dash := false
	add := func(s string) {
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		dash = false
		b.WriteString(s)
	}
	for _, r := range norm.NFD.String(strings.ToLower(name)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case asciiFold[r] != "":
			add(asciiFold[r])
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			add(string(r))
		default:
			dash = true
		}
	}
	s := b.String()
	if len(s) > maxSlug {
		s = strings.TrimRight(s[:maxSlug], "-")
	}
	if s == "" {
		return "unnamed"
	}
	return s
}

// localDate is d at midnight in loc, the form the writers take dates in.
func localDate(d models.Date, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}
