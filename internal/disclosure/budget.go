// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import "fmt"

// Spend is the ε one release spent on the cases of a period (years,
// both ends included), in thousandths.
type Spend struct {
	From, To int
	Milli    int64
}

// ErrBudget is returned when a release would spend more than the budget.
type ErrBudget struct {
	Year             int
	Spent, Next, Max int64 // thousandths of ε
}

func (e *ErrBudget) Error() string {
	return fmt.Sprintf("the privacy budget of %d would be exceeded: ε %.3f already spent + %.3f > %.3f",
		e.Year, float64(e.Spent)/1000, float64(e.Next)/1000, float64(e.Max)/1000)
}

// CheckBudget refuses next if, for any year it covers, the ε of the
// releases covering that year plus next's would pass maxMilli. A victim
// registered in a year is in every release whose period covers it, so
// their privacy loss is the sum over those releases (sequential
// composition); years are the unit because periods are whole years.
func CheckBudget(maxMilli int64, spent []Spend, next Spend) error {
	if next.From > next.To {
		return fmt.Errorf("period %d–%d ends before it starts", next.From, next.To)
	}
	for y := next.From; y <= next.To; y++ {
		var sum int64
		for _, s := range spent {
			if s.From <= y && y <= s.To {
				sum += s.Milli
			}
		}
		if sum+next.Milli > maxMilli {
			return &ErrBudget{Year: y, Spent: sum, Next: next.Milli, Max: maxMilli}
		}
	}
	return nil
}
