package export

import (
	"math"
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
	if got := splitRunes("abcdefg", 3, 2); len(got) != 2 || got[0] != "abc" || got[1] != "def" {
		t.Errorf("splitRunes = %q", got)
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
