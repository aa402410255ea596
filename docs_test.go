package jobcenter

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// mdLink is a Markdown link's target: [text](target).
var mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// The repository carries what its documents point to: every relative link of
// every Markdown file resolves inside it, and no file reaches outside the
// repository (a fresh clone has nothing beside it).
func TestDocumentsLinkOnlyToFilesInTheRepository(t *testing.T) {
	var docs int
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != ".") {
			return filepath.SkipDir
		}
		if d.IsDir() {
			return nil
		}
		ext := filepath.Ext(path)
		if ext != ".md" && ext != ".go" && ext != ".yaml" && ext != ".yml" && d.Name() != "Dockerfile" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), "../"+"shared") {
			t.Errorf("%s points outside the repository (../%s)", path, "shared")
		}
		if ext != ".md" {
			return nil
		}
		docs++
		for _, m := range mdLink.FindAllStringSubmatch(string(b), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "#") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			target, _, _ = strings.Cut(target, "#")
			if _, err := os.Stat(filepath.Join(filepath.Dir(path), target)); err != nil {
				t.Errorf("%s links to %s, which is not in the repository", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"docs/DOMAIN.md", "docs/PAYROLL.md"} {
		if _, err := os.Stat(want); err != nil {
			t.Errorf("%s is missing", want)
		}
	}
	if docs < 3 {
		t.Fatalf("found only %d Markdown files", docs)
	}
}
