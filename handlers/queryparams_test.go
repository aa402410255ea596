package handlers

import (
	"bytes"
	"os"
	"testing"

	"jobcenter"
	"jobcenter/internal/openapiquery"
)

// The query parameter table is generated from openapi.yaml; a change to the
// spec without `go generate ./handlers` fails here.
func TestQueryParamTableMatchesSpec(t *testing.T) {
	table, err := openapiquery.Table(jobcenter.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	want, err := openapiquery.Source("handlers", table)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("queryparams_table.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("queryparams_table.go is stale: run go generate ./handlers")
	}
}
