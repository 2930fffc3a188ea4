// Command baseline is the yardstick `make bench` measures polls against: the
// least code that serves polls' public pages for a tenant chosen by the Host
// header. Tenants are read once at start into a map; every request is one
// pipelined round trip to PostgreSQL (a pgx batch: BEGIN, the scoping, the
// page's queries, COMMIT); pages are rendered with polls' own templates, so
// both servers send the same HTML. No framework, no ORM, no middleware.
//
//	baseline -addr 127.0.0.1:8081 -db postgres://...
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"flag"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"polls/views"
)

// site is one tenant: the schema to scope to, the role to act as ("" for
// none, as polls does with search_path isolation) and the name to show.
type site struct{ schema, role, name string }

type server struct {
	pool  *pgxpool.Pool
	sites map[string]site // by lowercased host, port dropped
	views *views.Set
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8081", "listen address")
	dbURL := flag.String("db", "", "PostgreSQL URL (the same database polls serves)")
	maxConns := flag.Int("max-conns", 20, "pool size (make bench passes polls' database.max_conns)")
	flag.Parse()
	if err := run(*addr, *dbURL, int32(*maxConns)); err != nil {
		log.Fatal(err)
	}
}

func run(addr, dbURL string, maxConns int32) error {
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return err
	}
	cfg.MaxConns = maxConns
	// Unnamed statements: the same SQL runs under every tenant's search_path,
	// and PgBouncer in transaction mode keeps no prepared statements.
	cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeExec
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	set, err := views.Parse()
	if err != nil {
		return err
	}
	s := &server{pool: pool, sites: map[string]site{}, views: set}
	if err := s.loadSites(ctx); err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /polls/{$}", s.index)
	mux.HandleFunc("GET /polls/{id}/{$}", s.detail)
	mux.HandleFunc("GET /polls/{id}/results/{$}", s.results)
	mux.HandleFunc("POST /polls/{id}/vote/{$}", s.vote)
	log.Printf("baseline: %d domains, listening on %s", len(s.sites), addr)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	return srv.ListenAndServe()
}

// loadSites reads every routed domain. role_name is read through to_jsonb so
// the baseline runs on registries with and without tenant roles.
func (s *server) loadSites(ctx context.Context) error {
	rows, err := s.pool.Query(ctx, `SELECT d.domain, t.schema_name, t.name, COALESCE(to_jsonb(t)->>'role_name', '')
		FROM public.domains d JOIN public.tenants t ON t.id = d.tenant_id WHERE t.ready`)
	if err != nil {
		return fmt.Errorf("load sites: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var domain string
		var st site
		if err := rows.Scan(&domain, &st.schema, &st.name, &st.role); err != nil {
			return err
		}
		s.sites[domain] = st
	}
	return rows.Err()
}

func (s *server) site(r *http.Request) (site, bool) {
	host := strings.ToLower(r.Host)
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	st, ok := s.sites[strings.TrimPrefix(host, "www.")]
	return st, ok
}

// scoped returns a batch that opens the tenant's transaction; the caller
// queues its queries and then COMMIT, and sends it all at once.
func scoped(st site) *pgx.Batch {
	b := &pgx.Batch{}
	b.Queue("BEGIN")
	b.Queue("SELECT set_config('search_path', $1, true), set_config('role', $2, true)",
		pgx.Identifier{st.schema}.Sanitize(), roleOrDefault(st.role))
	return b
}

func roleOrDefault(role string) string {
	if role == "" {
		return "none" // SET ROLE NONE: stay the connecting user
	}
	return role
}

type link struct{ Text, URL string }

type indexPage struct {
	views.Page
	Questions []link
}

func (s *server) index(w http.ResponseWriter, r *http.Request) {
	st, ok := s.site(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	b := scoped(st)
	var qs []link
	b.Queue(`SELECT id, question_text FROM polls_question WHERE pub_date <= $1
		ORDER BY pub_date DESC, id DESC LIMIT 5`, time.Now()).Query(func(rows pgx.Rows) error {
		var id int64
		var text string
		_, err := pgx.ForEachRow(rows, []any{&id, &text}, func() error {
			qs = append(qs, link{Text: text, URL: "/polls/" + strconv.FormatInt(id, 10) + "/"})
			return nil
		})
		return err
	})
	b.Queue("COMMIT")
	if err := s.pool.SendBatch(r.Context(), b).Close(); err != nil {
		http.Error(w, "database error", http.StatusInternalServerError)
		return
	}
	s.render(w, "polls/index", indexPage{Page: views.Page{Title: "Latest polls", SiteName: st.name}, Questions: qs})
}

type choice struct {
	ID         int64
	ChoiceText string
	Votes      int64
}

type question struct {
	ID           int64
	QuestionText string
	Choices      []choice
}

// loadQuestion reads a published question and its choices in one round trip.
func (s *server) loadQuestion(r *http.Request, st site) (question, bool, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 0 {
		return question{}, false, nil
	}
	q := question{ID: id}
	found := false
	now := time.Now()
	b := scoped(st)
	b.Queue(`SELECT question_text FROM polls_question WHERE id = $1 AND pub_date <= $2`, id, now).
		Query(func(rows pgx.Rows) error {
			_, err := pgx.ForEachRow(rows, []any{&q.QuestionText}, func() error { found = true; return nil })
			return err
		})
	b.Queue(`SELECT id, choice_text, votes FROM polls_choice WHERE question_id = $1 ORDER BY id`, id).
		Query(func(rows pgx.Rows) error {
			var c choice
			_, err := pgx.ForEachRow(rows, []any{&c.ID, &c.ChoiceText, &c.Votes}, func() error {
				q.Choices = append(q.Choices, c)
				return nil
			})
			return err
		})
	b.Queue("COMMIT")
	err = s.pool.SendBatch(r.Context(), b).Close()
	return q, found, err
}

type detailPage struct {
	views.Page
	Question     question
	VoteURL      string
	ErrorMessage string
}

// questionPage finds the site and the question a page is for, or answers
// the request itself (404, or 500 on a database error) and says so.
func (s *server) questionPage(w http.ResponseWriter, r *http.Request) (site, question, bool) {
	st, ok := s.site(r)
	if !ok {
		http.NotFound(w, r)
		return site{}, question{}, false
	}
	q, found, err := s.loadQuestion(r, st)
	switch {
	case err != nil:
		http.Error(w, "database error", http.StatusInternalServerError)
		return site{}, question{}, false
	case !found:
		http.NotFound(w, r)
		return site{}, question{}, false
	}
	return st, q, true
}

func (s *server) detail(w http.ResponseWriter, r *http.Request) {
	if st, q, ok := s.questionPage(w, r); ok {
		s.renderDetail(w, r, st, q, "")
	}
}

func (s *server) renderDetail(w http.ResponseWriter, r *http.Request, st site, q question, msg string) {
	s.render(w, "polls/detail", detailPage{
		Page:         views.Page{Title: q.QuestionText, SiteName: st.name, CSRF: csrfToken(w, r)},
		Question:     q,
		VoteURL:      "/polls/" + strconv.FormatInt(q.ID, 10) + "/vote/",
		ErrorMessage: msg,
	})
}

type result struct {
	Text           string
	Votes, Percent int64
}

type resultsPage struct {
	views.Page
	Question   question
	Choices    []result
	TotalVotes int64
	DetailURL  string
}

func (s *server) results(w http.ResponseWriter, r *http.Request) {
	st, q, ok := s.questionPage(w, r)
	if !ok {
		return
	}
	var total int64
	for _, c := range q.Choices {
		total += c.Votes
	}
	rs := make([]result, len(q.Choices))
	for i, c := range q.Choices {
		rs[i] = result{Text: c.ChoiceText, Votes: c.Votes}
		if total > 0 {
			rs[i].Percent = (c.Votes*200 + total) / (2 * total)
		}
	}
	s.render(w, "polls/results", resultsPage{
		Page:     views.Page{Title: q.QuestionText, SiteName: st.name},
		Question: q, Choices: rs, TotalVotes: total,
		DetailURL: "/polls/" + strconv.FormatInt(q.ID, 10) + "/",
	})
}

// vote counts a vote in one round trip: the UPDATE checks the question is
// published and owns the choice.
func (s *server) vote(w http.ResponseWriter, r *http.Request) {
	st, ok := s.site(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	ck, err := r.Cookie("csrftoken")
	if err != nil || len(ck.Value) != 43 || r.PostFormValue("csrfmiddlewaretoken") != ck.Value {
		http.Error(w, "CSRF check failed", http.StatusForbidden)
		return
	}
	qid, err1 := strconv.ParseInt(r.PathValue("id"), 10, 64)
	cid, err2 := strconv.ParseInt(r.PostFormValue("choice"), 10, 64)
	if err1 != nil || err2 != nil {
		http.NotFound(w, r)
		return
	}
	b := scoped(st)
	update := b.Queue(`UPDATE polls_choice SET votes = votes + 1 WHERE id = $1 AND question_id = $2
		AND EXISTS (SELECT 1 FROM polls_question WHERE id = $2 AND pub_date <= $3)`, cid, qid, time.Now())
	var counted bool
	update.Exec(func(tag pgconn.CommandTag) error { counted = tag.RowsAffected() == 1; return nil })
	b.Queue("COMMIT")
	if err := s.pool.SendBatch(r.Context(), b).Close(); err != nil {
		http.Error(w, "database error", http.StatusInternalServerError)
		return
	}
	if !counted {
		q, found, err := s.loadQuestion(r, st)
		if err != nil || !found {
			http.NotFound(w, r)
			return
		}
		s.renderDetail(w, r, st, q, "You didn't select a choice.")
		return
	}
	http.Redirect(w, r, "/polls/"+strconv.FormatInt(qid, 10)+"/results/", http.StatusSeeOther)
}

// csrfToken returns the visitor's csrftoken cookie, setting a new one if it
// has none, as polls does.
func csrfToken(w http.ResponseWriter, r *http.Request) string {
	if ck, err := r.Cookie("csrftoken"); err == nil && len(ck.Value) == 43 {
		return ck.Value
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: "csrftoken", Value: token, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode})
	return token
}

func (s *server) render(w http.ResponseWriter, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	if err := s.views.Render(w, name, data); err != nil {
		http.Error(w, "render error", http.StatusInternalServerError)
	}
}
