// Package jobcenter holds the HTTP contract (openapi.yaml) so that the binary
// serves the spec it was built with. The service lives in the packages below.
package jobcenter

import _ "embed"

// OpenAPI is openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte
