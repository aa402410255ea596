//go:build ignore

// Writes queryparams_table.go from openapi.yaml: go generate ./handlers
package main

import (
	"log"
	"os"

	"jobcenter"
	"jobcenter/internal/openapiquery"
)

func main() {
	table, err := openapiquery.Table(jobcenter.OpenAPI)
	if err != nil {
		log.Fatal(err)
	}
	src, err := openapiquery.Source("handlers", table)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("queryparams_table.go", src, 0o644); err != nil {
		log.Fatal(err)
	}
}
