package i18n

import (
	"fmt"
	"time"
)

// Date writes t (in UTC, as polls shows every time) in the Localizer's
// language: English as Django's admin does ("Dec. 1, 2026, 2:05 p.m.",
// "noon", "midnight"), French as French writes it ("1 décembre 2026 à
// 14:05").
func (z Localizer) Date(t time.Time) string {
	t = t.UTC()
	if z.lang == French {
		return fmt.Sprintf("%d %s %d à %02d:%02d", t.Day(), frenchMonths[t.Month()-1], t.Year(), t.Hour(), t.Minute())
	}
	return fmt.Sprintf("%s %d, %d, %s", englishMonths[t.Month()-1], t.Day(), t.Year(), englishClock(t))
}

// englishMonths are Django's "N" format: Associated Press abbreviations.
var englishMonths = [12]string{"Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."}

var frenchMonths = [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	"septembre", "octobre", "novembre", "décembre"}

// englishClock is Django's "P" format: "2:05 p.m.", "2 p.m.", "noon",
// "midnight".
func englishClock(t time.Time) string {
	h, m := t.Hour(), t.Minute()
	switch {
	case h == 0 && m == 0:
		return "midnight"
	case h == 12 && m == 0:
		return "noon"
	}
	suffix := "a.m."
	if h >= 12 {
		suffix = "p.m."
	}
	h %= 12
	if h == 0 {
		h = 12
	}
	if m == 0 {
		return fmt.Sprintf("%d %s", h, suffix)
	}
	return fmt.Sprintf("%d:%02d %s", h, m, suffix)
}
