package web

import "testing"

// TestParseHundredths: euros and percentages are read exactly, with a
// comma or a point, and never rounded.
func TestParseHundredths(t *testing.T) {
	for raw, want := range map[string]int64{"25": 2500, "25,": 2500, "25,5": 2550, "25.50": 2550, "0,01": 1, "1 234,56": 123456,
		"-3,1": -310, "92233720368547758,07": 9223372036854775807} {
		if got, err := parseHundredths(raw); err != nil || got != want {
			t.Errorf("parseHundredths(%q) = %d, %v; want %d", raw, got, err, want)
		}
	}
	for _, raw := range []string{"", "25,505", "0,001", "1.234,50", "abc", ",5", "1e3", "92233720368547758,08"} {
		if got, err := parseHundredths(raw); err == nil {
			t.Errorf("parseHundredths(%q) = %d, want an error", raw, got)
		}
	}
	if got := formatHundredths(1250, "fi"); got != "12,50" {
		t.Errorf("formatHundredths fi = %q", got)
	}
	if got := formatHundredths(5, "en"); got != "0.05" {
		t.Errorf("formatHundredths en = %q", got)
	}
}
