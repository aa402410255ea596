package directory

import (
	"context"
	"fmt"
	"sync"
	"time"

	"jobcenter/models"
)

// ActiveCheckInterval bounds how long a replica may go on accepting the
// access tokens of a user deactivated elsewhere: every request checks the
// user, from memory, and the database is asked again after this long.
const ActiveCheckInterval = 30 * time.Second

// activeUsers remembers when each user was last seen active or not.
type activeUsers struct {
	mu   sync.Mutex
	seen map[string]activeSeen
}

type activeSeen struct {
	active bool
	at     time.Time
}

// Active reports whether the user may still act. It answers from memory
// for ActiveCheckInterval after reading the database, so deactivating a
// user ends their access on every replica within that time instead of when
// their access token expires; the replica that deactivates forgets at once.
func (s *Service) Active(ctx context.Context, userID string) (bool, error) {
	now := s.Clock.Now()
	s.active.mu.Lock()
	seen, ok := s.active.seen[userID]
	s.active.mu.Unlock()
	// A clock set back (development mode) reads again.
	if ok && !now.Before(seen.at) && now.Sub(seen.at) < ActiveCheckInterval {
		return seen.active, nil
	}
	var active []bool
	if err := s.DB.Gorm.WithContext(ctx).Model(&models.User{}).Where("id = ?", userID).Pluck("active", &active).Error; err != nil {
		return false, fmt.Errorf("check user: %w", err)
	}
	seen = activeSeen{active: len(active) == 1 && active[0], at: now}
	s.active.mu.Lock()
	if s.active.seen == nil {
		s.active.seen = map[string]activeSeen{}
	}
	s.active.seen[userID] = seen
	s.active.mu.Unlock()
	return seen.active, nil
}

// forgetActive drops what this replica remembers of a user.
func (s *Service) forgetActive(userID string) {
	s.active.mu.Lock()
	delete(s.active.seen, userID)
	s.active.mu.Unlock()
}
