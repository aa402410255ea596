package models

import (
	"fmt"
	"strings"
)

// FinnishReference appends the check digit to base (3–19 digits): weights
// 7, 3, 1 repeating from the right, check = (10 − sum mod 10) mod 10.
// "123456" → "1234561".
func FinnishReference(base string) (string, error) {
	if len(base) < 3 || len(base) > 19 || !allDigits(base) {
		return "", fmt.Errorf("reference base %q: want 3–19 digits: %w", base, ErrInvalid)
	}
	return base + string(rune('0'+finnishCheck(base))), nil
}

// ValidFinnishReference reports whether s is a Finnish reference number
// (4–20 digits, last one the check digit); spaces, as printed in groups of
// five, are ignored.
func ValidFinnishReference(s string) bool {
	s = strings.Join(strings.Fields(s), "")
	if len(s) < 4 || len(s) > 20 || !allDigits(s) {
		return false
	}
	return int(s[len(s)-1]-'0') == finnishCheck(s[:len(s)-1])
}

func finnishCheck(base string) int {
	weights := [3]int{7, 3, 1}
	sum := 0
	for i := 0; i < len(base); i++ {
		sum += int(base[len(base)-1-i]-'0') * weights[i%3]
	}
	return (10 - sum%10) % 10
}

// RFReference returns the ISO 11649 creditor reference of ref: "RF", two
// check digits, ref ("1234561" → "RF341234561"). ref should be 1–21 digits
// or upper-case letters, such as a Finnish reference; for anything else the
// result does not validate.
func RFReference(ref string) string {
	r, _ := mod97(ref + "RF00")
	return fmt.Sprintf("RF%02d%s", 98-r, ref)
}

// ValidRFReference reports whether s is an ISO 11649 reference; spaces, as
// printed in groups of four, are ignored and letters may be lower case.
func ValidRFReference(s string) bool {
	s = NormalizeIBAN(s)
	if len(s) < 5 || len(s) > 25 || s[:2] != "RF" || !isDigit(s[2]) || !isDigit(s[3]) {
		return false
	}
	r, ok := mod97(s[4:] + s[:4])
	return ok && r == 1
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
