package models

import "testing"

func TestFinnishBIC(t *testing.T) {
	for _, tc := range []struct{ iban, bic string }{
		{"FI21 1234 5600 0007 85", "NDEAFIHH"}, // the standard's example account, Nordea (1)
		{"FI4950009420028730", "OKOYFIHH"},
		{"FI1547133790000057", "POPFFI22"}, // 471: POP inside the savings banks' range
		{"FI8847304720017517", "POPFFI22"}, // 473
		{"FI5542345670000081", "ITELFIHH"}, // 423: a savings bank
		{"FI2340550012345678", "HELSFIHH"}, // 405: Aktia
		{"FI3939390001234567", "SBANFIHH"}, // 39: S-Bank
		{"FI7979900000001234", "HOLVFIHH"}, // 799
		{"FI1180000000000000", "DABAFIHH"}, // 8
		{"FI9870000000000000", ""},         // 700: not in the list
		{"FI9832000000000000", ""},         // 32: not in the list
		{"SE4550000000058398257466", ""},   // not Finnish
		{"FI12", ""},                       // too short
	} {
		if got := FinnishBIC(tc.iban); got != tc.bic {
			t.Errorf("FinnishBIC(%s) = %q, want %q", tc.iban, got, tc.bic)
		}
	}
}
