package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"jobcenter/models"
)

// Languages the app speaks; the first is the default.
var Languages = []string{"fi", "sv", "en"}

var languageTags = []language.Tag{language.Finnish, language.Swedish, language.English}

//go:embed messages/*.json
var messageFS embed.FS

// catalogue is language → message key → text. Keys name the place of a
// string ("orders.title"); a problem detail of a use case is looked up as
// "detail." + its English text, and shown in English when it has no
// translation.
type catalogue map[string]map[string]string

func loadCatalogue() (catalogue, error) {
	cat := catalogue{}
	for _, lang := range Languages {
		b, err := messageFS.ReadFile("messages/" + lang + ".json")
		if err != nil {
			return nil, fmt.Errorf("message catalogue %s: %w", lang, err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("message catalogue %s: %w", lang, err)
		}
		cat[lang] = m
	}
	return cat, nil
}

// text is the message of key in lang, formatted with args.
func (cat catalogue) text(lang, key string, args ...any) string {
	msg, ok := cat[lang][key]
	if !ok {
		msg, ok = cat["en"][key]
	}
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// detail translates a use case's problem detail.
func (cat catalogue) detail(lang, detail string) string {
	if msg, ok := cat[lang]["detail."+detail]; ok {
		return msg
	}
	return detail
}

const langKey = "web.lang"

// locale picks the page language: the one the user chose (a cookie), else
// Finnish, whatever the browser's settings (a shared office computer's
// browser says little about who is using it).
func (a *App) locale(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		lang := Languages[0]
		if ck, err := c.Cookie(languageCookie); err == nil && isLanguage(ck.Value) {
			lang = ck.Value
		}
		c.Set(langKey, lang)
		return next(c)
	}
}

func isLanguage(s string) bool {
	for _, l := range Languages {
		if s == l {
			return true
		}
	}
	return false
}

func lang(c echo.Context) string {
	if l, ok := c.Get(langKey).(string); ok {
		return l
	}
	return Languages[0]
}

// setLanguage remembers the user's choice for a year and returns to the page.
func (a *App) setLanguage(c echo.Context) error {
	l := c.FormValue("lang")
	if !isLanguage(l) {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	c.SetCookie(a.cookie(languageCookie, l, 365*24*3600))
	return c.Redirect(http.StatusSeeOther, safeNext(c.FormValue("next")))
}

func (a *App) tr(c echo.Context, key string, args ...any) string {
	return a.catalogue.text(lang(c), key, args...)
}

// formats writes dates, times and money the way each language does:
// 2.3.2027 and 16.00 in Finnish, 1 234,50 € in Finnish and Swedish.
type formats struct {
	lang string
	loc  *time.Location
	p    *message.Printer
}

func (a *App) formats(c echo.Context) formats { return a.formatsOf(lang(c)) }

func (a *App) formatsOf(lang string) formats {
	return formats{lang: lang, loc: a.Loc, p: a.printer(lang)}
}

// printer formats numbers in lang.
func (a *App) printer(lang string) *message.Printer {
	for i, code := range Languages {
		if code == lang {
			return message.NewPrinter(languageTags[i])
		}
	}
	return message.NewPrinter(languageTags[0])
}

func (f formats) money(c models.Cents) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	n := f.p.Sprint(number.Decimal(float64(c)/100, number.Scale(2)))
	if f.lang == "en" {
		return sign + "€" + n
	}
	return sign + n + "\u00a0€"
}

func (f formats) date(d models.Date) string {
	switch f.lang {
	case "sv":
		return d.String()
	case "en":
		return fmt.Sprintf("%d %s %d", d.Day, d.Month.String()[:3], d.Year)
	}
	return fmt.Sprintf("%d.%d.%d", d.Day, int(d.Month), d.Year)
}

func (f formats) clock(t time.Time) string {
	t = t.In(f.loc)
	if f.lang == "en" {
		return t.Format("15:04")
	}
	return t.Format("15.04")
}

// dateOf formats the local date of t.
func (f formats) dateOf(t time.Time) string { return f.date(models.DateOf(t, f.loc)) }

// weekdayKey is the catalogue key of a date's short weekday name.
func weekdayKey(d models.Date) string { return fmt.Sprintf("weekday.short.%d", d.ISOWeekday()) }

func (f formats) minutes(m int) string {
	return fmt.Sprintf("%d.%02d", m/60, m%60)
}
