package polls_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestRootRedirectsToPolls(t *testing.T) {
	s := newSite(t)
	resp, err := s.client.Get("http://" + s.Domain + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Errorf("GET /: got status %d, want %d", resp.StatusCode, http.StatusFound)
	}
	if got := resp.Header.Get("Location"); got != "/polls/" {
		t.Errorf("GET /: got Location %q, want %q", got, "/polls/")
	}
}

func TestIndex(t *testing.T) {
	tests := []struct {
		name    string
		arrange func(t *testing.T, s site)
		want    []string // the questions listed, in order
	}{
		{
			name:    "no questions",
			arrange: func(*testing.T, site) {},
		},
		{
			name: "only a future question",
			arrange: func(t *testing.T, s site) {
				s.AddQuestion(t, 1, "Future question.", "30 days")
			},
		},
		{
			name: "past question",
			arrange: func(t *testing.T, s site) {
				s.AddQuestion(t, 1, "Past question.", "-30 days")
			},
			want: []string{"Past question."},
		},
		{
			name: "future question and past question",
			arrange: func(t *testing.T, s site) {
				s.AddQuestion(t, 1, "Past question.", "-30 days")
				s.AddQuestion(t, 2, "Future question.", "30 days")
			},
			want: []string{"Past question."},
		},
		{
			name: "latest five, newest first",
			arrange: func(t *testing.T, s site) {
				for i := int64(1); i <= 6; i++ {
					s.AddQuestion(t, i, fmt.Sprintf("Question %d.", i), fmt.Sprintf("-%d hours", 10-i))
				}
				s.AddQuestion(t, 7, "Future question.", "1 hour")
			},
			want: []string{"Question 6.", "Question 5.", "Question 4.", "Question 3.", "Question 2."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t)
			tt.arrange(t, s)
			status, body := s.get(t, "/polls/")
			if status != http.StatusOK {
				t.Fatalf("GET /polls/: got status %d, want 200", status)
			}
			if got := items(body); !slices.Equal(got, tt.want) {
				t.Errorf("GET /polls/: got questions %q, want %q", got, tt.want)
			}
			empty := strings.Contains(body, "No polls are available.")
			if empty != (len(tt.want) == 0) {
				t.Errorf(`GET /polls/: got "No polls are available." shown = %v, want %v`, empty, len(tt.want) == 0)
			}
		})
	}
}

func TestIndexLinksToDetail(t *testing.T) {
	s := newSite(t)
	s.AddQuestion(t, 42, "What's new?", "-1 hour")
	_, body := s.get(t, "/polls/")
	want := `<li><a href="/polls/42/">What&#39;s new?</a></li>`
	if !strings.Contains(body, want) {
		t.Errorf("GET /polls/: got %s, want it to contain %s", body, want)
	}
}

func TestSiteNameInTitleAndHeader(t *testing.T) {
	s := newSite(t)
	s.AddQuestion(t, 1, "What's up?", "-1 hour")
	tests := []struct{ path, title string }{
		{"/polls/", "Latest polls | " + s.Name},
		{"/polls/1/", "What&#39;s up? | " + s.Name},
		{"/polls/1/results/", "What&#39;s up? | " + s.Name},
		{"/polls/99/", "Not Found | " + s.Name},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, body := s.get(t, tt.path)
			if want := "<title>" + tt.title + "</title>"; !strings.Contains(body, want) {
				t.Errorf("GET %s: got %s, want it to contain %s", tt.path, body, want)
			}
			if want := `<header class="site"><div class="wrap"><a href="/polls/">` + s.Name + `</a>`; !strings.Contains(body, want) {
				t.Errorf("GET %s: got %s, want the header %s", tt.path, body, want)
			}
		})
	}
}
