package models

import (
	"fmt"
	"strings"
	"time"
)

// identityCheckChars are the check characters of a Finnish personal
// identity code (henkilötunnus), indexed by DDMMYYNNN mod 31.
const identityCheckChars = "0123456789ABCDEFHJKLMNPRSTUVWXY"

// identityCentury maps a century sign to its century: + for the 1800s;
// - and, since 2023, Y X W V U for the 1900s; A and, since 2023, B C D E F
// for the 2000s (Act 128/2022, dvv.fi: the new century signs).
var identityCentury = map[byte]int{'+': 1800, '-': 1900, 'Y': 1900, 'X': 1900, 'W': 1900, 'V': 1900, 'U': 1900,
	'A': 2000, 'B': 2000, 'C': 2000, 'D': 2000, 'E': 2000, 'F': 2000}

// NormalizeIdentityCode trims and upper-cases a personal identity code.
func NormalizeIdentityCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// IdentityCodeBirthDate returns the birth date a valid personal identity code
// (DDMMYYCNNNQ) carries; ok is false when the code is malformed, names no
// real day, has an individual number below 002 or a wrong check character.
func IdentityCodeBirthDate(code string) (birth Date, ok bool) {
	if len(code) != 11 {
		return Date{}, false
	}
	century, known := identityCentury[code[6]]
	if !known {
		return Date{}, false
	}
	digits := code[:6] + code[7:10]
	n := 0
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return Date{}, false
		}
		n = n*10 + int(digits[i]-'0')
	}
	if n%1000 < 2 || identityCheckChars[n%31] != code[10] {
		return Date{}, false
	}
	day := int(code[0]-'0')*10 + int(code[1]-'0')
	month := int(code[2]-'0')*10 + int(code[3]-'0')
	year := century + int(code[4]-'0')*10 + int(code[5]-'0')
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day || int(t.Month()) != month {
		return Date{}, false
	}
	return Date{Year: year, Month: time.Month(month), Day: day}, true
}

// IdentityCode builds the personal identity code of someone born on birth
// with the individual number individual (002–999), with the classic century
// sign (+ 1800s, - 1900s, A 2000s) and its check character.
func IdentityCode(birth Date, individual int) string {
	sign := "-"
	switch {
	case birth.Year < 1900:
		sign = "+"
	case birth.Year >= 2000:
		sign = "A"
	}
	ddmmyy := fmt.Sprintf("%02d%02d%02d", birth.Day, int(birth.Month), birth.Year%100)
	n := ((birth.Day*100+int(birth.Month))*100+birth.Year%100)*1000 + individual
	return fmt.Sprintf("%s%s%03d%c", ddmmyy, sign, individual, identityCheckChars[n%31])
}

// MaskIdentityCode shows only the check character: ******-***A.
func MaskIdentityCode(code string) string {
	if code == "" {
		return ""
	}
	return "******-***" + code[len(code)-1:]
}
