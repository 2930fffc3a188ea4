package bench_test

import (
	"context"
	"testing"
	"time"

	"polls/app/apptest"
	"polls/app/tenant"
	"polls/models"
)

// BenchmarkLatestQuestions isolates GORM's own cost on the index's query: the
// same query in the same scoped transaction, once through models (GORM
// building the SQL and scanning by reflection) and once as plain database/sql
// on the very connection GORM uses. Each iteration is one request's
// transaction, so the scoping and COMMIT round trips are in both.
func BenchmarkLatestQuestions(b *testing.B) {
	tn := apptest.NewTenant(b)
	tn.Exec(b, seed)
	db := apptest.DB(b)
	ctx := context.Background()
	const query = `SELECT id, question_text, pub_date FROM polls_question WHERE pub_date <= $1
		ORDER BY pub_date DESC, id DESC LIMIT 5`
	run := func(b *testing.B, fetch func(g *gormDB, now time.Time) (int, error)) {
		b.ReportAllocs()
		for b.Loop() {
			tx, err := tenant.Begin(ctx, db.SQL, tn.Schema)
			if err != nil {
				b.Fatal(err)
			}
			n, err := fetch(tx.Gorm(ctx, db.Gorm), time.Now())
			if err != nil || n != 5 {
				b.Fatalf("got %d questions, %v; want 5", n, err)
			}
			if err := tx.Commit(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("gorm", func(b *testing.B) {
		run(b, func(g *gormDB, now time.Time) (int, error) {
			qs, err := models.LatestQuestions(g, now, 5)
			return len(qs), err
		})
	})
	b.Run("database_sql", func(b *testing.B) {
		run(b, func(g *gormDB, now time.Time) (int, error) {
			rows, err := g.Statement.ConnPool.QueryContext(ctx, query, now)
			if err != nil {
				return 0, err
			}
			defer rows.Close()
			var qs []models.Question
			for rows.Next() {
				var q models.Question
				if err := rows.Scan(&q.ID, &q.QuestionText, &q.PubDate); err != nil {
					return 0, err
				}
				qs = append(qs, q)
			}
			return len(qs), rows.Err()
		})
	})
}
