package models

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"
)

func TestValidBusinessID(t *testing.T) {
	for in, want := range map[string]bool{
		"0737546-2":  true, // r = 9 → 2
		"1572860-0":  true, // r = 0 → 0
		"0112038-9":  true,
		"0737546-3":  false, // wrong check digit
		"0737546-1":  false,
		"07375462":   false, // no dash
		"737546-2":   false, // six digits
		"0737546-22": false,
		"0737546 2":  false,
		"073754a-2":  false,
		"0737546-x":  false,
		"":           false,
	} {
		if got := ValidBusinessID(in); got != want {
			t.Errorf("ValidBusinessID(%q) = %v, want %v", in, got, want)
		}
	}
}

// businessIDCheck is the rule written out once more for the property test:
// -1 where r = 1 (no ID is issued).
func businessIDCheck(body string) int {
	w := []int{7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range body {
		sum += int(body[i]-'0') * w[i]
	}
	switch r := sum % 11; r {
	case 0:
		return 0
	case 1:
		return -1
	default:
		return 11 - r
	}
}

func TestBusinessIDProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		body := fmt.Sprintf("%07d", rapid.IntRange(0, 9999999).Draw(t, "body"))
		check := businessIDCheck(body)
		for c := range 10 {
			if got := ValidBusinessID(fmt.Sprintf("%s-%d", body, c)); got != (c == check) {
				t.Fatalf("%s-%d: %v, check digit is %d", body, c, got, check)
			}
		}
		if check < 0 {
			return
		}
		// Changing any one body digit is always caught: 11 is prime.
		i := rapid.IntRange(0, 6).Draw(t, "pos")
		d := byte('0' + rapid.IntRange(0, 9).Filter(func(d int) bool { return byte('0'+d) != body[i] }).Draw(t, "digit"))
		changed := body[:i] + string(d) + body[i+1:]
		if ValidBusinessID(fmt.Sprintf("%s-%d", changed, check)) {
			t.Fatalf("%s-%d still valid after changing %s", changed, check, body)
		}
	})
}
