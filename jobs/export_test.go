package jobs

import "github.com/prometheus/client_golang/prometheus"

// Failures is the job's failure counter, for tests.
func (m *Metrics) Failures(job string) prometheus.Counter { return m.failures.WithLabelValues(job) }

// LastSuccess is the job's last success gauge, for tests.
func (m *Metrics) LastSuccess(job string) prometheus.Gauge { return m.lastSuccess.WithLabelValues(job) }
