package apidocs

import (
	"bytes"
	"io/fs"
	"strings"
	"testing"
)

func TestPageReferencesEmbeddedBundle(t *testing.T) {
	p := string(Page("/openapi.yaml"))
	for _, want := range []string{
		`<redoc spec-url="/openapi.yaml"`,
		`<script src="/docs/assets/redoc.standalone.js"></script>`,
	} {
		if !strings.Contains(p, want) {
			t.Errorf("page lacks %q:\n%s", want, p)
		}
	}
	// The <redoc> element must come first: the bundle looks for it on load.
	if strings.Index(p, "<redoc ") > strings.Index(p, "<script ") {
		t.Error("<redoc> must precede the script")
	}
	if strings.Contains(p, "http://") || strings.Contains(p, "https://") {
		t.Error("page must load nothing from another host")
	}

	src := strings.TrimPrefix("/docs/assets/redoc.standalone.js", AssetsPath)
	js, err := fs.ReadFile(Assets(), src)
	if err != nil {
		t.Fatal(err)
	}
	if len(js) < 100_000 || !bytes.Contains(js, []byte(`getAttribute("spec-url")`)) {
		t.Errorf("%s (%d bytes) does not look like Redoc's standalone bundle", src, len(js))
	}
	for _, lic := range []string{"LICENSE", "redoc.standalone.js.LICENSE.txt"} {
		if b, err := fs.ReadFile(Assets(), lic); err != nil || len(b) == 0 {
			t.Errorf("licence %s missing: %v", lic, err)
		}
	}
}

func TestPageEscapesSpecURL(t *testing.T) {
	p := string(Page(`/x"><script>alert(1)</script>`))
	if strings.Contains(p, "<script>alert") {
		t.Errorf("spec URL not escaped:\n%s", p)
	}
}
