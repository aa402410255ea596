package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"jobcenter/apitest"
)

func TestCoordinatorAcceptsOrderAndStaffsShift(t *testing.T) {
	s := apitest.Start(t)
	setClock(t, s, "2026-11-02T06:00:00Z") // Monday 08:00 in Helsinki
	w := newWorld(t, 3)
	cust := w.tn.Login(t, w.custEmail)
	newOrder := func(site string) string {
		return w.tn.Do(t, http.MethodPost, "/v1/orders", cust, map[string]any{"task_type_id": w.taskType, "site_address": site,
			"crew_size": 2, "schedule": map[string]any{"kind": "once", "date": "2026-11-04", "start_time": "08:00", "end_time": "12:00"}}).
			Expect(t, http.StatusCreated).Map(t)["id"].(string)
	}
	order, other := newOrder("Hämeentie 3"), newOrder("Aleksanterinkatu 9")

	p := newPage(t, s)
	p.open("/app/inbox")
	p.heading("Kirjaudu sisään")
	p.signIn(w.coordEmail)
	p.heading("Saapuneet tilaukset")
	if txt := p.text(); !strings.Contains(txt, "Hämeentie 3") || !strings.Contains(txt, "Aleksanterinkatu 9") {
		t.Fatalf("the inbox lacks the submitted orders: %q", txt)
	}
	p.check("inbox")

	// Accepting without an organiser, and rejecting without a reason, say
	// what is missing next to the field.
	p.click(fmt.Sprintf(`form[action="/app/inbox/%s/accept"] button`, order))
	p.until(fmt.Sprintf(`!!document.getElementById("organiser-%s-error")`, order))
	p.check("inbox-accept-error")
	p.click(fmt.Sprintf(`form[action="/app/inbox/%s/reject"] button`, other))
	p.until(fmt.Sprintf(`!!document.getElementById("reason-%s-error")`, other))
	p.set(fmt.Sprintf(`#reason-%s`, other), "No crews free that week")
	p.click(fmt.Sprintf(`form[action="/app/inbox/%s/reject"] button`, other))
	p.until(`document.body.innerText.includes('Tilaus hylätty')`)
	p.set(fmt.Sprintf(`#organiser-%s`, order), w.organiser)
	p.click(fmt.Sprintf(`form[action="/app/inbox/%s/accept"] button`, order))
	p.until(`document.body.innerText.includes('Tilaus hyväksytty')`)
	if !strings.Contains(p.text(), "Ei käsiteltäviä tilauksia") {
		t.Errorf("the inbox is not empty after handling both orders: %q", p.text())
	}
	coord := w.tn.Login(t, w.coordEmail)
	if st := w.tn.Do(t, http.MethodGet, "/v1/orders/"+other, coord, nil).Expect(t, http.StatusOK).Map(t); st["status"] != "rejected" {
		t.Errorf("the rejected order is %v", st["status"])
	}
	var list struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	w.tn.Do(t, http.MethodGet, "/v1/shifts?order_id="+order, coord, nil).Expect(t, http.StatusOK).Decode(t, &list)
	if len(list.Items) != 1 {
		t.Fatalf("%d shifts of the accepted order, want 1", len(list.Items))
	}
	shift := list.Items[0].ID

	// The board shows the week with the shift short of people and of a
	// supervisor, in words.
	p.click(`a[href="/app/board"]`)
	p.heading("Miehitys")
	card := fmt.Sprintf(`document.getElementById('shift-%s').innerText`, shift)
	if txt := eval[string](p, card); !strings.Contains(txt, "Miehitetään") || !strings.Contains(txt, "0/2 henkilöä") || !strings.Contains(txt, "ei") {
		t.Errorf("the shift's card: %q", txt)
	}
	p.check("board")

	// The panel opens in place with the ranked candidates.
	eval[bool](p, `(() => { window.noReload = true; return true; })()`)
	p.click(fmt.Sprintf(`#shift-%s a`, shift))
	p.until(`!!document.querySelector('#panel .panel')`)
	for _, name := range []string{"Virtanen Aino", "Virtanen Eero", "Virtanen Helmi", "Sanna Supervisor"} {
		if !strings.Contains(eval[string](p, `document.getElementById('panel').innerText`), name) {
			t.Errorf("the panel lacks the candidate %q", name)
		}
	}
	p.check("board-panel")
	assign := func(id string) string {
		return fmt.Sprintf(`#panel form[action^="/app/board/shifts/%s/assign"]:has(input[value="%s"]) button`, shift, id)
	}
	p.click(assign(w.participants[0]))
	p.until(`document.getElementById('panel').innerText.includes('Lisätty vuoroon')`)
	if txt := eval[string](p, card); !strings.Contains(txt, "1/2 henkilöä") {
		t.Errorf("the card was not updated in place: %q", txt)
	}

	// Another session fills the last place; adding a third participant from
	// the stale panel says the rule in words and shows the shift as it is.
	w.tn.Do(t, http.MethodPost, "/v1/shifts/"+shift+"/assignments", coord, map[string]any{"participant_id": w.participants[1]}).Expect(t, http.StatusCreated)
	p.click(assign(w.participants[2]))
	p.until(`!!document.querySelector('#panel [role=alert]')`)
	if txt := eval[string](p, `document.querySelector('#panel [role=alert]').innerText`); !strings.Contains(txt, "joku muu täytti viimeisen paikan") {
		t.Errorf("the conflict says %q", txt)
	}
	if txt := eval[string](p, `document.getElementById('panel').innerText`); !strings.Contains(txt, "2/2 henkilöä") {
		t.Errorf("the panel was not refreshed after the conflict: %q", txt)
	}
	p.check("board-conflict")

	p.click(assign(w.supID))
	p.until(fmt.Sprintf(`document.getElementById('shift-%s').innerText.includes('Miehitetty')`, shift))
	if !eval[bool](p, `window.noReload === true`) {
		t.Error("the page reloaded; the panel should change in place")
	}
	if st := w.shift(t, coord, shift); st["status"] != "staffed" || st["crew_count"] != float64(2) {
		t.Errorf("the shift is %v with %v participants, want staffed with 2", st["status"], st["crew_count"])
	}
	p.check("board-staffed")

	// Without JavaScript's help the panel is a page of its own (the board
	// around it), in Swedish too.
	p.click(`button[name=lang][value=sv]`)
	p.heading("Bemanning")
	p.open("/app/board/shifts/" + shift)
	p.heading("Bemanning")
	if !strings.Contains(p.text(), "Bemannat") || !strings.Contains(p.text(), "Arbetslag") {
		t.Errorf("the Swedish panel page: %q", p.text())
	}
	p.check("board-panel-sv")
}
