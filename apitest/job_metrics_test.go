package apitest

import (
	"net/http"
	"strings"
	"testing"
)

// After a scheduled job ran, /metrics shows its last success, duration and
// failures, beside the database pool's connections and waits.
func TestMetricsShowJobsAndTheDatabasePool(t *testing.T) {
	s := Start(t)
	s.Do(t, Request{Method: http.MethodPost, Path: "/dev/jobs/expired-records/run"}).Expect(t, http.StatusOK)
	body := string(s.Do(t, Request{Method: http.MethodGet, Path: "/metrics"}).Expect(t, http.StatusOK).Body)
	for _, want := range []string{
		`jobcenter_job_last_success_timestamp_seconds{job="expired-records"} `,
		`jobcenter_job_duration_seconds_count{job="expired-records"} `,
		`jobcenter_job_failures_total{job="expired-records"} 0`,
		`jobcenter_job_failures_total{job="billing"} 0`, // a job that has not run yet
		`go_sql_open_connections{db_name="jobcenter"} `,
		`go_sql_in_use_connections{db_name="jobcenter"} `,
		`go_sql_idle_connections{db_name="jobcenter"} `,
		`go_sql_wait_count_total{db_name="jobcenter"} `,
		`go_sql_wait_duration_seconds_total{db_name="jobcenter"} `,
	} {
		if !strings.Contains(body, "\n"+want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(body, `jobcenter_job_duration_seconds_count{job="expired-records"} 0`) {
		t.Error("the run's duration was not observed")
	}
}
