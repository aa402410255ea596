package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"jobcenter/models"
)

// The demo tenant and its users' logins. One password for every user keeps
// the printed instructions short.
const (
	TenantName = "Helsingin kaupunki – Työkeskus"
	Password   = "tyokeskus-demo-2026"
	mailDomain = "@tyokeskus.example.fi"
)

// cityBusinessID is the City of Helsinki's Y-tunnus, shared by its units:
// they are internal customers and organisers of the same city.
const cityBusinessID = "0201256-6"

type person struct{ email, name, phone string }

var (
	adminUser    = person{"admin" + mailDomain, "Anneli Kivinen", "+358 9 310 10001"}
	coordinators = []person{
		{"koordinaattori" + mailDomain, "Sanna Lehtinen", "+358 40 334 1201"},
		{"koordinaattori2" + mailDomain, "Mikko Salo", "+358 40 334 1202"},
	}
	financeUser = person{"talous" + mailDomain, "Pirjo Hakala", "+358 40 334 1301"}
	// The workshop's leader supervises and files its Incomes Register reports.
	osumaLeader = person{"leena.makela" + mailDomain, "Leena Mäkelä", "+358 40 334 2301"}
)

type organiserSpec struct {
	key, name, businessID string
	feeBps                int64
	street, postalCode    string
	supervisors           []person
	employer              employerSpec
	// How many participants on each decision profile (see profiles).
	participants []profileCount
}

// employerSpec is an organiser as the employer of its supported-employment
// participants: its earnings-related pension (TyEL) insurer by its Incomes
// Register pension provider code, the policy (fictitious digits of the
// valid form, models.ValidPensionPolicyNumber), the insurers' rates, and
// the contact person of its Incomes Register deliveries. The two city units
// are one employer with one policy (same Y-tunnus); the city's job center
// finance files their reports.
type employerSpec struct {
	pensionInsurer, policyNumber string
	pensionBps, accidentBps      int64
	contact                      person
}

// averageEmployerPensionBps is the 2026 average TyEL employer share, the
// service's default (docs/PAYROLL.md, dated settings); accidentBps are
// illustrative tariffs of manual outdoor and cleaning work, as the real
// rate is on each organiser's insurance invoice.
const averageEmployerPensionBps = 1710

var cityEmployer = employerSpec{pensionInsurer: "55", policyNumber: "55-0417236K", // Varma
	pensionBps: averageEmployerPensionBps, accidentBps: 80, contact: financeUser}

type profileCount struct {
	profile string
	n       int
}

var organiserSpecs = []organiserSpec{
	{key: "tyotoiminta", name: "Helsingin kaupunki – Työllisyyspalvelut, kuntouttava työtoiminta", businessID: cityBusinessID,
		feeBps: 1000, street: "Työpajankatu 8", postalCode: "00580", employer: cityEmployer,
		supervisors: []person{
			{"juha.nieminen" + mailDomain, "Juha Nieminen", "+358 40 334 2101"},
			{"tiina.koskinen" + mailDomain, "Tiina Koskinen", "+358 40 334 2102"},
			{"ari.heikkinen" + mailDomain, "Ari Heikkinen", "+358 40 334 2103"},
		},
		participants: []profileCount{{"rehab", 8}, {"rehabFourDays", 6}, {"supported", 8}, {"disabilityNone", 3}}},
	{key: "vammais", name: "Helsingin kaupunki – Vammaispalvelut, työtoiminta", businessID: cityBusinessID,
		feeBps: 800, street: "Toinen linja 4 A", postalCode: "00530", employer: cityEmployer,
		supervisors: []person{
			{"marja.laine" + mailDomain, "Marja Laine", "+358 40 334 2201"},
			{"pekka.jarvinen" + mailDomain, "Pekka Järvinen", "+358 40 334 2202"},
		},
		participants: []profileCount{{"disabilityNone", 8}, {"disabilityAllowance", 8}, {"supported", 4}}},
	{key: "osuma", name: "Työpaja Osuma ry", businessID: "2456173-4",
		feeBps: 1250, street: "Kirvesmiehenkatu 10", postalCode: "00810",
		employer: employerSpec{pensionInsurer: "54", policyNumber: "54-2803917P", // Elo
			pensionBps: averageEmployerPensionBps, accidentBps: 115,
			contact: osumaLeader},
		supervisors: []person{
			osumaLeader,
			{"jari.rantanen" + mailDomain, "Jari Rantanen", "+358 40 334 2302"},
		},
		participants: []profileCount{{"rehab", 7}, {"supported", 6}, {"disabilityAllowance", 2}}},
}

type customerSpec struct {
	key, name, businessID string
	vat                   string
	sector                string
	street, postalCode    string
	einvoice, operator    string
	user                  person
	agreement             models.Agreement // prices and terms; dates set by the loader
}

func agreement(participantPrice, supervisorPrice models.Cents, minimum, window int, fee models.Cents, term int, model string) models.Agreement {
	return models.Agreement{ParticipantHourPriceCents: participantPrice, SupervisorHourPriceCents: supervisorPrice,
		MinimumBillableMinutes: minimum, LateCancellationWindowHours: window, LateCancellationFeeCents: fee,
		PaymentTermDays: term, EmploymentModel: model}
}

// Eight customers: three city units (internal, public buyers, sector
// public), a residents' association (non_profit) and four companies at the
// standard VAT rate, two of which employ the participants themselves.
// Rehabilitative work activity may not be arranged in companies (Act
// 189/2001), so their crews come from disability work activity and
// supported employment; staffing refuses anything else. E-invoice addresses
// are OVT codes (0037 + Y-tunnus digits).
var customerSpecs = []customerSpec{
	{key: "ymparisto", name: "Helsingin kaupunki – Kaupunkiympäristön toimiala", businessID: cityBusinessID, vat: models.VatInternal, sector: models.SectorPublic,
		street: "Työpajankatu 8", postalCode: "00580", einvoice: "0037020125661001", operator: "BAWCFI22",
		user:      person{"asiakas.ymparisto" + mailDomain, "Kari Lindqvist", "+358 9 310 20001"},
		agreement: agreement(2000, 4000, 180, 24, 10000, 30, models.EmploymentSubcontracting)},
	{key: "kirjasto", name: "Helsingin kaupunki – Kaupunginkirjasto", businessID: cityBusinessID, vat: models.VatInternal, sector: models.SectorPublic,
		street: "Töölönlahdenkatu 4", postalCode: "00100", einvoice: "0037020125661002", operator: "BAWCFI22",
		user:      person{"asiakas.kirjasto" + mailDomain, "Outi Rönkkö", "+358 9 310 20002"},
		agreement: agreement(1900, 3900, 120, 24, 8000, 30, models.EmploymentSubcontracting)},
	{key: "kasko", name: "Helsingin kaupunki – Kasvatuksen ja koulutuksen toimiala", businessID: cityBusinessID, vat: models.VatInternal, sector: models.SectorPublic,
		street: "Töysänkatu 2 D", postalCode: "00510", einvoice: "0037020125661003", operator: "BAWCFI22",
		user:      person{"asiakas.kasko" + mailDomain, "Heikki Aaltonen", "+358 9 310 20003"},
		agreement: agreement(2000, 4000, 120, 24, 8000, 30, models.EmploymentSubcontracting)},
	{key: "meriportti", name: "Meriportin Kiinteistöpalvelut Oy", businessID: "2987341-1", vat: models.VatStandard, sector: models.SectorCompany,
		street: "Meriportti 4", postalCode: "00980", einvoice: "003729873411", operator: "003721291126",
		user:      person{"asiakas.meriportti" + mailDomain, "Tuula Karjalainen", "+358 50 441 3001"},
		agreement: agreement(2500, 4500, 120, 48, 15000, 14, models.EmploymentSubcontracting)},
	{key: "kalasatama", name: "Kalasataman Kauppa Oy", businessID: "3109856-5", vat: models.VatStandard, sector: models.SectorCompany,
		street: "Kalasatamankatu 5", postalCode: "00580", einvoice: "003731098565", operator: "OKOYFIHH",
		user:      person{"asiakas.kalasatama" + mailDomain, "Janne Pesonen", "+358 50 441 3002"},
		agreement: agreement(2400, 4600, 120, 48, 12000, 14, models.EmploymentCustomerEmploys)},
	{key: "vallila", name: "Vallilan Asukasyhdistys ry", businessID: "2865412-9", vat: models.VatStandard, sector: models.SectorNonProfit,
		street: "Hämeentie 105", postalCode: "00550", einvoice: "003728654129", operator: "NDEAFIHH",
		user:      person{"asiakas.vallila" + mailDomain, "Minna Hyvönen", "+358 50 441 3003"},
		agreement: agreement(2600, 4600, 180, 48, 15000, 21, models.EmploymentSubcontracting)},
	{key: "puistola", name: "Puistolan Logistiikka Oy", businessID: "2779035-6", vat: models.VatStandard, sector: models.SectorCompany,
		street: "Tattarisuontie 30", postalCode: "00770", einvoice: "003727790356", operator: "003721291126",
		user:      person{"asiakas.puistola" + mailDomain, "Petri Manninen", "+358 50 441 3004"},
		agreement: agreement(2400, 4500, 120, 24, 12000, 14, models.EmploymentCustomerEmploys)},
	{key: "herttoniemi", name: "Herttoniemen Varastopalvelu Oy", businessID: "3190264-8", vat: models.VatStandard, sector: models.SectorCompany,
		street: "Sienitie 25", postalCode: "00800", einvoice: "003731902648", operator: "BAWCFI22",
		user:      person{"asiakas.herttoniemi" + mailDomain, "Sari Väisänen", "+358 50 441 3005"},
		agreement: agreement(2500, 4400, 120, 48, 12000, 14, models.EmploymentSubcontracting)},
}

var taskTypeSpecs = []struct{ key, name, description string }{
	{"outdoor", "Ulkoalueiden siivous", "Outdoor cleaning: litter picking, raking and sweeping of yards, parks and shores"},
	{"shelving", "Hyllytys", "Shelving: unpacking deliveries, filling shelves, returning books and goods to their places"},
	{"office", "Toimistosiivous", "Office cleaning: dusting, emptying bins, kitchenettes and meeting rooms"},
}

// profiles are the service decisions participants are on: every kind, and
// for each kind the compensation the law allows (DOMAIN.md, Service
// decision). Rehabilitative work activity is limited by law to 1–4 days a
// week and 4–8 hours a day, and the organiser pays nothing for it.
var profiles = map[string]func(i int) models.DecisionTerms{
	"rehab": func(i int) models.DecisionTerms {
		return models.DecisionTerms{Kind: models.DecisionRehabilitative, MaxDaysPerWeek: 3 + i%2, MaxHoursPerDay: 6,
			Compensation: models.CompensationNone}
	},
	"rehabFourDays": func(i int) models.DecisionTerms {
		return models.DecisionTerms{Kind: models.DecisionRehabilitative, MaxDaysPerWeek: 4, MaxHoursPerDay: 6,
			Compensation: models.CompensationNone}
	},
	"supported": func(i int) models.DecisionTerms {
		return models.DecisionTerms{Kind: models.DecisionSupportedEmployment, MaxDaysPerWeek: 5, MaxHoursPerDay: 8,
			Compensation: models.CompensationHourlyWage, HourlyWageCents: models.Cents(1250 + 50*(i%5)), WithholdingBps: int64(1000 + 250*(i%4))}
	},
	"disabilityNone": func(i int) models.DecisionTerms {
		return models.DecisionTerms{Kind: models.DecisionDisability, MaxDaysPerWeek: 5, MaxHoursPerDay: 6,
			Compensation: models.CompensationNone}
	},
	// Työosuusraha; every other one above the 12 € tax-free cap, so 3 € a
	// day is taxable.
	"disabilityAllowance": func(i int) models.DecisionTerms {
		return models.DecisionTerms{Kind: models.DecisionDisability, MaxDaysPerWeek: 4, MaxHoursPerDay: 6,
			Compensation: models.CompensationDailyAllowance, DailyAllowanceCents: models.Cents(1200 + 300*(i%2))}
	},
}

// Sixty participants: first names × surnames, paired so that no two share
// both (30 first names, 20 surnames, surname index 7i mod 20).
var (
	firstNames = []string{"Aino", "Matti", "Helmi", "Juho", "Eveliina", "Teemu", "Sofia", "Antti", "Ilona", "Ville",
		"Noora", "Oskari", "Kaisa", "Eero", "Jenni", "Sami", "Laura", "Tuomas", "Riikka", "Jussi",
		"Amina", "Abdi", "Olga", "Artem", "Linnea", "Erik", "Pauliina", "Henrik", "Satu", "Kalle"}
	lastNames = []string{"Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Hämäläinen", "Laine", "Heikkinen", "Koskinen",
		"Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen", "Heinonen", "Niemi", "Heikkilä", "Kinnunen",
		"Salonen", "Turunen", "Salo"}
)

func participantName(i int) (first, last string) {
	return firstNames[i%len(firstNames)], lastNames[(7*i)%len(lastNames)]
}

// emailLocal is a name as the local part of an email address.
func emailLocal(first, last string) string {
	return strings.NewReplacer("ä", "a", "ö", "o", "å", "a").Replace(strings.ToLower(first + "." + last))
}

// pseudonymWords are the first part of the demo's pseudonyms, in the style
// of the service's own.
var pseudonymWords = []string{"Kettu", "Ilves", "Orava", "Siili", "Majava", "Kurki", "Lokki", "Peippo", "Tikka", "Saukko",
	"Hirvi", "Poro", "Norppa", "Joutsen", "Metso", "Teeri", "Varis", "Rastas", "Kuha", "Lohi"}

// pseudonym i is unique for every i below 9000: 7349 is prime to 9000.
func pseudonym(i int) string {
	return fmt.Sprintf("%s-%04d", pseudonymWords[i%len(pseudonymWords)], 1000+(i*7349)%9000)
}

// finnishBanks are the group digits Finnish account numbers begin with
// (Nordea, Handelsbanken, Danske Bank, S-Pankki, POP, OP, Säästöpankki).
var finnishBanks = []string{"10", "12", "15", "20", "31", "36", "39", "47", "50", "57", "80"}

// fiIBAN draws a Finnish IBAN: a bank's digits, a random account to 14
// digits, and the ISO 7064 mod 97-10 check digits (98 − the remainder of the
// BBAN followed by "FI00" with F = 15, I = 18).
func fiIBAN(rng *rand.Rand) string {
	bban := finnishBanks[rng.IntN(len(finnishBanks))]
	for len(bban) < 14 {
		bban += strconv.Itoa(rng.IntN(10))
	}
	r := 0
	for _, c := range bban + "151800" {
		r = (r*10 + int(c-'0')) % 97
	}
	return fmt.Sprintf("FI%02d%s", 98-r, bban)
}
