package cli

import (
	"context"
	"fmt"
	"strings"

	"polls/app/auth"
)

// details asks for what the flags did not give, Django's way: each answer is
// checked at once and asked again with Django's message when refused.
func (d *dialogue) details(ctx context.Context, s superuserScope, username, email string) (string, string, string, error) {
	username, err := d.username(ctx, s, username)
	if err != nil {
		return "", "", "", err
	}
	if msg := auth.EmailProblem(email); msg != "" {
		d.complain("Error: " + msg)
		email = ""
	}
	for email == "" {
		answer, err := d.line("Email address: ")
		if err != nil {
			return "", "", "", err
		}
		answer = strings.TrimSpace(answer)
		if msg := auth.EmailProblem(answer); msg != "" {
			d.complain("Error: " + msg)
			continue
		}
		email = answer
		break // a blank answer is fine: users need no email
	}
	password, err := d.password(username, email)
	return username, email, password, err
}

// username checks a --username or asks for one, offering the login name of
// whoever runs the command when it would do.
func (d *dialogue) username(ctx context.Context, s superuserScope, given string) (string, error) {
	problem := func(name string) (string, error) {
		if msg := auth.UsernameProblem(name); msg != "" {
			return msg, nil
		}
		taken, err := s.taken(ctx, name)
		if taken {
			return "That username is already taken.", err
		}
		return "", err
	}
	if given != "" {
		msg, err := problem(given)
		if err != nil || msg == "" {
			return given, err
		}
		d.complain("Error: " + msg)
	}
	prompt := "Username: "
	def := strings.ToLower(d.Getenv("USER"))
	if def != "" {
		if msg, err := problem(def); err != nil {
			return "", err
		} else if msg == "" {
			prompt = fmt.Sprintf("Username (leave blank to use '%s'): ", def)
		} else {
			def = ""
		}
	}
	for {
		name, err := d.line(prompt)
		if err != nil {
			return "", err
		}
		name = strings.TrimSpace(name)
		if name == "" && def != "" {
			return def, nil
		}
		msg, err := problem(name)
		if err != nil {
			return "", err
		}
		if msg == "" {
			return name, nil
		}
		d.complain("Error: " + msg)
	}
}

// password asks twice until both agree, are not blank, and pass the
// validators, or the person chooses to bypass the validators, as in Django.
func (d *dialogue) password(username, email string) (string, error) {
	for {
		pw, err := d.secret("Password: ")
		if err != nil {
			return "", err
		}
		again, err := d.secret("Password (again): ")
		if err != nil {
			return "", err
		}
		if pw != again {
			d.complain("Error: Your passwords didn't match.")
			continue
		}
		if strings.TrimSpace(pw) == "" {
			d.complain("Error: Blank passwords aren't allowed.")
			continue
		}
		if problems := auth.PasswordProblems(pw, username, email); len(problems) > 0 {
			d.complain(strings.Join(problems, "\n"))
			answer, err := d.line("Bypass password validation and create user anyway? [y/N]: ")
			if err != nil {
				return "", err
			}
			if strings.ToLower(strings.TrimSpace(answer)) != "y" {
				continue
			}
		}
		return pw, nil
	}
}
