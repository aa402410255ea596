// Package participants holds the use cases of the people in work activity:
// participants, their service decisions, outcomes and availability, and the
// access log of their personal data.
//
// Who sees what: admins and coordinators see the whole tenant, a supervisor
// only its own organiser's participants (others are not found), other roles
// none. Every read of personal data writes access-log rows in the same
// transaction as the read, so no data leaves without its log entry.
package participants

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"

	"gorm.io/gorm"

	"jobcenter/auth"
	"jobcenter/clock"
	"jobcenter/models"
	"jobcenter/store"
)

// Service runs the participant use cases.
type Service struct {
	DB     *store.DB
	Clock  clock.Clock
	Cipher *Cipher
	// Pseudonym makes a pseudonym candidate; nil is a random Finnish animal
	// name and four digits. Tests replace it to force collisions.
	Pseudonym func() string
}

// New builds the service with the 32-byte encryption key of the IBANs.
func New(db *store.DB, c clock.Clock, key []byte) (*Service, error) {
	ci, err := NewCipher(key)
	if err != nil {
		return nil, err
	}
	return &Service{DB: db, Clock: c, Cipher: ci}, nil
}

// animals are the first part of pseudonyms: neutral, easy to say on a work
// site, and revealing nothing about the person.
var animals = []string{
	"Ahma", "Ahven", "Haukka", "Hauki", "Hilleri", "Hirvi", "Ilves", "Jänis", "Joutsen", "Karhu",
	"Kettu", "Korppi", "Kotka", "Kuha", "Kurki", "Kärppä", "Lohi", "Lokki", "Majava", "Metso",
	"Muikku", "Myyrä", "Mäyrä", "Naali", "Norppa", "Näätä", "Orava", "Peippo", "Peura", "Poro",
	"Pöllö", "Rastas", "Saukko", "Siili", "Sorsa", "Susi", "Taimen", "Teeri", "Tikka", "Varis",
}

func randomPseudonym() string {
	return fmt.Sprintf("%s-%04d", animals[rand.IntN(len(animals))], 1000+rand.IntN(9000))
}

// pseudonymAttempts bounds the retries after a pseudonym collision; with
// 360 000 candidates per tenant, several in a row mean something else is wrong.
const pseudonymAttempts = 8

// scoped limits q to the participants p may see.
func scoped(q *gorm.DB, p auth.Principal) (*gorm.DB, error) {
	switch p.Role {
	case models.RoleAdmin, models.RoleCoordinator:
		return q.Where("participants.tenant_id = ?", p.TenantID), nil
	case models.RoleSupervisor:
		return q.Where("participants.tenant_id = ? AND participants.organiser_id = ?", p.TenantID, p.OrganizationID), nil
	}
	return nil, fmt.Errorf("role %s may not see participants: %w", p.Role, models.ErrForbidden)
}

// load reads one participant p may see, decrypting its IBAN; lock takes the
// row lock that serialises changes to the participant and its decisions.
func (s *Service) load(tx *gorm.DB, p auth.Principal, id string, lock bool) (models.Participant, error) {
	var pt models.Participant
	q, err := scoped(tx, p)
	if err != nil {
		return pt, err
	}
	if lock {
		q = s.DB.ForUpdate(q)
	}
	if err := q.Where("participants.id = ?", id).Take(&pt).Error; err != nil {
		return pt, store.NotFound(err, "participant")
	}
	return pt, s.open(&pt)
}

// aad binds a sealed IBAN to its tenant and participant.
func aad(pt *models.Participant) string { return pt.TenantID + "/" + pt.ID }

func (s *Service) open(pt *models.Participant) error {
	iban, err := s.OpenIBAN(pt.TenantID, pt.ID, pt.IBANEncrypted)
	if err != nil {
		return err
	}
	pt.IBAN = iban
	pt.IdentityCode, err = s.OpenIdentityCode(pt.TenantID, pt.ID, pt.IdentityCodeEncrypted)
	return err
}

// identityAAD binds a sealed identity code to its participant, apart from
// the IBAN's binding, so neither sealed value opens as the other.
func identityAAD(tenantID, participantID string) string {
	return tenantID + "/" + participantID + "/identity_code"
}

// OpenIdentityCode decrypts a participant's sealed personal identity code
// (” when none was given), as the billing run does for birth dates.
func (s *Service) OpenIdentityCode(tenantID, participantID, sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	code, err := s.Cipher.Open(sealed, identityAAD(tenantID, participantID))
	if err != nil {
		return "", fmt.Errorf("participant %s identity code: %w", participantID, err)
	}
	return code, nil
}

// OpenIBAN decrypts a participant's sealed IBAN read straight from the
// database, as the finance exports do for whole runs.
func (s *Service) OpenIBAN(tenantID, participantID, sealed string) (string, error) {
	iban, err := s.Cipher.Open(sealed, aad(&models.Participant{TenantID: tenantID, ID: participantID}))
	if err != nil {
		return "", fmt.Errorf("participant %s iban: %w", participantID, err)
	}
	return iban, nil
}

func (s *Service) seal(pt *models.Participant) error {
	sealed, err := s.Cipher.Seal(pt.IBAN, aad(pt))
	if err != nil {
		return fmt.Errorf("participant %s iban: %w", pt.ID, err)
	}
	pt.IBANEncrypted = sealed
	pt.IdentityCodeEncrypted = ""
	if pt.IdentityCode != "" {
		if pt.IdentityCodeEncrypted, err = s.Cipher.Seal(pt.IdentityCode, identityAAD(pt.TenantID, pt.ID)); err != nil {
			return fmt.Errorf("participant %s identity code: %w", pt.ID, err)
		}
	}
	return nil
}

func normalize(pt *models.Participant) {
	pt.FirstName = strings.TrimSpace(pt.FirstName)
	pt.LastName = strings.TrimSpace(pt.LastName)
	pt.Email = strings.ToLower(strings.TrimSpace(pt.Email))
	pt.Phone = strings.TrimSpace(pt.Phone)
	pt.IBAN = models.NormalizeIBAN(pt.IBAN)
	pt.IdentityCode = models.NormalizeIdentityCode(pt.IdentityCode)
	if pt.Language == "" {
		pt.Language = "fi"
	}
}

// CreateParticipant adds an active participant to an organiser of the
// tenant, with a pseudonym unique in the tenant. A supervisor creates only
// for its own organiser, which is also the default when none is given.
// invalid holds what the request already got wrong (see models.ValidationError.With).
func (s *Service) CreateParticipant(ctx context.Context, p auth.Principal, pt models.Participant, invalid *models.ValidationError) (models.Participant, error) {
	// Only the roles that may see participants create them.
	if _, err := scoped(s.DB.Gorm, p); err != nil {
		return models.Participant{}, err
	}
	normalize(&pt)
	if p.Role == models.RoleSupervisor && pt.OrganiserID == "" {
		pt.OrganiserID = p.OrganizationID
	}
	v := &models.ValidationError{}
	if pt.OrganiserID == "" {
		v.Add("/organiser_id", "is required")
	}
	if err := pt.Validate(); err != nil {
		var ve *models.ValidationError
		errors.As(err, &ve)
		v.Fields = append(v.Fields, ve.Fields...)
	}
	if err := invalid.With(v.Err()); err != nil {
		return models.Participant{}, err
	}
	now := s.Clock.Now()
	pt.ID, pt.TenantID, pt.Active, pt.Version, pt.CreatedAt, pt.UpdatedAt = store.NewID(), p.TenantID, true, 1, now, now
	if err := s.seal(&pt); err != nil {
		return models.Participant{}, err
	}
	newPseudonym := s.Pseudonym
	if newPseudonym == nil {
		newPseudonym = randomPseudonym
	}
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		var n int64
		err := tx.Model(&models.Organization{}).Where("tenant_id = ? AND id = ? AND kind = ?", p.TenantID, pt.OrganiserID, models.KindOrganiser).Count(&n).Error
		if err != nil {
			return fmt.Errorf("check organiser: %w", err)
		}
		if n == 0 || (p.Role == models.RoleSupervisor && pt.OrganiserID != p.OrganizationID) {
			v.Add("/organiser_id", "is not an organiser of this tenant that you manage")
			return v
		}
		// A collision with the UNIQUE (tenant_id, pseudonym) key rolls back to
		// the savepoint and tries another pseudonym in the same transaction.
		for attempt := 1; ; attempt++ {
			pt.Pseudonym = newPseudonym()
			if err := tx.SavePoint("pseudonym").Error; err != nil {
				return fmt.Errorf("savepoint: %w", err)
			}
			err := tx.Create(&pt).Error
			if err == nil {
				return nil
			}
			if !errors.Is(store.Translate(err), models.ErrConflict) || attempt == pseudonymAttempts {
				return fmt.Errorf("create participant: %w", err)
			}
			if err := tx.RollbackTo("pseudonym").Error; err != nil {
				return fmt.Errorf("rollback to savepoint: %w", err)
			}
		}
	})
	return pt, err
}

// Participant reads one participant and logs the read.
func (s *Service) Participant(ctx context.Context, p auth.Principal, id, route string) (models.Participant, error) {
	var pt models.Participant
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		var err error
		if pt, err = s.load(tx, p, id, false); err != nil {
			return err
		}
		return LogAccess(tx, p, s.Clock.Now(), route, models.AccessRead, id)
	})
	return pt, err
}

// Visible answers ErrNotFound unless p may see the participant; it reads no
// personal data, so it logs nothing.
func (s *Service) Visible(ctx context.Context, p auth.Principal, id string) error {
	q, err := scoped(s.DB.Gorm.WithContext(ctx), p)
	if err != nil {
		return err
	}
	var n int64
	if err := q.Model(&models.Participant{}).Where("participants.id = ?", id).Count(&n).Error; err != nil {
		return fmt.Errorf("find participant: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("participant %s: %w", id, models.ErrNotFound)
	}
	return nil
}

// Filter narrows a participant list; zero values do not filter.
type Filter struct {
	OrganiserID string
	Active      *bool
	// Query: every word must begin or appear in the first name, last name or
	// pseudonym, in any case ("aino virt").
	Query string
}

// likeEscaper makes a search word match itself in a LIKE pattern.
var likeEscaper = strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)

// ListParticipants pages the participants p may see and logs a list read of
// every participant on the page.
func (s *Service) ListParticipants(ctx context.Context, p auth.Principal, f Filter, limit int, cursor, route string) (store.Page[models.Participant], error) {
	var page store.Page[models.Participant]
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		q, err := scoped(tx, p)
		if err != nil {
			return err
		}
		if f.OrganiserID != "" {
			q = q.Where("participants.organiser_id = ?", f.OrganiserID)
		}
		if f.Active != nil {
			q = q.Where("participants.active = ?", *f.Active)
		}
		for _, word := range strings.Fields(strings.ToLower(f.Query)) {
			like := "%" + likeEscaper.Replace(word) + "%"
			q = q.Where(`(LOWER(participants.first_name) LIKE ? ESCAPE '\' OR LOWER(participants.last_name) LIKE ? ESCAPE '\'
				OR LOWER(participants.pseudonym) LIKE ? ESCAPE '\')`, like, like, like)
		}
		if page, err = store.List[models.Participant](q, "participants", limit, cursor); err != nil {
			return err
		}
		ids := make([]string, len(page.Items))
		for i := range page.Items {
			if err := s.open(&page.Items[i]); err != nil {
				return err
			}
			ids[i] = page.Items[i].ID
		}
		return LogAccess(tx, p, s.Clock.Now(), route, models.AccessList, ids...)
	})
	return page, err
}

// UpdateParticipant applies change if the participant is still at
// ifVersion (If-Match). The organiser and the pseudonym never change, and
// new employment dates must still cover the wage shifts the participant is
// assigned to (checkAssignmentsInEmployment). The
// response discloses the whole participant, so it is logged as an update.
// invalid holds what the request already got wrong (see models.ValidationError.With).
func (s *Service) UpdateParticipant(ctx context.Context, p auth.Principal, id string, ifVersion int, route string, change func(*models.Participant),
	invalid *models.ValidationError) (models.Participant, error) {
	var pt models.Participant
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		var err error
		if pt, err = s.load(tx, p, id, true); err != nil {
			return err
		}
		if pt.Version != ifVersion {
			return fmt.Errorf("participant %s is at version %d: %w", id, pt.Version, models.ErrPrecondition)
		}
		before := pt
		change(&pt)
		pt.ID, pt.TenantID, pt.OrganiserID, pt.Pseudonym, pt.CreatedAt = before.ID, before.TenantID, before.OrganiserID, before.Pseudonym, before.CreatedAt
		normalize(&pt)
		if err := invalid.With(pt.Validate()); err != nil {
			return err
		}
		if !sameEmployment(before, pt) {
			if err := checkAssignmentsInEmployment(tx, pt); err != nil {
				return err
			}
		}
		if err := s.seal(&pt); err != nil {
			return err
		}
		pt.Version++
		pt.UpdatedAt = s.Clock.Now()
		res := tx.Model(&models.Participant{}).Where("id = ? AND version = ?", id, ifVersion).
			Select("first_name", "last_name", "email", "phone", "iban_encrypted", "identity_code_encrypted", "language",
				"employment_start_date", "employment_end_date", "active", "version", "updated_at").Updates(&pt)
		if res.Error != nil {
			return fmt.Errorf("update participant: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return fmt.Errorf("participant %s changed meanwhile: %w", id, models.ErrPrecondition)
		}
		return LogAccess(tx, p, pt.UpdatedAt, route, models.AccessUpdate, id)
	})
	return pt, err
}

// Decisions loads the service decisions of the tenant's participants by
// participant, each participant's in date order: what models.Eligibility
// needs of them besides their bookings. Set-based, for one person or a whole
// candidate list; the caller scopes by role and runs it in its transaction.
func Decisions(tx *gorm.DB, tenantID string, participantIDs []string) (map[string][]models.DecisionTerms, error) {
	var rows []models.ServiceDecision
	if err := tx.Where("tenant_id = ? AND participant_id IN ?", tenantID, participantIDs).
		Order("participant_id, valid_from").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load decisions: %w", err)
	}
	out := make(map[string][]models.DecisionTerms, len(participantIDs))
	for _, r := range rows {
		out[r.ParticipantID] = append(out[r.ParticipantID], r.DecisionTerms)
	}
	return out, nil
}
