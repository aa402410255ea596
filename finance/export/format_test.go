package export

import (
	"math"
	"strings"
	"testing"

	"jobcenter/models"
)

func TestFormatEuros(t *testing.T) {
	cases := []struct {
		c    models.Cents
		mark byte
		want string
	}{
		{0, '.', "0.00"},
		{5, '.', "0.05"},
		{-5, '.', "-0.05"},
		{12345, '.', "123.45"},
		{12345, ',', "123,45"},
		{-100, ',', "-1,00"},
		{math.MaxInt64, '.', "92233720368547758.07"},
		{math.MinInt64, '.', "-92233720368547758.08"},
	}
	for _, c := range cases {
		if got := FormatEuros(c.c, c.mark); got != c.want {
			t.Errorf("FormatEuros(%d, %q) = %q, want %q", c.c, c.mark, got, c.want)
		}
	}
}

func TestTruncRunes(t *testing.T) {
	if got := truncRunes("  Дмитрий  ", 3); got != "Дми" {
		t.Errorf("got %q", got)
	}
	if got := truncRunes("Åsa", 70); got != "Åsa" {
		t.Errorf("got %q", got)
	}
}

// A VAT note is wrapped between words, never inside one.
func TestWrapWords(t *testing.T) {
	for _, c := range []struct {
		s    string
		n, m int
		want string
	}{
		{"Sisäinen veloitus, ei arvonlisäverollista myyntiä", 22, 3, "Sisäinen veloitus, ei|arvonlisäverollista|myyntiä"},
		{"ab cd ef", 5, 3, "ab cd|ef"},
		{"abcdefg hi", 3, 4, "abc|def|g|hi"},
		{"one two three", 3, 2, "one|two"},
		{"  ", 5, 3, ""},
	} {
		if got := strings.Join(wrapWords(c.s, c.n, c.m), "|"); got != c.want {
			t.Errorf("wrapWords(%q, %d, %d) = %q, want %q", c.s, c.n, c.m, got, c.want)
		}
	}
}

func TestNormIBANRejectsBadChecksum(t *testing.T) {
	if _, err := normIBAN("FI21 1234 5600 0007 85"); err != nil {
		t.Fatalf("valid IBAN rejected: %v", err)
	}
	if _, err := normIBAN("FI2112345600000786"); err == nil {
		t.Fatal("IBAN with a wrong check accepted")
	}
}
