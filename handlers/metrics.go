package handlers

import (
	"net"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// observe renders a handler's error (once, here), then writes one JSON log
// line with the request id and counts the request and its latency by route
// and status with the Prometheus client; the database pool statistics come
// from its DBStats collector.
func (a *API) observe() echo.MiddlewareFunc {
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "jobcenter_http_requests_total", Help: "HTTP requests by method, route and status.",
	}, []string{"method", "route", "status"})
	latency := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "jobcenter_http_request_duration_seconds", Help: "HTTP request latency by method, route and status.",
		Buckets: prometheus.DefBuckets,
	}, []string{"method", "route", "status"})
	a.Registry.MustRegister(requests, latency, collectors.NewDBStatsCollector(a.DB.SQL, "jobcenter"),
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err)
			}
			route := c.Path()
			if route == "" {
				route = "unmatched"
			}
			took := time.Since(start)
			status := strconv.Itoa(c.Response().Status)
			requests.WithLabelValues(c.Request().Method, route, status).Inc()
			latency.WithLabelValues(c.Request().Method, route, status).Observe(took.Seconds())
			a.Log.Info("request",
				"request_id", c.Response().Header().Get(echo.HeaderXRequestID),
				"method", c.Request().Method, "route", c.Path(), "status", c.Response().Status,
				"duration_ms", took.Milliseconds(), "tenant_id", principal(c).TenantID, "user_id", principal(c).UserID)
			return nil
		}
	}
}

// metricsHandler serves Prometheus text to clients on this host only: the
// figures are for operators, not for the public API.
func (a *API) metricsHandler() echo.HandlerFunc {
	h := promhttp.HandlerFor(a.Registry, promhttp.HandlerOpts{})
	return func(c echo.Context) error {
		host, _, err := net.SplitHostPort(c.Request().RemoteAddr)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			return echo.ErrNotFound
		}
		h.ServeHTTP(c.Response(), c.Request())
		return nil
	}
}
