package notify

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	htmltemplate "html/template"
	"strings"
	"text/template"
	"time"
)

// Languages of mail texts; a user's language picks one.
var Languages = []string{"fi", "sv", "en"}

//go:embed templates
var templateFS embed.FS

var (
	texts  = map[string]*template.Template{}
	layout = htmltemplate.Must(htmltemplate.ParseFS(templateFS, "templates/layout.html"))
)

func init() {
	for _, lang := range Languages {
		texts[lang] = template.Must(template.New(lang).ParseFS(templateFS, "templates/"+lang+".tmpl"))
	}
}

// Message is one rendered mail.
type Message struct {
	Subject string
	Text    string
	HTML    string
}

// mailView is what a mail template sees: the event's data as JSON decoded,
// the shift's local date and times, and the link into the web app.
type mailView struct {
	Lang             string
	Data             map[string]any
	Date, Start, End string
	Link             string
}

// Euros formats a *_cents field of the data in the language's way.
func (v mailView) Euros(field string) string {
	n, _ := v.Data[field].(json.Number)
	cents, err := n.Int64()
	if err != nil {
		return ""
	}
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	sep := ","
	if v.Lang == "en" {
		sep = "."
	}
	return fmt.Sprintf("%s%d%s%02d", sign, cents/100, sep, cents%100)
}

// render makes the mail of kind in lang from the event's data. link is an
// absolute URL into the web app, or "".
func render(kind, lang string, data []byte, loc *time.Location, link string) (Message, error) {
	t, ok := texts[lang]
	if !ok {
		t = texts["fi"]
		lang = "fi"
	}
	v := mailView{Lang: lang, Link: link}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&v.Data); err != nil {
		return Message{}, fmt.Errorf("mail %s: event data: %w", kind, err)
	}
	if s, ok := v.Data["starts_at"].(string); ok {
		if at, err := time.Parse(time.RFC3339, s); err == nil {
			v.Date, v.Start = at.In(loc).Format("2.1.2006"), at.In(loc).Format("15.04")
		}
	}
	if s, ok := v.Data["ends_at"].(string); ok {
		if at, err := time.Parse(time.RFC3339, s); err == nil {
			v.End = at.In(loc).Format("15.04")
		}
	}
	exec := func(name string) (string, error) {
		var b strings.Builder
		if err := t.ExecuteTemplate(&b, name, v); err != nil {
			return "", fmt.Errorf("mail %s in %s: %w", kind, lang, err)
		}
		return strings.TrimSpace(b.String()), nil
	}
	var m Message
	var err error
	if m.Subject, err = exec(kind + ".subject"); err != nil {
		return Message{}, err
	}
	if m.Text, err = exec(kind + ".text"); err != nil {
		return Message{}, err
	}
	linkText, err := exec("link")
	if err != nil {
		return Message{}, err
	}
	var paragraphs [][]string
	for _, p := range strings.Split(m.Text, "\n\n") {
		paragraphs = append(paragraphs, strings.Split(strings.TrimSpace(p), "\n"))
	}
	var h bytes.Buffer
	if err := layout.Execute(&h, map[string]any{"Lang": lang, "Subject": m.Subject, "Paragraphs": paragraphs,
		"Link": link, "LinkText": linkText}); err != nil {
		return Message{}, fmt.Errorf("mail %s html: %w", kind, err)
	}
	m.HTML = h.String()
	if link != "" {
		m.Text += "\n\n" + linkText + ": " + link
	}
	return m, nil
}
