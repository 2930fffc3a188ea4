package tenant_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"polls/app/apptest"
	"polls/app/database"
	"polls/app/tenant"
)

const addQuestion = "INSERT INTO polls_question (question_text, pub_date) VALUES (?, now())"

// countQuestions counts a's questions from outside any of its transactions.
func countQuestions(t *testing.T, a apptest.Tenant, text string) int64 {
	t.Helper()
	var n int64
	a.Scan(t, &n, "SELECT count(*) FROM polls_question WHERE question_text = $1", text)
	return n
}

func TestCommitNextSendsTheStatementAndItsCommitInOneRoundTrip(t *testing.T) {
	a := apptest.NewTenant(t)
	for _, pipelined := range []bool{true, false} {
		o := database.Defaults(2)
		o.PipelineScope = pipelined
		db, writes := apptest.CountedDBWith(t, o)
		r := &tenant.Runner{SQL: db.SQL, Gorm: db.Gorm, Affinity: db.Affinity}
		vote := func(text string) (seenInside int64) {
			err := r.Run(context.Background(), siteOf(a), false, func(db *gorm.DB, _ func(context.Context) error) error {
				if err := tenant.CommitNext(db); err != nil {
					return err
				}
				if err := db.Exec(addQuestion, text).Error; err != nil {
					return err
				}
				seenInside = countQuestions(t, a, text) // committed already
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return seenInside
		}
		text := fmt.Sprintf("pipeline scope %v", pipelined)
		vote(text + ", warm-up") // pgx prepares the statements the first time: a round trip of its own
		before := writes.Load()
		if seen := vote(text); seen != 1 {
			t.Errorf("pipeline scope %v: the question was seen %d times from outside right after its Exec, want 1: committed with it", pipelined, seen)
		}
		want := int64(1) // BEGIN and SET LOCAL in front, COMMIT behind
		if !pipelined {
			want = 3 // the opening statements, the statement, COMMIT
		}
		if got := writes.Load() - before; got != want {
			t.Errorf("pipeline scope %v: %d round trips, want %d", pipelined, got, want)
		}
	}
}

func TestCommitNextRollsBackWhenItsStatementFails(t *testing.T) {
	a := apptest.NewTenant(t)
	db, _ := apptest.CountedDBWith(t, apptest.PoolOptions(2))
	r := &tenant.Runner{SQL: db.SQL, Gorm: db.Gorm, Affinity: db.Affinity}
	err := r.Run(context.Background(), siteOf(a), false, func(db *gorm.DB, _ func(context.Context) error) error {
		if err := db.Exec(addQuestion, "before the failure").Error; err != nil {
			return err
		}
		if err := tenant.CommitNext(db); err != nil {
			return err
		}
		err := db.Exec("UPDATE polls_question SET question_text = 'never' WHERE 1 / 0 = 1").Error
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "22012" {
			t.Errorf("the failing last statement returned %v, want division_by_zero (22012)", err)
		}
		return nil // the work goes on as if it had handled the failure
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := countQuestions(t, a, "before the failure"); n != 0 {
		t.Errorf("%d questions written before the failed last statement, want 0: its COMMIT must not run", n)
	}
	// The connection came back clean: the next unit of work on it commits.
	if err := r.Run(context.Background(), siteOf(a), false, func(db *gorm.DB, _ func(context.Context) error) error {
		return db.Exec(addQuestion, "after").Error
	}); err != nil {
		t.Fatal(err)
	}
	if n := countQuestions(t, a, "after"); n != 1 {
		t.Errorf("%d questions from the next unit of work, want 1", n)
	}
}

func TestCommitNextThenAQueryBeginsANewTransactionInTheSameScope(t *testing.T) {
	a := apptest.NewTenant(t)
	db, _ := apptest.CountedDBWith(t, apptest.PoolOptions(2))
	r := &tenant.Runner{SQL: db.SQL, Gorm: db.Gorm, Affinity: db.Affinity}
	failed := errors.New("the handler fails after its last statement")
	err := r.Run(context.Background(), siteOf(a), false, func(db *gorm.DB, _ func(context.Context) error) error {
		if err := tenant.CommitNext(db); err != nil {
			return err
		}
		if err := db.Exec(addQuestion, "committed").Error; err != nil {
			return err
		}
		if err := db.Exec(addQuestion, "rolled back").Error; err != nil { // a new transaction, in a's schema
			return err
		}
		return failed
	})
	if !errors.Is(err, failed) {
		t.Fatalf("Run returned %v, want the work's error", err)
	}
	if n := countQuestions(t, a, "committed"); n != 1 {
		t.Errorf("%d questions from the last statement, want 1: committed whatever the work returns after it", n)
	}
	if n := countQuestions(t, a, "rolled back"); n != 0 {
		t.Errorf("%d questions from the statement after it, want 0: its transaction is rolled back with the work", n)
	}
}
