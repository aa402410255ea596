package models

import (
	"errors"
	"testing"

	"pgregory.net/rapid"
)

func TestFinnishReference(t *testing.T) {
	for _, tc := range []struct{ base, want string }{
		{"123456", "1234561"},
		{"123", "1232"},
		{"1000", "10003"},
		{"2026000123", "20260001230"},
		{"1234567890123456789", "12345678901234567894"},
	} {
		got, err := FinnishReference(tc.base)
		if err != nil || got != tc.want {
			t.Errorf("FinnishReference(%q) = %q, %v; want %q", tc.base, got, err, tc.want)
		}
		if !ValidFinnishReference(got) {
			t.Errorf("ValidFinnishReference(%q) = false", got)
		}
	}
	for _, base := range []string{"12", "12345678901234567890", "12a45", "", " 1234"} {
		if _, err := FinnishReference(base); !errors.Is(err, ErrInvalid) {
			t.Errorf("FinnishReference(%q) err = %v", base, err)
		}
	}
	for in, want := range map[string]bool{
		"1234561":               true,
		"12 34561":              true,
		"1234562":               false,
		"123":                   false,
		"123456789012345678945": false,
		"12345-61":              false,
	} {
		if got := ValidFinnishReference(in); got != want {
			t.Errorf("ValidFinnishReference(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestRFReference(t *testing.T) {
	for ref, want := range map[string]string{
		"1234561":      "RF341234561",
		"539007547034": "RF18539007547034", // ISO 11649's example
		"20260001230":  "RF3620260001230",
		"1232":         "RF111232",
	} {
		if got := RFReference(ref); got != want {
			t.Errorf("RFReference(%q) = %q, want %q", ref, got, want)
		}
		if !ValidRFReference(want) {
			t.Errorf("ValidRFReference(%q) = false", want)
		}
	}
	for in, want := range map[string]bool{
		"RF18 5390 0754 7034":        true,
		"rf18539007547034":           true,
		"RF18539007547035":           false,
		"RF19539007547034":           false,
		"RF18":                       false,
		"XX18539007547034":           false,
		"RF1853900754703-":           false,
		"RF181234567890123456789012": false, // 22 characters after the check digits
		"RF40123456789012345678901":  true,
	} {
		if got := ValidRFReference(in); got != want {
			t.Errorf("ValidRFReference(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestReferenceProperties(t *testing.T) {
	digits := rapid.StringMatching(`[0-9]{3,19}`)
	rapid.Check(t, func(t *rapid.T) {
		base := digits.Draw(t, "base")
		ref, err := FinnishReference(base)
		if err != nil || !ValidFinnishReference(ref) {
			t.Fatalf("FinnishReference(%q) = %q, %v does not validate", base, ref, err)
		}
		rf := RFReference(ref)
		if !ValidRFReference(rf) || rf[4:] != ref {
			t.Fatalf("RFReference(%q) = %q does not validate", ref, rf)
		}
		// Weights 7, 3, 1 are prime to 10 and mod 97 catches any single
		// substitution, so changing one digit always breaks both forms.
		i := rapid.IntRange(0, len(ref)-1).Draw(t, "pos")
		d := byte('0' + rapid.IntRange(0, 9).Filter(func(d int) bool { return byte('0'+d) != ref[i] }).Draw(t, "digit"))
		changed := ref[:i] + string(d) + ref[i+1:]
		if ValidFinnishReference(changed) {
			t.Fatalf("%s still valid after changing %s", changed, ref)
		}
		if ValidRFReference(rf[:4] + changed) {
			t.Fatalf("%s still valid after changing %s", rf[:4]+changed, rf)
		}
	})
}
