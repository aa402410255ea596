package export

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"jobcenter/models"
)

func TestParseDialect(t *testing.T) {
	for in, want := range map[string]Dialect{"": DialectRFC4180, "rfc4180": DialectRFC4180, "excel-fi": DialectExcelFI, "EXCEL-FI": DialectExcelFI} {
		if got, err := ParseDialect(in); err != nil || got != want {
			t.Errorf("ParseDialect(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseDialect("tsv"); err == nil {
		t.Error("unknown dialect accepted")
	}
}

// parseCents reads back an euro cell in the dialect's decimal mark, strictly
// with integer arithmetic.
func parseCents(t *testing.T, s string, mark byte) models.Cents {
	t.Helper()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, ok := strings.Cut(s, string(mark))
	if !ok || len(frac) != 2 {
		t.Fatalf("amount %q lacks two decimals after %q", s, mark)
	}
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("amount %q: %v %v", s, err1, err2)
	}
	c := models.Cents(w*100 + f)
	if neg {
		c = -c
	}
	return c
}

func TestCSVRoundTrip(t *testing.T) {
	type row struct {
		name    string
		minutes int64
		net     models.Cents
	}
	rows := []row{
		{"Åsa Ölander; \"Søn\"", 440, 12345},
		{"Дмитрий, jr", 60, -5},
		{"=SUM(A1)", 0, 0},
		{"multi\nline", 1, 100000000},
	}
	for _, d := range []Dialect{DialectRFC4180, DialectExcelFI} {
		t.Run(d.String(), func(t *testing.T) {
			var buf bytes.Buffer
			w, err := NewCSV(&buf, d, "name", "minutes", "net_eur")
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				if err := w.Row(r.name, r.minutes, r.net); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Row("too", "few"); err == nil {
				t.Error("short row accepted")
			}
			if err := w.Row("float", 1, 1.5); err == nil {
				t.Error("float cell accepted")
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}

			data := buf.Bytes()
			hasBOM := bytes.HasPrefix(data, []byte("\xEF\xBB\xBF"))
			if hasBOM != (d == DialectExcelFI) {
				t.Fatalf("BOM present = %v for %s", hasBOM, d)
			}
			if crlf := bytes.Contains(data, []byte("net_eur\r\n")); crlf != (d == DialectExcelFI) {
				t.Errorf("CRLF line ends = %v for %s", crlf, d)
			}
			r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))))
			r.Comma = d.Comma()
			recs, err := r.ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != len(rows)+1 || recs[0][2] != "net_eur" {
				t.Fatalf("records %q", recs)
			}
			for i, want := range rows {
				got := recs[i+1]
				name := want.name
				if d == DialectExcelFI && strings.HasPrefix(name, "=") {
					name = "'" + name // formula neutralised for Excel
				}
				if got[0] != name || got[1] != strconv.FormatInt(want.minutes, 10) ||
					parseCents(t, got[2], d.DecimalMark()) != want.net {
					t.Errorf("row %d = %q, want %+v", i, got, want)
				}
			}
			if want := FormatEuros(-5, d.DecimalMark()); recs[2][2] != want {
				t.Errorf("-5 cents rendered %q, want %q", recs[2][2], want)
			}
		})
	}
}
