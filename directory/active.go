package directory

import (
	"context"
	"fmt"
	"sync"
	"time"

	"jobcenter/models"
)

// ActiveCheckInterval bounds how long a replica may go on accepting the
// access tokens of a user deactivated, or given a new password, elsewhere:
// every request checks the user, from memory, and the database is asked
// again after this long.
const ActiveCheckInterval = 30 * time.Second

// activeUsers remembers when each user was last seen active or not.
type activeUsers struct {
	mu   sync.Mutex
	seen map[string]activeSeen
}

type activeSeen struct {
	active       bool
	sessionsFrom *time.Time
	at           time.Time
}

// SessionValid reports whether an access token of the user issued at
// issuedAt may still act: the user is active and the token is not older than
// the user's last deactivation or new password. It answers from memory for
// ActiveCheckInterval after reading the database, so such a change ends the
// user's access on every replica within that time instead of when the token
// expires; the replica that makes the change forgets at once.
func (s *Service) SessionValid(ctx context.Context, userID string, issuedAt time.Time) (bool, error) {
	now := s.Clock.Now()
	s.active.mu.Lock()
	seen, ok := s.active.seen[userID]
	s.active.mu.Unlock()
	// A clock set back (development mode) reads again.
	if !ok || now.Before(seen.at) || now.Sub(seen.at) >= ActiveCheckInterval {
		var users []models.User
		if err := s.DB.Gorm.WithContext(ctx).Select("active", "sessions_from").Where("id = ?", userID).Find(&users).Error; err != nil {
			return false, fmt.Errorf("check user: %w", err)
		}
		seen = activeSeen{at: now}
		if len(users) == 1 {
			seen.active, seen.sessionsFrom = users[0].Active, users[0].SessionsFrom
		}
		s.active.mu.Lock()
		if s.active.seen == nil {
			s.active.seen = map[string]activeSeen{}
		}
		s.active.seen[userID] = seen
		s.active.mu.Unlock()
	}
	return seen.active && (seen.sessionsFrom == nil || !issuedAt.Before(*seen.sessionsFrom)), nil
}

// forgetActive drops what this replica remembers of a user.
func (s *Service) forgetActive(userID string) {
	s.active.mu.Lock()
	delete(s.active.seen, userID)
	s.active.mu.Unlock()
}
