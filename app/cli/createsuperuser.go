package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
	"gorm.io/gorm"

	"polls/app/auth"
	"polls/app/database"
	"polls/app/dbmigrate"
	"polls/app/tenant"
	"polls/models"
)

// superuserPasswordEnv gives the password to `createsuperuser --no-input`,
// as DJANGO_SUPERUSER_PASSWORD does to Django's: never on the command line,
// where other users could read it in the process list.
const superuserPasswordEnv = "POLLS_SUPERUSER_PASSWORD"

// errCancelled is input ending before the dialogue did.
var errCancelled = errors.New("operation cancelled: input ended before the superuser was complete")

func createSuperuserCommand() *Command {
	return &Command{
		Name:    "createsuperuser",
		Usage:   "[--tenant SCHEMA | --platform] [--username NAME] [--email ADDRESS] [--no-input]",
		Summary: "create a superuser of one tenant's admin, or of the platform admin, asking for what the flags do not give",
		Setup: func(fs *flag.FlagSet) func(context.Context, *Invocation, []string) error {
			schema := fs.String("tenant", "", "schema of the tenant the user belongs to (asked for if not given)")
			platform := fs.Bool("platform", false, "a user of the platform admin (the main domain's /admin/), not of any tenant")
			username := fs.String("username", "", "the new user's username")
			email := fs.String("email", "", "the new user's email address")
			var noInput bool
			fs.BoolVar(&noInput, "no-input", false, "ask nothing: take the flags, and the password from $"+superuserPasswordEnv)
			fs.BoolVar(&noInput, "noinput", false, "same as --no-input")
			return func(ctx context.Context, inv *Invocation, args []string) error {
				if len(args) > 0 {
					return usageError("createsuperuser takes only flags, got %q", strings.Join(args, " "))
				}
				if *platform && *schema != "" {
					return usageError("createsuperuser takes --tenant SCHEMA or --platform, not both")
				}
				password := inv.Getenv(superuserPasswordEnv)
				if noInput {
					var missing []string
					for _, m := range []struct {
						miss bool
						what string
					}{
						{*schema == "" && !*platform, "--tenant"}, {*username == "", "--username"}, {password == "", "$" + superuserPasswordEnv},
					} {
						if m.miss {
							missing = append(missing, m.what)
						}
					}
					if len(missing) > 0 {
						return usageError("createsuperuser --no-input needs %s", strings.Join(missing, ", "))
					}
				}
				rt, err := inv.start(ctx, startOptions{})
				if err != nil {
					return err
				}
				defer rt.close()
				db := rt.db
				d := &dialogue{Invocation: inv, in: bufio.NewReader(inv.Stdin)}
				// The platform's users live in its own schema, as polls' own
				// user: no tenant, no role.
				t := tenant.Record{Schema: tenant.PlatformSchema}
				if *platform {
					// Its schema comes with the shared migrations; bringing
					// them up to date is always safe (as createtenant does).
					if _, err := dbmigrate.Shared(ctx, db.URL); err != nil {
						return err
					}
				} else {
					ts, err := tenant.List(ctx, db.SQL)
					if err != nil {
						return registryMissing(err)
					}
					if t, err = d.tenant(ts, *schema); err != nil {
						return err
					}
				}
				s := superuserScope{db: db, t: t}
				u := models.User{Username: *username, Email: *email, IsActive: true, IsStaff: true, IsSuperuser: true}
				if noInput {
					err = checkGiven(ctx, s, u, password)
				} else {
					u.Username, u.Email, password, err = d.details(ctx, s, u.Username, u.Email)
				}
				if err != nil {
					return err
				}
				if u.Password, err = auth.HashPassword(password); err != nil {
					return err
				}
				err = s.do(ctx, func(tx *gorm.DB) error { return models.CreateUser(tx, &u) })
				if errors.Is(err, models.ErrConflict) { // taken since it was checked
					return fmt.Errorf("cannot create superuser %q: That username is already taken.", u.Username)
				}
				if err != nil {
					return fmt.Errorf("create superuser %s in %s: %w", u.Username, t.Schema, err)
				}
				fmt.Fprintln(inv.Stdout, "Superuser created successfully.")
				return nil
			}
		},
	}
}

// superuserScope runs short transactions in one tenant's schema, as its role
// when it has one: never one long transaction held open while a person types.
type superuserScope struct {
	db *database.DB
	t  tenant.Record
}

func (s superuserScope) do(ctx context.Context, fn func(*gorm.DB) error) error {
	tx, err := tenant.BeginAs(ctx, s.db.SQL, s.t.Schema, s.t.Role)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx.Gorm(ctx, s.db.Gorm)); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

func (s superuserScope) taken(ctx context.Context, username string) (bool, error) {
	var taken bool
	err := s.do(ctx, func(tx *gorm.DB) (err error) { taken, err = models.UsernameTaken(tx, username); return err })
	return taken, err
}

// checkGiven checks a non-interactive superuser as the dialogue would,
// failing instead of asking again; there is no bypass for a weak password.
func checkGiven(ctx context.Context, s superuserScope, u models.User, password string) error {
	refuse := func(msg string) error { return fmt.Errorf("cannot create superuser %q: %s", u.Username, msg) }
	if msg := auth.UsernameProblem(u.Username); msg != "" {
		return refuse(msg)
	}
	if msg := auth.EmailProblem(u.Email); msg != "" {
		return refuse(msg)
	}
	taken, err := s.taken(ctx, u.Username)
	if err != nil {
		return err
	}
	if taken {
		return refuse("That username is already taken.")
	}
	if strings.TrimSpace(password) == "" {
		return refuse("Blank passwords aren't allowed.")
	}
	if problems := auth.PasswordProblems(password, u.Username, u.Email); len(problems) > 0 {
		return refuse("$" + superuserPasswordEnv + " is refused: " + strings.Join(problems, " "))
	}
	return nil
}

// dialogue is createsuperuser's conversation: prompts on stdout, complaints
// on stderr, answers read line by line (passwords unechoed on a terminal).
type dialogue struct {
	*Invocation
	in *bufio.Reader
}

// line prompts and reads one line, without its line ending.
func (d *dialogue) line(prompt string) (string, error) {
	fmt.Fprint(d.Stdout, prompt)
	s, err := d.in.ReadString('\n')
	if err != nil && (s == "" || !errors.Is(err, io.EOF)) {
		return "", errCancelled
	}
	return strings.TrimRight(s, "\r\n"), nil
}

// secret reads a password: unechoed from a terminal, else as a line, so that
// scripts and tests can drive the dialogue.
func (d *dialogue) secret(prompt string) (string, error) {
	if f, ok := d.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(d.Stdout, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(d.Stdout)
		if err != nil {
			return "", errCancelled
		}
		return string(b), nil
	}
	return d.line(prompt)
}

func (d *dialogue) complain(msg string) { fmt.Fprintln(d.Stderr, msg) }

// tenant returns the tenant named by --tenant or, without it, asks for one
// the way django-tenants does, '?' listing them.
func (d *dialogue) tenant(ts []tenant.Record, schema string) (tenant.Record, error) {
	find := func(name string) (tenant.Record, bool) {
		for _, t := range ts {
			if t.Schema == name {
				return t, true
			}
		}
		return tenant.Record{}, false
	}
	if schema != "" {
		if t, ok := find(schema); ok {
			return t, nil
		}
		return tenant.Record{}, fmt.Errorf("there is no tenant with schema %q: `polls tenants` lists them", schema)
	}
	if len(ts) == 0 {
		return tenant.Record{}, errors.New("there are no tenants in the system: `polls createtenant --help` says how to create one")
	}
	for {
		answer, err := d.line("Enter Tenant Schema ('?' to list schemas): ")
		if err != nil {
			return tenant.Record{}, err
		}
		answer = strings.TrimSpace(answer)
		if answer == "?" {
			for _, t := range ts {
				fmt.Fprintf(d.Stdout, "%s - %s\n", t.Schema, t.PrimaryDomain())
			}
			continue
		}
		if t, ok := find(answer); ok {
			return t, nil
		}
		d.complain(fmt.Sprintf("Invalid tenant schema, '%s'", answer))
	}
}
