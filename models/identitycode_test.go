package models

import "testing"

func TestIdentityCodeBirthDate(t *testing.T) {
	valid := map[string]Date{
		"131052-308T": {1952, 10, 13}, // the Digital and Population Data Services Agency's example
		"010594Y9021": {1994, 5, 1},   // a 2023 century sign of the 1900s
		"020502E902X": {2002, 5, 2},   // a 2023 century sign of the 2000s
		"010101A002S": {2001, 1, 1},
		"290200A7650": {2000, 2, 29},
	}
	for code, want := range valid {
		if got, ok := IdentityCodeBirthDate(code); !ok || got != want {
			t.Errorf("%s: %v %v, want %v", code, got, ok, want)
		}
	}
	for _, code := range []string{
		"131052-308U",  // wrong check character
		"131052-308",   // short
		"131052Z308T",  // unknown century sign
		"310252-308Y",  // 31 February: the check holds, the day does not exist
		"290201A7658",  // 29 February of a common year, check right
		"131052-000T",  // individual number below 002
		"13105a-308T",  // letter in the date
		" 131052-308T", // untrimmed
	} {
		if _, ok := IdentityCodeBirthDate(code); ok {
			t.Errorf("%q accepted", code)
		}
	}
	if MaskIdentityCode("131052-308T") != "******-***T" {
		t.Error("mask")
	}
}

// IdentityCode builds what IdentityCodeBirthDate reads, and the published
// example of the Digital and Population Data Services Agency (131052-308T).
func TestIdentityCodeBuildsValidCodes(t *testing.T) {
	if got := IdentityCode(Date{Year: 1952, Month: 10, Day: 13}, 308); got != "131052-308T" {
		t.Errorf("IdentityCode(13.10.1952, 308) = %s, want 131052-308T", got)
	}
	for _, birth := range []Date{{Year: 1899, Month: 12, Day: 31}, {Year: 1999, Month: 2, Day: 28}, {Year: 2008, Month: 6, Day: 1}} {
		for _, n := range []int{2, 123, 900, 999} {
			code := IdentityCode(birth, n)
			if got, ok := IdentityCodeBirthDate(code); !ok || got != birth {
				t.Errorf("IdentityCode(%v, %d) = %s reads back as %v, %v", birth, n, code, got, ok)
			}
		}
	}
}
