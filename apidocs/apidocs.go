// Package apidocs serves the interactive API reference at GET /docs: an
// HTML page that runs Redoc's standalone bundle, embedded in the binary so
// the page needs no network (see README.md for version and updating).
package apidocs

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
)

// AssetsPath is where the server mounts Assets(); Page loads the script
// from here.
const AssetsPath = "/docs/assets/"

// script is the renderer's single bundle inside assets/.
const script = "redoc.standalone.js"

//go:embed assets
var assets embed.FS

// The bundle starts rendering as soon as it runs, from the <redoc> element
// before it. The theme swaps Redoc's default web fonts (Roboto, Montserrat,
// which it never downloads itself) for system fonts, so the page looks the
// same offline. Redoc runs its search index in a blob: worker and injects
// <style> elements: a Content-Security-Policy on /docs must allow both.
var page = template.Must(template.New("docs").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>jobcenter API reference</title>
</head>
<body style="margin:0">
<redoc spec-url="{{.SpecURL}}" theme="{{.Theme}}"></redoc>
<script src="{{.Script}}"></script>
</body>
</html>
`))

const theme = `{"typography":{` +
	`"fontFamily":"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",` +
	`"headings":{"fontFamily":"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"},` +
	`"code":{"fontFamily":"ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace"}}}`

// Page returns the HTML of the reference page for the OpenAPI document at
// specURL (for example "/openapi.yaml").
func Page(specURL string) []byte {
	var b bytes.Buffer
	err := page.Execute(&b, struct{ SpecURL, Theme, Script string }{
		SpecURL: specURL, Theme: theme, Script: AssetsPath + script,
	})
	if err != nil {
		panic(err) // a fixed template over strings cannot fail
	}
	return b.Bytes()
}

// Assets returns the files to serve under AssetsPath: the bundle and its
// licence texts, e.g. e.StaticFS("/docs/assets", apidocs.Assets()).
func Assets() fs.FS {
	sub, err := fs.Sub(assets, "assets")
	if err != nil {
		panic(err)
	}
	return sub
}
