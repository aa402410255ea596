// Package export writes finance files (SEPA pain.001, Finvoice 3.0, CSV) from
// plain input structs. It knows nothing about the database: callers map their
// rows to the structs defined here.
//
// Conventions shared by every writer:
//   - money is models.Cents (int64) and is formatted by FormatEuros only;
//   - dates are time.Time values of which only the calendar date in the value's
//     own location is used (so pass dates already in Europe/Helsinki);
//   - identifiers that must stay unique (message, payment, invoice ids) are
//     never truncated: too long is an error. Free text is truncated by rune.
package export

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"jobcenter/models"
)

// FormatEuros renders cents as euros with exactly two decimals and the given
// decimal mark, without floats: 12345 → "123.45", -5 → "-0.05".
func FormatEuros(c models.Cents, decimalMark byte) string {
	return formatFixed2(int64(c), decimalMark)
}

// formatFixed2 renders v/100 with two decimals. It works on the magnitude as
// uint64 so that math.MinInt64 does not overflow.
func formatFixed2(v int64, mark byte) string {
	neg := v < 0
	u := uint64(v)
	if neg {
		u = -u
	}
	frac := u % 100
	var b strings.Builder
	b.Grow(24)
	if neg {
		b.WriteByte('-')
	}
	fmt.Fprintf(&b, "%d", u/100)
	b.WriteByte(mark)
	b.WriteByte(byte('0' + frac/10))
	b.WriteByte(byte('0' + frac%10))
	return b.String()
}

// truncRunes trims surrounding space and cuts s to at most n runes, never in
// the middle of a UTF-8 sequence (schema lengths count characters, not bytes).
func truncRunes(s string, n int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for pos := range s {
		if i == n {
			return strings.TrimSpace(s[:pos])
		}
		i++
	}
	return s
}

// wrapWords breaks s into at most max lines of at most n runes for repeated
// schema elements such as Finvoice VatFreeText. Lines break between words; a
// single word longer than a line (none in a legal note) is the only thing cut.
// Words beyond max lines are dropped.
func wrapWords(s string, n, max int) []string {
	var out []string
	line := ""
	for _, w := range strings.Fields(s) {
		for utf8.RuneCountInString(w) > n {
			if line != "" {
				out, line = append(out, line), ""
			}
			r := []rune(w)
			out, w = append(out, string(r[:n])), string(r[n:])
		}
		switch {
		case line == "":
			line = w
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) <= n:
			line += " " + w
		default:
			out, line = append(out, line), w
		}
	}
	if line != "" {
		out = append(out, line)
	}
	if len(out) > max {
		out = out[:max]
	}
	return out
}

// checkID validates an identifier against a MaxNText limit. IDs are not
// truncated: a cut id could collide with another one.
func checkID(field, v string, max int) error {
	if v == "" {
		return fmt.Errorf("%s is required", field)
	}
	if n := utf8.RuneCountInString(v); n > max {
		return fmt.Errorf("%s is %d characters, the schema allows %d", field, n, max)
	}
	return nil
}

// normIBAN returns the electronic form of a valid IBAN. Errors never echo
// the IBAN: it is personal data (DOMAIN.md).
func normIBAN(s string) (string, error) {
	if !models.ValidIBAN(s) {
		return "", errors.New("IBAN is not valid")
	}
	return models.NormalizeIBAN(s), nil
}

// normBIC upper-cases and checks the BICFI pattern [A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?.
func normBIC(s string) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) != 8 && len(s) != 11 {
		return "", fmt.Errorf("BIC %q must have 8 or 11 characters", s)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alpha := c >= 'A' && c <= 'Z'
		alnum := alpha || (c >= '0' && c <= '9')
		if !alnum || (i >= 4 && i < 6 && !alpha) {
			return "", fmt.Errorf("BIC %q has an invalid format", s)
		}
	}
	return s, nil
}
