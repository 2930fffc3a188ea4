package models_test

import (
	"slices"
	"strings"
	"testing"

	"polls/models"
)

func TestSearchTerms(t *testing.T) {
	long := strings.Repeat("é", 150)
	tests := []struct {
		name   string
		search string
		want   []string
		cut    bool
	}{
		{"empty", "", nil, false},
		{"spaces only", " \t\u00a0\n ", nil, false},
		{"words at any whitespace", "  who\tis\u2003new?\n", []string{"who", "is", "new?"}, false},
		{"ten words", "1 2 3 4 5 6 7 8 9 10", []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}, false},
		{"ten words and trailing space", "1 2 3 4 5 6 7 8 9 10   ", []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}, false},
		{"eleven words", "1 2 3 4 5 6 7 8 9 10 11", []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}, true},
		{"30,000 words", strings.Repeat("w ", 30000), slices.Repeat([]string{"w"}, 10), true},
		{"a word of 100 characters", long[:200], []string{long[:200]}, false},
		{"a word of 150 characters", "a " + long, []string{"a", long[:200]}, true},
		{"LIKE's own characters are words like any other", `100% a_b \`, []string{"100%", "a_b", `\`}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, cut := models.SearchTerms(tt.search)
			if !slices.Equal(got, tt.want) || cut != tt.cut {
				t.Errorf("SearchTerms(%.40q): got %q, %v; want %q, %v", tt.search, got, cut, tt.want, tt.cut)
			}
		})
	}
}
