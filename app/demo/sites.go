// Package demo describes the two demo tenants of the seed walkthrough and puts
// their sample content in place, once.
package demo

// Site is one demo tenant with its sample polls and admin login.
type Site struct {
	Schema    string
	Domain    string
	Name      string
	Admin     string // username of its superuser
	Password  string // the superuser's password, printed for the newcomer
	Language  string // what its pages speak: client1 French, client2 English, so both show at once
	Questions []Question
}

// Question is a sample poll.
type Question struct {
	Text    string
	AgeDays int // published this many days ago
	Choices []string
}

// Sites returns the two demo tenants: client1 and client2 of the walkthrough,
// served on .localhost names, which reach 127.0.0.1 without /etc/hosts edits.
func Sites() []Site {
	return []Site{
		{
			Schema: "client1", Domain: "client1.localhost", Name: "Mon premier client",
			Admin: "admin", Password: "client1-demo", Language: "fr",
			Questions: []Question{
				{"What's up?", 0, []string{"Not much", "The sky", "Just hacking again"}},
				{"Quel est votre fromage préféré ?", 1, []string{"Comté", "Roquefort", "Camembert", "Reblochon"}},
				{"Tabs or spaces?", 3, []string{"Tabs", "Spaces", "Whatever gofmt says"}},
			},
		},
		{
			Schema: "client2", Domain: "client2.localhost", Name: "Un second succes",
			Admin: "admin", Password: "client2-demo", Language: "en",
			Questions: []Question{
				{"Which database do you trust with your tenants?", 0, []string{"PostgreSQL", "Also PostgreSQL", "A spreadsheet"}},
				{"Best time for a deploy?", 2, []string{"Monday morning", "Friday at 5pm", "Never"}},
			},
		},
	}
}
