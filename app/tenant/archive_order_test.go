package tenant

import (
	"strings"
	"testing"
)

// TestLoadOrder: each table comes after the tables it references, ties by
// name; a cycle is refused, naming its tables.
func TestLoadOrder(t *testing.T) {
	got, err := loadOrder([]catalogTable{
		{Name: "auth_user"},
		{Name: "django_session", Refs: []string{"auth_user"}},
		{Name: "polls_choice", Refs: []string{"polls_question"}},
		{Name: "polls_question"},
		{Name: "elsewhere", Refs: []string{"not_in_this_schema"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range got {
		names = append(names, tb.Name)
	}
	if want := "auth_user django_session elsewhere polls_question polls_choice"; strings.Join(names, " ") != want {
		t.Fatalf("order %v, want %s", names, want)
	}
	_, err = loadOrder([]catalogTable{{Name: "a", Refs: []string{"b"}}, {Name: "b", Refs: []string{"a"}}, {Name: "c"}})
	if err == nil || !strings.Contains(err.Error(), "tables a, b reference each other in a cycle") {
		t.Fatalf("a cycle: %v", err)
	}
}
