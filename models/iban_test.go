package models

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"
)

func TestIBAN(t *testing.T) {
	for _, tc := range []struct {
		in    string
		valid bool
		mask  string
	}{
		{"FI2112345600000785", true, "FI** **** **** **07 85"},
		{"FI21 1234 5600 0007 85", true, "FI** **** **** **07 85"},
		{"fi21 1234 5600 0007 85", true, "FI** **** **** **07 85"},
		{"FI2112345600000786", false, "FI** **** **** **07 86"},
		{"FI211234560000078", false, "FI** **** **** *007 8"}, // FI is 18 long
		{"DE89370400440532013000", true, "DE** **** **** **** **30 00"},
		{"SE4550000000058398257466", true, "SE** **** **** **** **** 7466"},
		{"NO9386011117947", true, "NO** **** ***7 947"},
		{"GB82WEST12345698765432", true, "GB** **** **** **** **54 32"},
		{"EE382200221020145685", true, "EE** **** **** **** 5685"},
		{"XK051212012345678906", true, "XK** **** **** **** 8906"}, // not in the table: 15–34
		{"2112345600000785FI", false, "21** **** **** **85 FI"},
		{"FI21-1234-5600-0007-85", false, "FI** **** **** **** **7- 85"},
		{"FI21", false, "****"},
		{"", false, ""},
	} {
		if got := ValidIBAN(tc.in); got != tc.valid {
			t.Errorf("ValidIBAN(%q) = %v, want %v", tc.in, got, tc.valid)
		}
		if got := MaskIBAN(tc.in); got != tc.mask {
			t.Errorf("MaskIBAN(%q) = %q, want %q", tc.in, got, tc.mask)
		}
	}
	if got := NormalizeIBAN(" fi21 1234\t5600 0007 85\n"); got != "FI2112345600000785" {
		t.Errorf("NormalizeIBAN = %q", got)
	}
}

func TestIBANProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		bban := fmt.Sprintf("%014d", rapid.Int64Range(0, 99999999999999).Draw(t, "bban"))
		r, _ := mod97(bban + "FI00")
		iban := fmt.Sprintf("FI%02d%s", 98-r, bban)
		if !ValidIBAN(iban) {
			t.Fatalf("%s with computed check digits is invalid", iban)
		}
		// mod 97 catches every single-character substitution.
		i := rapid.IntRange(2, len(iban)-1).Draw(t, "pos")
		d := byte('0' + rapid.IntRange(0, 9).Filter(func(d int) bool { return byte('0'+d) != iban[i] }).Draw(t, "digit"))
		if changed := iban[:i] + string(d) + iban[i+1:]; ValidIBAN(changed) {
			t.Fatalf("%s still valid after changing %s", changed, iban)
		}
		if m := MaskIBAN(iban); m[:2] != "FI" || m[len(m)-5:] != iban[14:16]+" "+iban[16:] {
			t.Fatalf("MaskIBAN(%s) = %s", iban, m)
		}
	})
}
