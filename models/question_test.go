package models_test

import (
	"testing"
	"time"

	"polls/models"
)

// TestWasPublishedRecently has the tutorial's three cases (part 5) and the
// two edges between them.
func TestWasPublishedRecently(t *testing.T) {
	now := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		pubDate time.Time
		want    bool
	}{
		{"future question", now.Add(30 * 24 * time.Hour), false},
		{"old question", now.Add(-24*time.Hour - time.Second), false},
		{"recent question", now.Add(-23*time.Hour - 59*time.Minute - 59*time.Second), true},
		{"published just now", now, true},
		{"exactly one day old", now.Add(-24 * time.Hour), true},
		{"one second in the future", now.Add(time.Second), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := models.Question{PubDate: tt.pubDate}
			if got := q.WasPublishedRecently(now); got != tt.want {
				t.Errorf("WasPublishedRecently() with pub_date %v and now %v: got %v, want %v", tt.pubDate, now, got, tt.want)
			}
		})
	}
}
