// Package xmlschema validates generated XML in tests with xmllint against the
// official schemas kept in the repository's schemas/ folder (see
// schemas/SOURCES.md for where each file comes from).
package xmlschema

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Validate fails t unless doc is valid against the schema file xsd. Without
// xmllint the test fails in CI (CI set), so CI can never pass by silently
// not validating; elsewhere it logs that the check did not run and the
// test's other checks go on.
func Validate(t testing.TB, xsd string, doc []byte) {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		msg := "xmllint not installed (apt-get install -y libxml2-utils): schema validation not run"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Log(msg)
		return
	}
	f := filepath.Join(t.TempDir(), "doc.xml")
	if err := os.WriteFile(f, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(xmllint, "--noout", "--schema", path(t, xsd), f).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint rejects the document against %s: %v\n%s\n--- document ---\n%s", xsd, err, out, doc)
	}
}

// path finds schemas/name under the repository root (the folder with
// go.mod).
func path(t testing.TB, name string) string {
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
			t.Fatal("go.mod not found above the test")
		}
		dir = parent
	}
	p := filepath.Join(dir, "schemas", name)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("schema %s: %v", name, err)
	}
	return p
}
