package i18n_test

import (
	"testing"
	"time"

	"polls/app/i18n"
)

func TestCatalogsHaveTheSameKeys(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range i18n.Languages {
		for _, other := range i18n.Languages {
			for _, key := range c.Keys(other) {
				if !c.Has(l, key) {
					t.Errorf("catalog %s lacks %q, which catalog %s has", l, key, other)
				}
			}
		}
	}
}

func TestPlurals(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	en, fr := c.For(i18n.English), c.For(i18n.French)
	tests := []struct {
		z    i18n.Localizer
		n    int64
		want string
	}{
		{en, 0, "0 votes"}, {en, 1, "1 vote"}, {en, 2, "2 votes"},
		// CLDR: French counts 0 and 1 as singular.
		{fr, 0, "0 vote"}, {fr, 1, "1 vote"}, {fr, 2, "2 votes"},
	}
	for _, tt := range tests {
		if got := tt.z.T("%d vote", tt.n); got != tt.want {
			t.Errorf("%s: T(%%d vote, %d) = %q, want %q", tt.z.Lang(), tt.n, got, tt.want)
		}
	}
	if got, want := fr.T("%d vote in all.", 3), "3 votes en tout."; got != want {
		t.Errorf("fr: got %q, want %q", got, want)
	}
}

func TestTranslates(t *testing.T) {
	fr := i18n.For(i18n.French)
	if got, want := fr.T("You didn't select a choice."), "Vous n'avez pas sélectionné de choix."; got != want {
		t.Errorf("fr: got %q, want Django's %q", got, want)
	}
	if got, want := i18n.For("de").Lang(), i18n.English; got != want {
		t.Errorf("For(de) speaks %s, want %s", got, want)
	}
}

func TestDates(t *testing.T) {
	en, fr := i18n.For(i18n.English), i18n.For(i18n.French)
	at := func(s string) time.Time {
		tm, err := time.Parse(time.DateTime, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		z    i18n.Localizer
		at   string
		want string
	}{
		{en, "2026-12-01 14:05:00", "Dec. 1, 2026, 2:05 p.m."},
		{en, "2026-03-09 09:00:00", "March 9, 2026, 9 a.m."},
		{en, "2026-09-30 12:00:00", "Sept. 30, 2026, noon"},
		{en, "2026-05-01 00:00:00", "May 1, 2026, midnight"},
		{en, "2026-05-01 00:30:00", "May 1, 2026, 12:30 a.m."},
		{fr, "2026-12-01 14:05:00", "1 décembre 2026 à 14:05"},
		{fr, "2026-08-15 09:00:00", "15 août 2026 à 09:00"},
	}
	for _, tt := range tests {
		if got := tt.z.Date(at(tt.at)); got != tt.want {
			t.Errorf("%s: Date(%s) = %q, want %q", tt.z.Lang(), tt.at, got, tt.want)
		}
	}
	paris := time.FixedZone("CET", 3600)
	if got, want := en.Date(time.Date(2026, 12, 1, 15, 5, 0, 0, paris)), "Dec. 1, 2026, 2:05 p.m."; got != want {
		t.Errorf("Date of a time in CET = %q, want it in UTC, %q", got, want)
	}
}

func TestNegotiate(t *testing.T) {
	tests := []struct {
		own    i18n.Lang
		any    bool
		accept string
		want   i18n.Lang
	}{
		{i18n.French, false, "en-US,en;q=0.9", i18n.French},
		{i18n.French, true, "en-US,en;q=0.9", i18n.English},
		{i18n.English, true, "fr-CA,fr;q=0.9,en;q=0.5", i18n.French},
		{i18n.English, true, "de-DE,de;q=0.9", i18n.English},
		{i18n.French, true, "de-DE,de;q=0.9", i18n.French},
		{i18n.French, true, "", i18n.French},
		{i18n.English, true, ";;;garbage", i18n.English},
		{i18n.French, true, "en;q=0.3,fr;q=0.8", i18n.French},
	}
	for _, tt := range tests {
		if got := i18n.Negotiate(tt.own, tt.any, tt.accept); got != tt.want {
			t.Errorf("Negotiate(%s, any=%v, %q) = %s, want %s", tt.own, tt.any, tt.accept, got, tt.want)
		}
	}
}

func TestParse(t *testing.T) {
	if l, err := i18n.Parse("fr"); err != nil || l != i18n.French {
		t.Errorf("Parse(fr) = %q, %v", l, err)
	}
	if _, err := i18n.Parse("de"); err == nil || err.Error() != `unknown language "de" (want one of: en, fr)` {
		t.Errorf("Parse(de): got %v", err)
	}
}

func TestMessageTranslatesFilledInText(t *testing.T) {
	fr, en := i18n.For(i18n.French), i18n.For(i18n.English)
	tests := []struct {
		z    i18n.Localizer
		msg  string
		want string
	}{
		{fr, "This field is required.", "Ce champ est obligatoire."},
		{fr, "Ensure this value has at most 150 characters (it has 200).", "Assurez-vous que cette valeur comporte au plus 150 caractères (actuellement 200)."},
		{fr, "Successfully deleted 2 questions.", "2 questions ont été supprimées avec succès."},
		{fr, "Successfully deleted 1 question.", "1 question a été supprimée avec succès."},
		{fr, "The question “What's up?” was deleted successfully.", "La question « What's up? » a été supprimée avec succès."},
		{fr, "Unknown host client9.localhost: 100% sure", "Unknown host client9.localhost: 100% sure"},
		{en, "Ensure this value has at most 150 characters (it has 200).", "Ensure this value has at most 150 characters (it has 200)."},
	}
	for _, tt := range tests {
		if got := tt.z.Message(tt.msg); got != tt.want {
			t.Errorf("%s: Message(%q) = %q, want %q", tt.z.Lang(), tt.msg, got, tt.want)
		}
	}
}

func TestNumbersHaveNoThousandsSeparator(t *testing.T) {
	for _, tt := range []struct {
		z    i18n.Localizer
		n    any
		want string
	}{
		{i18n.For(i18n.English), int64(1234), "1234 votes"},
		{i18n.For(i18n.French), 1234, "1234 votes"},
		{i18n.For(i18n.French), int64(1), "1 vote"},
		{i18n.For(i18n.French), 0, "0 vote"},
	} {
		if got := tt.z.T("%d vote", tt.n); got != tt.want {
			t.Errorf("%s: T(%%d vote, %v) = %q, want %q", tt.z.Lang(), tt.n, got, tt.want)
		}
	}
	if got, want := i18n.For(i18n.English).Message("Please submit at most 1000 forms."), "Please submit at most 1000 forms."; got != want {
		t.Errorf("Message = %q, want Django's %q", got, want)
	}
}
