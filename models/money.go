package models

// Cents is an amount of money in euro cents. Money is never a float.
type Cents int64

// HalfUpDiv returns num/den rounded half away from zero. den must be positive.
// It is the only rounding the money rules use (DOMAIN.md: "half-up").
func HalfUpDiv(num, den int64) int64 {
	if den <= 0 {
		panic("models.HalfUpDiv: non-positive denominator")
	}
	if num < 0 {
		return -HalfUpDiv(-num, den)
	}
	return (num + den/2) / den
}

// MinutesAmount prices minutes at a per-hour price: half-up(minutes × price ÷ 60).
func MinutesAmount(minutes int64, hourPrice Cents) Cents {
	return Cents(HalfUpDiv(minutes*int64(hourPrice), 60))
}

// ApplyBps returns half-up(amount × bps ÷ 10000), e.g. VAT, a fee or a withholding.
func ApplyBps(amount Cents, bps int64) Cents {
	return Cents(HalfUpDiv(int64(amount)*bps, 10000))
}
