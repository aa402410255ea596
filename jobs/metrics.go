package jobs

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the scheduled jobs' Prometheus series, labelled by job. Each
// replica counts the runs it made: a slot another replica ran is not a
// success here, so alert on the maximum of the last success over replicas.
type Metrics struct {
	lastSuccess *prometheus.GaugeVec
	duration    *prometheus.HistogramVec
	failures    *prometheus.CounterVec
}

// NewMetrics registers the series on reg; every job's failure counter and
// duration histogram start at zero so that they exist before the first run.
func NewMetrics(reg prometheus.Registerer, jobs []Job) *Metrics {
	m := &Metrics{
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "jobcenter_job_last_success_timestamp_seconds",
			Help: "Unix time at which the job's latest successful run ended on this replica.",
		}, []string{"job"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "jobcenter_job_duration_seconds",
			Help: "Duration of the job's runs on this replica, succeeded or failed.",
			// 10 ms to about 45 minutes: a nightly job over every tenant
			// may take minutes.
			Buckets: prometheus.ExponentialBuckets(0.01, 4, 10),
		}, []string{"job"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "jobcenter_job_failures_total",
			Help: "Runs of the job that failed on this replica, a slot that could not be claimed included.",
		}, []string{"job"}),
	}
	for _, j := range jobs {
		m.duration.WithLabelValues(j.Name)
		m.failures.WithLabelValues(j.Name)
	}
	reg.MustRegister(m.lastSuccess, m.duration, m.failures)
	return m
}

// observe records one run that ended at end after took; a nil Metrics
// records nothing.
func (m *Metrics) observe(job string, took time.Duration, end time.Time, failed bool) {
	if m == nil {
		return
	}
	m.duration.WithLabelValues(job).Observe(took.Seconds())
	if failed {
		m.failures.WithLabelValues(job).Inc()
		return
	}
	m.lastSuccess.WithLabelValues(job).Set(float64(end.UnixNano()) / 1e9)
}
