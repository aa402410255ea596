package finance

import (
	"testing"

	"jobcenter/models"
)

func TestSlug(t *testing.T) {
	for name, want := range map[string]string{
		"Work Activity Unit":                                      "work-activity-unit",
		"Työpaja Åsa <Ölander> & Søn":                             "tyopaja-asa-olander-son",
		"  Æbleø   Straße -- Łódź ":                               "aebleo-strasse-lodz",
		"Кириллица":                                               "unnamed",
		"Helsingin kaupungin kasvatuksen ja koulutuksen toimiala": "helsingin-kaupungin-kasvatuksen-ja-koulu",
		"A-": "a",
	} {
		if got := slug(name); got != want {
			t.Errorf("slug(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestRunLabel(t *testing.T) {
	regular := models.BillingRun{ID: "0192f0c4-7d4e-7a1b-9c3d-5e6f7a8b9c0d", Period: "2026-10", Kind: models.RunRegular}
	if got := runLabel(regular); got != "2026-10" {
		t.Errorf("regular run label %q", got)
	}
	supplementary := regular
	supplementary.Kind = models.RunSupplementary
	if got := runLabel(supplementary); got != "2026-10-supplementary-7a8b9c0d" {
		t.Errorf("supplementary run label %q", got)
	}
}

func TestEndToEndIDFitsTheSchema(t *testing.T) {
	id := endToEndID("0192f0c4-7d4e-7a1b-9c3d-5e6f7a8b9c0d")
	if id != "0192f0c47d4e7a1b9c3d5e6f7a8b9c0d" || len(id) > 35 {
		t.Errorf("end-to-end id %q", id)
	}
}
