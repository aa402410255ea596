package export

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// schemaPath resolves ../shared/schemas/<name> relative to the module root
// (found by walking up to go.mod), so the tests work from any package dir.
func schemaPath(t *testing.T, name string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", "schemas", name)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("schema %s: %v", name, err)
	}
	return p
}

// validateXML runs xmllint against the official schema. Without xmllint the
// test fails in CI (CI set) and is skipped locally, so CI can never pass by
// silently not validating.
func validateXML(t *testing.T, xsd string, doc []byte) {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		msg := "xmllint not installed (apt-get install -y libxml2-utils): schema validation not run"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	schema := schemaPath(t, xsd)
	f := filepath.Join(t.TempDir(), "doc.xml")
	if err := os.WriteFile(f, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(xmllint, "--noout", "--schema", schema, f).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint rejects the document against %s: %v\n%s\n--- document ---\n%s", xsd, err, out, doc)
	}
}
