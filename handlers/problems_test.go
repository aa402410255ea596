package handlers

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every conflict code written in the sources has its problem page, so a new
// rule cannot answer with a type URI that leads nowhere.
func TestEveryConflictCodeHasAPage(t *testing.T) {
	literal := regexp.MustCompile(`Conflict\("([a-z_]+)"`)
	found := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			found++
			code := m[1]
			if code == "timesheet_" { // "timesheet_" + the status that refuses new hours
				for _, st := range []string{"timesheet_submitted", "timesheet_approved"} {
					if _, ok := problemPages[st]; !ok {
						t.Errorf("%s: no problem page for %s", path, st)
					}
				}
				continue
			}
			if _, ok := problemPages[code]; !ok {
				t.Errorf("%s: no problem page for conflict code %q", path, code)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 30 {
		t.Fatalf("found only %d conflict codes in the sources", found)
	}
}
